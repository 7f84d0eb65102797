"""Comparison levels (gamma) of candidate pairs, computed column-wise.

Every comparison maps a pair to a level index (0 = missing, 1 = differs, higher = closer agreement). String
similarities are computed once per *distinct pair of values* (``_unique_pairs``) with rapidfuzz's vectorised
``cpdist`` and broadcast back, so a million candidate pairs sharing a few thousand name pairs cost a few
thousand similarity calls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler, Levenshtein

from puente.matching.config import Comparison, MatchConfig

Int8 = npt.NDArray[np.int8]
Idx = npt.NDArray[np.int64]
Scorer = Callable[..., Any]


def _codes(col: pa.ChunkedArray | pa.Array) -> tuple[npt.NDArray[np.int64], list[str | None]]:
    """Dictionary codes of a string column (-1 for null) and the dictionary."""
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    enc = arr.dictionary_encode()
    return enc.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64), enc.dictionary.to_pylist()


def _unique_pairs(
    cl: npt.NDArray[np.int64], cr: npt.NDArray[np.int64], values: list[str | None], scorers: list[Scorer]
) -> list[npt.NDArray[np.float64]]:
    """Scores of each scorer for every pair (codes ``cl``, ``cr``, both non-negative), computed per distinct pair."""
    n = max(len(values), 1)
    key = cl * n + cr
    uniq, inverse = np.unique(key, return_inverse=True)
    a = [values[int(k)] for k in uniq // n]
    b = [values[int(k)] for k in uniq % n]
    return [np.asarray(process.cpdist(a, b, scorer=s, workers=1), dtype=np.float64)[inverse] for s in scorers]


def _text(
    feats: pa.Table, col: str, li: Idx, ri: Idx, scorers: list[Scorer]
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], list[npt.NDArray[np.float64]]]:
    codes, values = _codes(feats[col])
    cl, cr = codes[li], codes[ri]
    missing = (cl < 0) | (cr < 0)
    exact = (cl == cr) & ~missing
    scores = [np.zeros(len(li)) for _ in scorers]
    todo = ~missing & ~exact
    if todo.any() and scorers:
        got = _unique_pairs(cl[todo], cr[todo], values, scorers)
        for s, g in zip(scores, got, strict=True):
            s[todo] = g
    return missing, exact, scores


def _person(c: Comparison, feats: pa.Table, li: Idx, ri: Idx) -> Int8:
    strong, partial = ([*c.thresholds, 90.0, 75.0])[:2] if len(c.thresholds) < 2 else c.thresholds[:2]
    missing, exact, (bag_set,) = _text(feats, f"{c.name}__bag", li, ri, [fuzz.token_set_ratio])
    _, phon_exact, (phon_set, aligned) = _text(
        feats, f"{c.name}__phon", li, ri, [fuzz.token_set_ratio, fuzz.partial_token_sort_ratio]
    )
    sim = np.maximum(bag_set, phon_set)
    return np.select(
        [missing, exact, phon_exact | (sim >= strong), (sim >= partial) | (aligned >= strong - 5)],
        [0, 4, 3, 2],
        1,
    ).astype(np.int8)


def _company(c: Comparison, feats: pa.Table, li: Idx, ri: Idx) -> Int8:
    strong, partial = ([*c.thresholds, 92.0, 80.0])[:2] if len(c.thresholds) < 2 else c.thresholds[:2]
    missing, exact, (tset, tsort) = _text(
        feats, f"{c.name}__key", li, ri, [fuzz.token_set_ratio, fuzz.token_sort_ratio]
    )
    return np.select([missing, exact, tsort >= strong, np.maximum(tset, tsort) >= partial], [0, 4, 3, 2], 1).astype(
        np.int8
    )


def _string(c: Comparison, feats: pa.Table, li: Idx, ri: Idx) -> Int8:
    if c.measure == "jaro_winkler":
        missing, exact, (sim,) = _text(feats, f"{c.name}__s", li, ri, [JaroWinkler.normalized_similarity])
        ordered = sorted(c.thresholds, reverse=True)  # highest similarity first
        conds = [sim >= t for t in ordered]
    else:
        missing, exact, (dist,) = _text(feats, f"{c.name}__s", li, ri, [Levenshtein.distance])
        ordered = sorted(c.thresholds)  # smallest distance first
        conds = [dist <= t for t in ordered]
    top = len(ordered) + 2
    out: Int8 = np.select([missing, exact, *conds], [0, top, *range(top - 1, 1, -1)], 1).astype(np.int8)
    return out


def _date(c: Comparison, feats: pa.Table, li: Idx, ri: Idx) -> Int8:
    missing, exact, (dist,) = _text(feats, f"{c.name}__d", li, ri, [Levenshtein.distance])
    codes, values = _codes(feats[f"{c.name}__d"])
    arr = np.array([v or "00000000" for v in values] + ["00000000"], dtype="U8")
    dl, dr = arr[codes[li]], arr[codes[ri]]
    yl, yr = np.char.ljust(dl, 4).astype("U4"), np.char.ljust(dr, 4).astype("U4")
    swapped = (yl == yr) & (np.char.add(yl, np.array([s[6:8] + s[4:6] for s in dl.tolist()], dtype="U4")) == dr)
    return np.select([missing, exact, (dist <= 1) | swapped, yl == yr], [0, 4, 3, 2], 1).astype(np.int8)


def _id_set(c: Comparison, feats: pa.Table, li: Idx, ri: Idx) -> Int8:
    col = feats[f"{c.name}__ids"].combine_chunks()
    lengths = col.value_lengths().fill_null(0).to_numpy(zero_copy_only=False)
    width = max(int(lengths.max()) if len(lengths) else 0, 1)
    flat = col.flatten()
    codes, _ = _codes(flat)
    matrix = np.full((len(lengths), width), -1, dtype=np.int64)
    rows = np.repeat(np.arange(len(lengths)), lengths)
    cols = np.arange(len(rows)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    matrix[rows, cols] = codes
    a, b = matrix[li], matrix[ri]
    shared = ((a[:, :, None] == b[:, None, :]) & (a[:, :, None] >= 0)).any(axis=(1, 2))
    missing = (lengths[li] == 0) | (lengths[ri] == 0)
    return np.select([missing, shared], [0, 2], 1).astype(np.int8)


def _exact(c: Comparison, feats: pa.Table, li: Idx, ri: Idx) -> Int8:
    missing, exact, _ = _text(feats, f"{c.name}__s", li, ri, [])
    return np.select([missing, exact], [0, 2], 1).astype(np.int8)


_KINDS = {
    "person_name": _person,
    "company_name": _company,
    "string": _string,
    "date": _date,
    "id_set": _id_set,
    "exact": _exact,
}


def gamma(cfg: MatchConfig, feats: pa.Table, li: Idx, ri: Idx) -> npt.NDArray[np.int8]:
    """The comparison-vector matrix: one row per pair, one column per comparison (level indices)."""
    out = np.zeros((len(li), len(cfg.comparisons)), dtype=np.int8)
    for j, c in enumerate(cfg.comparisons):
        if len(li):
            out[:, j] = _KINDS[c.kind](c, feats, li, ri)
    return out


def exact_values(c: Comparison, feats: pa.Table) -> pa.ChunkedArray:
    """The feature column whose equality defines the exact level (for term-frequency adjustment)."""
    suffix = {"person_name": "bag", "company_name": "key", "date": "d", "string": "s", "exact": "s"}[c.kind]
    return feats[f"{c.name}__{suffix}"]
