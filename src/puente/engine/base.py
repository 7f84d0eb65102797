"""The engine seam: the one narrow interface every batch analysis runs through.

Analyses are written as SQL in one dialect (DuckDB's) over named tables. The DuckDB engine runs it as written;
the Spark engine transpiles it with ``sqlglot`` (as Splink does) and runs it on a Spark session. Results come
back as Arrow tables either way, so an analysis never knows which engine ran it, and a test can run the same
query on both and compare.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

import pyarrow as pa

#: The dialect analyses are written in.
SOURCE_DIALECT = "duckdb"


@runtime_checkable
class Engine(Protocol):
    """A batch SQL engine over named tables."""

    name: str

    def register(self, name: str, data: pa.Table) -> None:
        """Make an Arrow table queryable as ``name`` (replacing any table of that name)."""
        ...

    def register_parquet(self, name: str, path: Path) -> None:
        """Make a Parquet file or folder of Parquet files queryable as ``name``, read by the engine itself."""
        ...

    def sql(self, query: str) -> pa.Table:
        """Run a query written in Puente's dialect and return its result."""
        ...

    def create_table(self, name: str, query: str) -> None:
        """Materialise a query's result as ``name`` inside the engine (no round trip through Python)."""
        ...

    def close(self) -> None: ...
