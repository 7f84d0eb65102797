"""Screening rules as data: thresholds, weights, particles, legal forms, nicknames, ID kinds.

The rules live in ``screening.yaml`` beside this module so that analysts can review and change them without
reading code; they are validated on load (pydantic) and versioned, and every hit records the rules version
that scored it.
"""

from __future__ import annotations

import itertools
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ListsConfig(_Strict):
    max_removed_share: float = Field(gt=0, le=1)


class RetrievalConfig(_Strict):
    max_candidates: int = Field(gt=0)
    min_key_share: float = Field(ge=0, le=1)
    ngram: int = Field(ge=2, le=5)
    max_ngram_df_share: float = Field(gt=0, le=1)
    max_token_df_share: float = Field(gt=0, le=1)
    ngram_weight: float = Field(ge=0, le=1)
    skeleton_weight: float = Field(ge=0, le=1)


class BirthDateConfig(_Strict):
    exact: float
    year: float
    swapped_day_month: float
    approximate: float
    mismatch: float
    same_year_other_day: float
    approx_years: int = Field(ge=0)


class CountryConfig(_Strict):
    agree: float
    disagree: float


class IdConfig(_Strict):
    match_floor: float = Field(ge=0, le=1)
    match_bonus: float
    mismatch: float


class SubsetConfig(_Strict):
    min_similarity: float = Field(ge=0, le=1)
    min_evidence: float = Field(ge=0)  # in units of the rarest possible part's weight
    unmatched_factor: float = Field(ge=0, le=1)
    #: ``unmatched_factor`` between two organisation names (``None``: the same as for persons).
    unmatched_factor_org: float | None = Field(default=None, ge=0, le=1)
    roles: frozenset[str]
    #: Aligned parts the rule needs: two for persons ("Juan" alone is no core); an organisation's core may be one
    #: rare word (``ATOMYZE`` / ``ATOMYZE RUSSIA``), the evidence floor still applying.
    min_aligned: int = Field(default=2, ge=1)
    min_aligned_org: int = Field(default=2, ge=1)
    min_evidence_org: float = Field(default=1.0, ge=0)
    #: A long core: this many aligned parts with ``long_core_min_evidence`` rarest-part units forgive extra parts of
    #: any role (Arabic name chains put any element in the surname field); ``None`` turns the rule off.
    long_core_min_aligned: int | None = Field(default=None, ge=2)
    long_core_min_evidence: float = Field(default=2.0, ge=0)
    #: Two organisation names around one rare core, each with extra words: extra words rarer than this share of the
    #: rarest-part weight are names and cost in full, commoner ones are descriptors and cost ``unmatched_factor``;
    #: ``None`` turns the rule off.
    org_descriptor_max_rarity: float | None = Field(default=None, gt=0)


class OrdinaryWordsConfig(_Strict):
    """Organisation words common in everyday language weigh less (``puente.screening.words``)."""

    languages: tuple[str, ...] = Field(min_length=1)
    wordlist: str = "small"
    above_zipf: float = Field(ge=0, le=8)
    per_zipf: float = Field(ge=0, le=1)
    floor: float = Field(gt=0, le=1)


class ScoringConfig(_Strict):
    min_part_similarity: float = Field(ge=0, le=1)
    phonetic_similarity: float = Field(ge=0, le=1)
    nickname_similarity: float = Field(ge=0, le=1)
    initial_similarity: float = Field(ge=0, le=1)
    article_similarity: float = Field(ge=0, le=1)
    unmatched_listed_weight: dict[str, float]
    unmatched_query_weight: float = Field(ge=0)
    generic_word_weight: float = Field(ge=0, le=1)
    weak_alias_penalty: float = Field(ge=0, le=1)
    weak_alias_needs_exact: bool
    schema_mismatch_penalty: float = Field(ge=0, le=1)
    #: A query in natural order (no roles) whose first part aligns with a listed surname and a later part with a
    #: listed given name is read surname first; unless every such part is an exact or nickname match, the reading
    #: costs this much ("Barbara Roberts" is not "BARRERA, Robert").
    crossed_order_penalty: float = Field(default=0.0, ge=0, le=1)
    joined_min_similarity: float = Field(ge=0, le=1)
    acronym_similarity: float = Field(ge=0, le=1)
    acronym_min_length: int = Field(ge=2)
    #: ``None``: an organisation word weighs its rarity on the lists alone.
    ordinary_words: OrdinaryWordsConfig | None = None
    subset: SubsetConfig
    birth_date: BirthDateConfig
    country: CountryConfig
    id_number: IdConfig

    @field_validator("unmatched_listed_weight")
    @classmethod
    def _roles(cls, value: dict[str, float]) -> dict[str, float]:
        missing = {"given", "middle", "paternal", "maternal", "surname", "unknown", "org"} - set(value)
        if missing:
            raise ValueError(f"unmatched_listed_weight lacks roles {sorted(missing)}")
        return value


class ScreeningConfig(_Strict):
    """The validated content of ``screening.yaml``."""

    version: int = Field(ge=1)
    threshold: float = Field(gt=0, le=1)
    parity_threshold: float = Field(gt=0, le=1)
    report_floor: float = Field(ge=0, le=1)
    lists: ListsConfig
    retrieval: RetrievalConfig
    scoring: ScoringConfig
    particles: frozenset[str]
    legal_forms: tuple[str, ...]
    #: After ``legal_forms``, also remove the organisation types of rigour's multilingual database (the one
    #: FollowTheMoney and OpenSanctions use): forms no hand-kept list covers, such as FEDERAL STATE UNITARY
    #: ENTERPRISE or the Ukrainian TOVARYSTVO Z OBMEZHENOYU VIDPOVIDALNISTYU.
    rigour_org_types: bool = False
    generic_words: frozenset[str]
    titles: frozenset[str] = frozenset()
    nicknames: dict[str, str]
    id_kinds: dict[str, tuple[str, ...]]
    #: Organisation-name words across languages -> one canonical word (``banco``, ``banque`` -> ``bank``), read
    #: from ``org_terms.yaml`` (its own ``version``) unless the rules file carries ``org_terms`` itself.
    org_terms: dict[str, str] = Field(default_factory=dict)
    org_terms_version: int = 0
    #: Parameters of the calibrated score (``puente.screening.calibration``), read from ``calibration.yaml``
    #: (when its ``use`` is true) unless the rules file carries ``calibration`` itself; ``null`` scores with the
    #: alignment score alone.
    calibration: dict[str, Any] | None = None

    @field_validator("legal_forms", mode="before")
    @classmethod
    def _expand_alternatives(cls, value: Any) -> Any:
        """``(zakrytoe |otkrytoe |)aktsionernoe (obshchestvo|obschestvo)`` spells six legal forms in one line."""
        if not isinstance(value, list | tuple):
            return value
        return tuple(dict.fromkeys(f for item in value for f in expand_alternatives(str(item))))

    @field_validator("org_terms", mode="before")
    @classmethod
    def _groups_to_map(cls, value: Any) -> Any:
        """``{canonical: [word, …]}`` groups become a word -> canonical map; a word may sit in one group only."""
        if not isinstance(value, dict):
            return value
        out: dict[str, str] = {}
        for canon, words in value.items():
            for item in [canon, *(words if isinstance(words, list) else [words])]:
                word = str(item)
                if " " in word:
                    raise ValueError(f"org_terms map one word to one word; fix {word!r}")
                if out.get(word, canon) != canon:
                    raise ValueError(f"org_terms: {word!r} is in the groups of both {out[word]!r} and {canon!r}")
                out[word] = str(canon)
        return out

    @field_validator("nicknames")
    @classmethod
    def _single_tokens(cls, value: dict[str, str]) -> dict[str, str]:
        bad = [k for k, v in value.items() if " " in k or " " in v]
        if bad:
            raise ValueError(f"nicknames map one name part to one name part; fix {bad}")
        return value


_ALTERNATIVES = re.compile(r"\(([^()]*)\)")


def expand_alternatives(pattern: str) -> list[str]:
    """Every phrase a ``(a|b|)`` pattern spells, spaces normalised; a plain phrase is itself."""
    pieces = _ALTERNATIVES.split(pattern)
    choices = [piece.split("|") if i % 2 else [piece] for i, piece in enumerate(pieces)]
    return [" ".join("".join(combo).split()) for combo in itertools.product(*choices)]


class ConfigError(ValueError):
    """The screening rules file is not valid; the message says where."""


def load_config(path: Path | None = None) -> ScreeningConfig:
    """Read and validate a rules file (default: the packaged ``screening.yaml``)."""
    if path is None:
        text = _packaged("screening.yaml")
        where = "screening.yaml (packaged)"
    else:
        text = path.read_text(encoding="utf-8")
        where = str(path)
    try:
        data = yaml.safe_load(text)
        if isinstance(data, dict) and "org_terms" not in data:
            terms = yaml.safe_load(_packaged("org_terms.yaml"))
            data["org_terms"] = terms["terms"]
            data["org_terms_version"] = terms["version"]
        if isinstance(data, dict) and "calibration" not in data:
            model = yaml.safe_load(_packaged("calibration.yaml"))
            data["calibration"] = model if model.pop("use", True) else None
        return ScreeningConfig.model_validate(data)
    except (yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"{where}: invalid screening rules: {exc}") from exc


def _packaged(name: str) -> str:
    return resources.files("puente.screening").joinpath(name).read_text(encoding="utf-8")


@cache
def default_config() -> ScreeningConfig:
    """The packaged rules, read once."""
    return load_config()
