"""The engine seam: DuckDB by default, Apache Spark for scale, one interface and one SQL dialect."""

from __future__ import annotations

from pathlib import Path

from puente.engine.base import SOURCE_DIALECT, Engine
from puente.engine.duckdb import DuckDBEngine
from puente.settings import Settings
from puente.store.workspace import Workspace

ENGINES = ("duckdb", "spark")


def open_engine(name: str, settings: Settings | None = None) -> Engine:
    """A fresh engine by name."""
    settings = settings or Settings()
    if name == "duckdb":
        return DuckDBEngine()
    if name == "spark":
        from puente.engine.spark import SparkEngine  # noqa: PLC0415 - pyspark is imported only when Spark is chosen

        return SparkEngine(master=settings.spark_master, driver_memory=settings.spark_driver_memory)
    raise ValueError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")


def workspace_engine(ws: Workspace, name: str | None = None) -> Engine:
    """An engine that sees the workspace's tables.

    DuckDB works on the workspace database directly. Spark reads the tables as Parquet exported into the
    workspace's ``exports/`` folder (in production, the tables live in Parquet on shared storage already).
    """
    name = name or ws.settings.engine
    if name == "duckdb":
        return DuckDBEngine(ws.con)
    engine = open_engine(name, ws.settings)
    export_dir = ws.path / "exports"
    export_dir.mkdir(exist_ok=True)
    for table in ws.tables():
        if not ws.con.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchall():
            # Spark cannot infer a schema from a Parquet file without rows; an empty Arrow table keeps the columns.
            engine.register(table, ws.con.sql(f'SELECT * FROM "{table}" LIMIT 0').to_arrow_table())
            continue
        # Spark skips files whose name starts with "_" or "." (it takes them for metadata): every file gets a prefix.
        target = export_dir / f"table-{table}.parquet"
        ws.con.execute(f"COPY \"{table}\" TO '{target.as_posix()}' (FORMAT parquet)")
        engine.register_parquet(table, Path(target))
    return engine


__all__ = ["ENGINES", "SOURCE_DIALECT", "DuckDBEngine", "Engine", "open_engine", "workspace_engine"]
