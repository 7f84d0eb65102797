"""Matching two encoding files without raw data: LSH candidates, per-field Dice, one-to-one pairs.

Either party (or a third that does not hold the secret) can run this; it sees bit vectors only.

* Candidate narrowing is Hamming LSH by bit sampling (Karapiperis & Verykios): each band samples a few filter
  positions of one group of fields, and records whose sampled bits all agree in some band become candidates.
  It is computed from the encodings alone, so it discloses nothing the encodings do not (unlike keyed blocking
  tokens, which disclose exact equality of their keys). Band keys shared by too many pairs are skipped, which
  bounds the work on empty or very common values.
* Each candidate pair gets a Dice coefficient per field, 2|A∧B| / (|A|+|B|): filters of all fields sit side by
  side as 64-bit words, per-record popcounts are computed once, and a batch of pairs costs one gather, one AND
  and one popcount per word, with per-field sums done eight bytes at a time (no Python loop per pair).
* Per-field Dice become a score, by configured weights (a field empty on either side carries no evidence) or
  by a Fellegi–Sunter model over Dice levels learned without labels (EM), and pairs at or above the threshold
  survive a one-to-one constraint. The result holds only each side's own
  record ids, which each party resolves back to its records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from puente.matching.fellegi_sunter import initial_m as _initial_m
from puente.matching.fellegi_sunter import level_frequencies
from puente.matching.fellegi_sunter import loglik as _loglik
from puente.matching.graph import one_to_one
from puente.matching.pprl.config import MatchSettings, NarrowingSettings, PPRLConfig, load_pprl_config
from puente.matching.pprl.encode import FIELDS, META_BITS, META_KEY_CHECK, META_SPEC

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

#: Pairs scored per batch: keeps the gathered words (2 x batch x 256 bytes) in cache-friendly chunks.
BATCH = 1 << 15


class KeyMismatchError(ValueError):
    """The two files were encoded with different secrets: their encodings cannot be compared."""


def _words(col: pa.ChunkedArray | pa.Array) -> U64:
    """Zero-copy (n, bits/64) little-endian word view of a fixed-size binary filter column."""
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    width = arr.type.byte_width
    buf = np.frombuffer(arr.buffers()[1], dtype=np.uint8, count=len(arr) * width, offset=arr.offset * width)
    return buf.reshape(len(arr), width).view("<u8")


def dice(a: U64, b: U64) -> F64:
    """Row-wise Dice coefficients of packed filters (0 when both are empty)."""
    inter = np.bitwise_count(a & b).sum(axis=1, dtype=np.int64)
    total = np.bitwise_count(a).sum(axis=1, dtype=np.int64) + np.bitwise_count(b).sum(axis=1, dtype=np.int64)
    return np.where(total > 0, 2.0 * inter / np.maximum(total, 1), 0.0)


def field_dice(a: pa.Table, b: pa.Table, li: I64, ri: I64, field: str) -> F64:
    """Dice of one field for the pairs (li, ri) of row indices."""
    return dice(_words(a[field])[li], _words(b[field])[ri])


def _field_sums(counts: npt.NDArray[np.uint8], n_fields: int) -> npt.NDArray[np.int64]:
    """Per-field sums of per-word popcounts (m, n_fields * words) → (m, n_fields)."""
    m, total = counts.shape
    per = total // n_fields
    if per % 8 == 0:  # eight byte counts (each ≤ 64) summed inside one 64-bit word, SWAR style
        v = np.ascontiguousarray(counts).view("<u8")
        x = (v & np.uint64(0x00FF00FF00FF00FF)) + ((v >> np.uint64(8)) & np.uint64(0x00FF00FF00FF00FF))
        x = (x * np.uint64(0x0001000100010001)) >> np.uint64(48)
        return np.asarray(x.reshape(m, n_fields, per // 8).sum(axis=2, dtype=np.int64), dtype=np.int64)
    return np.asarray(counts.reshape(m, n_fields, per).sum(axis=2, dtype=np.int64), dtype=np.int64)


@dataclass(frozen=True)
class Encoded:
    """One side's filters, all fields side by side: words (n, F * bits/64) and popcounts (n, F)."""

    ids: pa.Array
    fields: tuple[str, ...]
    words: U64
    ones: npt.NDArray[np.int64]

    @classmethod
    def of(cls, table: pa.Table, fields: tuple[str, ...] = FIELDS) -> Encoded:
        words = np.ascontiguousarray(np.hstack([_words(table[f]) for f in fields]))
        ones = _field_sums(np.bitwise_count(words), len(fields))
        return cls(table["record_id"].combine_chunks(), fields, words, ones)

    @property
    def n(self) -> int:
        return len(self.words)

    @property
    def width(self) -> int:
        """64-bit words per field."""
        return int(self.words.shape[1]) // len(self.fields)


def pair_dice(a: Encoded, b: Encoded, li: I64, ri: I64) -> F64:
    """Dice per field (len(li), F) for the pairs (li, ri), in batches; 0 where a field is empty on both sides."""
    out = np.empty((len(li), len(a.fields)), dtype=np.float64)
    nf = len(a.fields)
    for s in range(0, len(li), BATCH):
        la, rb = li[s : s + BATCH], ri[s : s + BATCH]
        inter = _field_sums(np.bitwise_count(a.words[la] & b.words[rb]), nf)
        total = a.ones[la] + b.ones[rb]
        out[s : s + BATCH] = 2.0 * inter / np.maximum(total, 1)
    return out


#: Records whose bits are unpacked at once while measuring position frequencies (bounds memory).
CHUNK = 1 << 16

#: Band keys carry the band's number in their top byte, so one join serves all bands.
_BAND_SHIFT = 56


def bit_weights(*encs: Encoded) -> F64:
    """Sampling weight of every filter position, p(1 - p) of its frequency over both files.

    A position set in almost every filter (an n-gram like ``_1`` of birth years) or in almost none carries no
    information and would make band keys collide for everyone; weighting by p(1 - p) draws informative
    positions. Both sides' files are used, so the same positions serve both; frequencies are a statistic the
    encodings disclose anyway.
    """
    total = sum(e.n for e in encs)
    ones = np.zeros(encs[0].words.shape[1] * 64, dtype=np.int64)
    for e in encs:
        for s in range(0, e.n, CHUNK):
            chunk = e.words[s : s + CHUNK].view(np.uint8)
            ones += np.unpackbits(chunk, axis=1, bitorder="little").sum(axis=0, dtype=np.int64)
    p = ones / max(total, 1)
    return np.asarray(p * (1 - p), dtype=np.float64)


@dataclass(frozen=True)
class _BandGroup:
    fields: list[int]  # field indices a band of this group needs present
    positions: I64  # (count, bits) sampled positions of the concatenated filters


def _band_groups(settings: NarrowingSettings, fields: tuple[str, ...], width: int, weights: F64) -> list[_BandGroup]:
    """Positions of every band: weighted sampling without replacement (Gumbel top-k) from the public seed."""
    rng = np.random.default_rng(settings.seed)
    bits = width * 64
    out = []
    for group in settings.bands:
        fidx = [fields.index(f) for f in group.fields]
        cols = np.concatenate([np.arange(f * bits, (f + 1) * bits) for f in fidx])
        nb = min(group.bits or settings.bits_per_band, len(cols))
        score = np.log(weights[cols] + 1e-12) + rng.gumbel(size=(group.count, len(cols)))
        top = np.argsort(-score, axis=1, kind="stable")[:, :nb]
        out.append(_BandGroup(fidx, np.sort(cols[top], axis=1)))
    return out


def band_keys(enc: Encoded, settings: NarrowingSettings, weights: F64) -> tuple[U64, npt.NDArray[np.bool_]]:
    """LSH keys (bands, n) of sampled filter bits (band number in the top byte), and whether each is usable.

    A band is usable for a record when all fields of its group are present: an empty field would make every
    record missing it collide. Bits are extracted word column by word column (contiguous after one transpose
    of the 64-bit words), one shift-and-mask per sampled position over all records.
    """
    groups = _band_groups(settings, enc.fields, enc.width, weights)
    n_bands = sum(len(g.positions) for g in groups)
    keys = np.zeros((n_bands, enc.n), dtype=np.uint64)
    valid = np.zeros((n_bands, enc.n), dtype=bool)
    present = enc.ones > 0
    columns = np.ascontiguousarray(enc.words.T)
    one = np.uint64(1)
    j = 0
    for g in groups:
        usable = present[:, g.fields].all(axis=1)
        for row in g.positions.tolist():
            key = keys[j]
            for t, p in enumerate(row):
                key |= ((columns[p >> 6] >> np.uint64(p & 63)) & one) << np.uint64(t)
            key |= np.uint64(j) << np.uint64(_BAND_SHIFT)
            valid[j] = usable
            j += 1
    return keys, valid


def _join(ka: U64, kb: U64, max_pairs: int) -> tuple[I64, I64]:
    """Equi-join of two key vectors (their row indices), skipping keys shared by more than ``max_pairs`` pairs."""
    oa, ob = np.argsort(ka, kind="stable"), np.argsort(kb, kind="stable")
    ua, sa, ca = np.unique(ka[oa], return_index=True, return_counts=True)
    ub, sb, cb = np.unique(kb[ob], return_index=True, return_counts=True)
    at = np.searchsorted(ub, ua)
    hit = at < len(ub)
    hit[hit] = ub[at[hit]] == ua[hit]
    ia, ib = np.flatnonzero(hit), at[hit]
    keep = ca[ia] * cb[ib] <= max_pairs
    ia, ib = ia[keep], ib[keep]
    na, nb = ca[ia], cb[ib]
    sizes = na * nb
    total = int(sizes.sum())
    block = np.repeat(np.arange(len(ia)), sizes)
    within = np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    li = oa[sa[ia][block] + within // nb[block]]
    ri = ob[sb[ib][block] + within % nb[block]]
    return li.astype(np.int64), ri.astype(np.int64)


def lsh_candidates(a: Encoded, b: Encoded, settings: NarrowingSettings | None = None) -> tuple[I64, I64]:
    """Distinct candidate pairs (row indices, sorted) sharing a Hamming-LSH band key (all pairs when few)."""
    settings = settings or load_pprl_config().narrowing
    if a.n * b.n <= settings.exhaustive_below_pairs:
        return np.repeat(np.arange(a.n), b.n), np.tile(np.arange(b.n), a.n)
    weights = bit_weights(a, b)
    ka, va = band_keys(a, settings, weights)
    kb, vb = band_keys(b, settings, weights)
    rows_a, rows_b = np.nonzero(va)[1], np.nonzero(vb)[1]
    li, ri = _join(ka[va], kb[vb], settings.max_block_pairs)
    code = np.unique(rows_a[li] * b.n + rows_b[ri])
    return code // b.n, code % b.n


def candidates(a: pa.Table, b: pa.Table, settings: NarrowingSettings | None = None) -> tuple[I64, I64]:
    """Candidate pairs of two encoding tables (the privacy-preserving way to narrow candidates)."""
    return lsh_candidates(Encoded.of(a), Encoded.of(b), settings)


def check_keys(a: pa.Table, b: pa.Table) -> None:
    """Refuse files made with different secrets or settings: their filters cannot be compared."""
    ma, mb = a.schema.metadata or {}, b.schema.metadata or {}
    if ma.get(META_KEY_CHECK) != mb.get(META_KEY_CHECK):
        raise KeyMismatchError("the two encoding files were made with different secrets")
    if ma.get(META_SPEC) != mb.get(META_SPEC) or ma.get(META_BITS) != mb.get(META_BITS):
        raise ValueError("the two encoding files were made with different encoding settings")


def score_pairs(dices: F64, present: npt.NDArray[np.bool_], weights: F64) -> F64:
    """Weighted mean of per-field Dice over the fields present on both sides (0 when none is)."""
    w = present * weights
    den = w.sum(axis=1)
    return np.asarray(np.where(den > 0, (dices * w).sum(axis=1) / np.maximum(den, 1e-12), 0.0), dtype=np.float64)


def dice_levels(dices: F64, present: npt.NDArray[np.bool_], cuts: list[float]) -> npt.NDArray[np.int8]:
    """Comparison levels per field: 0 missing on either side, then 1 + how many ``cuts`` the Dice reaches."""
    g = (np.searchsorted(np.asarray(cuts), dices, side="right") + 1).astype(np.int8)
    g[~present] = 0
    return g


def em_probabilities(a: Encoded, b: Encoded, li: I64, ri: I64, dices: F64, settings: MatchSettings) -> F64:
    """Match probability of each candidate under a Fellegi–Sunter model learned without labels.

    u (level frequencies among non-matches) comes from random pairs of encodings, nearly all non-matches; m and
    the share of matches among candidates by EM over the distinct level patterns (u fixed). The share is
    capped at min(|a|, |b|) / candidates, since each record has at most one match across the two files: it
    keeps EM from calling every candidate a match when narrowing is tight.
    """
    n_levels = [len(settings.levels) + 2] * dices.shape[1]
    rng = np.random.default_rng(settings.seed)
    ua, ub = rng.integers(0, a.n, settings.u_sample_pairs), rng.integers(0, b.n, settings.u_sample_pairs)
    u_present = (a.ones[ua] > 0) & (b.ones[ub] > 0)
    u = level_frequencies(dice_levels(pair_dice(a, b, ua, ub), u_present, settings.levels), n_levels)
    g = dice_levels(dices, (a.ones[li] > 0) & (b.ones[ri] > 0), settings.levels)
    patterns, inverse, counts = np.unique(g, axis=0, return_inverse=True, return_counts=True)
    cnt = counts.astype(np.float64)
    cap = min(a.n, b.n) / max(len(li), 1)
    m, lam = _initial_m(n_levels), min(0.1, cap)
    for _ in range(settings.max_iterations):
        lm = _loglik(patterns, m) + np.log(lam)
        lu = _loglik(patterns, u) + np.log(1 - lam)
        resp = 1.0 / (1.0 + np.exp(np.clip(lu - lm, -700, 700)))
        new_lam = float(np.clip((resp * cnt).sum() / cnt.sum(), 1e-9, min(cap, 1 - 1e-9)))
        new_m = level_frequencies(patterns, n_levels, resp * cnt)
        delta = max([abs(new_lam - lam)] + [float(np.abs(x - y).max()) for x, y in zip(new_m, m, strict=True)])
        m, lam = new_m, new_lam
        if delta < 1e-7:
            break
    lm = _loglik(patterns, m) + np.log(lam)
    lu = _loglik(patterns, u) + np.log(1 - lam)
    post = 1.0 / (1.0 + np.exp(np.clip(lu - lm, -700, 700)))
    return np.asarray(post[inverse.ravel()], dtype=np.float64)


def match_encodings(
    a: pa.Table,
    b: pa.Table,
    *,
    weights: Mapping[str, float] | None = None,
    threshold: float | None = None,
    config: PPRLConfig | str | None = None,
) -> pa.Table:
    """Pairs (a_id, b_id, score, per-field Dice) of two encoding tables, one-to-one, score ≥ threshold.

    ``config``: a :class:`PPRLConfig` or the name/path of one (default ``persons``); ``weights`` and
    ``threshold`` override its scoring settings (``weights`` implies weighted-mean scoring).
    """
    check_keys(a, b)
    cfg = config if isinstance(config, PPRLConfig) else load_pprl_config(config or "persons")
    ea, eb = Encoded.of(a), Encoded.of(b)
    li, ri = lsh_candidates(ea, eb, cfg.narrowing)
    per = pair_dice(ea, eb, li, ri)
    w = dict(weights or cfg.match.weights)
    if cfg.match.scoring == "em" and weights is None:
        score = em_probabilities(ea, eb, li, ri, per, cfg.match)
    else:
        present = (ea.ones[li] > 0) & (eb.ones[ri] > 0)
        score = score_pairs(per, present, np.array([w.get(f, 0.0) for f in ea.fields], dtype=np.float64))
    thr = cfg.match.threshold if threshold is None else threshold
    keep = one_to_one(li, ri, score, score >= thr)
    idx = np.flatnonzero(keep)
    cols: dict[str, pa.Array] = {
        "a_id": ea.ids.take(pa.array(li[idx])),
        "b_id": eb.ids.take(pa.array(ri[idx])),
        "score": pa.array(score[idx], pa.float64()),
    }
    cols |= {f"dice_{f}": pa.array(per[idx, j], pa.float64()) for j, f in enumerate(ea.fields) if f in w}
    return pa.table(cols)
