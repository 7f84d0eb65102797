"""Ground truth: who is who across records, which records belong to which typology and network.

Every reference in these files resolves to a generated record (by its record id) or entity (by its FtM id);
the tests check that. The file list and columns are described in ``truth/README.md``, written from
:data:`README` below so that the documentation ships with the data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from puente.model.records import CHANNELS
from puente.simulate.arrowize import prefixed_ids
from puente.simulate.context import Context, CrossingEvent
from puente.simulate.declarations import DeclarationWriter, PartyLink, company_party_id, party_id, to_date
from puente.simulate.events import TxnColumns
from puente.simulate.ftm import FtmResult
from puente.simulate.networks import Network, infrastructure
from puente.simulate.tables import cities, institutions, ports
from puente.simulate.truth_links import write_record_parties
from puente.simulate.world import World

I64 = npt.NDArray[np.int64]
README = (Path(__file__).with_name("truth_readme.md")).read_text(encoding="utf-8")


@dataclass
class TruthInputs:
    world: World
    networks: list[Network]
    ctx: Context
    typ: TxnColumns
    typ_numbers: I64
    crossings: pa.Table
    event_of_row: I64
    events: list[CrossingEvent]
    decl: DeclarationWriter
    decl_ids: dict[tuple[str, int], str]
    ctrs: pa.Table
    ctr_links: list[PartyLink]
    ctr_instances: I64
    sars: pa.Table
    sar_links: list[PartyLink]
    sar_instances: list[int]
    ftm: FtmResult
    watchlist: list[tuple[str, str, str]]
    ofac: list[tuple[str, str, str]]
    crossing_drivers: I64  # person index of each crossing row (-1 for rail cars)


def _write(table: pa.Table | dict[str, Any], path: Path) -> None:
    pq.write_table(table if isinstance(table, pa.Table) else pa.table(table), path, compression="zstd")


def _parties(t: TruthInputs, out: Path) -> None:
    w = t.world
    p = w.persons
    role: dict[int, tuple[str, str]] = {}
    for net in t.networks:
        for person, r in net.role_of().items():
            role[person] = (net.network_id, r)
    listed = {party for party, _, _ in t.watchlist}
    n = len(p)
    _write(
        {
            "party_id": [party_id(i) for i in range(n)],
            "kind": ["person"] * n,
            "name": [p.full_name(i) for i in range(n)],
            "given_name": p.given,
            "paternal_surname": p.paternal,
            "maternal_surname": p.maternal,
            "birth_date": pa.array(p.dob.astype(np.int32)).cast(pa.date32()),
            "country": ["MX" if m else "US" for m in p.mexican.tolist()],
            "nationality": p.nationality,
            "city": pa.array(cities().name).take(pa.array(p.city)),
            "state": pa.array(cities().state).take(pa.array(p.city)),
            "street": p.street,
            "curp": p.curp,
            "rfc": p.rfc,
            "ssn": p.ssn,
            "passport": p.passport,
            "local_id": p.local_id,
            "network_id": [role.get(i, (None, None))[0] for i in range(n)],
            "network_role": [role.get(i, (None, None))[1] for i in range(n)],
            "watchlisted": [party_id(i) in listed for i in range(n)],
        },
        out / "persons.parquet",
    )
    c = w.companies
    front = {
        k: (net.network_id, r)
        for net in t.networks
        for k, r in [(x, "front_company") for x in net.front_companies]
        + [(x, "transport_company") for x in net.transport_companies]
    }
    k = len(c)
    _write(
        {
            "party_id": [company_party_id(i) for i in range(k)],
            "name": c.name,
            "legal_form": c.legal_form,
            "country": ["MX" if m else "US" for m in c.mexican.tolist()],
            "tax_id": c.tax_id,
            "sector": c.sector,
            "owner_party_id": [party_id(int(o)) for o in c.owner],
            "director_party_id": [party_id(int(d)) for d in c.director],
            "network_id": [front.get(i, (None, None))[0] for i in range(k)],
            "network_role": [front.get(i, (None, None))[1] for i in range(k)],
        },
        out / "companies.parquet",
    )
    _write(
        {
            "entity_id": [r[0] for r in t.ftm.records],
            "party_id": [r[1] for r in t.ftm.records],
            "source": [r[2] for r in t.ftm.records],
            "schema": [r[3] for r in t.ftm.records],
            "noise": pa.array([r[4] for r in t.ftm.records], pa.list_(pa.string())),
        },
        out / "entity_records.parquet",
    )


def _accounts(t: TruthInputs, out: Path) -> None:
    acc = t.world.accounts
    infra: dict[int, tuple[str, str]] = {}
    for net in t.networks:
        for row in infrastructure(net):
            if row["kind"] == "account":
                infra.setdefault(row["index"], (net.network_id, row["role"]))
    n = len(acc)
    owner = [
        company_party_id(int(o)) if c else party_id(int(o))
        for o, c in zip(acc.owner, acc.owner_is_company, strict=True)
    ]
    _write(
        {
            "account_number": acc.number,
            "institution": [institutions()[int(i)].name for i in acc.institution],
            "institution_kind": [institutions()[int(i)].kind for i in acc.institution],
            "country": ["MX" if m else "US" for m in acc.mexican.tolist()],
            "owner_party_id": owner,
            "signatory_party_id": [party_id(int(s)) for s in acc.signatory],
            "entity_id": t.ftm.account_ids,
            "network_id": [infra.get(a, (None, None))[0] for a in range(n)],
            "network_role": [infra.get(a, (None, None))[1] for a in range(n)],
        },
        out / "accounts.parquet",
    )


def _networks(t: TruthInputs, out: Path) -> None:
    w = t.world
    rows: dict[str, list[Any]] = {"network_id": [], "party_id": [], "role": []}
    infra: dict[str, list[Any]] = {"network_id": [], "kind": [], "ref": [], "role": []}
    summary = []
    for net in t.networks:
        for person, role in net.role_of().items():
            rows["network_id"].append(net.network_id)
            rows["party_id"].append(party_id(person))
            rows["role"].append(role)
        for item in infrastructure(net):
            ref = (
                w.accounts.number[item["index"]]
                if item["kind"] == "account"
                else w.vehicles.vin[item["index"]]
                if item["kind"] == "vehicle"
                else company_party_id(item["index"])
            )
            for key, value in (
                ("network_id", net.network_id),
                ("kind", item["kind"]),
                ("ref", ref),
                ("role", item["role"]),
            ):
                infra[key].append(value)
        summary.append(
            {
                "network_id": net.network_id,
                "leader": party_id(net.leader),
                "members": {r: [party_id(m) for m in ms] for r, ms in net.members.items()},
                "front_companies": [company_party_id(c) for c in net.front_companies],
                "transport_companies": [company_party_id(c) for c in net.transport_companies],
                "vehicles": [w.vehicles.vin[v] for v in net.vehicles + net.trucks],
                "home_ports": [ports()[h].code for h in net.home_ports],
                "stash_address": net.stash_address,
                "watchlisted": [party_id(m) for m in net.watchlisted],
            }
        )
    _write(rows, out / "network_members.parquet")
    _write(infra, out / "network_infrastructure.parquet")
    (out / "networks.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


def _typologies(t: TruthInputs, out: Path) -> None:
    ctx = t.ctx
    net_id = {net.nid: net.network_id for net in t.networks}
    inst_of = {i.iid: i for i in ctx.instances}
    rec: dict[str, list[Any]] = {
        "instance_id": [],
        "typology": [],
        "network_id": [],
        "record_table": [],
        "record_id": [],
        "role": [],
    }

    def add(iid: int, table: str, record_ids: list[str], role: str) -> None:
        inst = inst_of[iid]
        for rid in record_ids:
            rec["instance_id"].append(inst.instance_id)
            rec["typology"].append(inst.typology)
            rec["network_id"].append(net_id[inst.network])
            rec["record_table"].append(table)
            rec["record_id"].append(rid)
            rec["role"].append(role)

    txn_ids = prefixed_ids("TX", t.typ_numbers, 11).to_pylist()
    for iid, rid, ch in zip(t.typ.instance.tolist(), txn_ids, t.typ.channel.tolist(), strict=True):
        add(iid, "transactions", [rid], CHANNELS[ch])
    crossing_ids = t.crossings.column("crossing_id").to_pylist()
    cross_rows: dict[str, list[Any]] = {
        k: []
        for k in (
            "crossing_id",
            "instance_id",
            "network_id",
            "role",
            "party_id",
            "carried_usd",
            "cmir_usd",
            "mx_declared_usd",
            "undeclared_usd",
            "weapons",
            "ammunition",
            "seized",
            "cmir_id",
            "mx_folio",
        )
    }
    cmir_of = {e: t.decl_ids[("cmirs", j)] for j, e in enumerate(t.decl.cmir_event)}
    mx_of = {e: t.decl_ids[("mx_declarations", j)] for j, e in enumerate(t.decl.mx_event)}
    for row in np.flatnonzero(t.event_of_row >= 0).tolist():
        e_idx = int(t.event_of_row[row])
        e = t.events[e_idx]
        cid = crossing_ids[row]
        if e.instance >= 0:
            add(e.instance, "crossings", [cid], e.role)
            if e_idx in cmir_of:
                add(e.instance, "cmirs", [cmir_of[e_idx]], "declaration")
            if e_idx in mx_of:
                add(e.instance, "mx_declarations", [mx_of[e_idx]], "declaration")
        declared = max(e.cmir_cents, e.mx_cents, 0)
        values = (
            cid,
            inst_of[e.instance].instance_id if e.instance >= 0 else None,
            net_id.get(e.network),
            e.role,
            party_id(e.driver),
            e.carried_cents / 100,
            e.cmir_cents / 100 if e.cmir_cents >= 0 else None,
            e.mx_cents / 100 if e.mx_cents >= 0 else None,
            max(e.carried_cents - declared, 0) / 100,
            e.weapons,
            e.ammunition,
            e.seized,
            cmir_of.get(e_idx),
            mx_of.get(e_idx),
        )
        for key, value in zip(cross_rows, values, strict=True):
            cross_rows[key].append(value)
    _write(cross_rows, out / "crossings.parquet")
    ctr_ids = t.ctrs.column("report_id").to_pylist()
    for j, iid in enumerate(t.ctr_instances.tolist()):
        if iid >= 0:
            add(int(iid), "ctrs", [ctr_ids[j]], "currency_report")
    sar_ids = t.sars.column("sar_id").to_pylist()
    for j, iid in enumerate(t.sar_instances):
        if iid >= 0:
            add(iid, "sars", [sar_ids[j]], "suspicious_activity_report")
    _write(rec, out / "typology_records.parquet")
    _write(
        {
            "sar_id": sar_ids,
            "instance_id": [inst_of[i].instance_id if i >= 0 else None for i in t.sar_instances],
            "true_positive": [i >= 0 for i in t.sar_instances],
        },
        out / "sar_labels.parquet",
    )
    counts = pc.value_counts(pa.array(rec["instance_id"], pa.string())).to_pylist() if rec["instance_id"] else []
    per = {c["values"]: c["counts"] for c in counts}
    _write(
        {
            "instance_id": [i.instance_id for i in ctx.instances],
            "typology": [i.typology for i in ctx.instances],
            "network_id": [net_id[i.network] for i in ctx.instances],
            "start_date": [to_date(i.start_day) for i in ctx.instances],
            "end_date": [to_date(i.end_day) for i in ctx.instances],
            "amount_usd": [i.amount_cents / 100 for i in ctx.instances],
            "n_records": [per.get(i.instance_id, 0) for i in ctx.instances],
            "details": [json.dumps(i.details, sort_keys=True, default=str) for i in ctx.instances],
        },
        out / "typology_instances.parquet",
    )
    inv = ctx.invoices
    _write(
        {
            "instance_id": [inst_of[r["instance"]].instance_id for r in inv],
            "invoice_no": [r["invoice_no"] for r in inv],
            "exporter_party_id": [company_party_id(r["exporter"]) for r in inv],
            "importer_party_id": [company_party_id(r["importer"]) for r in inv],
            "declared_value_usd": [r["declared_cents"] / 100 for r in inv],
            "paid_usd": [r["paid_cents"] / 100 for r in inv],
            "factor": [r["factor"] for r in inv],
            "direction": [r["direction"] for r in inv],
        },
        out / "tbml_invoices.parquet",
    )


def write_truth(out: Path, t: TruthInputs) -> None:
    out.mkdir(parents=True, exist_ok=True)
    _parties(t, out)
    _accounts(t, out)
    _networks(t, out)
    _typologies(t, out)
    write_record_parties(t, out)
    _write(
        {
            "party_id": [r[0] for r in t.watchlist + t.ofac],
            "ent_num": [r[1] for r in t.watchlist + t.ofac],
            "listed_name": [r[2] for r in t.watchlist + t.ofac],
            "list": ["scenario"] * len(t.watchlist) + ["ofac_sdn"] * len(t.ofac),
        },
        out / "watchlist.parquet",
    )
    (out / "README.md").write_text(README, encoding="utf-8")
