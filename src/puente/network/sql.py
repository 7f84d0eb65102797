"""Small SQL helpers: scalars read from the workspace connection (every row fetched, so no result is left open) and
string literals for the queries the network steps build."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb


def scalar_int(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> int:
    """The first column of the first row as an int (0 when there is no row or it is NULL)."""
    rows = con.execute(sql, params or []).fetchall()
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0


def in_list(values: Sequence[str]) -> str:
    """A SQL ``IN`` list of string literals, quotes escaped (never empty: a NULL matches nothing)."""
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values) or "NULL"
