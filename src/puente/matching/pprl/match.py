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
from functools import cached_property

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

#: Pairs scored per batch: the gathered words (2 x batch x 256 bytes at 4 x 512 bits) stay in L2 between steps.
BATCH = 1 << 12


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

    @cached_property
    def half(self) -> F64:
        """Half of each filter's popcount, (n, F) floats, the Dice denominator's share (an empty filter: 1/4).

        Any nonzero value serves an empty filter: its intersection with anything is 0, so its Dice is 0.
        """
        return np.where(self.ones > 0, self.ones / 2.0, 0.25)

    @property
    def n(self) -> int:
        return len(self.words)

    @property
    def width(self) -> int:
        """64-bit words per field."""
        return int(self.words.shape[1]) // len(self.fields)


def pair_dice(a: Encoded, b: Encoded, li: I64, ri: I64) -> F64:
    """Dice per field (len(li), F) for the pairs (li, ri), in batches; 0 where a field is empty on either side.

    One comparison is one record pair: all F field filters of both records, ``F * bits / 64`` words a side.
    A batch of pairs costs two row gathers into preallocated buffers (``take`` in ``clip`` mode: the default
    ``raise`` mode buffers its output), one AND, one popcount per word and a per-field sum eight byte-counts at
    a time; every step writes into buffers that stay in L2 across batches, so the loop allocates nothing.
    Denominators come from per-record popcounts computed once (:attr:`Encoded.half`). Pairs sorted by left row
    (as narrowing returns them) gather the left side from cache.
    """
    nf, words = len(a.fields), a.words.shape[1]
    m = len(li)
    out = np.empty((m, nf), dtype=np.float64)
    if m == 0:
        return out
    li, ri = np.asarray(li, dtype=np.intp), np.asarray(ri, dtype=np.intp)
    if li.min() < 0 or ri.min() < 0 or li.max() >= a.n or ri.max() >= b.n:  # clip mode below would not raise
        raise IndexError("pair_dice: row index out of range")
    batch = min(BATCH, m)
    wa, wb = np.empty((batch, words), np.uint64), np.empty((batch, words), np.uint64)
    counts = np.empty((batch, words), np.uint8)
    inter, spare = np.empty((batch, nf), np.uint64), np.empty((batch, nf), np.uint64)
    den, den_b = np.empty((batch, nf), np.float64), np.empty((batch, nf), np.float64)
    swar = a.width % 8 == 0  # eight byte-counts of a field fit one 64-bit word
    ha, hb = a.half, b.half
    for s in range(0, m, batch):
        la, rb = li[s : s + batch], ri[s : s + batch]
        k = len(la)
        xa, xb, c, t, d = wa[:k], wb[:k], counts[:k], inter[:k], den[:k]
        np.take(a.words, la, axis=0, out=xa, mode="clip")
        np.take(b.words, rb, axis=0, out=xb, mode="clip")
        np.bitwise_and(xa, xb, out=xa)
        np.bitwise_count(xa, out=c)
        if swar:
            _swar_field_sums(c, nf, t, spare[:k])
        else:
            np.sum(c.reshape(k, nf, -1), axis=2, dtype=np.uint64, out=t)
        np.take(ha, la, axis=0, out=d, mode="clip")
        np.take(hb, rb, axis=0, out=den_b[:k], mode="clip")
        np.add(d, den_b[:k], out=d)
        np.divide(t, d, out=out[s : s + k])  # |A∧B| / ((|A| + |B|) / 2), exact as 2|A∧B| / (|A| + |B|)
    return out


_LOW_BYTES = np.uint64(0x00FF00FF00FF00FF)
_SUM_LANES = np.uint64(0x0001000100010001)


def _swar_field_sums(counts: npt.NDArray[np.uint8], nf: int, out: U64, spare: U64) -> None:
    """Per-field sums of byte popcounts (k, nf * 8 * j) into ``out`` (k, nf), in place (``counts`` is clobbered).

    Byte pairs are added into 16-bit lanes (each <= 128), a field's groups of eight words add lane-wise, and the
    four lanes are summed by one multiply: exact while 512 * groups < 2**16 (configs allow 16 groups).
    """
    k = len(counts)
    v = counts.view(np.uint64).reshape(k, nf, -1)
    if v.shape[2] == 1:
        v2 = v.reshape(k, nf)
        np.bitwise_and(v2, _LOW_BYTES, out=out)
        np.right_shift(v2, np.uint64(8), out=v2)
        np.bitwise_and(v2, _LOW_BYTES, out=v2)
        np.add(out, v2, out=out)
    else:
        lanes = (v & _LOW_BYTES) + ((v >> np.uint64(8)) & _LOW_BYTES)
        np.sum(lanes, axis=2, out=out)
    np.multiply(out, _SUM_LANES, out=out)
    np.right_shift(out, np.uint64(48), out=out)


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
    unless: list[int]  # field indices one side of a pair must lack (empty: any pair)


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
        out.append(_BandGroup(fidx, np.sort(cols[top], axis=1), [fields.index(f) for f in group.unless]))
    return out


#: Random odd 64-bit multipliers of the band hash, one per 32-bit half-word of the filters, then band salts.
_MULTIPLIERS = np.random.default_rng(0x5EED).integers(
    0, 2**64 - 1, size=8192, dtype=np.uint64, endpoint=True
) | np.uint64(1)

#: Row indices live in the low bits of a sort word, the band hash in the rest (one in-register sort per band).
_ROW_BITS = 24


@dataclass(frozen=True)
class _Band:
    fields: list[int]  # field indices that must be present on a record for this band to apply
    unless: list[int]  # field indices one record of a pair must lack (empty: any pair)
    halves: I64  # 32-bit half-words of the filters the sampled positions fall in
    masks: U64  # the sampled positions' bits in each of those half-words
    salt: np.uint64  # distinguishes bands, so that keys of different bands never meet


def _bands(settings: NarrowingSettings, fields: tuple[str, ...], width: int, weights: F64) -> list[_Band]:
    out = []
    for j, (fidx, unless, positions) in enumerate(
        (g.fields, g.unless, row) for g in _band_groups(settings, fields, width, weights) for row in g.positions
    ):
        halves, at = np.unique(positions >> 5, return_inverse=True)
        masks = np.zeros(len(halves), dtype=np.uint64)
        np.bitwise_or.at(masks, at, np.left_shift(np.uint64(1), (positions & 31).astype(np.uint64)))
        out.append(_Band(fidx, unless, halves, masks, _MULTIPLIERS[-1 - j]))
    return out


def _band_hash(halves: npt.NDArray[np.uint32], band: _Band, out: U64, tmp: npt.NDArray[np.uint32]) -> U64:
    """Hash of a band's sampled bits for every record: salt + sum of (half-word AND mask) x random 64-bit odd.

    Multilinear hashing of 32-bit values (Lemire & Kaser): records whose sampled bits agree get the same hash,
    others share the top 40 bits with probability about 2**-32 (an extra candidate, never a lost one). Cost:
    three vector operations per half-word touched rather than a shift and a mask per sampled bit.
    """
    out.fill(band.salt)
    for h, m in zip(band.halves.tolist(), band.masks.tolist(), strict=True):
        np.bitwise_and(halves[h], np.uint32(m), out=tmp)
        out += tmp * _MULTIPLIERS[h]
    return out


def _sorted_band(h: U64, usable: npt.NDArray[np.bool_]) -> U64:
    """The (hash << ROW_BITS | row) words of the ``usable`` records, sorted (the band hash in the high bits)."""
    x = h[usable]
    x >>= np.uint64(_ROW_BITS)
    x <<= np.uint64(_ROW_BITS)
    x |= np.flatnonzero(usable).astype(np.uint64)
    x.sort()
    return x


def _all_present(present: npt.NDArray[np.bool_], fields: list[int]) -> npt.NDArray[np.bool_]:
    return np.asarray(present[:, fields].all(axis=1), dtype=np.bool_)


def _band_pairs(ha: U64, hb: U64, ua: npt.NDArray[np.bool_], ub: npt.NDArray[np.bool_], max_pairs: int) -> I64:
    """Row pairs (as left, right rows stacked) whose band hashes agree, among the usable records."""
    li, ri = _join_sorted(_sorted_band(ha, ua), _sorted_band(hb, ub), max_pairs)
    return np.stack([li, ri])


def _join_sorted(xa: U64, xb: U64, max_pairs: int) -> tuple[I64, I64]:
    """Row pairs of two sorted (hash, row) word vectors whose hashes agree, skipping oversized blocks."""
    low = np.uint64((1 << _ROW_BITS) - 1)
    ka, kb = xa >> np.uint64(_ROW_BITS), xb >> np.uint64(_ROW_BITS)
    li, ri = _join_blocks(ka, kb, max_pairs)
    return (xa[li] & low).astype(np.int64), (xb[ri] & low).astype(np.int64)


def _join_blocks(ka: U64, kb: U64, max_pairs: int) -> tuple[I64, I64]:
    """Equi-join of two *sorted* key vectors (positions in them), skipping keys shared by > ``max_pairs`` pairs."""
    sa = np.flatnonzero(np.r_[True, ka[1:] != ka[:-1]]) if len(ka) else np.zeros(0, np.int64)
    sb = np.flatnonzero(np.r_[True, kb[1:] != kb[:-1]]) if len(kb) else np.zeros(0, np.int64)
    ca, cb = np.diff(np.r_[sa, len(ka)]), np.diff(np.r_[sb, len(kb)])
    ua, ub = ka[sa], kb[sb]
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
    return sa[ia][block] + within // nb[block], sb[ib][block] + within % nb[block]


def _join(ka: U64, kb: U64, max_pairs: int) -> tuple[I64, I64]:
    """Equi-join of two key vectors (their row indices), skipping keys shared by more than ``max_pairs`` pairs."""
    oa, ob = np.argsort(ka, kind="stable"), np.argsort(kb, kind="stable")
    li, ri = _join_blocks(ka[oa], kb[ob], max_pairs)
    return oa[li].astype(np.int64), ob[ri].astype(np.int64)


def _distinct_sorted(codes: I64) -> I64:
    """Sorted distinct values (a sort and a mask: far faster than a hash set for tens of millions)."""
    codes.sort()
    return codes[np.r_[True, codes[1:] != codes[:-1]]] if len(codes) else codes


#: Candidate codes gathered before they are deduplicated (bounds memory at 1M x 1M records).
_MERGE_EVERY = 1 << 25


def lsh_candidates(a: Encoded, b: Encoded, settings: NarrowingSettings | None = None) -> tuple[I64, I64]:
    """Distinct candidate pairs (row indices, sorted) sharing a Hamming-LSH band key (all pairs when few).

    Band by band: each side's usable records are hashed on the band's sampled bits, sorted together with their
    row numbers in one word, and joined block by block; candidate codes (left x |b| + right) are deduplicated
    every few tens of millions, so memory follows the distinct candidates, not the bands.
    """
    settings = settings or load_pprl_config().narrowing
    if a.n * b.n <= settings.exhaustive_below_pairs:
        return np.repeat(np.arange(a.n), b.n), np.tile(np.arange(b.n), a.n)
    if max(a.n, b.n) >= 1 << _ROW_BITS:
        raise ValueError(f"narrowing handles files of up to {(1 << _ROW_BITS) - 1:,} records")
    bands = _bands(settings, a.fields, a.width, bit_weights(a, b))
    cols_a, cols_b = (np.ascontiguousarray(e.words.view(np.uint32).T) for e in (a, b))  # (2 x words, n) each
    pa_, pb_ = a.ones > 0, b.ones > 0
    bufs_a = (np.empty(a.n, np.uint64), np.empty(a.n, np.uint32))
    bufs_b = (np.empty(b.n, np.uint64), np.empty(b.n, np.uint32))
    merged = np.zeros(0, dtype=np.int64)
    pending: list[I64] = []
    size = 0
    for band in bands:
        ha, hb = _band_hash(cols_a, band, *bufs_a), _band_hash(cols_b, band, *bufs_b)
        ua, ub = _all_present(pa_, band.fields), _all_present(pb_, band.fields)
        if band.unless:  # one side lacks a field: (lacking a x any b) + (complete a x lacking b)
            la, lb = ~_all_present(pa_, band.unless), ~_all_present(pb_, band.unless)
            pairs = np.hstack(
                [
                    _band_pairs(ha, hb, ua & la, ub, settings.max_block_pairs),
                    _band_pairs(ha, hb, ua & ~la, ub & lb, settings.max_block_pairs),
                ]
            )
        else:
            pairs = _band_pairs(ha, hb, ua, ub, settings.max_block_pairs)
        pending.append(pairs[0] * b.n + pairs[1])
        size += pairs.shape[1]
        if size >= _MERGE_EVERY:
            merged = _distinct_sorted(np.concatenate([merged, *pending]))
            pending, size = [], 0
    code = _distinct_sorted(np.concatenate([merged, *pending]))
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
