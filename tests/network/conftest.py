"""A simulated small scenario, ingested and analysed once per test session (about 15 s)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from puente.demo import scenario_files
from puente.ingest import ingest_file
from puente.network import run_network_analysis
from puente.screening import demo_step as screening_step
from puente.simulate import simulate
from puente.store import Workspace


@pytest.fixture(scope="session")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Path]]:
    root = tmp_path_factory.mktemp("network")
    scenario = root / "scenario"
    simulate("small", 7, scenario)
    with Workspace(root / "ws") as ws:
        for kind, path in scenario_files(scenario):
            ingest_file(ws, kind, path)
        screening_step(ws, scenario)
        run_network_analysis(ws)
        yield ws, scenario
