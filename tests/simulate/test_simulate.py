"""End-to-end checks of a generated small scenario: formats, coverage, ground truth and realism."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from puente.model.entities import parse_entity
from puente.model.identifiers import curp_error, rfc_error, ssn_error, vin_error
from puente.model.records import RECORD_KINDS, arrow_schema
from puente.simulate import TYPOLOGIES, SimulationSummary, load_config, simulate
from puente.simulate.noise import NOISE_KINDS

TABLES = [kind.table for kind in RECORD_KINDS.values()]


def _q(sql: str) -> list[tuple[Any, ...]]:
    return duckdb.sql(sql).fetchall()


def test_summary_counts_match_files(small_run: tuple[Path, SimulationSummary]) -> None:
    out, summary = small_run
    for table in TABLES:
        assert pq.read_metadata(out / f"{table}.parquet").num_rows == summary.counts[f"{table}.parquet"]
    assert summary.networks == 5
    assert 180_000 <= summary.counts["transactions.parquet"] <= 240_000
    assert json.loads(json.dumps(summary.to_dict()))["seed"] == 7


@pytest.mark.parametrize("kind", list(RECORD_KINDS.values()), ids=lambda k: k.table)
def test_record_files_match_schema_and_are_not_empty(small_dir: Path, kind: Any) -> None:
    table = pq.read_table(small_dir / f"{kind.table}.parquet")
    expected = arrow_schema(kind)
    assert table.schema.equals(expected, check_metadata=False)
    assert table.num_rows > 0
    for spec in kind.fields:
        if spec.required:
            assert table.column(spec.name).null_count == 0, spec.name
        if spec.choices:
            values = set(table.column(spec.name).drop_null().to_pylist())
            values = {v for v in values if not isinstance(v, list)}
            assert values <= set(spec.choices), spec.name
    key = table.column(kind.key)
    assert len(set(key.to_pylist())) == table.num_rows  # keys are unique


def test_every_typology_present(small_dir: Path) -> None:
    inst = pq.read_table(small_dir / "truth" / "typology_instances.parquet").to_pylist()
    assert {i["typology"] for i in inst} == set(TYPOLOGIES)
    rec = pq.read_table(small_dir / "truth" / "typology_records.parquet")
    assert set(rec.column("typology").to_pylist()) == set(TYPOLOGIES)
    assert all(i["n_records"] > 0 for i in inst if i["typology"] != "tbml" or i["amount_usd"] > 0)


def test_every_noise_kind_present(small_dir: Path) -> None:
    kinds: set[str] = set()
    for name in ("record_parties", "entity_records"):
        for noise in pq.read_table(small_dir / "truth" / f"{name}.parquet").column("noise").to_pylist():
            kinds.update(noise)
    assert set(NOISE_KINDS) <= kinds


def test_truth_references_resolve(small_dir: Path) -> None:
    t = small_dir / "truth"
    keys = {
        kind.table: {r[0] for r in _q(f"select {kind.key} from '{small_dir}/{kind.table}.parquet'")}
        for kind in RECORD_KINDS.values()
    }
    for name in ("record_parties", "typology_records"):
        for table, rid in _q(f"select record_table, record_id from '{t}/{name}.parquet'"):
            assert rid in keys[table], (name, table, rid)
    persons = {r[0] for r in _q(f"select party_id from '{t}/persons.parquet'")}
    companies = {r[0] for r in _q(f"select party_id from '{t}/companies.parquet'")}
    parties = persons | companies
    for name in ("record_parties", "entity_records", "network_members", "watchlist"):
        assert {r[0] for r in _q(f"select party_id from '{t}/{name}.parquet'")} <= parties, name
    entity_ids = {json.loads(line)["id"] for line in (small_dir / "entities.ftm.json").open(encoding="utf-8")}
    assert {r[0] for r in _q(f"select entity_id from '{t}/entity_records.parquet'")} <= entity_ids
    assert {r[0] for r in _q(f"select entity_id from '{t}/accounts.parquet'")} <= entity_ids
    accounts = {r[0] for r in _q(f"select account_number from '{t}/accounts.parquet'")}
    used = _q(
        f"select distinct debtor_account from '{small_dir}/transactions.parquet' where debtor_account is not null "
        f"union select distinct creditor_account from '{small_dir}/transactions.parquet' "
        f"where creditor_account is not null"
    )
    assert {r[0] for r in used} <= accounts
    vins = {r[0] for r in _q(f"select vin from '{small_dir}/crossings.parquet' where vin is not null")}
    infra = _q(f"select kind, ref from '{t}/network_infrastructure.parquet'")
    for kind, ref in infra:
        assert ref in {"account": accounts, "company": companies}.get(kind, vins | {ref}), (kind, ref)
    for row in _q(f"select crossing_id, cmir_id, mx_folio from '{t}/crossings.parquet'"):
        assert row[0] in keys["crossings"]
        assert row[1] is None or row[1] in keys["cmirs"]
        assert row[2] is None or row[2] in keys["mx_declarations"]
    networks = json.loads((t / "networks.json").read_text(encoding="utf-8"))
    assert all(n["leader"] in persons for n in networks)
    assert (t / "README.md").read_text(encoding="utf-8").count(".parquet") >= 10


def test_generated_identifiers_pass_validators(small_dir: Path) -> None:
    t = small_dir / "truth"
    curps = [r[0] for r in _q(f"select curp from '{t}/persons.parquet' where curp is not null")]
    rfcs = [r[0] for r in _q(f"select rfc from '{t}/persons.parquet' where rfc is not null")]
    rfcs += [r[0] for r in _q(f"select tax_id from '{t}/companies.parquet' where country = 'MX'")]
    ssns = [r[0] for r in _q(f"select ssn from '{t}/persons.parquet' where ssn is not null")]
    vins = [r[0] for r in _q(f"select distinct vin from '{small_dir}/crossings.parquet' where vin is not null")]
    assert len(curps) > 1000 and len(rfcs) > 1000
    assert [c for c in curps if curp_error(c)] == []
    assert [r for r in rfcs if rfc_error(r)] == []
    assert [s for s in ssns if ssn_error(s)] == []
    assert [v for v in vins if vin_error(v)] == []
    declared = _q(f"select curp from '{small_dir}/mx_declarations.parquet' where curp is not null")
    assert all(curp_error(c) is None for (c,) in declared)


def test_ftm_entities_parse(small_dir: Path) -> None:
    schemata: set[str] = set()
    with (small_dir / "entities.ftm.json").open(encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            data = json.loads(line)
            schemata.add(data["schema"])
            if n % 37 == 0:
                parse_entity(data)
    expected = {
        "Person",
        "Company",
        "Address",
        "BankAccount",
        "Vehicle",
        "Passport",
        "Identification",
        "Ownership",
        "Directorship",
        "Family",
        "Associate",
    }
    assert expected <= schemata


def test_cross_border_records_are_noisy_but_linked(small_dir: Path) -> None:
    rows = _q(f"""
        select c.traveler_last_name, d.apellido_paterno, d.apellido_materno, c.amount, d.monto
        from '{small_dir}/truth/crossings.parquet' t
        join '{small_dir}/cmirs.parquet' c on c.report_id = t.cmir_id
        join '{small_dir}/mx_declarations.parquet' d on d.folio = t.mx_folio""")
    assert rows, "some crossings are declared on both sides"
    only_one = _q(
        f"select count(*) from '{small_dir}/truth/crossings.parquet' where (cmir_id is null) != (mx_folio is null)"
    )[0][0]
    assert only_one > 0
    entities = _q(
        f"select party_id, count(distinct source) from '{small_dir}/truth/entity_records.parquet' "
        f"where schema = 'Person' group by 1 having count(distinct source) = 2"
    )
    assert len(entities) > 500


def test_realism(small_dir: Path) -> None:
    tx = f"'{small_dir}/transactions.parquet'"
    total = _q(f"select count(*) from {tx}")[0][0]
    cash = _q(f"select count(*) from {tx} where channel in ('cash_deposit', 'cash_withdrawal')")[0][0]
    assert 0.05 <= cash / total <= 0.30
    card = float(_q(f"select median(amount) from {tx} where channel = 'card' and currency = 'USD'")[0][0])
    assert 15 <= card <= 120
    remit = _q(
        f"select min(amount), max(amount), median(amount) from {tx} where channel = 'msb_transfer' "
        f"and purpose like 'FAMILY%'"
    )[0]
    assert float(remit[0]) >= 150 and float(remit[1]) <= 1700 and 250 <= float(remit[2]) <= 800
    us = _q(
        f"select avg(case when state in ('TX','AZ','CA','NM') then 1.0 else 0 end) "
        f"from '{small_dir}/truth/persons.parquet' where country = 'US'"
    )[0][0]
    assert 0.55 <= float(us) <= 0.9
    # birth dates spread out: no single day holds more than 0.5% of the people (a clamp once put 8% on one day)
    persons = f"'{small_dir}/truth/persons.parquet'"
    top_day = _q(f"select max(c) / sum(c) from (select count(*) as c from {persons} group by birth_date)")[0][0]
    assert float(top_day) < 0.005
    ages = _q(f"select min(birth_date), max(birth_date) from {persons}")[0]
    assert (ages[1] - ages[0]).days > 60 * 365
    cfg = load_config()
    typ = _q(f"select count(*) from '{small_dir}/truth/typology_records.parquet' where record_table = 'transactions'")[
        0
    ][0]
    low, high = cfg.typologies.expected_prevalence
    assert low <= typ / total <= high


def test_typology_shapes(small_dir: Path) -> None:
    t = f"'{small_dir}/truth/typology_records.parquet'"
    tx = f"'{small_dir}/transactions.parquet'"
    structuring = _q(
        f"select min(x.amount), max(x.amount) from {t} r join {tx} x on x.transaction_id = r.record_id "
        f"where r.typology = 'structuring' and x.channel = 'cash_deposit'"
    )[0]
    assert float(structuring[0]) >= 8000 and float(structuring[1]) < 10000
    funnel = _q(
        f"select x.branch_state, x.conductor_name is not null from {t} r join {tx} x "
        f"on x.transaction_id = r.record_id where r.typology = 'funnel_account' and x.channel = 'cash_deposit'"
    )
    assert funnel and all(state in ("TX", "AZ", "CA", "NM") and by_other for state, by_other in funnel)
    withdrawals = _q(
        f"select distinct x.branch_city from {t} r join {tx} x on x.transaction_id = r.record_id "
        f"where r.typology = 'funnel_account' and x.channel = 'cash_withdrawal'"
    )
    assert {c for (c,) in withdrawals} & {"Chicago", "Atlanta", "New York", "Charlotte", "Denver", "Nashville"}
    crossings = _q(
        f"select sum(undeclared_usd), sum(weapons), count(*) filter (where seized) "
        f"from '{small_dir}/truth/crossings.parquet' where role = 'bulk_cash_trip'"
    )[0]
    assert crossings[0] > 0 and crossings[1] > 0 and crossings[2] > 0
    seized = _q(f"select count(*) from '{small_dir}/crossings.parquet' where inspection_result = 'seizure'")[0][0]
    assert seized == crossings[2]
    invoices = _q(
        f"select direction, min(factor), max(factor) from '{small_dir}/truth/tbml_invoices.parquet' group by 1"
    )
    for direction, lo, hi in invoices:
        assert (lo > 1) if direction == "over" else (hi < 1)
    # every bipartite instance is a real block: each sender pays two or more of its receivers and vice versa
    weakest = _q(
        f"with e as (select r.instance_id, x.debtor_account as s, x.creditor_account as d from {t} r "
        f"join {tx} x on x.transaction_id = r.record_id where r.typology = 'bipartite'), "
        f"deg as (select instance_id, s as node, count(distinct d) as k from e group by 1, 2 union all "
        f"select instance_id, d, count(distinct s) from e group by 1, 2) select min(k), count(distinct instance_id) "
        f"from deg"
    )[0]
    assert weakest[1] > 0 and weakest[0] >= 2


def _digest(folder: Path) -> dict[str, str]:
    """Content hash of every output file (Parquet by its decoded table, so writer metadata cannot matter)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            raw = _table_bytes(pq.read_table(path)) if path.suffix == ".parquet" else path.read_bytes()
            out[str(path.relative_to(folder))] = hashlib.sha256(raw).hexdigest()
    return out


def _table_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue())


def test_deterministic_by_seed(tmp_path: Path, tiny_config: Any) -> None:
    a = simulate("small", 11, tmp_path / "a", config=tiny_config)
    b = simulate("small", 11, tmp_path / "b", config=tiny_config)
    simulate("small", 12, tmp_path / "c", config=tiny_config)
    assert a.counts == b.counts
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a")["transactions.parquet"] != _digest(tmp_path / "c")["transactions.parquet"]


def test_list_file_borrows_ofac_names(tmp_path: Path, tiny_config: Any) -> None:
    sdn = tmp_path / "sdn.csv"
    sdn.write_text(
        '1,"GUZMAN LOERA, Joaquin",individual,"SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 04 Apr 1957."\n'
        '2,"ZAMBADA GARCIA, Ismael",individual,"SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
        '3,"SOME COMPANY S.A.",-0- ,"SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n',
        encoding="latin-1",
    )
    out = tmp_path / "run"
    simulate("small", 5, out, list_file=sdn, config=tiny_config)
    borrowed = _q(
        f"select w.ent_num, p.paternal_surname from '{out}/truth/watchlist.parquet' w "
        f"join '{out}/truth/persons.parquet' p using (party_id) where w.list = 'ofac_sdn'"
    )
    assert borrowed
    assert all(surname in ("Guzman", "Zambada") and ent in ("1", "2") for ent, surname in borrowed)
    curps = _q(
        f"select p.curp from '{out}/truth/watchlist.parquet' w join '{out}/truth/persons.parquet' p "
        f"using (party_id) where w.list = 'ofac_sdn' and p.curp is not null"
    )
    assert all(curp_error(c) is None for (c,) in curps)
