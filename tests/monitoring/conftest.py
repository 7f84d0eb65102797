"""Fixtures: the shipped rule library and a helper that runs it on a hand-built transaction set."""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
import pytest

from puente.engine import DuckDBEngine
from puente.monitoring import RuleSet, alerts_on_engine, load_rules


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules()


Runner = Callable[..., tuple[pa.Table, pa.Table]]


@pytest.fixture
def run_rules(rules: RuleSet) -> Runner:
    """Run the library (or one rule of it) on a transactions table; returns (alerts, evidence)."""

    def run(table: pa.Table, only: str | None = None, ruleset: RuleSet | None = None) -> tuple[pa.Table, pa.Table]:
        rs = ruleset or rules
        if only:
            rs = RuleSet.model_validate(
                {**rs.model_dump(), "rules": [r.model_dump() for r in rs.rules if r.id == only]}
            )
        engine = DuckDBEngine()
        engine.register("transactions", table)
        alerts, evidence, _ = alerts_on_engine(engine, rs, "test")
        engine.close()
        return alerts, evidence

    return run
