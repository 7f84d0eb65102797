"""Matching two encoding files without raw data: keyed-block candidates, per-field Dice, one-to-one pairs.

Either party (or a third) can run this; it sees bit vectors and keyed hashes only. Each candidate pair gets a
Dice coefficient per field (2|A∧B| / (|A|+|B|), popcounts on packed 64-bit words), combined into a score by
configured field weights; pairs at or above the threshold survive a one-to-one constraint. The result holds
only each side's own record ids, which each party resolves back to its records.
"""

from __future__ import annotations

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from puente.matching.graph import one_to_one
from puente.matching.pprl.encode import META_KEY_CHECK

DEFAULT_WEIGHTS = {"name": 0.5, "dob": 0.3, "address": 0.1, "ids": 0.1}
BLOCKS = ("block_name_year", "block_dob", "block_name")


class KeyMismatchError(ValueError):
    """The two files were encoded with different secrets: their encodings cannot be compared."""


def _words(col: pa.ChunkedArray | pa.Array) -> npt.NDArray[np.uint64]:
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    width = arr.type.byte_width
    buf = np.frombuffer(arr.buffers()[1], dtype=np.uint8, count=len(arr) * width, offset=arr.offset * width)
    return buf.reshape(len(arr), width).view(np.uint64)


def dice(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> npt.NDArray[np.float64]:
    """Row-wise Dice coefficients of packed filters (0 when both are empty)."""
    inter = np.bitwise_count(a & b).sum(axis=1, dtype=np.int64)
    total = np.bitwise_count(a).sum(axis=1, dtype=np.int64) + np.bitwise_count(b).sum(axis=1, dtype=np.int64)
    return np.where(total > 0, 2.0 * inter / np.maximum(total, 1), 0.0)


def candidates(a: pa.Table, b: pa.Table) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Candidate pairs sharing any keyed blocking key (the privacy-preserving way to narrow candidates)."""
    con = duckdb.connect()
    try:
        con.register("a", a.select(list(BLOCKS)).append_column("rn", pa.array(np.arange(a.num_rows), pa.int64())))
        con.register("b", b.select(list(BLOCKS)).append_column("rn", pa.array(np.arange(b.num_rows), pa.int64())))
        sql = " UNION ".join(f"SELECT a.rn AS li, b.rn AS ri FROM a JOIN b ON a.{k} = b.{k}" for k in BLOCKS)
        pairs = con.sql(f"SELECT * FROM ({sql}) ORDER BY li, ri").fetchnumpy()
    finally:
        con.close()
    return pairs["li"].astype(np.int64), pairs["ri"].astype(np.int64)


def field_dice(
    a: pa.Table, b: pa.Table, li: npt.NDArray[np.int64], ri: npt.NDArray[np.int64], field: str
) -> npt.NDArray[np.float64]:
    return dice(_words(a[field])[li], _words(b[field])[ri])


def check_keys(a: pa.Table, b: pa.Table) -> None:
    ka = (a.schema.metadata or {}).get(META_KEY_CHECK)
    kb = (b.schema.metadata or {}).get(META_KEY_CHECK)
    if ka != kb:
        raise KeyMismatchError("the two encoding files were made with different secrets")


def match_encodings(
    a: pa.Table, b: pa.Table, *, weights: dict[str, float] | None = None, threshold: float = 0.85
) -> pa.Table:
    """Pairs (a_id, b_id, score, per-field Dice) of two encoding tables, one-to-one, score ≥ threshold."""
    check_keys(a, b)
    w = weights or DEFAULT_WEIGHTS
    li, ri = candidates(a, b)
    per = {f: field_dice(a, b, li, ri, f) for f in w}
    # a field empty on either side carries no evidence: its weight is left out of that pair's average
    present = {
        f: (np.bitwise_count(_words(a[f])[li]).sum(axis=1) > 0) & (np.bitwise_count(_words(b[f])[ri]).sum(axis=1) > 0)
        for f in w
    }
    num = sum(w[f] * per[f] * present[f] for f in w)
    den = sum(w[f] * present[f] for f in w)
    score = np.where(np.asarray(den) > 0, np.asarray(num) / np.maximum(np.asarray(den), 1e-9), 0.0)
    keep = one_to_one(li, ri, score, score >= threshold)
    idx = np.flatnonzero(keep)
    cols: dict[str, pa.Array] = {
        "a_id": a["record_id"].combine_chunks().take(pa.array(li[idx])),
        "b_id": b["record_id"].combine_chunks().take(pa.array(ri[idx])),
        "score": pa.array(score[idx], pa.float64()),
    }
    cols |= {f"dice_{f}": pa.array(per[f][idx], pa.float64()) for f in w}
    return pa.table(cols)
