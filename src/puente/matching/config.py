"""Entity-resolution configuration (versioned YAML, validated): features, blocking rules, comparisons, model.

A configuration names the columns of the records to match, how to derive comparable features from them, which
equi-join blocking rules generate candidate pairs, which comparison (with which thresholds) scores each field,
and the EM / clustering settings. ``persons.yaml`` ships for FtM people across US and Mexican registries,
``companies.yaml`` for companies and ``febrl.yaml`` for the FEBRL benchmark files.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

ComparisonKind = Literal["person_name", "company_name", "string", "date", "id_set", "exact"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Comparison(_Strict):
    """One field comparison. ``columns``: the record columns it reads (two for person_name: given, surnames)."""

    name: str
    kind: ComparisonKind
    columns: list[str] = Field(min_length=1, max_length=2)
    #: string: similarity thresholds, highest first (Jaro-Winkler similarity, or Levenshtein distance when
    #: measure is levenshtein, lowest first); person/company names: token-set ratios for strong, partial.
    thresholds: list[float] = Field(default_factory=list)
    measure: Literal["jaro_winkler", "levenshtein"] = "jaro_winkler"
    #: term-frequency adjustment at the exact level (common names weigh less than rare ones), and at the
    #: phonetic level when there is one (by the frequency of the spelling-folded name)
    tf: bool = False
    #: person_name (config version 2): a level of its own for names equal once by-ear spelling variants are folded
    #: (SANCHEZ / SANCHES, NGUYEN / NGUIEN), between ``strong`` and ``exact``. Without it such names share
    #: ``strong`` with typos and dropped surnames, whose m and u differ, and get no term-frequency adjustment.
    phonetic: bool = False

    @property
    def levels(self) -> list[str]:
        """Level names, index = gamma value; 0 is always 'missing' (no evidence either way)."""
        if self.kind == "person_name" and self.phonetic:
            return ["missing", "differs", "partial", "strong", "phonetic", "exact"]
        if self.kind in ("person_name", "company_name"):
            return ["missing", "differs", "partial", "strong", "exact"]
        if self.kind == "string":
            return ["missing", "differs", *[f"{self.measure}@{t:g}" for t in reversed(self.thresholds)], "exact"]
        if self.kind == "date":
            return ["missing", "differs", "same_year", "one_edit_or_swapped", "exact"]
        if self.kind == "id_set":
            return ["missing", "differs", "shared"]
        return ["missing", "differs", "exact"]


class BlockingRule(_Strict):
    """Candidate pairs: records equal on every key column (an equi-join). Null keys never block together."""

    name: str
    keys: list[str] = Field(min_length=1)
    #: skip blocks of more than this many records: a value shared by that many records (JAMES SMITH in a
    #: national registry) says little about identity and its all-pairs would dominate the cost; other rules
    #: (with a birth date, say) still pair those records. None: no limit.
    max_block: int | None = Field(default=None, ge=2)


class EMSettings(_Strict):
    max_iterations: int = Field(default=100, ge=1)
    tolerance: float = Field(default=1e-6, gt=0)
    u_sample_pairs: int = Field(default=1_000_000, ge=1000)
    seed: int = 42
    #: keep u at its random-sampling estimate (true) or let EM refine it on the candidates (false)
    fix_u: bool = False


class ClusterSettings(_Strict):
    #: a pair at or above this match probability links two records
    threshold: float = Field(default=0.9, gt=0, lt=1)
    #: anti-chaining guard: two records in one component whose own comparison falls below this weight
    #: (strong evidence they differ), or that an analyst judged different, are never merged
    cannot_link_weight: float = -5.0
    #: ... and no entity grows beyond this many records
    max_size: int = Field(default=50, ge=2)
    #: link mode: at most one record per source in an entity (a registry lists a person once)
    one_per_source: bool = False


#: the configuration schema this code reads: 1, or 2 (adds ``phonetic`` to person_name comparisons)
CONFIG_VERSION = 2


class MatchConfig(_Strict):
    version: int = Field(ge=1, le=CONFIG_VERSION)
    name: str
    id_column: str
    source_column: str | None = None
    blocking: list[BlockingRule] = Field(min_length=1)
    comparisons: list[Comparison] = Field(min_length=1)
    em: EMSettings = EMSettings()
    cluster: ClusterSettings = ClusterSettings()

    @model_validator(mode="after")
    def _check(self) -> MatchConfig:
        names = [c.name for c in self.comparisons]
        if len(set(names)) != len(names):
            raise ValueError("comparison names must be unique")
        for c in self.comparisons:
            if c.kind == "person_name" and len(c.columns) != 2:
                raise ValueError(f"{c.name}: person_name reads two columns (given, surnames)")
            if c.kind == "string" and not c.thresholds:
                raise ValueError(f"{c.name}: string comparisons need thresholds")
            if c.phonetic and c.kind != "person_name":
                raise ValueError(f"{c.name}: only person_name comparisons have a phonetic level")
            if c.phonetic and self.version < 2:
                raise ValueError(f"{c.name}: the phonetic level needs configuration version 2")
        return self


def load_match_config(name_or_path: str | Path) -> MatchConfig:
    """A packaged configuration by name (``persons``, ``companies``, ``febrl``) or a YAML file."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") and path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        text = (
            resources.files("puente.matching").joinpath("configs", f"{name_or_path}.yaml").read_text(encoding="utf-8")
        )
    return MatchConfig.model_validate(yaml.safe_load(text))
