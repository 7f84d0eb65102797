"""Shared fixtures: the handmade OFAC legacy files, a workspace with them loaded, and the shared SDN copy."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from puente.screening import Matcher, build_index, read_lists
from puente.screening.index import ListVersionInfo
from puente.store.workspace import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
SHARED_SDN = (
    Path(os.environ.get("PUENTE_SHARED_DATA", Path(__file__).resolve().parents[2] / ".." / "shared" / "data"))
    / "ofac-sdn"
)


def ofac_files(folder: Path = FIXTURES) -> list[Path]:
    return [folder / "sdn.csv", folder / "alt.csv", folder / "add.csv"]


@pytest.fixture(scope="module")
def fixture_matcher() -> Matcher:
    (parsed,) = read_lists(ofac_files())
    info = ListVersionInfo(parsed.list_name, "v-test", "2024-05-03")
    return Matcher(build_index(parsed.entries, [info] * len(parsed.entries)))


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace(tmp_path / "ws") as workspace:
        yield workspace


def shared_sdn() -> Path:
    if not (SHARED_SDN / "sdn.csv").exists():
        pytest.skip(f"shared SDN copy not present at {SHARED_SDN}")
    return SHARED_SDN
