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
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
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


#: combining diacritical marks (U+0300-U+036F) except U+034F, the one of them with combining class 0
_DIACRITICS = "[\\x{0300}-\\x{034E}\\x{0350}-\\x{036F}]"


def _fold_distinct(arr: pa.Array) -> np.ndarray:
    """:func:`fold` of every value of ``arr`` (no nulls), by Arrow kernels where that is exact.

    A value that is ASCII once decomposed (NFKD) and stripped of the combining diacritical marks is folded as
    :func:`fold` folds ASCII (upper case, every run of other characters to one space, trimmed); the few others
    (letters like ß or Ø, other scripts) go through :func:`fold` itself.
    """
    stripped = pc.replace_substring_regex(pc.utf8_normalize(arr, "NFKD"), _DIACRITICS, "")
    folded = pc.replace_substring_regex(pc.ascii_upper(stripped), "[^A-Z0-9 ]+", " ")
    folded = pc.utf8_trim(pc.replace_substring_regex(folded, " +", " "), " ")
    out: np.ndarray = folded.to_numpy(zero_copy_only=False).astype(object)
    other = np.flatnonzero(~pc.string_is_ascii(stripped).to_numpy(zero_copy_only=False))
    if len(other):
        out[other] = [fold(v) for v in arr.take(pa.array(other)).to_pylist()]
    return out


def fold_column(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """:func:`fold` of every value of a text column (null reads ``""``), as an object array, computed once per
    distinct value and mostly by Arrow compute kernels (:func:`_fold_distinct`)."""
    arr = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    encoded = arr.cast(pa.string()).dictionary_encode()
    mapped = np.concatenate([_fold_distinct(encoded.dictionary), np.array([""], dtype=object)])
    indices = encoded.indices.fill_null(len(encoded.dictionary)).to_numpy(zero_copy_only=False)
    return mapped[indices]  # type: ignore[no-any-return]  # numpy fancy indexing is typed as Any


@dataclass(frozen=True)
class NameTokens:
    """The name tokens of every record of a column: record ``row[i]`` holds token ``vocab[code[i]]``, in the
    order written; tokens are folded, nicknames resolved, particles dropped (as :func:`name_tokens`)."""

    n: int
    row: npt.NDArray[np.int64]
    code: npt.NDArray[np.int64]
    vocab: npt.NDArray[np.object_]

    def __add__(self, other: NameTokens) -> NameTokens:
        """Each record's tokens of ``self`` followed by its tokens of ``other`` (the same records): the tokens of
        ``f"{a} {b}"``, since folding never joins characters across a space."""
        vocab, code = np.unique(np.concatenate([self.vocab, other.vocab]), return_inverse=True)
        code = code.astype(np.int64)
        codes = np.concatenate([code[: len(self.vocab)][self.code], code[len(self.vocab) :][other.code]])
        rows = np.concatenate([self.row, other.row])
        order = np.argsort(rows, kind="stable")
        return NameTokens(self.n, rows[order], codes[order], vocab.astype(object))

    def first(self, fn: Callable[[str], str]) -> np.ndarray:
        """``fn`` of each record's first token (``""`` where it has none), ``fn`` run once per distinct token."""
        out = np.full(self.n, "", dtype=object)
        rows, first = np.unique(self.row, return_index=True)  # rows are sorted, tokens in written order
        mapped = np.array([fn(v) for v in self.vocab.tolist()] + [""], dtype=object)
        out[rows] = mapped[self.code[first]]
        return out

    def sorted_bag(self, fn: Callable[[str], str] | None = None) -> np.ndarray:
        """Each record's tokens (through ``fn`` when given) sorted and space-joined: :func:`person_key`."""
        vocab = self.vocab if fn is None else np.array([fn(v) for v in self.vocab.tolist()], dtype=object)
        rank = np.empty(len(vocab), np.int64)
        rank[np.argsort(vocab, kind="stable")] = np.arange(len(vocab))
        order = np.lexsort((rank[self.code], self.row))
        offsets = np.concatenate([[0], np.cumsum(np.bincount(self.row, minlength=self.n))]).astype(np.int32)
        lists = pa.ListArray.from_arrays(pa.array(offsets), pa.array(vocab[self.code[order]], pa.string()))
        return pc.binary_join(lists, " ").to_numpy(zero_copy_only=False).astype(object)  # type: ignore[no-any-return]


def column_name_tokens(values: pa.Array | pa.ChunkedArray) -> NameTokens:
    """:class:`NameTokens` of a text column, columnar: each distinct token is looked up once."""
    folded = fold_column(values)
    lists = pc.split_pattern(pa.array(folded, pa.string()), " ")
    row = pc.list_parent_indices(lists).to_numpy().astype(np.int64)
    enc = pc.list_flatten(lists).dictionary_encode()
    raw = enc.dictionary.to_pylist()
    particles = _particles()
    keep_token = np.array([bool(t) and t not in particles for t in raw], dtype=bool)
    canon = [canonical_given(t) for t in raw]
    vocab, code_of = (
        np.unique(np.array(canon, dtype=object), return_inverse=True)
        if raw
        else (np.zeros(0, object), np.zeros(0, np.int64))
    )
    code = enc.indices.to_numpy().astype(np.int64)
    keep = keep_token[code]
    return NameTokens(len(folded), row[keep], code_of.astype(np.int64)[code[keep]], vocab.astype(object))
