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


class _Cut:
    """A similarity scorer with a score cutoff: scores below it come back as 0, which no level tells apart
    from the cutoff's own 'below' (levels only ask ``>= threshold`` with thresholds at or above the cutoff),
    and rapidfuzz skips most of the work for pairs it can bound below the cutoff."""

    def __init__(self, scorer: Scorer, cutoff: float) -> None:
        self.scorer, self.cutoff = scorer, cutoff


def _score_kwargs(s: Scorer | _Cut) -> dict[str, Any]:
    return {"scorer": s.scorer, "score_cutoff": s.cutoff} if isinstance(s, _Cut) else {"scorer": s}


#: rows of the two samples of a grid: the pairs are ``repeat(a, len(b))``, ``tile(b, len(a))`` (row-major)
Grid = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]


def _codes(col: pa.ChunkedArray | pa.Array) -> tuple[npt.NDArray[np.int64], list[str | None]]:
    """Dictionary codes of a string column (-1 for null) and the dictionary."""
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    enc = arr.dictionary_encode()
    return enc.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64), enc.dictionary.to_pylist()


def _unique_pairs(
    cl: npt.NDArray[np.int64], cr: npt.NDArray[np.int64], values: list[str | None], scorers: list[Scorer | _Cut]
) -> list[npt.NDArray[np.float64]]:
    """Scores of each scorer for every pair (codes ``cl``, ``cr``, both non-negative), computed per distinct pair.

    Distinct pairs come from Arrow's hash-based ``dictionary_encode`` (linear, no sort) and the strings are
    gathered by NumPy fancy indexing of an object array, so no Python code runs per pair: the only per-pair work
    is rapidfuzz's C++ loop over the distinct pairs.
    """
    n = max(len(values), 1)
    enc = pa.array(cl * n + cr, pa.int64()).dictionary_encode()
    uniq = enc.dictionary.to_numpy()
    inverse = enc.indices.to_numpy()
    vals = np.asarray(values, dtype=object)
    a, b = vals[uniq // n], vals[uniq % n]
    return [np.asarray(process.cpdist(a, b, workers=1, **_score_kwargs(s)), dtype=np.float64)[inverse] for s in scorers]


def _grid_scores(
    codes: npt.NDArray[np.int64], values: list[str | None], grid: Grid, scorers: list[Scorer | _Cut]
) -> list[npt.NDArray[np.float64]]:
    """Scores of every grid pair (row-major), each scorer run once on distinct values x distinct values."""
    ua, ia = np.unique(codes[grid[0]], return_inverse=True)
    ub, ib = np.unique(codes[grid[1]], return_inverse=True)
    vals = np.asarray([*values, ""], dtype=object)  # code -1 (null) reads "" and is masked as missing anyway
    a, b = vals[ua], vals[ub]
    out = []
    for s in scorers:
        matrix = process.cdist(a, b, workers=1, **_score_kwargs(s))  # same dtype as cpdist gives: identical levels
        out.append(matrix[ia][:, ib].ravel().astype(np.float64))
    return out


def _text(
    feats: pa.Table, col: str, li: Idx, ri: Idx, scorers: list[Scorer | _Cut], grid: Grid | None = None
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], list[npt.NDArray[np.float64]]]:
    codes, values = _codes(feats[col])
    cl, cr = codes[li], codes[ri]
    missing = (cl < 0) | (cr < 0)
    exact = (cl == cr) & ~missing
    todo = ~missing & ~exact
    if grid is not None and scorers:
        scores = _grid_scores(codes, values, grid, scorers)
        for s in scores:
            s[~todo] = 0.0
        return missing, exact, scores
    scores = [np.zeros(len(li)) for _ in scorers]
    if todo.any() and scorers:
        got = _unique_pairs(cl[todo], cr[todo], values, scorers)
        for s, g in zip(scores, got, strict=True):
            s[todo] = g
    return missing, exact, scores


def _scores_where(
    feats: pa.Table, col: str, li: Idx, ri: Idx, where: npt.NDArray[np.bool_], scorer: Scorer | _Cut, grid: Grid | None
) -> npt.NDArray[np.float64]:
    """One scorer's scores of the pairs in ``where`` (which must have both values present), 0 elsewhere."""
    if grid is not None:
        codes, values = _codes(feats[col])
        (score,) = _grid_scores(codes, values, grid, [scorer])
        score[~where] = 0.0
        return score
    out = np.zeros(len(li))
    if where.any():
        codes, values = _codes(feats[col])
        (out[where],) = _unique_pairs(codes[li[where]], codes[ri[where]], values, [scorer])
    return out


def _person(c: Comparison, feats: pa.Table, li: Idx, ri: Idx, grid: Grid | None = None) -> Int8:
    """Levels from the token-set ratio of the name bags and of their spelling-folded forms (the better of the
    two) and the partial token-sort ratio of the folded forms. Each scorer runs only on the pairs whose level
    it can still change: the folded forms first (they agree more often), the raw bags only where that fell
    short of ``strong``, the alignment only where both fell short of ``partial``."""
    strong, partial = ([*c.thresholds, 90.0, 75.0])[:2] if len(c.thresholds) < 2 else c.thresholds[:2]
    missing, exact, _ = _text(feats, f"{c.name}__bag", li, ri, [], grid)
    _, phon_exact, _ = _text(feats, f"{c.name}__phon", li, ri, [], grid)
    todo = ~missing & ~exact & ~phon_exact
    sim = _scores_where(feats, f"{c.name}__phon", li, ri, todo, _Cut(fuzz.token_set_ratio, partial), grid)
    todo &= sim < strong
    sim = np.maximum(
        sim, _scores_where(feats, f"{c.name}__bag", li, ri, todo, _Cut(fuzz.token_set_ratio, partial), grid)
    )
    todo &= sim < partial
    aligned = _scores_where(
        feats, f"{c.name}__phon", li, ri, todo, _Cut(fuzz.partial_token_sort_ratio, strong - 5), grid
    )
    close = (sim >= partial) | (aligned >= strong - 5)
    if c.phonetic:
        return np.select([missing, exact, phon_exact, sim >= strong, close], [0, 5, 4, 3, 2], 1).astype(np.int8)
    return np.select([missing, exact, phon_exact | (sim >= strong), close], [0, 4, 3, 2], 1).astype(np.int8)


def _company(c: Comparison, feats: pa.Table, li: Idx, ri: Idx, grid: Grid | None = None) -> Int8:
    strong, partial = ([*c.thresholds, 92.0, 80.0])[:2] if len(c.thresholds) < 2 else c.thresholds[:2]
    missing, exact, (tset, tsort) = _text(
        feats,
        f"{c.name}__key",
        li,
        ri,
        [_Cut(fuzz.token_set_ratio, partial), _Cut(fuzz.token_sort_ratio, partial)],
        grid,
    )
    return np.select([missing, exact, tsort >= strong, np.maximum(tset, tsort) >= partial], [0, 4, 3, 2], 1).astype(
        np.int8
    )


def _string(c: Comparison, feats: pa.Table, li: Idx, ri: Idx, grid: Grid | None = None) -> Int8:
    if c.measure == "jaro_winkler":
        missing, exact, (sim,) = _text(
            feats, f"{c.name}__s", li, ri, [_Cut(JaroWinkler.normalized_similarity, min(c.thresholds))], grid
        )
        ordered = sorted(c.thresholds, reverse=True)  # highest similarity first
        conds = [sim >= t for t in ordered]
    else:
        missing, exact, (dist,) = _text(feats, f"{c.name}__s", li, ri, [Levenshtein.distance], grid)
        ordered = sorted(c.thresholds)  # smallest distance first
        conds = [dist <= t for t in ordered]
    top = len(ordered) + 2
    out: Int8 = np.select([missing, exact, *conds], [0, top, *range(top - 1, 1, -1)], 1).astype(np.int8)
    return out


def _date(c: Comparison, feats: pa.Table, li: Idx, ri: Idx, grid: Grid | None = None) -> Int8:
    missing, exact, (dist,) = _text(feats, f"{c.name}__d", li, ri, [Levenshtein.distance], grid)
    codes, values = _codes(feats[f"{c.name}__d"])
    # year and day/month-swapped rendering per *distinct* date (as integers), then compared per pair by code
    digits = np.array([int(v) if v else 0 for v in values] + [0], dtype=np.int64)
    year = digits // 10000
    swapped_value = year * 10000 + (digits % 100) * 100 + (digits // 100) % 100
    cl, cr = codes[li], codes[ri]
    same_year = year[cl] == year[cr]
    swapped = swapped_value[cl] == digits[cr]
    return np.select([missing, exact, (dist <= 1) | swapped, same_year], [0, 4, 3, 2], 1).astype(np.int8)


def _id_set(c: Comparison, feats: pa.Table, li: Idx, ri: Idx, grid: Grid | None = None) -> Int8:
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


def _exact(c: Comparison, feats: pa.Table, li: Idx, ri: Idx, grid: Grid | None = None) -> Int8:
    missing, exact, _ = _text(feats, f"{c.name}__s", li, ri, [], grid)
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


def gamma_grid(cfg: MatchConfig, feats: pa.Table, a: Idx, b: Idx) -> npt.NDArray[np.int8]:
    """:func:`gamma` of every pair of a row of ``a`` with a row of ``b``, row-major (``a[0]`` with all of ``b``
    first); the same levels as ``gamma(cfg, feats, repeat(a, len(b)), tile(b, len(a)))``, computed faster."""
    # levels depend on the two records' values only, so the grid runs on just its sampled rows (a few thousand,
    # however large the table): every per-column step (dictionary codes, id lists) shrinks with it
    sub = feats.take(pa.array(np.concatenate([a, b])))
    a, b = np.arange(len(a), dtype=np.int64), np.arange(len(a), len(a) + len(b), dtype=np.int64)
    li, ri = np.repeat(a, len(b)), np.tile(b, len(a))
    out = np.zeros((len(li), len(cfg.comparisons)), dtype=np.int8)
    for j, c in enumerate(cfg.comparisons):
        if len(li):
            out[:, j] = _KINDS[c.kind](c, sub, li, ri, (a, b))
    return out


def exact_values(c: Comparison, feats: pa.Table) -> pa.ChunkedArray:
    """The feature column whose equality defines the exact level (for term-frequency adjustment)."""
    suffix = {"person_name": "bag", "company_name": "key", "date": "d", "string": "s", "exact": "s"}[c.kind]
    return feats[f"{c.name}__{suffix}"]


def phonetic_values(c: Comparison, feats: pa.Table) -> pa.ChunkedArray | None:
    """The feature column whose equality defines the phonetic level (the spelling-folded name), if any."""
    return feats[f"{c.name}__phon"] if c.kind == "person_name" and c.phonetic else None
