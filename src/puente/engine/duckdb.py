"""The default engine: embedded DuckDB, in memory or on a workspace's database."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa


class DuckDBEngine:
    """Runs Puente SQL on DuckDB. Pass a connection to work inside a workspace, or none for an in-memory one."""

    name = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection | None = None) -> None:
        self._owned = con is None
        self.con = con if con is not None else duckdb.connect()

    def register(self, name: str, data: pa.Table) -> None:
        self.con.register(name, data)

    def register_parquet(self, name: str, path: Path) -> None:
        pattern = f"{path.as_posix()}/**/*.parquet" if path.is_dir() else path.as_posix()
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW \"{name}\" AS SELECT * FROM read_parquet('{pattern}')")

    def sql(self, query: str) -> pa.Table:
        return self.con.sql(query).to_arrow_table()

    def create_table(self, name: str, query: str) -> None:
        self.con.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS {query}')

    def close(self) -> None:
        if self._owned:
            self.con.close()
