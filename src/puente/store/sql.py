"""Small helpers for running SQL on a DuckDB connection."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import duckdb
import pyarrow as pa


def fetch_row(
    con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] | None = None
) -> tuple[Any, ...] | None:
    """The first row of a query, consuming the whole result (DuckDB refuses new work while a result is open)."""
    rows = con.execute(sql, list(params or [])).fetchall()
    return tuple(rows[0]) if rows else None


def fetch_int(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] | None = None) -> int:
    """A single integer from a query (0 when it returns no row or NULL)."""
    row = fetch_row(con, sql, params)
    return int(row[0]) if row and row[0] is not None else 0


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run a block in one transaction: committed when it ends, rolled back when it raises."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, **tables: pa.Table) -> Iterator[None]:
    """Make Arrow tables queryable by name for the length of a block."""
    for name, table in tables.items():
        con.register(name, table)
    try:
        yield
    finally:
        for name in tables:
            con.unregister(name)
