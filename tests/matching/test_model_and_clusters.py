"""EM recovers known parameters; clustering links, and its guard refuses to chain unrelated records."""

from __future__ import annotations

import numpy as np

from puente.matching.cluster import cluster
from puente.matching.config import BlockingRule, ClusterSettings, Comparison, MatchConfig
from puente.matching.fellegi_sunter import estimate, level_frequencies
from puente.matching.graph import connected_components, one_to_one

M = [
    np.array([0.0, 0.05, 0.15, 0.8]),
    np.array([0.0, 0.1, 0.9]),
    np.array([0.0, 0.2, 0.3, 0.5]),
    np.array([0.0, 0.05, 0.95]),
]
U = [
    np.array([0.0, 0.9, 0.08, 0.02]),
    np.array([0.0, 0.7, 0.3]),
    np.array([0.0, 0.85, 0.1, 0.05]),
    np.array([0.0, 0.6, 0.4]),
]


def _cfg() -> MatchConfig:
    comps = [Comparison(name=f"c{j}", kind="exact" if len(M[j]) == 3 else "date", columns=["x"]) for j in range(4)]
    # date has 5 levels, exact 3: rebuild the synthetic m/u to those sizes below
    return MatchConfig(
        version=1, name="syn", id_column="id", blocking=[BlockingRule(name="b", keys=["blk__k"])], comparisons=comps
    )


def test_em_recovers_known_parameters() -> None:
    cfg = _cfg()
    n_levels = [len(c.levels) for c in cfg.comparisons]
    m = [np.pad(x[1:], (1, n - len(x)))[:n] for x, n in zip(M, n_levels, strict=True)]
    u = [np.pad(x[1:], (1, n - len(x)))[:n] for x, n in zip(U, n_levels, strict=True)]
    for arr in (*m, *u):
        arr[1:] /= arr[1:].sum()
    rng = np.random.default_rng(1)
    n, lam = 200_000, 0.15
    is_match = rng.random(n) < lam
    g = np.zeros((n, 4), dtype=np.int8)
    for j in range(4):
        g[is_match, j] = rng.choice(n_levels[j], is_match.sum(), p=np.r_[0, m[j][1:]])
        g[~is_match, j] = rng.choice(n_levels[j], (~is_match).sum(), p=np.r_[0, u[j][1:]])
    u_true = [np.r_[1.0, x[1:]] for x in u]
    model = estimate(cfg, g, np.ones((n, 1), dtype=bool), u_true, n_all_pairs=n / lam * lam / 0.15)
    for j in range(4):
        np.testing.assert_allclose(model.m[j][1:], m[j][1:], atol=0.02)
    # labelled training gives the same m from the true matches alone
    labelled = estimate(cfg, g, np.ones((n, 1), dtype=bool), u_true, n, labelled_same=g[is_match])
    for j in range(4):
        np.testing.assert_allclose(labelled.m[j][1:], m[j][1:], atol=0.01)
    assert level_frequencies(g[~is_match], n_levels)[0][0] == 1.0  # the missing level is never a share


def test_connected_components_and_one_to_one() -> None:
    assert connected_components(7, [0, 1, 5], [1, 2, 6]).tolist() == [0, 0, 0, 3, 4, 5, 5]
    keep = one_to_one([0, 0, 1, 1], [0, 1, 0, 1], [5.0, 4.0, 6.0, 1.0], [True, True, True, True])
    assert keep.tolist() == [False, True, True, False]


def test_guard_against_chaining() -> None:
    # A~B and B~C are strong links, but A and C clearly differ: C must not join A's entity.
    li, ri = np.array([0, 1, 0, 3]), np.array([1, 2, 2, 4])
    w = np.array([20.0, 15.0, -30.0, 12.0])
    accept = w > 0
    cannot = w < -5
    labels = cluster(5, li, ri, w, accept, cannot, np.zeros(5, dtype=np.int64), ClusterSettings())
    assert labels[0] == labels[1] != labels[2]
    assert labels[3] == labels[4]
    # without the cannot-link evidence the chain would join all three
    plain = cluster(5, li, ri, w, accept, np.zeros(4, dtype=bool), np.zeros(5, dtype=np.int64), ClusterSettings())
    assert plain[0] == plain[1] == plain[2]


def test_one_record_per_source_and_max_size() -> None:
    li, ri = np.array([0, 1]), np.array([1, 2])
    w = np.array([20.0, 10.0])
    sources = np.array([0, 1, 0])  # records 0 and 2 come from the same registry
    labels = cluster(3, li, ri, w, w > 0, np.zeros(2, dtype=bool), sources, ClusterSettings(one_per_source=True))
    assert labels[0] == labels[1] != labels[2]
    chain = np.arange(9)
    labels = cluster(
        10,
        chain,
        chain + 1,
        np.full(9, 10.0),
        np.ones(9, dtype=bool),
        np.zeros(9, dtype=bool),
        np.zeros(10, dtype=np.int64),
        ClusterSettings(max_size=4),
    )
    assert np.bincount(labels).max() <= 4
