"""Each graph algorithm on small handmade graphs whose answer is known."""

from __future__ import annotations

import numpy as np

from puente.network import algorithms as alg


def _graph(pairs: list[tuple[int, int]], n: int, weight: float = 1.0) -> alg.ig.Graph:
    src = np.asarray([p[0] for p in pairs], dtype=np.int64)
    dst = np.asarray([p[1] for p in pairs], dtype=np.int64)
    return alg.make_graph(n, src, dst, np.full(len(pairs), weight))


def _two_cliques() -> alg.ig.Graph:
    left = [(a, b) for a in range(5) for b in range(a + 1, 5)]
    right = [(a, b) for a in range(5, 10) for b in range(a + 1, 10)]
    return _graph([*left, *right, (4, 5)], 10)


def test_communities_split_two_cliques_joined_by_a_bridge() -> None:
    labels = alg.communities(_two_cliques(), seed=1)
    assert len(set(labels[:5])) == 1 and len(set(labels[5:])) == 1
    assert labels[0] != labels[9]


def test_communities_are_reproducible_with_a_seed() -> None:
    g = _two_cliques()
    assert np.array_equal(alg.communities(g, seed=3), alg.communities(g, seed=3))


def test_brokerage_is_highest_on_the_bridge_ends() -> None:
    cent = alg.centralities(_two_cliques())
    assert set(np.argsort(-cent.brokerage)[:2]) == {4, 5}


def test_reach_puts_the_command_layer_on_top() -> None:
    # leader 0 -> lieutenants 1, 2 -> couriers 3..8: the command layer reaches everyone in the fewest steps
    g = _graph([(0, 1), (0, 2), (1, 3), (1, 4), (1, 5), (2, 6), (2, 7), (2, 8)], 9)
    cent = alg.centralities(g)
    assert set(np.argsort(-cent.reach)[:3].tolist()) == {0, 1, 2}
    assert cent.reach.max() == 1.0 and cent.reach[3:].max() < cent.reach[0]


def test_influence_follows_weight() -> None:
    g = alg.make_graph(3, np.array([0, 0]), np.array([1, 2]), np.array([10.0, 0.1]))
    cent = alg.centralities(g)
    assert cent.influence[1] > cent.influence[2]


def test_seeded_expansion_by_hops_and_paths() -> None:
    g = _graph([(0, 1), (1, 2), (2, 3), (3, 4)], 5)
    assert set(alg.expand(g, [0], 2)) == {0, 1, 2}
    assert alg.paths(g, 0, 3) == [[0, 1, 2, 3]]
    assert len(alg.expand(g, [], 2)) == 0
