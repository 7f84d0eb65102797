"""Lists in the workspace: every loaded version kept, one active per list, deltas recorded.

A new version is written completely before it becomes active, in one transaction: a file that fails to parse
never reaches the workspace, and a version that would remove an implausible share of the list (a file cut at
a line boundary) is refused unless forced, so the previous version stays active in both cases.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

import pyarrow as pa

from puente import __version__
from puente.ingest.runs import new_run_id, utcnow
from puente.screening.config import ScreeningConfig, default_config
from puente.screening.entry import ListEntry, ListFormatError, ParsedList
from puente.screening.index import ListVersionInfo, NameIndex, build_index
from puente.store.sql import fetch_row, registered, transaction
from puente.store.workspace import Workspace


@dataclass
class ListLoadResult:
    list_name: str
    version_id: str
    status: str  # loaded | unchanged
    entries: int
    names: int
    added: int = 0
    removed: int = 0
    changed: int = 0
    published: str | None = None
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _active(ws: Workspace, list_name: str) -> tuple[str, str] | None:
    row = fetch_row(
        ws.con,
        "SELECT version_id, content_sha256 FROM list_versions WHERE list_name = ? AND active",
        [list_name],
    )
    return (str(row[0]), str(row[1])) if row else None


def store_list(
    ws: Workspace, parsed: ParsedList, *, force: bool = False, cfg: ScreeningConfig | None = None
) -> ListLoadResult:
    """Make ``parsed`` the active version of its list (or report it unchanged); records the delta."""
    cfg = cfg or default_config()
    if not parsed.entries:
        raise ListFormatError(f"{', '.join(parsed.source_files)}: no entries; the previous version stays active")
    fingerprints = {e.entity_id: e.fingerprint() for e in parsed.entries}
    content = hashlib.sha256(json.dumps(sorted(fingerprints.items())).encode()).hexdigest()
    n_names = sum(len(e.names) for e in parsed.entries)
    active = _active(ws, parsed.list_name)
    if active and active[1] == content:
        return ListLoadResult(
            parsed.list_name, active[0], "unchanged", len(parsed.entries), n_names, published=parsed.published
        )
    old: dict[str, str] = {}
    if active:
        rows = ws.con.execute(
            "SELECT entity_id, fingerprint FROM list_entries WHERE list_name = ? AND version_id = ?",
            [parsed.list_name, active[0]],
        ).fetchall()
        old = {str(r[0]): str(r[1]) for r in rows}
    added = [e for e in parsed.entries if e.entity_id not in old]
    removed = [k for k in old if k not in fingerprints]
    changed = [e for e in parsed.entries if e.entity_id in old and old[e.entity_id] != fingerprints[e.entity_id]]
    if old and not force and len(removed) > cfg.lists.max_removed_share * len(old):
        raise ListFormatError(
            f"{', '.join(parsed.source_files)}: would remove {len(removed):,} of {len(old):,} entries of "
            f"{parsed.list_name} (truncated file?); the previous version stays active (use --force to accept)"
        )
    version_id = new_run_id()
    captions = dict(
        ws.con.execute(
            "SELECT entity_id, caption FROM list_entries WHERE list_name = ? AND version_id = ?",
            [parsed.list_name, active[0] if active else ""],
        ).fetchall()
    )
    table = pa.table(
        {
            "list_name": [parsed.list_name] * len(parsed.entries),
            "version_id": [version_id] * len(parsed.entries),
            "entity_id": [e.entity_id for e in parsed.entries],
            "schema": [e.schema for e in parsed.entries],
            "caption": [e.caption for e in parsed.entries],
            "programs": [e.programs for e in parsed.entries],
            "fingerprint": [fingerprints[e.entity_id] for e in parsed.entries],
            "data": [json.dumps(e.to_dict(), ensure_ascii=False) for e in parsed.entries],
        }
    )
    changes = [(e.entity_id, "added", e.caption) for e in added]
    changes += [(k, "removed", str(captions.get(k, ""))) for k in removed]
    changes += [(e.entity_id, "changed", e.caption) for e in changed]
    con = ws.con
    with transaction(con), registered(con, _new_entries=table):
        con.execute("INSERT INTO list_entries SELECT * REPLACE (data::JSON AS data) FROM _new_entries")
        if changes:
            con.executemany(
                "INSERT INTO list_changes VALUES (?, ?, ?, ?, ?)",
                [[parsed.list_name, version_id, k, c, cap] for k, c, cap in changes],
            )
        con.execute("UPDATE list_versions SET active = false WHERE list_name = ?", [parsed.list_name])
        con.execute(
            "INSERT INTO list_versions VALUES (?, ?, ?, ?, ?, ?::DATE, ?, ?, ?, ?, ?, ?, true, ?, ?)",
            [
                parsed.list_name,
                version_id,
                parsed.format,
                json.dumps(parsed.source_files),
                content,
                parsed.published,
                utcnow(),
                len(parsed.entries),
                n_names,
                len(added),
                len(removed),
                len(changed),
                "\n".join(parsed.warnings) or None,
                __version__,
            ],
        )
    return ListLoadResult(
        parsed.list_name,
        version_id,
        "loaded",
        len(parsed.entries),
        n_names,
        len(added),
        len(removed),
        len(changed),
        parsed.published,
        parsed.warnings,
        parsed.stats,
    )


def active_entries(ws: Workspace, lists: list[str] | None = None) -> tuple[list[ListEntry], list[ListVersionInfo]]:
    """Entries of the active version of every list (or of ``lists``), with their version info."""
    sql = (
        "SELECT v.list_name, v.version_id, strftime(v.published, '%Y-%m-%d'), e.data FROM list_versions v "
        "JOIN list_entries e USING (list_name, version_id) WHERE v.active"
    )
    params: list[object] = []
    if lists:
        sql += " AND v.list_name IN (SELECT unnest(?::VARCHAR[]))"
        params.append(lists)
    rows = ws.con.execute(sql + " ORDER BY v.list_name, e.entity_id", params).fetchall()
    infos: dict[tuple[str, str], ListVersionInfo] = {}
    entries, owners = [], []
    for name, version, published, data in rows:
        info = infos.setdefault((name, version), ListVersionInfo(name, version, published))
        entries.append(ListEntry.from_dict(json.loads(data)))
        owners.append(info)
    return entries, owners


def workspace_index(ws: Workspace, lists: list[str] | None = None, cfg: ScreeningConfig | None = None) -> NameIndex:
    """The screening index over the workspace's active list versions."""
    entries, infos = active_entries(ws, lists)
    if not entries:
        raise LookupError("no list loaded in this workspace; run `puente lists load FILE` first")
    return build_index(entries, infos, cfg)


def list_versions(ws: Workspace) -> pa.Table:
    return ws.query(
        "SELECT list_name, version_id, active, format, published, loaded_at, entries, names, added, removed, changed "
        "FROM list_versions ORDER BY list_name, loaded_at"
    )
