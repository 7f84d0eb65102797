"""The scale-out engine: Apache Spark (local mode on a laptop and in tests, a cluster in production).

Queries are written in DuckDB's dialect and transpiled with sqlglot; Arrow moves data in and out, so results
have the same types as on DuckDB. Import cost and JVM start-up are paid only when this engine is chosen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import sqlglot

from puente.engine.base import SOURCE_DIALECT


def to_spark_sql(query: str) -> str:
    """Transpile one query from Puente's dialect to Spark SQL."""
    statements = sqlglot.transpile(query, read=SOURCE_DIALECT, write="spark")
    if len(statements) != 1:
        raise ValueError(f"expected one SQL statement, got {len(statements)}")
    return str(statements[0])


class SparkEngine:
    """Runs Puente SQL on a Spark session."""

    name = "spark"

    def __init__(self, session: Any | None = None, *, master: str = "local[2]", driver_memory: str = "2g") -> None:
        if session is None:
            from pyspark.sql import SparkSession  # noqa: PLC0415 - lazy: pyspark only loads when Spark is chosen

            session = (
                SparkSession.builder.master(master)
                .appName("puente")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.memory", driver_memory)
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", "8")
                .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                .config("spark.sql.ansi.enabled", "false")
                .getOrCreate()
            )
            session.sparkContext.setLogLevel("ERROR")
        self.session = session

    def register(self, name: str, data: pa.Table) -> None:
        if data.num_rows == 0:
            # pyspark's Arrow path rejects an empty table with timestamp columns: build the empty frame from the
            # schema instead, so the columns and their types still match.
            from pyspark.sql.pandas.types import from_arrow_schema  # noqa: PLC0415 - lazy like the session

            frame = self.session.createDataFrame([], from_arrow_schema(data.schema))
        else:
            frame = self.session.createDataFrame(data)
        frame.createOrReplaceTempView(name)

    def register_parquet(self, name: str, path: Path) -> None:
        self.session.read.parquet(str(path)).createOrReplaceTempView(name)

    def sql(self, query: str) -> pa.Table:
        result: pa.Table = self.session.sql(to_spark_sql(query)).toArrow()
        return result

    def create_table(self, name: str, query: str) -> None:
        # An eager local checkpoint computes the table now and cuts its lineage: a cached view would keep the
        # whole logical plan, and tables built on tables (rules over rules) grow plans until the analyser runs
        # out of memory.
        self.session.sql(to_spark_sql(query)).localCheckpoint(eager=True).createOrReplaceTempView(name)

    def close(self) -> None:
        self.session.catalog.clearCache()
