"""Folding names the way both borders write them, so that comparisons see the same spelling.

US forms drop accents, put every surname in one field and use English short forms; Mexican forms keep paternal
and maternal surnames apart and carry hypocorisms (Pepe, Lupe, Chuy) or spellings written by ear (Sánchez /
Sanches, Ybarra / Ibarra). Everything here is a pure function of a value; callers fold each *distinct* value once
(:func:`fold_unique`) and broadcast, so the cost scales with the vocabulary, not the number of pairs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources

import numpy as np
import pyarrow as pa
import yaml
from pydantic import BaseModel, ConfigDict

_NON_ALNUM = re.compile(r"[^A-Z0-9 ]+")
_SPACES = re.compile(r"\s+")
#: Legal forms on both sides of the border; stripped before company names are compared.
_LEGAL_FORMS = re.compile(
    r"\b(SOCIEDAD ANONIMA(?: DE CAPITAL VARIABLE)?|DE CAPITAL VARIABLE|SOCIEDAD DE RESPONSABILIDAD LIMITADA|"
    r"LIMITED LIABILITY COMPANY|INCORPORATED|CORPORATION|LIMITED|S ?A ?P ?I ?DE ?C ?V|S ?A ?P ?I|S ?A ?B|"
    r"S ?DE ?R ?L ?DE ?C ?V|S ?DE ?R ?L|S ?A ?DE ?C ?V|S ?A|S ?C|A ?C|DE ?C ?V|L ?L ?C|INC|CORP|CO|LTD|LP|LLP)\b"
)


class NameKnowledge(BaseModel):
    """``names.yaml``: nicknames, surname particles and spelling folds (versioned)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int
    nicknames: dict[str, str]
    particles: list[str]
    spelling_folds: list[tuple[str, str]]


@cache
def name_knowledge() -> NameKnowledge:
    text = resources.files("puente.matching").joinpath("names.yaml").read_text(encoding="utf-8")
    return NameKnowledge.model_validate(yaml.safe_load(text))


def fold(text: str | None) -> str:
    """Upper case, no accents, punctuation to single spaces: ``'Núñez-Pérez, Ma.'`` → ``'NUNEZ PEREZ MA'``."""
    if not text:
        return ""
    if text.isascii():  # nothing to decompose (most values): skip the per-character accent filter
        stripped = text.upper()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).upper()
    return _SPACES.sub(" ", _NON_ALNUM.sub(" ", stripped)).strip()


@cache
def spelling_key(token: str) -> str:
    """A token with by-ear spelling variants folded (``SANCHEZ`` and ``SANCHES`` give the same key).

    Cached: a registry's name vocabulary is small next to its number of records."""
    for a, b in name_knowledge().spelling_folds:
        token = token.replace(a, b)
    return token


def canonical_given(token: str) -> str:
    """The formal name a hypocorism stands for (``PEPE`` → ``JOSE``); other tokens unchanged."""
    return name_knowledge().nicknames.get(token, token)


@cache
def _particles() -> frozenset[str]:
    return frozenset(name_knowledge().particles)


def name_tokens(text: str | None) -> list[str]:
    """Folded tokens of a person's name, nicknames resolved, particles dropped, order kept."""
    particles = _particles()
    return [canonical_given(t) for t in fold(text).split() if t not in particles and len(t) > 0]


def person_key(given: str | None, surnames: str | None) -> str:
    """The name as one sorted, space-separated bag of tokens: immune to given/surname order and to field choice."""
    return " ".join(sorted(name_tokens(f"{given or ''} {surnames or ''}")))


def person_phonetic_key(given: str | None, surnames: str | None) -> str:
    """:func:`person_key` with spelling variants folded, for recall under transliteration."""
    return " ".join(sorted(spelling_key(t) for t in name_tokens(f"{given or ''} {surnames or ''}")))


def company_key(name: str | None) -> str:
    """A company name without legal form or punctuation.

    ``'Constructora Hernández, S.A. de C.V.'`` → ``'CONSTRUCTORA HERNANDEZ'``.
    """
    folded = fold(name)
    return _SPACES.sub(" ", _LEGAL_FORMS.sub(" ", folded)).strip() or folded


def fold_unique(
    values: pa.Array | pa.ChunkedArray | Sequence[str | None], fn: Callable[[str | None], str]
) -> np.ndarray:
    """Apply ``fn`` once per distinct value and broadcast: the columnar way to normalise a text column."""
    if isinstance(values, pa.ChunkedArray):
        arr = values.combine_chunks()
    elif isinstance(values, pa.Array):
        arr = values
    else:
        arr = pa.array(list(values), pa.string())
    encoded = arr.cast(pa.string()).dictionary_encode()
    dictionary = encoded.dictionary.to_pylist()
    mapped = np.array([fn(v) for v in dictionary] + [fn(None)], dtype=object)
    indices = encoded.indices.fill_null(len(dictionary)).to_numpy(zero_copy_only=False)
    return mapped[indices]  # type: ignore[no-any-return]  # numpy fancy indexing is typed as Any
