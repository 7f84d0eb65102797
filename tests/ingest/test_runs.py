"""A failed or interrupted run leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from puente.ingest import ingest_file
from puente.ingest import records as records_module
from puente.ingest.runs import recover_interrupted_runs
from puente.model.records import RECORD_KINDS
from puente.settings import Settings
from puente.store import Workspace
from tests.conftest import good_row, write_csv

TX = RECORD_KINDS["transaction"]


def test_a_run_that_fails_midway_is_undone(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_file(workspace, "transaction", write_csv(tmp_path / "a.csv", [good_row(TX, "OLD")]))
    path = write_csv(
        tmp_path / "b.csv", [good_row(TX, f"T{i}") for i in range(10)] + [good_row(TX, "X") | {"amount": "-1"}]
    )

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(records_module, "_resolve_key_collisions", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        ingest_file(workspace, "transaction", path)
    assert [r[0] for r in workspace.con.execute("SELECT transaction_id FROM transactions").fetchall()] == ["OLD"]
    assert workspace.count("quarantine") == 0
    status, message = workspace.con.execute(
        "SELECT status, message FROM ingest_runs WHERE source_file LIKE '%b.csv'"
    ).fetchall()[0]
    assert status == "failed" and "disk full" in message
    monkeypatch.undo()
    retry = ingest_file(workspace, "transaction", path)  # a failed run does not count as loaded
    assert (retry.status, retry.rows_loaded) == ("loaded", 10)


def test_rows_of_an_interrupted_run_are_removed_on_next_ingest(tmp_path: Path) -> None:
    settings = Settings(memory_limit="512MB")
    with Workspace(tmp_path / "ws", settings) as ws:
        ingest_file(ws, "transaction", write_csv(tmp_path / "a.csv", [good_row(TX, "A")]))
        # Simulate a process killed mid-run: a 'running' run with rows already written.
        ws.con.execute(
            "INSERT INTO ingest_runs VALUES ('dead', 'transaction', 'x.csv', 'sha', 1, NULL, now()::TIMESTAMP, NULL, "
            "0, 0, 0, 0, 'running', NULL, '0')"
        )
        ws.con.execute(
            "INSERT INTO transactions (transaction_id, value_date, amount, currency, channel, _source_file, "
            "_source_row, _run_id, _ingested_at) VALUES ('Z', DATE '2024-01-01', 1, 'USD', 'wire', 'x.csv', 1, 'dead', "
            "now()::TIMESTAMP)"
        )
    with Workspace(tmp_path / "ws", settings) as ws:
        assert recover_interrupted_runs(ws.con) == ["dead"]
        assert [r[0] for r in ws.con.execute("SELECT transaction_id FROM transactions").fetchall()] == ["A"]
        assert ws.con.execute("SELECT status FROM ingest_runs WHERE run_id = 'dead'").fetchall() == [("interrupted",)]
