"""Columnar graph primitives shared by clustering and reconciliation: components and one-to-one assignment.

Both run as a few vectorised numpy passes over the whole edge list (rounds, never a Python loop over pairs), so
they cost the same on ten pairs and on ten million.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


def connected_components(n: int, src: npt.ArrayLike, dst: npt.ArrayLike) -> IntArray:
    """Component label of each of ``n`` nodes (the smallest node index in its component).

    Min-label propagation with pointer jumping: each round every edge pulls both ends to the smaller label,
    then labels are shortcut to their label's label until stable; rounds grow with log of the diameter.
    """
    labels = np.arange(n, dtype=np.int64)
    s = np.asarray(src, dtype=np.int64)
    d = np.asarray(dst, dtype=np.int64)
    if len(s) == 0:
        return labels
    while True:
        low = np.minimum(labels[s], labels[d])
        new = labels.copy()
        np.minimum.at(new, s, low)
        np.minimum.at(new, d, low)
        while True:  # pointer jumping: label <- label of label
            jumped = new[new]
            if np.array_equal(jumped, new):
                break
            new = jumped
        if np.array_equal(new, labels):
            return labels
        labels = new


def one_to_one(
    left: npt.ArrayLike, right: npt.ArrayLike, score: npt.ArrayLike, accept: npt.ArrayLike
) -> npt.NDArray[np.bool_]:
    """Which accepted pairs survive a one-to-one constraint, by rounds of mutual best choice.

    In each round every left and right record picks its best remaining pair (ties broken by indices, so the
    result is deterministic); pairs chosen by both ends are kept and their records leave the pool. The best
    remaining pair overall is always mutual, so every round makes progress.
    """
    li = np.asarray(left, dtype=np.int64)
    ri = np.asarray(right, dtype=np.int64)
    sc = np.asarray(score, dtype=np.float64)
    alive = np.asarray(accept, dtype=bool).copy()
    chosen = np.zeros(len(li), dtype=bool)
    while alive.any():
        idx = np.flatnonzero(alive)
        order = idx[np.lexsort((ri[idx], li[idx], -sc[idx]))]
        _, first_l = np.unique(li[order], return_index=True)
        _, first_r = np.unique(ri[order], return_index=True)
        mutual = np.intersect1d(order[first_l], order[first_r])
        chosen[mutual] = True
        alive &= ~np.isin(li, li[mutual]) & ~np.isin(ri, ri[mutual])
    return chosen
