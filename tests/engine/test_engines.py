"""The engine seam: the same queries give the same results on DuckDB and on Spark (local mode)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from puente.engine import DuckDBEngine, Engine, open_engine, workspace_engine
from puente.engine.spark import to_spark_sql

TX = pa.table(
    {
        "id": ["t1", "t2", "t3", "t4", "t5", "t6"],
        "account": ["A", "A", "B", "B", "B", "C"],
        "counterparty": ["B", "C", "C", "A", "A", "A"],
        "amount": pa.array(
            [
                Decimal("9500.00"),
                Decimal("9800.00"),
                Decimal("120.50"),
                Decimal("50000.00"),
                Decimal("7.25"),
                Decimal("9999.99"),
            ],
            pa.decimal128(18, 2),
        ),
        "value_date": [dt.date(2024, 1, d) for d in (1, 2, 2, 5, 9, 10)],
        "channel": ["cash_deposit", "cash_deposit", "wire", "wire", "card", "cash_deposit"],
    }
)

QUERIES = {
    "aggregate": "SELECT account, count(*) AS n, sum(amount) AS total FROM tx GROUP BY account ORDER BY account",
    "filter_structuring": (
        "SELECT id FROM tx WHERE channel = 'cash_deposit' AND amount BETWEEN 9000 AND 9999.99 ORDER BY id"
    ),
    "window": (
        "SELECT id, sum(amount) OVER (PARTITION BY account ORDER BY value_date, id "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running FROM tx ORDER BY id"
    ),
    "self_join_within_days": (
        "SELECT a.id AS first_id, b.id AS second_id FROM tx a JOIN tx b ON a.counterparty = b.account "
        "AND b.value_date BETWEEN a.value_date AND a.value_date + INTERVAL 3 DAY ORDER BY 1, 2"
    ),
    "date_diff": ("SELECT id, date_diff('day', DATE '2024-01-01', value_date) AS days FROM tx ORDER BY id"),
    "conditional": (
        "SELECT account, count(*) FILTER (WHERE channel = 'cash_deposit') AS cash, "
        "max(amount) AS biggest FROM tx GROUP BY account HAVING count(*) > 1 ORDER BY account"
    ),
}


def _normalise(table: pa.Table) -> list[dict[str, object]]:
    rows = table.to_pylist()
    return [{k: (Decimal(str(v)) if isinstance(v, float | Decimal) else v) for k, v in r.items()} for r in rows]


@pytest.mark.spark
@pytest.mark.parametrize("name", QUERIES)
def test_same_results_on_duckdb_and_spark(spark: Engine, name: str) -> None:
    duck = DuckDBEngine()
    duck.register("tx", TX)
    spark.register("tx", TX)
    expected = _normalise(duck.sql(QUERIES[name]))
    assert expected, "a representative query must return rows"
    assert _normalise(spark.sql(QUERIES[name])) == expected


@pytest.mark.spark
def test_parquet_tables_and_materialised_results(spark: Engine, tmp_path: Path) -> None:
    path = tmp_path / "tx.parquet"
    pq.write_table(TX, path)
    duck = DuckDBEngine()
    for engine in (duck, spark):
        engine.register_parquet("tx_file", path)
        engine.create_table("big", "SELECT account, sum(amount) AS total FROM tx_file GROUP BY account")
    query = "SELECT account FROM big WHERE total > 10000 ORDER BY account"
    assert spark.sql(query).to_pylist() == duck.sql(query).to_pylist() == [{"account": "A"}, {"account": "B"}]


def test_duckdb_engine_runs_on_a_workspace(workspace) -> None:  # type: ignore[no-untyped-def]
    engine = workspace_engine(workspace, "duckdb")
    assert engine.sql("SELECT count(*) AS n FROM transactions").to_pylist() == [{"n": 0}]


def test_transpiler_targets_spark_sql() -> None:
    assert "DATEDIFF" in to_spark_sql("SELECT date_diff('day', a, b) FROM t")
    with pytest.raises(ValueError, match="one SQL statement"):
        to_spark_sql("SELECT 1; SELECT 2")


def test_unknown_engine() -> None:
    with pytest.raises(ValueError, match="unknown engine"):
        open_engine("oracle")
