"""The same alerts on DuckDB and on Spark local mode (one Spark session for the module)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from puente.engine import DuckDBEngine, Engine, open_engine
from puente.monitoring import RuleSet, alerts_on_engine
from puente.settings import Settings
from tests.monitoring.test_alerts import _all_cases


@pytest.fixture(scope="module")
def spark() -> Iterator[Engine]:
    if shutil.which("java") is None:
        pytest.skip("Java is not installed: Spark needs a JVM")
    engine = open_engine("spark", Settings(spark_master="local[2]", spark_driver_memory="1g"))
    # a few hundred rows: one shuffle partition saves seconds per join on a 2-core machine
    engine.session.conf.set("spark.sql.shuffle.partitions", "1")  # type: ignore[attr-defined]  # SparkEngine attribute
    yield engine
    engine.close()


@pytest.mark.spark
def test_same_alerts_and_evidence_on_duckdb_and_spark(spark: Engine, rules: RuleSet) -> None:
    table = _all_cases()
    duck = DuckDBEngine()
    results = []
    for engine in (duck, spark):
        engine.register("transactions", table)
        alerts, evidence, _ = alerts_on_engine(engine, rules, "parity")
        cols = ["alert_id", "subject", "typology", "rules", "period_start", "period_end", "n_transactions"]
        rows = sorted(alerts.select(cols).to_pylist(), key=lambda r: r["alert_id"])
        for r, a in zip(rows, sorted(alerts.to_pylist(), key=lambda r: r["alert_id"]), strict=True):
            r["amount_usd"] = round(a["amount_usd"], 2)
        ev = sorted(tuple(r.values()) for r in evidence.to_pylist())
        results.append((rows, ev))
    assert len(results[0][0]) >= 14, "every typology case must raise an alert"
    assert results[1] == results[0]
