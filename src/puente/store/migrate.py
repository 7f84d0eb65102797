"""Versioned workspace schema: numbered SQL files applied in order, each in its own transaction.

A workspace records every applied version in ``puente_schema``; opening a workspace created by an older Puente
applies the missing migrations, and opening one created by a newer Puente is refused rather than guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import duckdb

from puente.store.sql import fetch_int, transaction

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


class SchemaVersionError(RuntimeError):
    """The workspace was written by a newer Puente than this one."""


def available_migrations() -> list[Migration]:
    """All migrations shipped with this Puente, in version order."""
    found = []
    for entry in resources.files("puente.store.migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return found


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    if not fetch_int(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'puente_schema'"):
        return 0
    return fetch_int(con, "SELECT max(version) FROM puente_schema")


def migrate(con: duckdb.DuckDBPyConnection, target: int | None = None) -> list[int]:
    """Apply pending migrations up to ``target`` (default: latest); returns the versions applied."""
    migrations = available_migrations()
    latest = migrations[-1].version
    target = latest if target is None else target
    version = current_version(con)
    if version > latest:
        raise SchemaVersionError(
            f"workspace schema version {version} is newer than this Puente supports ({latest}); upgrade Puente"
        )
    con.execute(
        "CREATE TABLE IF NOT EXISTS puente_schema "
        "(version INTEGER NOT NULL, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    applied = []
    for migration in migrations:
        if version < migration.version <= target:
            with transaction(con):
                con.execute(migration.sql)
                con.execute(
                    "INSERT INTO puente_schema VALUES (?, ?, now()::TIMESTAMP)",
                    [migration.version, migration.name],
                )
            applied.append(migration.version)
    return applied
