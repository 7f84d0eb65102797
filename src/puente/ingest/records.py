"""Ingest of bulk record files (transactions, CTRs, CMIRs, Mexican declarations, crossings, SARs).

The file streams through in bounded batches: each batch is validated in DuckDB (:mod:`puente.ingest.checks`);
good rows go to a per-run staging table and bad rows, one per bad field, to ``quarantine`` with the raw row.
At the end, rows repeating a key inside the file are quarantined as duplicates, and rows whose key is already
stored are counted as existing, not inserted again: re-ingesting a file, or an overlapping export, adds nothing.
The whole run is one transaction, so a crash leaves no half-loaded file behind.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

from puente.ingest.checks import literal, missing_required, prepare_connection, quote, validation_sql
from puente.ingest.mapping import Mapping, identity_mapping, load_mapping
from puente.ingest.runs import IngestResult, record_run, start_run
from puente.io.tabular import ROW, BadRow, ReadError, TabularOptions, iter_batches, read_columns
from puente.model.records import RecordKind, get_kind
from puente.store.sql import fetch_int, fetch_row
from puente.store.workspace import Workspace

ProgressFn = Callable[[int, int], None]
"""Called with (bytes done, bytes total)."""


def _options(mapping: Mapping, batch_rows: int, fmt: str | None) -> TabularOptions:
    return TabularOptions(
        format=fmt or mapping.format,
        delimiter=mapping.delimiter,
        encoding=mapping.encoding,
        batch_rows=batch_rows,
    )


def ingest_records(
    ws: Workspace,
    kind_name: str,
    path: Path,
    *,
    mapping_path: Path | None = None,
    fmt: str | None = None,
    progress: ProgressFn | None = None,
) -> IngestResult:
    """Load one file of bulk records into the workspace. Raises :class:`ReadError` if nothing can be read."""
    started = time.perf_counter()
    kind = get_kind(kind_name)
    mapping = load_mapping(mapping_path) if mapping_path else identity_mapping(kind)
    if mapping.record_kind != kind:
        raise ReadError(f"{mapping_path}: mapping is for {mapping.kind}, not {kind.name}")
    options = _options(mapping, ws.settings.batch_rows, fmt)
    columns = read_columns(path, options)
    missing = missing_required(kind, mapping, columns)
    if missing:
        raise ReadError(
            f"{path}: not a {kind.name} file: missing required column(s) {', '.join(missing)} "
            f"(found: {', '.join(columns) or 'none'}); use --mapping to adapt another layout"
        )
    run, skipped = start_run(ws.con, kind.name, path, mapping_path)
    if skipped:
        skipped.elapsed_s = time.perf_counter() - started
        return skipped
    used = {m.column for m in mapping.columns.values() if m.column} | (set(kind.field_names) & set(columns))
    result = run.result("loaded")
    result.ignored_columns = sorted(set(columns) - used)
    con = ws.con
    prepare_connection(con)
    con.execute("BEGIN TRANSACTION")
    try:
        _stream_into_stage(ws, kind, mapping, path, options, result, run.started_at, run.file_bytes, progress)
        _merge_stage(ws, kind, result, run.started_at)
        if result.ignored_columns:
            result.message = f"ignored columns: {', '.join(result.ignored_columns)}"
        record_run(con, run, result)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.execute("DROP TABLE IF EXISTS _stage")
    result.elapsed_s = time.perf_counter() - started
    return result


def _stream_into_stage(
    ws: Workspace,
    kind: RecordKind,
    mapping: Mapping,
    path: Path,
    options: TabularOptions,
    result: IngestResult,
    started_at: object,
    size: int,
    progress: ProgressFn | None,
) -> None:
    con = ws.con
    fields = ", ".join(quote(n) for n in kind.field_names)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _stage AS SELECT {fields}, _source_row FROM {kind.table} LIMIT 0")
    report = (lambda done: progress(done, size)) if progress else None
    sql: str | None = None
    schema: pa.Schema | None = None
    for raw in iter_batches(path, options, report):
        _quarantine_unparsed(ws, kind, result, raw.bad_rows, started_at)
        table = raw.table
        if table.num_rows == 0:
            continue
        if sql is None or table.schema != schema:
            schema = table.schema
            source_types = {f.name: f.type for f in schema if f.name != ROW}
            sql = validation_sql(kind, mapping, source_types)
        result.rows_read += table.num_rows
        con.register("_batch", table)
        try:
            con.execute(f"CREATE OR REPLACE TEMP TABLE _valid AS {sql}")
        finally:
            con.unregister("_batch")
        con.execute(f"INSERT INTO _stage SELECT {fields}, _row FROM _valid WHERE len(_errors) = 0")
        counts = fetch_row(con, "SELECT count(*), coalesce(sum(len(_errors)), 0) FROM _valid WHERE len(_errors) > 0")
        n_bad, n_issues = counts if counts else (0, 0)
        if n_bad:
            con.register("_batch", table)
            try:
                con.execute(
                    "INSERT INTO quarantine SELECT ?, ?, ?, v._row, e.field, e.value, e.reason, to_json(_r), ? "
                    "FROM (SELECT _row, unnest(_errors) AS e FROM _valid WHERE len(_errors) > 0) v "
                    "JOIN _batch _r ON _r._row = v._row",
                    [result.run_id, kind.name, result.source_file, started_at],
                )
            finally:
                con.unregister("_batch")
            result.rows_quarantined += int(n_bad)
            result.issues += int(n_issues)
    con.execute("DROP TABLE IF EXISTS _valid")


def _quarantine_unparsed(
    ws: Workspace, kind: RecordKind, result: IngestResult, bad_rows: list[BadRow], started_at: object
) -> None:
    if not bad_rows:
        return
    ws.con.executemany(
        "INSERT INTO quarantine VALUES (?, ?, ?, ?, NULL, NULL, ?, ?, ?)",
        [[result.run_id, kind.name, result.source_file, b.row, b.reason, b.raw, started_at] for b in bad_rows],
    )
    result.rows_read += len(bad_rows)
    result.rows_quarantined += len(bad_rows)
    result.issues += len(bad_rows)


def _merge_stage(ws: Workspace, kind: RecordKind, result: IngestResult, started_at: object) -> None:
    """Move staged rows into the kind's table: in-file duplicates to quarantine, stored keys skipped."""
    con = ws.con
    key = quote(kind.key)
    fields = ", ".join(quote(n) for n in kind.field_names)
    n_staged = fetch_int(con, "SELECT count(*) FROM _stage")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _dups AS SELECT {key} AS k, min(_source_row) AS first_row "
        f"FROM _stage GROUP BY {key} HAVING count(*) > 1"
    )
    dup_filter = ""
    if fetch_int(con, "SELECT count(*) FROM _dups"):
        reason = f"'duplicate {kind.key} (first at row ' || d.first_row || ')'"
        n_dups = fetch_int(
            con,
            f"INSERT INTO quarantine SELECT ?, ?, ?, s._source_row, {literal(kind.key)}, s.{key}, {reason}, "
            f"to_json(s), ? FROM _stage s JOIN _dups d ON s.{key} = d.k WHERE s._source_row <> d.first_row",
            [result.run_id, kind.name, result.source_file, started_at],
        )
        result.rows_quarantined += n_dups
        result.issues += n_dups
        n_staged -= n_dups
        dup_filter = f"AND NOT EXISTS (SELECT 1 FROM _dups d WHERE d.k = s.{key} AND d.first_row <> s._source_row)"
    result.rows_loaded = fetch_int(
        con,
        f"INSERT INTO {kind.table} SELECT {fields}, ? AS _source_file, s._source_row, ? AS _run_id, "
        f"? AS _ingested_at FROM _stage s WHERE NOT EXISTS "
        f"(SELECT 1 FROM {kind.table} t WHERE t.{key} = s.{key}) {dup_filter}",
        [result.source_file, result.run_id, started_at],
    )
    result.rows_existing = n_staged - result.rows_loaded
    con.execute("DROP TABLE IF EXISTS _dups")
