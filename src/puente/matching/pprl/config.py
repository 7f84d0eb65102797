"""PPRL settings (versioned YAML in ``configs/``, validated): filter size, candidate narrowing, scoring.

Both parties must encode with the same settings, so they live in packaged files rather than in call sites, as
the plaintext matching configurations do: ``persons`` (the default, US and Mexican registry people) and
``febrl`` (the FEBRL benchmark files); a YAML path can replace them.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EncodingSettings(_Strict):
    bits: int = Field(ge=64, le=8192, multiple_of=64)
    k: int = Field(ge=1, le=64)
    ngram: int = Field(ge=1, le=4)


class Band(_Strict):
    """``count`` LSH bands, each sampling bits of the concatenated filters of ``fields``.

    ``unless``: the bands pair two records only when one of them lacks one of these fields. Records that carry
    them find their candidates through bands that use them; a name-only band restricted this way reaches the
    records that have nothing but a name without pairing every holder of a common name with every other.
    """

    fields: list[str] = Field(min_length=1)
    count: int = Field(ge=1)
    bits: int | None = Field(default=None, ge=4, le=64)  # sampled positions per band (default: bits_per_band)
    unless: list[str] = Field(default_factory=list)


class NarrowingSettings(_Strict):
    seed: int
    bits_per_band: int = Field(ge=4, le=64)
    bands: list[Band] = Field(min_length=1)
    max_block_pairs: int = Field(ge=1)
    exhaustive_below_pairs: int = Field(ge=0)

    @model_validator(mode="after")
    def _few_bands(self) -> NarrowingSettings:
        if sum(b.count for b in self.bands) > 256:  # the band number travels in a key's top byte
            raise ValueError("narrowing: at most 256 bands in all")
        return self


class MatchSettings(_Strict):
    scoring: Literal["weighted", "em"]
    threshold: float = Field(gt=0, le=1)
    weights: dict[str, float]
    levels: list[float] = Field(min_length=1)
    u_sample_pairs: int = Field(ge=1000)
    seed: int
    max_iterations: int = Field(ge=1)

    @model_validator(mode="after")
    def _positive(self) -> MatchSettings:
        if not self.weights or any(w < 0 for w in self.weights.values()) or sum(self.weights.values()) <= 0:
            raise ValueError("match.weights: non-negative weights, at least one positive")
        return self


class PPRLConfig(_Strict):
    version: int
    encoding: EncodingSettings
    narrowing: NarrowingSettings
    match: MatchSettings


def load_pprl_config(name_or_path: str | Path = "persons") -> PPRLConfig:
    """A packaged configuration by name (``persons``, ``febrl``) or a YAML file."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return PPRLConfig.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    return _packaged(str(name_or_path))


@cache
def _packaged(name: str) -> PPRLConfig:
    resource = resources.files("puente.matching.pprl").joinpath("configs", f"{name}.yaml")
    if not resource.is_file():
        shipped = sorted(
            p.name.removesuffix(".yaml")
            for p in resources.files("puente.matching.pprl").joinpath("configs").iterdir()
            if p.name.endswith(".yaml")
        )
        raise ValueError(f"no PPRL config {name!r}: give a YAML file or one of {', '.join(shipped)}")
    text = resource.read_text(encoding="utf-8")
    return PPRLConfig.model_validate(yaml.safe_load(text))
