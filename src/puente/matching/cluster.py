"""From pairwise matches to entities, with a guard against chaining.

Connected components of the accepted pairs are the entities, except where a component holds evidence that it
chained unrelated records together: two members whose own comparison strongly says *different*, an analyst's
"different" judgement, more than one record of a source when each source lists an entity once, or an oversized
component. Only such flagged components are re-built, greedily from their strongest links, refusing any merge
that would join a cannot-link pair — so A~B and B~C no longer force A~C when A and C are clearly different.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from puente.matching.config import ClusterSettings
from puente.matching.graph import connected_components

Idx = npt.NDArray[np.int64]


def _flagged(labels: Idx, cl: Idx, cr: Idx, sources: Idx, cfg: ClusterSettings) -> npt.NDArray[np.bool_]:
    """Per component label: whether the component needs the guarded rebuild (masks, no sorting)."""
    n = len(labels)
    flag = np.zeros(n, dtype=bool)
    same = labels[cl] == labels[cr]
    flag[labels[cl][same]] = True  # a cannot-link pair inside one component
    flag |= np.bincount(labels, minlength=n) > cfg.max_size
    if cfg.one_per_source and n:
        width = int(sources.max()) + 1
        per_source = np.bincount(labels * width + sources, minlength=n * width).reshape(n, width)
        flag |= (per_source > 1).any(axis=1)
    return flag


def cluster(
    n: int,
    li: Idx,
    ri: Idx,
    weight: npt.NDArray[np.float64],
    accept: npt.NDArray[np.bool_],
    cannot: npt.NDArray[np.bool_],
    sources: Idx,
    cfg: ClusterSettings,
    must: npt.NDArray[np.bool_] | None = None,
) -> Idx:
    """Entity label per record. ``accept``: pairs that link; ``cannot``: pairs that must never share an entity;
    ``must``: pairs an analyst judged the same, merged before anything else and never refused."""
    must = np.zeros(len(li), dtype=bool) if must is None else must
    labels = connected_components(n, li[accept], ri[accept])
    flagged = _flagged(labels, li[cannot], ri[cannot], sources, cfg)
    if not flagged.any():
        return labels
    in_flagged = flagged[labels]
    edges = np.flatnonzero(accept & in_flagged[li])
    edges = edges[np.lexsort((-weight[edges], ~must[edges]))]  # analyst links first, then strongest
    forbid: dict[int, set[int]] = {}
    for a, b in zip(li[cannot & in_flagged[li]].tolist(), ri[cannot & in_flagged[li]].tolist(), strict=True):
        forbid.setdefault(a, set()).add(b)
        forbid.setdefault(b, set()).add(a)
    members: dict[int, set[int]] = {int(v): {int(v)} for v in np.flatnonzero(in_flagged)}
    owner: dict[int, int] = {v: v for v in members}
    src = sources.tolist()
    # Greedy rebuild, strongest link first; loops only over the few flagged components' edges.
    for a, b, forced in zip(li[edges].tolist(), ri[edges].tolist(), must[edges].tolist(), strict=True):
        ra, rb = owner[a], owner[b]
        if ra == rb:
            continue
        ma, mb = members[ra], members[rb]
        refused = (
            len(ma) + len(mb) > cfg.max_size
            or any(forbid.get(x, set()) & mb for x in ma)
            or (cfg.one_per_source and bool({src[x] for x in ma} & {src[x] for x in mb}))
        )
        if refused and not forced:
            continue
        if len(ma) < len(mb):
            ra, rb, ma, mb = rb, ra, mb, ma
        ma |= mb
        for x in mb:
            owner[x] = ra
        del members[rb]
    out = labels.copy()
    for ms in members.values():
        idx = np.fromiter(ms, dtype=np.int64)
        out[idx] = min(ms)
    return out
