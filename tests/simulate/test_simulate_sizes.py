"""Coverage at every size: typologies, noise kinds and record kinds.

Small is generated for real by the shared fixture; medium is generated here (slow); large (20M transactions,
~3 minutes) is too heavy for the test suite, so its coverage is proven from the configuration that drives it:
every typology runs at least once per network, every size has networks, and every noise kind has a rate that
yields hundreds of expected occurrences given the size's population. `bench/bench_simulate.py` runs large.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from puente.model.records import RECORD_KINDS
from puente.simulate import SIZES, TYPOLOGIES, load_config, simulate
from puente.simulate.noise import NOISE_KINDS


@pytest.mark.parametrize("size", SIZES)
def test_every_size_plans_every_typology_and_noise_kind(size: str) -> None:
    cfg = load_config()
    preset = cfg.size(size)
    assert preset.networks >= 1
    for name in TYPOLOGIES:
        low, high = getattr(cfg.typologies, name).instances
        assert 1 <= low <= high, f"{name} may not run in a network"
    noise = cfg.noise.model_dump()
    cross_border_people = preset.persons * cfg.population.cross_border_share
    for kind in NOISE_KINDS:
        assert noise[kind] * cross_border_people >= 50, f"{kind} would be too rare at {size}"


@pytest.mark.slow
def test_medium_has_every_record_kind_typology_and_noise_kind(tmp_path: Path) -> None:
    summary = simulate("medium", 11, tmp_path)
    assert summary.networks == load_config().size("medium").networks
    for kind in RECORD_KINDS.values():
        assert pq.read_metadata(tmp_path / f"{kind.table}.parquet").num_rows > 0, kind.table
    assert summary.counts["transactions.parquet"] >= 1_800_000
    typologies = set(pq.read_table(tmp_path / "truth" / "typology_instances.parquet").column("typology").to_pylist())
    assert typologies == set(TYPOLOGIES)
    seen: set[str] = set()
    for name in ("record_parties", "entity_records"):
        for noise in (
            pq.read_table(tmp_path / "truth" / f"{name}.parquet", columns=["noise"]).column("noise").to_pylist()
        ):
            seen.update(noise)
    assert set(NOISE_KINDS) <= seen
