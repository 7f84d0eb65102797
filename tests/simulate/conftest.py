"""One small scenario shared by the simulate tests (generated once per session)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from puente.simulate import SimulationSummary, load_config, simulate

#: A world small enough to generate twice in a test (determinism) and once more with a fake SDN list.
TINY: dict[str, Any] = {
    "sizes": {"small": {"persons": 2500, "companies": 400, "transactions": 20000, "crossings": 2000, "networks": 2}}
}


@pytest.fixture(scope="session")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SimulationSummary]:
    out = tmp_path_factory.mktemp("sim_small")
    summary = simulate("small", 7, out)
    return out, summary


@pytest.fixture(scope="session")
def small_dir(small_run: tuple[Path, SimulationSummary]) -> Path:
    return small_run[0]


@pytest.fixture(scope="session")
def tiny_config() -> Any:
    return load_config(overrides=TINY)
