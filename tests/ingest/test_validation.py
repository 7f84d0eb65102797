"""Every record kind: good rows land, and each kind of bad value is quarantined with its field and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from puente.ingest import ingest_file
from puente.model.records import RECORD_KINDS, Check, FieldSpec, RecordKind
from puente.store import Workspace
from tests.conftest import INVALID, good_row, write_csv


def _bad_cases() -> list[tuple[RecordKind, FieldSpec, str, str]]:
    cases = []
    for kind in RECORD_KINDS.values():
        for spec in kind.fields:
            if spec.check in INVALID and spec.name != kind.key:
                value, reason = INVALID[spec.check]
                cases.append((kind, spec, value, reason))
            if spec.required:
                cases.append((kind, spec, "", "missing required value"))
    return cases


@pytest.mark.parametrize("kind", RECORD_KINDS.values(), ids=lambda k: k.name)
def test_good_rows_land_with_types_and_provenance(workspace: Workspace, tmp_path: Path, kind: RecordKind) -> None:
    path = write_csv(tmp_path / f"{kind.name}.csv", [good_row(kind, "K1"), good_row(kind, "K2")])
    result = ingest_file(workspace, kind.name, path)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 2, 0)
    stored = workspace.query(f"SELECT * FROM {kind.table} ORDER BY _source_row").to_pylist()
    assert [r[kind.key] for r in stored] == ["K1", "K2"]
    assert [r["_source_row"] for r in stored] == [1, 2]
    assert {r["_source_file"] for r in stored} == {str(path.resolve())}
    assert {r["_run_id"] for r in stored} == {result.run_id}
    for spec in kind.fields:
        if spec.check is Check.COUNTRY:
            assert stored[0][spec.name] == "MX"
        if spec.check is Check.TEXT_LIST:
            assert stored[0][spec.name] == ["a", "b"]


@pytest.mark.parametrize(
    ("kind", "spec", "value", "reason"),
    _bad_cases(),
    ids=[f"{k.name}.{s.name}={v or 'empty'}" for k, s, v, _ in _bad_cases()],
)
def test_each_bad_value_is_quarantined_with_field_and_reason(
    workspace: Workspace, tmp_path: Path, kind: RecordKind, spec: FieldSpec, value: str, reason: str
) -> None:
    bad = good_row(kind, "BAD") | {spec.name: value}
    path = write_csv(tmp_path / "in.csv", [good_row(kind, "GOOD"), bad])
    result = ingest_file(workspace, kind.name, path)
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    rows = workspace.query("SELECT source_file, source_row, field, value, reason, raw FROM quarantine").to_pylist()
    assert len(rows) == 1
    row = rows[0]
    assert row["source_file"] == str(path.resolve())
    assert row["source_row"] == 2
    assert row["field"] == spec.name
    assert reason in row["reason"]
    assert row["value"] == (value or None)
    assert spec.name == kind.key or '"BAD"' in row["raw"]  # the whole original row is kept


def test_country_alpha3_and_case_are_normalised(workspace: Workspace, tmp_path: Path) -> None:
    kind = RECORD_KINDS["transaction"]
    row = good_row(kind) | {
        "debtor_country": "usa",
        "creditor_country": "mex",
        "currency": "usd",
        "channel": "Cash-Deposit",
    }
    ingest_file(workspace, "transaction", write_csv(tmp_path / "t.csv", [row]))
    stored = workspace.query("SELECT debtor_country, creditor_country, currency, channel FROM transactions").to_pylist()
    assert stored == [{"debtor_country": "US", "creditor_country": "MX", "currency": "USD", "channel": "cash_deposit"}]


def test_row_rules_ctr_threshold_and_date_order(workspace: Workspace, tmp_path: Path) -> None:
    kind = RECORD_KINDS["ctr"]
    under = good_row(kind, "C2") | {"cash_in": "9000", "cash_out": "0"}
    early = good_row(kind, "C3") | {"filed_date": "2024-02-01"}
    result = ingest_file(workspace, "ctr", write_csv(tmp_path / "c.csv", [good_row(kind, "C1"), under, early]))
    assert result.rows_loaded == 1
    reasons = dict(workspace.con.execute("SELECT source_row, reason FROM quarantine ORDER BY 1").fetchall())
    assert "over $10000" in reasons[2]
    assert "filed before" in reasons[3]


def test_several_errors_in_one_row_are_all_reported(workspace: Workspace, tmp_path: Path) -> None:
    kind = RECORD_KINDS["transaction"]
    bad = good_row(kind, "T9") | {"amount": "abc", "currency": "ZZZ", "value_date": ""}
    result = ingest_file(workspace, "transaction", write_csv(tmp_path / "t.csv", [bad]))
    assert (result.rows_quarantined, result.issues) == (1, 3)
    fields = {r[0] for r in workspace.con.execute("SELECT field FROM quarantine").fetchall()}
    assert fields == {"amount", "currency", "value_date"}


def test_json_lines_records_validate_like_csv(workspace: Workspace, tmp_path: Path) -> None:
    import json

    kind = RECORD_KINDS["cmir"]
    rows = [good_row(kind, "C1"), good_row(kind, "C2") | {"traveler_nationality": "Narnia"}]
    path = tmp_path / "cmir.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = ingest_file(workspace, "cmir", path)
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    assert workspace.con.execute("SELECT source_row, field FROM quarantine").fetchall() == [(2, "traveler_nationality")]


def test_typed_parquet_in_puente_layout_loads_without_text_round_trip(workspace: Workspace, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from puente.model.records import arrow_schema

    kind = RECORD_KINDS["sar"]
    schema = arrow_schema(kind)
    row = good_row(kind, "S1")
    typed = {
        name: [row[name].split(";")] if pa.types.is_list(schema.field(name).type) else [row[name]]
        for name in schema.names
    }
    table = pa.table({name: pa.array(typed[name]) for name in schema.names}).cast(schema, safe=False)
    path = tmp_path / "sars.parquet"
    pq.write_table(table, path)
    result = ingest_file(workspace, "sar", path)
    assert result.rows_loaded == 1, workspace.query("SELECT * FROM quarantine").to_pylist()
    assert workspace.query("SELECT subject_names FROM sars").to_pylist() == [{"subject_names": ["a", "b"]}]


def test_parquet_read_in_chunks_keeps_exact_row_numbers(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from puente.settings import Settings

    kind = RECORD_KINDS["transaction"]
    rows = [good_row(kind, f"T{i}") for i in range(1, 11)]
    rows[7]["currency"] = "ZZZ"  # row 8, in the third chunk of three rows
    table = pa.Table.from_pylist(rows)
    path = tmp_path / "t.parquet"
    pq.write_table(table, path, row_group_size=4)
    with Workspace(tmp_path / "ws", Settings(batch_rows=3, memory_limit="256MB")) as ws:
        result = ingest_file(ws, "transaction", path)
        assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (10, 9, 1)
        stored = dict(ws.con.execute("SELECT transaction_id, _source_row FROM transactions").fetchall())
        assert stored == {f"T{i}": i for i in range(1, 11) if i != 8}
        assert ws.con.execute("SELECT source_row, field FROM quarantine").fetchall() == [(8, "currency")]
