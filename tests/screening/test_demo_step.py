"""The demo step on a real small scenario: the watchlist loads and watch-listed people are found."""

from __future__ import annotations

from pathlib import Path

import pytest

from puente.ingest import ingest_file
from puente.screening import demo_step
from puente.simulate import simulate
from puente.store.workspace import Workspace


@pytest.mark.slow
def test_demo_step_finds_watchlisted_people(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario"
    simulate("small", 7, scenario)
    with Workspace(tmp_path / "ws") as ws:
        ingest_file(ws, "entity", scenario / "entities.ftm.json")
        section, lines = demo_step(ws, scenario, workers=1)
    detected, expected = section.facts["detected (truth)"].split(" records")[0].split(" of ")
    assert int(expected) > 0
    assert int(detected) >= 0.9 * int(expected)
    assert int(section.facts["false hits (truth)"]) <= max(2, int(expected) // 10)
    assert section.tables[0][2], "hits table is empty"
    assert lines[0].startswith("screening: SCENARIO-WATCHLIST loaded")
