"""Entity resolution end to end, as a pure function of records, configuration, engine and judgements.

features → candidate pairs (engine) → comparison vectors → u from random pairs, m and lambda by EM → match
weights (+ term-frequency adjustment) → analyst judgements applied → clusters with the anti-chaining guard.
Only blocking runs on the engine; every later step is column-wise numpy on the pairs it returns, so DuckDB and
Spark give the same matches (tests/matching/test_parity.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from puente.engine.base import Engine
from puente.matching.blocking import candidate_pairs
from puente.matching.cluster import cluster
from puente.matching.comparisons import _codes, exact_values, gamma, gamma_grid, phonetic_values
from puente.matching.config import MatchConfig
from puente.matching.features import derive
from puente.matching.fellegi_sunter import Model, estimate, level_frequencies, sample_u, tf_adjustment

F64 = npt.NDArray[np.float64]
Idx = npt.NDArray[np.int64]


@dataclass
class MatchResult:
    config: MatchConfig
    engine: str
    link: bool
    features: pa.Table
    li: Idx  # candidate pairs (row numbers)
    ri: Idx
    rule: Idx  # blocking rule that found each pair (-1: added by a judgement)
    gamma: npt.NDArray[np.int8]
    model: Model
    field_weights: F64  # pairs x comparisons, tf adjustment included
    weight: F64  # total match weight (log2 odds) per pair
    judged: npt.NDArray[np.int8]  # 1 same, -1 different, 0 none
    labels: Idx  # entity label per record

    @property
    def probability(self) -> F64:
        return 1.0 / (1.0 + np.power(2.0, -np.clip(self.weight, -60, 60)))

    @property
    def matched(self) -> npt.NDArray[np.bool_]:
        return ((self.probability >= self.config.cluster.threshold) & (self.judged >= 0)) | (self.judged > 0)

    def record_ids(self) -> npt.NDArray[np.object_]:
        return np.asarray(self.features["record_id"].to_pylist(), dtype=object)

    def matched_pairs(self) -> set[tuple[str, str]]:
        ids = self.record_ids()
        m = self.matched
        return {tuple(sorted(p)) for p in zip(ids[self.li[m]].tolist(), ids[self.ri[m]].tolist(), strict=True)}

    def explain(self, k: int) -> dict[str, object]:
        """Why pair ``k`` scored as it did: per comparison its level and weight, the prior and the total."""
        fields = {}
        for j, c in enumerate(self.config.comparisons):
            lv = int(self.gamma[k, j])
            fields[c.name] = {"level": c.levels[lv], "weight": round(float(self.field_weights[k, j]), 3)}
        return {
            "prior": round(self.model.prior_weight, 3),
            "fields": fields,
            "total": round(float(self.weight[k]), 3),
            "judged": {1: "same", -1: "different"}.get(int(self.judged[k])),
        }

    def pairs_table(self, only_matched: bool = True) -> pa.Table:
        ids = self.record_ids()
        keep = np.flatnonzero(self.matched | (self.judged != 0)) if only_matched else np.arange(len(self.li))
        return pa.table(
            {
                "left_id": pa.array(ids[self.li[keep]].tolist(), pa.string()),
                "right_id": pa.array(ids[self.ri[keep]].tolist(), pa.string()),
                "match_weight": pa.array(self.weight[keep], pa.float64()),
                "probability": pa.array(self.probability[keep], pa.float64()),
                "decided_by": pa.array(["analyst" if self.judged[k] else "model" for k in keep], pa.string()),
                "explanation": pa.array([json.dumps(self.explain(int(k))) for k in keep], pa.string()),
            }
        )

    def clusters_table(self) -> pa.Table:
        ids = self.record_ids()
        sizes = np.bincount(self.labels, minlength=len(self.labels))
        return pa.table(
            {
                "record_id": pa.array(ids.tolist(), pa.string()),
                "cluster_id": pa.array(ids[self.labels].tolist(), pa.string()),
                "cluster_size": pa.array(sizes[self.labels], pa.int64()),
            }
        )


def _judgement_pairs(feats: pa.Table, judgements: pa.Table | None) -> tuple[Idx, Idx, npt.NDArray[np.int8]]:
    if judgements is None or judgements.num_rows == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int8)
    rn = {rid: i for i, rid in enumerate(feats["record_id"].to_pylist())}
    rows = [
        (rn[a], rn[b], 1 if j == "same" else -1)
        for a, b, j in zip(
            judgements["left_id"].to_pylist(),
            judgements["right_id"].to_pylist(),
            judgements["judgement"].to_pylist(),
            strict=True,
        )
        if a in rn and b in rn and a != b
    ]  # judgements are few (analyst decisions), so a comprehension is fine here
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int8)
    arr = np.array(rows, dtype=np.int64)
    lo, hi = np.minimum(arr[:, 0], arr[:, 1]), np.maximum(arr[:, 0], arr[:, 1])
    return lo, hi, arr[:, 2].astype(np.int8)


def term_frequencies(codes: Idx) -> F64:
    """Share of each value (by dictionary code; -1 is null) among the records that hold a value."""
    valid = codes >= 0
    counts = np.bincount(codes[valid], minlength=int(codes.max()) + 1 if valid.any() else 1)
    return counts / max(int(valid.sum()), 1)


def phonetic_tf(phon: pa.ChunkedArray, li: Idx, at_level: npt.NDArray[np.bool_]) -> F64:
    """Term-frequency adjustment of the pairs ``at_level`` (names equal only once spelling is folded), 0 elsewhere.

    Such a pair's likelihood ratio is m_phonetic / (f(v) * q), where f(v) is the share of records whose folded
    name is v and q the chance that two different people who share a folded name spell it differently; q is
    u_phonetic / sum(f^2) on average over names (sum(f^2): the chance that a random pair shares a folded name), so
    the level's weight log2(m/u) is corrected by log2(sum(f^2) / f(v)), as the exact level is by its own value's
    frequency: a rare folded name (GUADALUPE CHAVEZ MARTINEZ) is strong evidence, a common one (MARIA GARCIA)
    weak.
    """
    out = np.zeros(len(li))
    if at_level.any():
        codes, _ = _codes(phon)
        freq = term_frequencies(codes)
        out[at_level] = tf_adjustment(codes[li[at_level]], freq, float((freq**2).sum()))
    return out


def random_pair_levels(cfg: MatchConfig, feats: pa.Table, sources: Idx | None) -> list[F64]:
    """u from random record pairs: level shares of a grid of about ``u_sample_pairs`` pairs (across sources
    when ``sources`` are given, for linkage), since almost every random pair is a non-match."""
    ua, ub = sample_u(feats.num_rows, cfg.em.u_sample_pairs, cfg.em.seed)
    g = gamma_grid(cfg, feats, ua, ub)
    if sources is not None:
        g = g[np.repeat(sources[ua], len(ub)) != np.tile(sources[ub], len(ua))]
    return level_frequencies(g, [len(c.levels) for c in cfg.comparisons])


def resolve(
    records: pa.Table,
    cfg: MatchConfig,
    engine: Engine,
    *,
    link: bool = False,
    judgements: pa.Table | None = None,
    train_from_judgements: bool = False,
) -> MatchResult:
    """Deduplicate (``link=False``) or link across sources (``link=True``) the records."""
    feats = derive(records, cfg)
    n = feats.num_rows
    li, ri, rule = candidate_pairs(engine, feats, cfg, link=link)
    jl, jr, jv = _judgement_pairs(feats, judgements)
    # judged pairs the blocking missed are added, so that every judgement is honoured and explained
    n_side = n + 1
    cand_key = li * n_side + ri
    j_key = jl * n_side + jr
    extra = ~np.isin(j_key, cand_key) if len(j_key) else np.zeros(0, dtype=bool)
    li = np.concatenate([li, jl[extra]])
    ri = np.concatenate([ri, jr[extra]])
    rule = np.concatenate([rule, np.full(int(extra.sum()), -1)])
    judged = np.zeros(len(li), np.int8)
    pos = {int(k): i for i, k in enumerate((li * n_side + ri).tolist())} if len(jl) else {}
    for k, v in zip(j_key.tolist(), jv.tolist(), strict=True):  # latest judgement of a pair wins
        judged[pos[k]] = v

    g = gamma(cfg, feats, li, ri)
    src_codes, _ = _codes(feats["source"])
    u_random = random_pair_levels(cfg, feats, src_codes if link else None)
    sizes = np.bincount(src_codes).astype(np.float64)
    n_all = (sizes.sum() ** 2 - (sizes**2).sum()) / 2 if link else n * (n - 1) / 2
    same = g[judged > 0] if train_from_judgements and (judged > 0).any() else None
    in_rule = np.ones((len(li), len(cfg.blocking)), dtype=bool)
    for i, br in enumerate(cfg.blocking):
        for key in br.keys:
            codes, _ = _codes(feats[key])
            in_rule[:, i] &= (codes[li] == codes[ri]) & (codes[li] >= 0)
    model = estimate(cfg, g, in_rule, u_random, n_all, same)

    weights = model.weights()
    fw = np.zeros((len(li), len(cfg.comparisons)))
    for j, c in enumerate(cfg.comparisons):
        fw[:, j] = weights[j][g[:, j]]
        if c.tf:
            codes, _ = _codes(exact_values(c, feats))
            freq = term_frequencies(codes)
            top = len(c.levels) - 1
            at_top = g[:, j] == top
            u_exact = float(model.u_random[j][top])
            fw[at_top, j] += tf_adjustment(codes[li[at_top]], freq, u_exact)
            phon = phonetic_values(c, feats)
            if phon is not None:
                fw[:, j] += phonetic_tf(phon, li, g[:, j] == top - 1)
    total = model.prior_weight + fw.sum(axis=1)
    prob = 1.0 / (1.0 + np.power(2.0, -np.clip(total, -60, 60)))
    accept = ((prob >= cfg.cluster.threshold) & (judged >= 0)) | (judged > 0)
    cannot = ((total < cfg.cluster.cannot_link_weight) | (judged < 0)) & (judged <= 0)
    labels = cluster(n, li, ri, total, accept, cannot, src_codes, cfg.cluster, must=judged > 0)
    return MatchResult(cfg, engine.name, link, feats, li, ri, rule, g, model, fw, total, judged, labels)
