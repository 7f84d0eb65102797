"""DuckDB types and table definitions derived from the record kinds.

Migrations are frozen SQL files; this module is what wrote them, and a test checks that the tables the
migrations create still match :mod:`puente.model.records`, so a change to a record kind without a migration fails.
"""

from __future__ import annotations

import pyarrow as pa

from puente.model.records import PROVENANCE_FIELDS, RecordKind, arrow_schema


def duckdb_type(arrow_type: pa.DataType) -> str:
    """The DuckDB column type for an Arrow type used by the record kinds."""
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "VARCHAR"
    if pa.types.is_date32(arrow_type):
        return "DATE"
    if pa.types.is_timestamp(arrow_type):
        return "TIMESTAMP"
    if pa.types.is_decimal(arrow_type):
        return f"DECIMAL({arrow_type.precision},{arrow_type.scale})"
    if pa.types.is_int64(arrow_type):
        return "BIGINT"
    if pa.types.is_list(arrow_type):
        return f"{duckdb_type(arrow_type.value_type)}[]"
    raise TypeError(f"no DuckDB type for {arrow_type}")


def create_table_sql(kind: RecordKind) -> str:
    """``CREATE TABLE`` for a record kind, with the provenance columns every row carries."""
    schema = arrow_schema(kind)
    cols = [f'    "{f.name}" {duckdb_type(f.type)}{"" if f.nullable else " NOT NULL"}' for f in schema]
    cols += [f'    "{f.name}" {duckdb_type(f.type)} NOT NULL' for f in PROVENANCE_FIELDS]
    return f"CREATE TABLE {kind.table} (\n" + ",\n".join(cols) + "\n);"
