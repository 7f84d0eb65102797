"""Ingest of FollowTheMoney entity files (JSON lines), as exported by OpenSanctions, Aleph or Puente itself.

FtM semantics apply: several lines with one id are fragments of one entity and merge; an entity already in the
workspace merges with the new fragment (and is rewritten only when that adds something). A line that is not an
entity is quarantined whole; a property value FtM's type system rejects (a date that is not a date) is
quarantined on its own while the rest of the entity loads.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
from followthemoney import EntityProxy, model
from followthemoney.exc import InvalidData

from puente.ingest.runs import IngestResult, Run, abort_run, finish_run, start_run
from puente.io.tabular import ReadError
from puente.store.sql import transaction
from puente.store.workspace import Workspace

KIND = "entity"
_BATCH = 20_000

ProgressFn = Callable[[int, int], None]


def _parse(data: Any, issues: list[tuple[str | None, str | None, str]]) -> EntityProxy:
    """An entity from one JSON object, with rejected property values reported in ``issues``."""
    if not isinstance(data, dict):
        raise ValueError("JSON value is not an object")
    schema = model.get(str(data.get("schema") or ""))
    if schema is None:
        raise ValueError(f"unknown or missing FtM schema {data.get('schema')!r}")
    if not data.get("id"):
        raise ValueError("missing entity id")
    props = data.get("properties") or {}
    if not isinstance(props, dict):
        raise ValueError("'properties' must be an object")
    proxy = model.make_entity(schema.name)
    proxy.id = str(data["id"])
    for name, values in props.items():
        prop = schema.get(name)
        if prop is None:
            issues.append(
                (
                    f"properties.{name}",
                    json.dumps(values, ensure_ascii=False),
                    f"schema {schema.name} has no property {name!r}",
                )
            )
            continue
        for value in values if isinstance(values, list) else [values]:
            if value is None:
                continue
            if prop.type.clean(str(value)) is None:
                issues.append((f"properties.{name}", str(value), f"not a valid {prop.type.name}"))
                continue
            proxy.add(name, value)
    for dataset in data.get("datasets") or []:
        proxy.context.setdefault("datasets", []).append(dataset)
    return proxy


def ingest_entities(ws: Workspace, path: Path, *, progress: ProgressFn | None = None) -> IngestResult:
    """Load an FtM JSON-lines file into the ``entities`` table."""
    started = time.perf_counter()
    if not path.is_file():
        raise ReadError(f"{path}: file not found")
    run, skipped = start_run(ws.con, KIND, path)
    if skipped:
        return skipped
    result = run.result("loaded")
    con = ws.con
    # One transaction: entity files are small next to record files, and merges rewrite stored rows.
    try:
        with transaction(con):
            quarantine = _load_lines(ws, path, run, result, progress)
            if quarantine:
                con.executemany("INSERT INTO quarantine VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", quarantine)
            if result.rows_read == 0:
                raise ReadError(f"{path}: no entities (empty file)")
            finish_run(con, run, result)
    except BaseException as exc:
        abort_run(con, run.run_id, "failed", f"{type(exc).__name__}: {exc}")
        raise
    if progress:
        progress(run.file_bytes, run.file_bytes)
    result.elapsed_s = time.perf_counter() - started
    return result


def _load_lines(
    ws: Workspace, path: Path, run: Run, result: IngestResult, progress: ProgressFn | None
) -> list[list[Any]]:
    """Parse and store the file's entities in batches; returns the quarantine rows."""
    pending: dict[str, tuple[EntityProxy, int]] = {}
    quarantine: list[list[Any]] = []
    done = 0
    with path.open("rb") as handle:
        for lineno, raw in enumerate(handle, start=1):
            done += len(raw)
            line = raw.decode("utf-8", errors="replace").strip()
            if not line:
                continue
            result.rows_read += 1
            issues: list[tuple[str | None, str | None, str]] = []
            try:
                proxy = _parse(json.loads(line), issues)
                first_line = lineno
                if proxy.id in pending:
                    merged, first_line = pending[str(proxy.id)]
                    merged.merge(proxy)
                    proxy = merged
                pending[str(proxy.id)] = (proxy, first_line)
            except (ValueError, InvalidData) as exc:
                reason = f"invalid JSON: {exc.msg}" if isinstance(exc, json.JSONDecodeError) else str(exc)
                issues.append((None, None, reason))
                result.rows_quarantined += 1
            quarantine.extend(
                [run.run_id, KIND, run.source_file, lineno, field, value, reason, line, run.started_at]
                for field, value, reason in issues
            )
            result.issues += len(issues)
            if len(pending) >= _BATCH:
                _store(ws, pending, result, run.started_at)
                pending = {}
                if progress:
                    progress(done, run.file_bytes)
    _store(ws, pending, result, run.started_at)
    return quarantine


def _row(proxy: EntityProxy) -> dict[str, Any]:
    return {
        "id": proxy.id,
        "schema": proxy.schema.name,
        "caption": proxy.caption,
        "properties": json.dumps(proxy.properties, ensure_ascii=False, sort_keys=True),
    }


def _store(
    ws: Workspace, pending: dict[str, tuple[EntityProxy, int]], result: IngestResult, started_at: object
) -> None:
    """Insert new entities and merge fragments into stored ones, rewriting only those that changed."""
    if not pending:
        return
    con = ws.con
    con.register("_ids", pa.table({"id": list(pending)}))
    try:
        stored = con.execute("SELECT e.id, e.schema, e.properties FROM entities e JOIN _ids USING (id)").fetchall()
    finally:
        con.unregister("_ids")
    rows = []
    replaced = []
    for entity_id, schema, properties in stored:
        new, lineno = pending[entity_id]
        old = model.get_proxy({"id": entity_id, "schema": schema, "properties": json.loads(properties)})
        before = old.to_dict()
        try:
            old.merge(new)
        except InvalidData as exc:
            con.execute(
                "INSERT INTO quarantine VALUES (?, ?, ?, ?, 'schema', ?, ?, ?, ?)",
                [
                    result.run_id,
                    KIND,
                    result.source_file,
                    lineno,
                    new.schema.name,
                    str(exc),
                    json.dumps(new.to_dict()),
                    started_at,
                ],
            )
            result.rows_quarantined += 1
            result.issues += 1
            del pending[entity_id]
            continue
        if old.to_dict() == before:
            result.rows_existing += 1
            del pending[entity_id]
        else:
            pending[entity_id] = (old, lineno)
            replaced.append(entity_id)
    if replaced:
        con.register("_replaced", pa.table({"id": replaced}))
        try:
            con.execute("DELETE FROM entities WHERE id IN (SELECT id FROM _replaced)")
        finally:
            con.unregister("_replaced")
    for proxy, lineno in pending.values():
        rows.append(_row(proxy) | {"_source_row": lineno})
    if not rows:
        return
    table = pa.Table.from_pylist(rows)
    con.register("_new_entities", table)
    try:
        con.execute(
            "INSERT INTO entities SELECT id, schema, caption, properties, ?, _source_row, ?, ? FROM _new_entities",
            [result.source_file, result.run_id, started_at],
        )
    finally:
        con.unregister("_new_entities")
    result.rows_loaded += len(rows) - len(replaced)
    result.message = f"{len(replaced)} stored entities merged with new fragments" if replaced else result.message
