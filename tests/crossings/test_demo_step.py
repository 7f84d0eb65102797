"""The demo step on a simulated scenario: stored, exported, and scored against the ground truth."""

from __future__ import annotations

from pathlib import Path

import pytest

from puente.crossings import demo_step
from puente.ingest import ingest_file
from puente.simulate import simulate
from puente.store import Workspace


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("scn")
    simulate("small", 7, out)
    return out


def test_demo_step_reconciles_scenario_against_truth(scenario: Path, tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        ingest_file(ws, "cmir", scenario / "cmirs.parquet")
        ingest_file(ws, "mx_declaration", scenario / "mx_declarations.parquet")
        section, lines = demo_step(ws, scenario)
        assert ws.count("crossing_runs") == 1
        assert ws.count("crossing_reconciled") > 0
        kinds = {r["kind"] for r in ws.query("SELECT DISTINCT kind FROM crossing_findings").to_pylist()}
        assert {"us_only", "mx_only", "amount_discrepancy"} <= kinds
        assert (ws.path / "exports" / "crossings" / "findings.csv").exists()
    assert "vs truth" in lines[1]
    precision = float(section.facts["pair precision / recall (truth)"].split(" / ")[0])
    recall = float(section.facts["pair precision / recall (truth)"].split(" / ")[1])
    assert precision >= 0.95 and recall >= 0.95
    assert section.figures
