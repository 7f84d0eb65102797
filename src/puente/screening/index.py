"""Candidate retrieval: an inverted index from name keys to listed names, held as numpy arrays.

Keys are name parts (folded and nickname-resolved), their phonetic codes and their character n-grams; each key
weighs its inverse document frequency, so rare parts (``ZAMBADA``) pull a candidate far more than common ones
(``JOSE``), and very common n-grams are not keys at all. A query sums the weights of the keys it shares with
each listed name in one vectorised pass (``np.bincount`` over the concatenated postings) and keeps the best
few: no query ever looks at every listed name.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from puente.screening.config import ScreeningConfig, default_config
from puente.screening.entry import ListEntry
from puente.screening.normalize import ParsedName, parse_name, skeleton
from puente.screening.score import ListedData

_MIN_DF_TO_DROP = 50
_MIN_SKELETON = 2
_TIE_BREAK = 1e-6  # key weight per name part: orders ties only


def name_keys(name: ParsedName, ngram: int, *, query: bool = False, min_acronym: int = 3) -> set[str]:
    """Index keys of a parsed name.

    Every name: ``t:`` parts, ``p:`` phonetic codes, ``s:`` consonant skeletons (transliterations that differ in
    their vowels), ``g:`` character n-grams. A listed name adds ``j:`` two adjacent parts written as one word
    (``GOHARI MOQADAM`` -> ``j:goharimoqadam``) and ``a:`` an organisation's acronym; a query (``query=True``)
    looks each of its parts up as such a joined word or acronym, and its adjacent parts joined (and its initials)
    as listed words, so that a name split or joined differently, or abbreviated, is still retrieved. Acronyms
    shorter than ``min_acronym`` (``scoring.acronym_min_length``) are too ambiguous to retrieve by.
    """
    keys: set[str] = set()
    parts = name.parts
    for part in parts:
        keys.add("t:" + part.canon)
        keys.add("t:" + part.form)
        keys.add("p:" + part.phon)
        skel = skeleton(part.phon)
        if len(skel) >= _MIN_SKELETON:
            keys.add("s:" + skel)
        padded = f"^{part.canon}$"
        keys.update("g:" + padded[i : i + ngram] for i in range(max(1, len(padded) - ngram + 1)))
    joined = ("t:" if query else "j:") + "{}"
    keys.update(joined.format(a.form + b.form) for a, b in itertools.pairwise(parts))
    if query:
        keys.update("j:" + part.form for part in parts)
        if len(parts) == 1 and len(parts[0].form) >= min_acronym:
            keys.add("a:" + parts[0].form)
        initials = "".join(p.form[0] for p in parts)
        if len(initials) >= min_acronym:
            keys.add("t:" + initials)
        keys.update("t:" + a for a in name.acronyms)
    else:
        keys.update("a:" + a for a in name.acronyms)  # org_acronyms keeps only those of acronym_min_length
    return keys


@dataclass(frozen=True)
class ListVersionInfo:
    """Which version of which list an index entry comes from (for explanations)."""

    list_name: str
    version_id: str
    published: str | None


@dataclass
class NameIndex:
    """Listed names of all loaded lists, their parsed forms and the inverted key index."""

    entries: list[ListEntry]
    entry_list: list[ListVersionInfo]
    names: list[ParsedName]
    name_kind: list[str]
    name_entry: npt.NDArray[np.int32]
    key_ids: dict[str, int]
    key_weight: npt.NDArray[np.float64]
    offsets: npt.NDArray[np.int64]
    postings: npt.NDArray[np.int32]
    token_idf: dict[str, float]
    cfg: ScreeningConfig
    name_parts: npt.NDArray[np.float64]
    _listed: dict[int, ListedData] = field(default_factory=dict, init=False, repr=False, compare=False)
    _name_entry_list: list[int] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def name_entry_list(self) -> list[int]:
        """``name_entry`` as a Python list (faster to index one row at a time)."""
        if self._name_entry_list is None:
            self._name_entry_list = [int(e) for e in self.name_entry.tolist()]
        return self._name_entry_list

    def listed_data(self, row: int) -> ListedData:
        """Scoring data of a listed name (part keys and weights), computed on first use."""
        data = self._listed.get(row)
        if data is None:
            data = self._listed[row] = ListedData.of(self.names[row], self.part_weight, self.cfg)
        return data

    @property
    def size(self) -> int:
        return len(self.names)

    def part_weight(self, canon: str) -> float:
        """Weight of a name part in scoring: its rarity among listed names (unknown parts count as rare)."""
        return self.token_idf.get(canon, self._max_idf)

    @property
    def _max_idf(self) -> float:
        return math.log(len(self.names) + 1.0)

    def candidates(self, query: ParsedName, exclude: Iterable[int] = ()) -> npt.NDArray[np.int32]:
        """Row numbers of the listed names most worth scoring for ``query``, best first."""
        r = self.cfg.retrieval
        keys = name_keys(query, r.ngram, query=True, min_acronym=self.cfg.scoring.acronym_min_length)
        kids = [k for k in (self.key_ids.get(key) for key in keys) if k is not None]
        if not kids:
            return np.empty(0, dtype=np.int32)
        kid = np.asarray(kids, dtype=np.int64)
        weights = self.key_weight[kid]
        starts, ends = self.offsets[kid], self.offsets[kid + 1]
        lengths = ends - starts
        ids = np.concatenate([self.postings[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)])
        acc = np.bincount(ids, weights=np.repeat(weights, lengths), minlength=self.size)
        excluded = list(exclude)
        for row in excluded:
            acc[row] = -1.0
        if excluded:
            # An excluded name is withheld as if it were not indexed: keys that only it carries do not count in
            # the query's key weight either (or a withheld alias would raise the bar for every other name).
            gone = set(excluded)
            for k, (s, e) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
                if e - s <= len(gone) and gone.issuperset(self.postings[s:e].tolist()):
                    weights[k] = 0.0
        total = float(weights.sum())
        hit = np.flatnonzero((acc > 0) & (acc >= r.min_key_share * total))
        # Among names sharing the same keys, the shorter ones come first: they are the likelier full matches
        # (``AL-HARAMAIN`` before ``AL-HARAMAIN ISLAMIC FOUNDATION ...``).
        rank = acc[hit] - _TIE_BREAK * self.name_parts[hit]
        if hit.size > r.max_candidates:
            keep = np.argpartition(-rank, r.max_candidates)[: r.max_candidates]
            hit, rank = hit[keep], rank[keep]
        return hit[np.argsort(-rank, kind="stable")].astype(np.int32)


def build_index(
    entries: Sequence[ListEntry], entry_list: Sequence[ListVersionInfo], cfg: ScreeningConfig | None = None
) -> NameIndex:
    """Parse every name of every entry and build the inverted index."""
    cfg = cfg or default_config()
    r = cfg.retrieval
    names: list[ParsedName] = []
    kinds: list[str] = []
    owner: list[int] = []
    key_ids: dict[str, int] = {}
    key_col: list[int] = []
    name_col: list[int] = []
    for e_idx, entry in enumerate(entries):
        for listed in entry.names:
            parsed = parse_name(listed.name, entry.schema, last=listed.last, given=listed.given, cfg=cfg)
            if not parsed.parts:
                continue
            row = len(names)
            names.append(parsed)
            kinds.append(listed.kind)
            owner.append(e_idx)
            for key in name_keys(parsed, r.ngram, min_acronym=cfg.scoring.acronym_min_length):
                key_col.append(key_ids.setdefault(key, len(key_ids)))
                name_col.append(row)
    n_names = max(len(names), 1)
    keys_arr = np.asarray(key_col, dtype=np.int64)
    rows_arr = np.asarray(name_col, dtype=np.int32)
    order = np.argsort(keys_arr, kind="stable")
    df = np.bincount(keys_arr, minlength=len(key_ids)).astype(np.float64)
    offsets = np.zeros(len(key_ids) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(df.astype(np.int64))
    idf = np.log((n_names + 1.0) / (df + 1.0))
    weight = idf.copy()
    token_idf: dict[str, float] = {}
    # Keys are dropped for being common only past an absolute floor, so that small lists keep every key.
    for key, kid in key_ids.items():
        share = df[kid] / n_names if df[kid] > _MIN_DF_TO_DROP else 0.0
        if key.startswith("g:"):
            weight[kid] = 0.0 if share > r.max_ngram_df_share else idf[kid] * r.ngram_weight
        elif key.startswith("s:"):
            weight[kid] = 0.0 if share > r.max_token_df_share else idf[kid] * r.skeleton_weight
        elif key.startswith("t:"):
            token_idf[key[2:]] = float(idf[kid])
            if share > r.max_token_df_share:
                weight[kid] = 0.0
        elif share > r.max_token_df_share:
            weight[kid] = 0.0
    return NameIndex(
        entries=list(entries),
        entry_list=list(entry_list),
        names=names,
        name_kind=kinds,
        name_entry=np.asarray(owner, dtype=np.int32),
        key_ids=key_ids,
        key_weight=weight,
        offsets=offsets,
        postings=rows_arr[order],
        token_idf=token_idf,
        cfg=cfg,
        name_parts=np.asarray([len(n.parts) for n in names], dtype=np.float64),
    )
