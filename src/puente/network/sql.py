"""Small helpers for reading scalars from the workspace connection (fetch every row, so no result is left open)."""

from __future__ import annotations

import duckdb


def scalar_int(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> int:
    """The first column of the first row as an int (0 when there is no row or it is NULL)."""
    rows = con.execute(sql, params or []).fetchall()
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0
