"""Ingest of bulk record files (transactions, CTRs, CMIRs, Mexican declarations, crossings, SARs).

The file streams through in bounded batches: each batch is validated in DuckDB (:mod:`puente.ingest.checks`);
good rows go straight into the kind's table (DuckDB writes full row groups to disk as it goes, so memory stays
flat whatever the file size) and bad rows, one per bad field, to ``quarantine`` with the raw row.
Afterwards, keys of this run that collide are resolved: a key already stored by an earlier run makes the new
row "already stored" (it is removed again), and a key repeated inside the file keeps its first row and
quarantines the others as duplicates. Collisions are found on 64-bit hashes of the keys, cheap to group and
join, and then confirmed on the keys themselves. Re-ingesting a file, or an overlapping export, adds nothing.
A run that fails, or is interrupted, is undone row by row (:func:`puente.ingest.runs.abort_run`), so no
half-loaded file stays behind.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from puente.ingest.checks import literal, missing_required, prepare_connection, quote, validation_sql
from puente.ingest.mapping import Mapping, identity_mapping, load_mapping
from puente.ingest.runs import IngestResult, abort_run, finish_run, start_run
from puente.io.tabular import ROW, BadRow, ReadError, TabularOptions, detect_format, iter_batches, read_columns
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
    try:
        _stream(ws, kind, mapping, path, options, result, run.started_at, run.file_bytes, progress)
        _resolve_key_collisions(ws, kind, result, run.started_at)
    except BaseException as exc:
        abort_run(con, run.run_id, "failed", f"{type(exc).__name__}: {exc}")
        raise
    if result.ignored_columns:
        result.message = f"ignored columns: {', '.join(result.ignored_columns)}"
    finish_run(con, run, result)
    result.elapsed_s = time.perf_counter() - started
    return result


def _stream(
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
    if detect_format(path, options.format) == "parquet":
        _load_parquet(ws, kind, mapping, path, result, started_at, size, progress)
        return
    con = ws.con
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
            sql = validation_sql(kind, mapping, {f.name: f.type for f in schema if f.name != ROW})
        con.register("_batch", table)
        try:
            _load_batch(con, kind, sql, table.num_rows, result, started_at)
        finally:
            con.unregister("_batch")


def _load_parquet(
    ws: Workspace,
    kind: RecordKind,
    mapping: Mapping,
    path: Path,
    result: IngestResult,
    started_at: object,
    size: int,
    progress: ProgressFn | None,
) -> None:
    """Parquet is read by DuckDB itself (parallel decoding, exact row numbers), in chunks of ``batch_rows``.

    Each chunk is its own statement and so its own transaction: one statement over a whole large file would hold
    every inserted row in transaction-local memory. DuckDB prunes row groups on ``file_row_number``, so a chunk
    reads only its part of the file.
    """
    con = ws.con
    try:
        file = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise ReadError(f"{path}: not a Parquet file: {str(exc).splitlines()[0]}") from exc
    sql = validation_sql(kind, mapping, {f.name: f.type for f in file.schema_arrow})
    total, step = file.metadata.num_rows, ws.settings.batch_rows
    # Rows carry their file row number, so DuckDB need not keep file order: that frees it to parallelise.
    con.execute("SET preserve_insertion_order = false")
    try:
        for first in range(0, total, step):
            con.execute(
                "CREATE OR REPLACE TEMP VIEW _batch AS SELECT * EXCLUDE (file_row_number), file_row_number + 1 "
                f"AS _row FROM read_parquet({literal(path.as_posix())}, file_row_number = true) "
                f"WHERE file_row_number BETWEEN {first} AND {first + step - 1}"
            )
            _load_batch(con, kind, sql, min(step, total - first), result, started_at)
            if progress:
                progress(int(size * min(first + step, total) / total), size)
    finally:
        con.execute("RESET preserve_insertion_order")
        con.execute("DROP VIEW IF EXISTS _batch")


def _load_batch(
    con: duckdb.DuckDBPyConnection, kind: RecordKind, sql: str, n_rows: int, result: IngestResult, started_at: object
) -> None:
    """Validate ``_batch`` and insert its good rows; a second pass quarantines bad ones only when there are any."""
    fields = ", ".join(quote(n) for n in kind.field_names)
    loaded = fetch_int(
        con,
        f"INSERT INTO {kind.table} SELECT {fields}, ?, _row, ?, ? FROM ({sql}) WHERE len(_errors) = 0",
        [result.source_file, result.run_id, started_at],
    )
    result.rows_read += n_rows
    result.rows_loaded += loaded
    if loaded < n_rows:
        _quarantine_batch(con, sql, kind, result, started_at)


def _quarantine_batch(
    con: duckdb.DuckDBPyConnection, sql: str, kind: RecordKind, result: IngestResult, started_at: object
) -> None:
    """Second pass over a batch that had bad rows: one quarantine row per bad field, with the raw row."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _bad AS SELECT _row, _errors FROM ({sql}) WHERE len(_errors) > 0")
    counts = fetch_row(con, "SELECT count(*), coalesce(sum(len(_errors)), 0) FROM _bad")
    n_bad, n_issues = counts if counts else (0, 0)
    con.execute(
        "INSERT INTO quarantine SELECT ?, ?, ?, v._row, e.field, e.value, e.reason, to_json(_r), ? "
        "FROM (SELECT _row, unnest(_errors) AS e FROM _bad) v JOIN _batch _r ON _r._row = v._row",
        [result.run_id, kind.name, result.source_file, started_at],
    )
    con.execute("DROP TABLE _bad")
    result.rows_quarantined += int(n_bad)
    result.issues += int(n_issues)


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


def _resolve_key_collisions(ws: Workspace, kind: RecordKind, result: IngestResult, started_at: object) -> None:
    """Undo this run's rows whose key was stored before, and quarantine in-file repeats of a key."""
    con = ws.con
    key = quote(kind.key)
    params = [result.run_id]
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _new_keys AS SELECT hash({key}) AS h FROM {kind.table} WHERE _run_id = ?",
        params,
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _suspects AS "
        "SELECT h FROM _new_keys GROUP BY h HAVING count(*) > 1 "
        f"UNION SELECT hash(o.{key}) FROM {kind.table} o WHERE o._run_id <> ? "
        f"AND hash(o.{key}) IN (SELECT h FROM _new_keys)",
        params,
    )
    if not fetch_int(con, "SELECT count(*) FROM _suspects"):
        con.execute("DROP TABLE IF EXISTS _new_keys; DROP TABLE IF EXISTS _suspects")
        return
    # Exact resolution on the (few) rows whose key hash is suspect.
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _clash AS SELECT {key} AS k, _source_row, _run_id = ? AS is_new, "
        f"bool_or(_run_id <> ?) OVER (PARTITION BY {key}) AS stored_before, "
        f"min(_source_row) FILTER (WHERE _run_id = ?) OVER (PARTITION BY {key}) AS first_row "
        f"FROM {kind.table} WHERE hash({key}) IN (SELECT h FROM _suspects)",
        params * 3,
    )
    reason = f"'duplicate {kind.key} (first at row ' || c.first_row || ')'"
    n_dups = fetch_int(
        con,
        f"INSERT INTO quarantine SELECT ?, ?, ?, t._source_row, {literal(kind.key)}, t.{key}, {reason}, "
        f"to_json(t), ? FROM {kind.table} t JOIN _clash c ON t.{key} = c.k AND t._source_row = c._source_row "
        f"WHERE t._run_id = ? AND c.is_new AND NOT c.stored_before AND c._source_row <> c.first_row",
        [result.run_id, kind.name, result.source_file, started_at, result.run_id],
    )
    n_existing = fetch_int(con, "SELECT count(*) FROM _clash WHERE is_new AND stored_before")
    removed = fetch_int(
        con,
        f"DELETE FROM {kind.table} t USING _clash c WHERE t._run_id = ? AND t.{key} = c.k "
        f"AND t._source_row = c._source_row AND c.is_new AND (c.stored_before OR c._source_row <> c.first_row)",
        params,
    )
    if removed != n_dups + n_existing:
        raise RuntimeError(f"key resolution removed {removed} rows, expected {n_dups} + {n_existing}")
    result.rows_quarantined += n_dups
    result.issues += n_dups
    result.rows_existing = n_existing
    result.rows_loaded -= removed
    con.execute("DROP TABLE IF EXISTS _new_keys; DROP TABLE IF EXISTS _suspects; DROP TABLE IF EXISTS _clash")
