"""The demo step on a small simulated scenario: detected versus planted, measured against the truth folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from puente.ingest import ingest_file
from puente.monitoring import demo_step, evaluate_against_truth
from puente.simulate import simulate
from puente.store import Workspace


@pytest.mark.slow
def test_demo_step_finds_the_planted_typologies(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario"
    simulate("small", 7, scenario)
    with Workspace(tmp_path / "ws") as ws:
        ingest_file(ws, "transaction", scenario / "transactions.parquet")
        section, lines = demo_step(ws, scenario)
        scores = {s.typology: s for s in evaluate_against_truth(ws.con, scenario)}
    assert section.title == "Transaction monitoring" and any("recall" in line for line in lines)
    planted = [s for t, s in scores.items() if s.planted and t != "bulk_cash"]
    assert len(planted) == 12
    for s in planted:
        assert s.recall is not None and s.recall >= 0.75, s
    alerts = sum(s.alerts for s in scores.values())
    true_alerts = sum(s.true_alerts for s in scores.values())
    assert true_alerts / alerts >= 0.8
    assert "bulk_cash" not in {s.typology for s in scores.values() if s.alerts}  # no rule claims a crossings typology
