from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from puente.ingest import ReadError, ingest_file
from puente.model.records import RECORD_KINDS
from puente.store import Workspace
from tests.conftest import good_row, write_csv

TX = RECORD_KINDS["transaction"]


def test_reingesting_the_same_file_adds_nothing(workspace: Workspace, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "t.csv", [good_row(TX, f"T{i}") for i in range(5)] + [good_row(TX, "T1") | {"amount": "x"}]
    )
    first = ingest_file(workspace, "transaction", path)
    assert (first.status, first.rows_loaded) == ("loaded", 5)
    quarantined = workspace.count("quarantine")
    again = ingest_file(workspace, "transaction", path)
    assert again.status == "skipped" and first.run_id in again.message
    assert workspace.count("transactions") == 5
    assert workspace.count("quarantine") == quarantined


def test_overlapping_file_loads_only_new_keys(workspace: Workspace, tmp_path: Path) -> None:
    ingest_file(workspace, "transaction", write_csv(tmp_path / "a.csv", [good_row(TX, f"T{i}") for i in range(5)]))
    result = ingest_file(
        workspace, "transaction", write_csv(tmp_path / "b.csv", [good_row(TX, f"T{i}") for i in range(3, 8)])
    )
    assert (result.rows_loaded, result.rows_existing) == (3, 2)
    assert workspace.count("transactions") == 8


def test_same_rows_as_parquet_add_nothing(workspace: Workspace, tmp_path: Path) -> None:
    csv_path = write_csv(tmp_path / "a.csv", [good_row(TX, f"T{i}") for i in range(4)])
    ingest_file(workspace, "transaction", csv_path)
    exported = tmp_path / "a.parquet"
    pq.write_table(
        workspace.query("SELECT * EXCLUDE (_source_file, _source_row, _run_id, _ingested_at) FROM transactions"),
        exported,
    )
    result = ingest_file(workspace, "transaction", exported)
    assert (result.rows_loaded, result.rows_existing) == (0, 4)


def test_duplicate_keys_inside_a_file_are_quarantined_not_lost(workspace: Workspace, tmp_path: Path) -> None:
    rows = [good_row(TX, "T1"), good_row(TX, "T2"), good_row(TX, "T1") | {"amount": "99"}]
    result = ingest_file(workspace, "transaction", write_csv(tmp_path / "d.csv", rows))
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    ((row, reason, raw),) = workspace.con.execute("SELECT source_row, reason, raw FROM quarantine").fetchall()
    assert row == 3 and "first at row 1" in reason and "99" in raw


def test_runs_are_recorded(workspace: Workspace, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [good_row(TX)])
    ingest_file(workspace, "transaction", path)
    ingest_file(workspace, "transaction", path)
    statuses = [r[0] for r in workspace.con.execute("SELECT status FROM ingest_runs ORDER BY started_at").fetchall()]
    assert statuses == ["loaded", "skipped"]


def test_unreadable_inputs_raise_one_line_errors_naming_the_file(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"nope\.csv: file not found"):
        ingest_file(workspace, "transaction", tmp_path / "nope.csv")
    other = write_csv(tmp_path / "other.csv", [{"a": "1", "b": "2"}])
    with pytest.raises(
        ReadError, match=r"other\.csv: not a transaction file: missing required column\(s\) transaction_id"
    ):
        ingest_file(workspace, "transaction", other)
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"this is not parquet")
    with pytest.raises(ReadError, match=r"junk\.parquet: "):
        ingest_file(workspace, "transaction", junk)
    weird = tmp_path / "data.xlsx"
    weird.write_bytes(b"PK")
    with pytest.raises(ReadError, match=r"data\.xlsx: cannot tell the format"):
        ingest_file(workspace, "transaction", weird)
    assert workspace.count("transactions") == 0
