"""Ingest-run bookkeeping: file fingerprints, run records and their results."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from puente import __version__
from puente.model.records import RECORD_KINDS
from puente.store.sql import fetch_row

#: Tables whose rows carry ``_run_id`` and are undone with their run.
RUN_TABLES = (*(kind.table for kind in RECORD_KINDS.values()), "entities")


@dataclass
class IngestResult:
    """What one file's ingest did; also stored as a row of ``ingest_runs``."""

    run_id: str
    kind: str
    source_file: str
    status: str  # loaded | skipped | failed
    rows_read: int = 0
    rows_loaded: int = 0
    rows_existing: int = 0
    rows_quarantined: int = 0
    issues: int = 0
    message: str = ""
    ignored_columns: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 22), b""):
            digest.update(chunk)
    return digest.hexdigest()


def new_run_id() -> str:
    """Time-ordered, unique run id: sorting runs by id sorts them by start time."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def previous_load(con: duckdb.DuckDBPyConnection, kind: str, sha256: str) -> tuple[str, str] | None:
    """The (run id, file) of an earlier successful ingest of the same content as the same kind."""
    row = fetch_row(
        con,
        "SELECT run_id, source_file FROM ingest_runs WHERE kind = ? AND file_sha256 = ? AND status = 'loaded' "
        "ORDER BY started_at LIMIT 1",
        [kind, sha256],
    )
    return (str(row[0]), str(row[1])) if row else None


@dataclass(frozen=True)
class Run:
    """An ingest run in progress: which file, which content, when."""

    run_id: str
    kind: str
    source_file: str
    sha256: str
    file_bytes: int
    mapping: str | None
    started_at: datetime

    def result(self, status: str, message: str = "") -> IngestResult:
        return IngestResult(self.run_id, self.kind, self.source_file, status, message=message)


def start_run(
    con: duckdb.DuckDBPyConnection, kind: str, path: Path, mapping: Path | None = None
) -> tuple[Run, IngestResult | None]:
    """Fingerprint the file and open a run (status ``running``).

    If the same content was loaded before, the run is recorded as skipped and its result returned, so
    re-ingesting a file adds nothing.
    """
    recover_interrupted_runs(con)
    run = Run(
        run_id=new_run_id(),
        kind=kind,
        source_file=str(path.resolve()),
        sha256=file_sha256(path),
        file_bytes=path.stat().st_size,
        mapping=str(mapping.resolve()) if mapping else None,
        started_at=utcnow(),
    )
    earlier = previous_load(con, kind, run.sha256)
    if earlier is not None:
        skipped = run.result("skipped", f"same content already loaded by run {earlier[0]}")
        _insert_run(con, run, skipped)
        return run, skipped
    _insert_run(con, run, run.result("running"))
    return run, None


def finish_run(con: duckdb.DuckDBPyConnection, run: Run, result: IngestResult) -> None:
    """Record a run's outcome; a ``loaded`` run's rows become part of the workspace."""
    con.execute(
        "UPDATE ingest_runs SET finished_at = ?, rows_read = ?, rows_loaded = ?, rows_existing = ?, "
        "rows_quarantined = ?, status = ?, message = ? WHERE run_id = ?",
        [
            utcnow(),
            result.rows_read,
            result.rows_loaded,
            result.rows_existing,
            result.rows_quarantined,
            result.status,
            result.message or None,
            run.run_id,
        ],
    )


def abort_run(con: duckdb.DuckDBPyConnection, run_id: str, status: str, message: str) -> None:
    """Remove every row a run wrote and mark it ``status``.

    Large loads are not one database transaction (DuckDB holds an open transaction's inserts in memory,
    which would break the bounded-memory promise); instead every row carries its run id, and a failed or
    interrupted run is undone by deleting its rows.
    """
    for table in RUN_TABLES:
        con.execute(f"DELETE FROM {table} WHERE _run_id = ?", [run_id])
    con.execute("DELETE FROM quarantine WHERE run_id = ?", [run_id])
    con.execute(
        "UPDATE ingest_runs SET status = ?, message = ?, finished_at = ?, rows_loaded = 0 WHERE run_id = ?",
        [status, message[:2000], utcnow(), run_id],
    )


def recover_interrupted_runs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Undo runs left ``running`` by a process that died (a workspace has one writer, so none is live)."""
    stale = [str(r[0]) for r in con.execute("SELECT run_id FROM ingest_runs WHERE status = 'running'").fetchall()]
    for run_id in stale:
        abort_run(con, run_id, "interrupted", "the process stopped before the run finished; its rows were removed")
    return stale


def _insert_run(con: duckdb.DuckDBPyConnection, run: Run, result: IngestResult) -> None:
    con.execute(
        "INSERT INTO ingest_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run.run_id,
            run.kind,
            run.source_file,
            run.sha256,
            run.file_bytes,
            run.mapping,
            run.started_at,
            utcnow() if result.status != "running" else None,
            result.rows_read,
            result.rows_loaded,
            result.rows_existing,
            result.rows_quarantined,
            result.status,
            result.message or None,
            __version__,
        ],
    )
