"""The reconciliation's versioned configuration (``crossings.yaml``), validated on load."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from puente.matching.normalize import fold


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UnderThreshold(_Strict):
    band_low_usd: float = Field(gt=0)
    min_repeats: int = Field(ge=2)


class AmountTolerance(_Strict):
    absolute_usd: float = Field(ge=0)
    relative: float = Field(ge=0, lt=1)


class Weights(_Strict):
    name: dict[str, float]
    dob: dict[str, float]
    id: dict[str, float]
    vehicle: dict[str, float]
    day: dict[str, float]
    amount: dict[str, float]
    behalf: dict[str, float]


class MatchConfig(_Strict):
    threshold: float
    weights: Weights
    name_strong: float = Field(gt=0, le=100)
    name_partial: float = Field(gt=0, le=100)
    pprl_strong: float = Field(gt=0, le=1)
    pprl_partial: float = Field(gt=0, le=1)


class CrossingsConfig(_Strict):
    version: int
    window_days: int = Field(ge=0, le=7)
    threshold_usd: float = Field(gt=0)
    under_threshold: UnderThreshold
    amount_tolerance: AmountTolerance
    fx_per_usd: dict[str, dict[str, float]]
    port_pairs: dict[str, str]
    aduana_aliases: dict[str, str] = Field(default_factory=dict)
    match: MatchConfig

    def aduana_key(self, aduana: str | None) -> str:
        """The folded canonical aduana a declaration's customs office names."""
        aliases = {fold(k): v for k, v in self.aduana_aliases.items()}
        folded = fold(aduana)
        return fold(aliases.get(folded, aduana))

    def fx_rate(self, currency: str, year: int) -> float | None:
        """Units of ``currency`` per USD in ``year``; None when not configured (never guessed)."""
        table = self.fx_per_usd.get(currency.upper())
        if table is None:
            return None
        return table.get(str(year), table.get("default"))


def load_config(path: Path | None = None) -> CrossingsConfig:
    """The packaged configuration, or a user's file of the same shape."""
    if path is None:
        return _default()
    return CrossingsConfig.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@cache
def _default() -> CrossingsConfig:
    text = resources.files("puente.crossings").joinpath("crossings.yaml").read_text(encoding="utf-8")
    return CrossingsConfig.model_validate(yaml.safe_load(text))
