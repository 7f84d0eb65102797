"""One place for configuration: defaults, overridable by ``PUENTE_*`` environment variables.

Settings are an immutable value passed down explicitly; nothing in Puente reads the environment elsewhere.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """Runtime configuration of Puente."""

    #: Default workspace folder when a command is given none.
    workspace: Path = Path("workspace")
    #: Batch analytics engine: ``duckdb`` (embedded, default) or ``spark``.
    engine: str = "duckdb"
    #: DuckDB memory limit; beyond it DuckDB spills to the workspace's temp folder, keeping memory bounded.
    memory_limit: str = "1GB"
    #: DuckDB worker threads (None: one per core).
    threads: int | None = None
    #: Rows per batch when streaming a file into the workspace: bounds ingest memory. Eight DuckDB row groups
    #: (8 x 122,880): inserts this large are written straight to the database file instead of through the
    #: write-ahead log, which halves the cost of a large load.
    batch_rows: int = 983_040
    #: Spark master URL for the Spark engine.
    spark_master: str = "local[2]"
    #: Memory of the local Spark driver.
    spark_driver_memory: str = "2g"

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})  # type: ignore[arg-type]  # dataclasses.replace is typed loosely

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Defaults overridden by ``PUENTE_WORKSPACE``, ``PUENTE_ENGINE``, ``PUENTE_MEMORY_LIMIT`` …"""
        env = os.environ if env is None else env
        base = cls()
        threads = env.get("PUENTE_THREADS")
        batch_rows = env.get("PUENTE_BATCH_ROWS")
        return cls(
            workspace=Path(env.get("PUENTE_WORKSPACE", str(base.workspace))),
            engine=env.get("PUENTE_ENGINE", base.engine),
            memory_limit=env.get("PUENTE_MEMORY_LIMIT", base.memory_limit),
            threads=int(threads) if threads else base.threads,
            batch_rows=int(batch_rows) if batch_rows else base.batch_rows,
            spark_master=env.get("PUENTE_SPARK_MASTER", base.spark_master),
            spark_driver_memory=env.get("PUENTE_SPARK_DRIVER_MEMORY", base.spark_driver_memory),
        )
