"""The scenario file loads, validates and rejects bad input."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from puente.simulate import load_config
from puente.simulate.runner import TYPOLOGIES


def test_packaged_scenario_is_valid() -> None:
    cfg = load_config()
    assert cfg.version == 1
    assert set(cfg.sizes) == {"small", "medium", "large"}
    assert cfg.size("large").persons >= 1_000_000 and cfg.size("large").transactions >= 20_000_000
    for name in TYPOLOGIES:
        assert getattr(cfg.typologies, name).instances[0] >= 1  # every network runs every typology


def test_bad_scenarios_are_rejected() -> None:
    with pytest.raises(ValidationError, match="version"):
        load_config(overrides={"version": 2})
    with pytest.raises(ValidationError, match="sum to 1"):
        load_config(overrides={"background": {"shares": {"wage": 0.9}}})
    with pytest.raises(ValidationError):
        load_config(overrides={"noise": {"unknown_noise": 0.1}})
    with pytest.raises(ValueError, match="unknown size"):
        load_config().size("huge")
