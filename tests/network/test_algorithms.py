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


def test_command_reach_ranks_the_leader_above_busier_lieutenants() -> None:
    # leader 0 -> lieutenants 1, 2 -> couriers 3..10: each lieutenant has more ties (5) than the leader (2), but
    # only the leader reaches every courier through one intermediary
    pairs = [(0, 1), (0, 2), *[(1, c) for c in range(3, 7)], *[(2, c) for c in range(7, 11)]]
    g = _graph(pairs, 11)
    command = alg.command_reach(g)
    assert int(np.argmax(command)) == 0 and command[0] == 1.0
    assert g.degree(1) > g.degree(0) and command[1] < command[0]
    assert command[3] < command[1]
    assert len(alg.command_reach(_graph([], 0))) == 0


def _signals(rows: list[tuple[int, int, float]]) -> alg.NodeSignals:
    return alg.NodeSignals(
        np.asarray([r[0] for r in rows], dtype=np.int64),
        np.asarray([r[1] for r in rows], dtype=np.int64),
        np.asarray([r[2] for r in rows], dtype=np.float64),
    )


def _ties(pairs: list[tuple[int, int]]) -> alg.MemberTies:
    """Associate-like member evidence (weight 1, one record) seen from both ends."""
    person = np.asarray([a for a, b in pairs] + [b for a, b in pairs], dtype=np.int64)
    other = np.asarray([b for a, b in pairs] + [a for a, b in pairs], dtype=np.int64)
    n = len(person)
    return alg.MemberTies(person, other, np.zeros(n, dtype=np.int64), np.ones(n), np.full(n, 3.0))


def _two_networks() -> tuple[alg.ig.Graph, list[tuple[int, int]]]:
    """Two 6-cliques (nodes 0-5, 6-11) that a shared courier (5, also tied to 6 and 7) joins."""
    left = [(a, b) for a in range(6) for b in range(a + 1, 6)]
    right = [(a, b) for a in range(6, 12) for b in range(a + 1, 12)]
    pairs = [*left, *right, (5, 6), (5, 7)]
    return _graph(pairs, 12), pairs


def _split(graph: alg.ig.Graph, signals: alg.NodeSignals, ties: alg.MemberTies, min_members: int = 5) -> alg.IntArray:
    membership = np.zeros(graph.vcount(), dtype=np.int64)  # one community holding everything
    return alg.split_joined(
        graph,
        membership,
        signals,
        ties,
        min_risk=6.0,
        min_kinds=2,
        min_member_score=1.5,
        min_members=min_members,
        resolution=0.15,
    )


def test_split_joined_separates_two_networks_that_share_a_member() -> None:
    graph, pairs = _two_networks()
    # each side has a watch-listed person (3.0) and SAR subjects (0.5 each): a network on its own
    signals = _signals([(0, 0, 3.0), (1, 1, 0.5), (2, 1, 0.5), (3, 0, 3.0), (8, 0, 3.0), (9, 1, 0.5), (10, 0, 3.0)])
    labels = _split(graph, signals, _ties(pairs))
    assert len(set(labels[:5].tolist())) == 1 and len(set(labels[6:].tolist())) == 1
    assert labels[0] != labels[11]
    assert 0 in set(labels.tolist())  # the strongest core keeps the community's id


def test_split_joined_keeps_a_network_whose_second_part_has_too_few_members() -> None:
    graph, pairs = _two_networks()
    signals = _signals([(0, 0, 3.0), (1, 1, 0.5), (2, 1, 0.5), (3, 0, 3.0), (8, 0, 3.0), (9, 1, 0.5), (10, 0, 3.0)])
    # no member evidence on the right side (namesakes around a list entry): it is no second network
    labels = _split(graph, signals, _ties([(a, b) for a, b in pairs if b < 6]))
    assert set(labels.tolist()) == {0}
    # and a side without enough risk signals stays too, whatever its members
    labels = _split(graph, _signals([(0, 0, 3.0), (1, 1, 0.5), (3, 0, 3.0), (8, 1, 0.5)]), _ties(pairs))
    assert set(labels.tolist()) == {0}


def test_split_joined_attaches_loose_parts_to_the_core_they_are_tied_to() -> None:
    graph, pairs = _two_networks()
    # a tail 12 - 13 - 14 hangs off the right network
    tail = [(11, 12), (12, 13), (13, 14)]
    graph = _graph([*pairs, *tail], 15)
    signals = _signals([(0, 0, 3.0), (1, 1, 0.5), (2, 1, 0.5), (3, 0, 3.0), (8, 0, 3.0), (9, 1, 0.5), (10, 0, 3.0)])
    labels = _split(graph, signals, _ties(pairs))
    assert labels[0] != labels[11]
    assert labels[12] == labels[13] == labels[14] == labels[11]


def test_member_ties_count_members_by_evidence_inside_each_community() -> None:
    ties = _ties([(0, 1), (1, 2), (3, 4)])
    membership = np.asarray([0, 0, 0, 1, 2], dtype=np.int64)  # 3 and 4 sit in different communities
    # weight 1 * log2(1 + 3 records) = 2 per tie: 0, 1, 2 are members of 0; the 3 - 4 tie crosses communities
    assert ties.members(membership, 3, 1.5).tolist() == [3, 0, 0]
    assert ties.members(membership, 3, 4.5).tolist() == [0, 0, 0]  # 1 has two ties of one kind: log2(7) < 4.5


def test_tie_graph_maps_node_indices_to_member_positions() -> None:
    from puente.network.discover import _tie_graph

    ties = {
        "community": np.asarray([4, 4, 4, 9], dtype=np.int64),
        "s": np.asarray([30, 10, 30, 10], dtype=np.int64),
        "d": np.asarray([20, 30, 77, 20], dtype=np.int64),  # 77 is no member; the community-9 tie is elsewhere
    }
    g = _tie_graph(ties, 4, np.asarray([10, 20, 30], dtype=np.int64))
    assert g.vcount() == 3 and sorted(tuple(sorted(e)) for e in g.get_edgelist()) == [(0, 2), (1, 2)]
    assert _tie_graph(ties, 5, np.asarray([10, 20], dtype=np.int64)).ecount() == 0


def _broker_between_a_clique_and_the_rest() -> alg.ig.Graph:
    """Two bridged cliques (0-4, 5-9) and node 10, tied once to the first clique and six times to a third clique
    (11-20) that lies outside a neighbourhood of nodes 0-10."""
    first = [(a, b) for a in range(5) for b in range(a + 1, 5)]
    second = [(a, b) for a in range(5, 10) for b in range(a + 1, 10)]
    third = [(a, b) for a in range(11, 21) for b in range(a + 1, 21)]
    return _graph([*first, *second, *third, (4, 5), (10, 0), *[(10, 11 + i) for i in range(6)]], 21)


def test_communities_with_the_graphs_own_strengths_are_modularity() -> None:
    g = _broker_between_a_clique_and_the_rest()
    strength = np.asarray(g.strength(weights="weight"), dtype=np.float64)
    plain = alg.communities(g, seed=3)
    assert np.array_equal(plain, alg.communities(g, seed=3, strength=strength, total_strength=float(strength.sum())))
    assert plain[10] == plain[11] != plain[0]  # on the whole graph node 10 belongs with the third clique


def test_a_neighbourhood_scored_by_whole_graph_strengths_keeps_an_outsider_out() -> None:
    whole = _broker_between_a_clique_and_the_rest()
    strength = np.asarray(whole.strength(weights="weight"), dtype=np.float64)
    part = whole.induced_subgraph(list(range(11)))
    # alone, the neighbourhood sees node 10's one tie to the first clique and merges it in
    alone = alg.communities(part, seed=1)
    assert alone[10] == alone[0]
    # scored by its strength in the whole graph, node 10 is mostly tied elsewhere and stays out, as it does on the
    # whole graph; the two cliques come out as on the whole graph
    scoped = alg.communities(part, seed=1, strength=strength[:11], total_strength=float(strength.sum()))
    assert scoped[10] not in set(scoped[:10].tolist())
    assert len(set(scoped[:5].tolist())) == 1 and len(set(scoped[5:10].tolist())) == 1 and scoped[0] != scoped[5]
