"""The same alerts on DuckDB and on Spark local mode (one Spark session for the module)."""

from __future__ import annotations

import pytest

from puente.engine import DuckDBEngine, Engine
from puente.monitoring import RuleSet, alerts_on_engine
from tests.monitoring.test_alerts import _all_cases

#: A few hundred to a few thousand rows per table.
SPARK_SHUFFLE_PARTITIONS = 1


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
