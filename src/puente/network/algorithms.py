"""Graph algorithms on dense integer edge arrays, in a compiled library (igraph); no Python loop over edges.

Callers hand in numpy arrays of node indices and weights (built columnar in DuckDB) and get numpy arrays back, so
the same functions serve the workspace pipeline, the tests' handmade graphs and the benchmark.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import igraph as ig
import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def make_graph(n: int, src: IntArray, dst: IntArray, weight: FloatArray, *, directed: bool = False) -> ig.Graph:
    """An igraph graph on ``n`` nodes with a ``weight`` edge attribute (parallel edges are kept and add up)."""
    edges = np.column_stack([np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)])
    graph = ig.Graph(n=n, edges=edges, directed=directed)
    graph.es["weight"] = np.asarray(weight, dtype=np.float64)
    return graph


def communities(
    graph: ig.Graph,
    *,
    resolution: float = 1.0,
    iterations: int = 10,
    seed: int = 7,
    strength: FloatArray | None = None,
    total_strength: float | None = None,
) -> IntArray:
    """Leiden communities (modularity, weighted); the same seed gives the same partition.

    Modularity rather than CPM because evidence weights are on an arbitrary scale: modularity compares each
    community's internal weight to what the degrees alone would predict, so busy legitimate hubs do not pull
    whole neighbourhoods into one community.

    When ``graph`` is part of a larger graph (a risk neighbourhood), ``strength`` gives each node's weighted degree
    in the larger graph and ``total_strength`` that graph's sum of them: modularity is then the larger graph's,
    written as CPM with node weights ``strength`` and resolution ``resolution / total_strength`` (Traag et al.).
    """
    ig.set_random_number_generator(random.Random(seed))
    try:
        if strength is None:
            part = graph.community_leiden(
                objective_function="modularity", weights="weight", resolution=resolution, n_iterations=iterations
            )
        else:
            part = graph.community_leiden(
                objective_function="CPM",
                weights="weight",
                node_weights=np.asarray(strength, dtype=np.float64).tolist(),
                resolution=resolution / max(float(total_strength or 0.0), 1e-12),
                n_iterations=iterations,
            )
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(part.membership, dtype=np.int64)


@dataclass(frozen=True)
class Centralities:
    """Per-node scores for the three questions investigators ask of key players."""

    brokerage: FloatArray  # betweenness: who connects parts of the network that would otherwise fall apart
    influence: FloatArray  # PageRank: who the well-connected are connected to
    reach: FloatArray  # harmonic closeness: who can reach everyone in few steps (command positions)


def centralities(graph: ig.Graph) -> Centralities:
    """Betweenness (edge length = 1/weight), weighted PageRank and harmonic closeness, each scaled to [0, 1]."""
    if graph.vcount() == 0:
        empty = np.zeros(0)
        return Centralities(empty, empty, empty)
    weights = np.asarray(graph.es["weight"], dtype=np.float64) if graph.ecount() else np.zeros(0)
    lengths = list(1.0 / np.maximum(weights, 1e-9))
    between = np.asarray(graph.betweenness(weights=lengths if graph.ecount() else None), dtype=np.float64)
    pagerank = np.asarray(graph.pagerank(weights="weight" if graph.ecount() else None), dtype=np.float64)
    harmonic = np.asarray(graph.harmonic_centrality(), dtype=np.float64)
    return Centralities(_unit(between), _unit(pagerank), _unit(harmonic))


def _unit(values: FloatArray) -> FloatArray:
    top = float(values.max()) if len(values) else 0.0
    return values / top if top > 0 else np.zeros_like(values)


def expand(graph: ig.Graph, seeds: list[int], hops: int) -> IntArray:
    """Nodes within ``hops`` of any seed (seeded expansion from a target)."""
    if not seeds:
        return np.zeros(0, dtype=np.int64)
    found = graph.neighborhood(vertices=seeds, order=hops)
    return np.unique(np.concatenate([np.asarray(f, dtype=np.int64) for f in found]))


def paths(graph: ig.Graph, source: int, target: int) -> list[list[int]]:
    """All shortest paths (fewest hops) between two nodes: how a target is tied to another."""
    return [list(p) for p in graph.get_all_shortest_paths(source, to=target)]


def command_reach(graph: ig.Graph) -> FloatArray:
    """How many other nodes each node reaches within two ties, scaled to [0, 1].

    On a network's personal ties (associates, family) this finds the top of a chain of command: a leader tied to
    a few lieutenants reaches every courier through them, while each lieutenant reaches only its own couriers,
    the leader and the other lieutenants, however many couriers it handles (which raw degree would reward).
    """
    if graph.vcount() == 0:
        return np.zeros(0)
    reach = np.asarray(graph.neighborhood_size(order=2), dtype=np.float64) - 1.0
    return _unit(reach)


@dataclass(frozen=True)
class NodeSignals:
    """Risk signals on nodes, one row per distinct (node, kind): what makes a community a network."""

    node: IntArray
    kind: IntArray
    weight: FloatArray

    def community_risk(self, membership: IntArray, n_communities: int) -> tuple[FloatArray, IntArray]:
        """Summed signal weight and number of distinct signal kinds per community (``membership`` -1 = none)."""
        of = membership[self.node]
        keep = of >= 0
        of, kind, weight = of[keep], self.kind[keep], self.weight[keep]
        risk = np.bincount(of, weights=weight, minlength=n_communities).astype(np.float64)
        n_kinds = int(kind.max()) + 1 if len(kind) else 1
        kinds = np.bincount(np.unique(of * n_kinds + kind) // n_kinds, minlength=n_communities).astype(np.int64)
        return risk, kinds


@dataclass(frozen=True)
class MemberTies:
    """Edges that make a person a member (one row per edge and end that is a person): ``person`` is tied to
    ``other`` by evidence of type ``kind`` (weight ``weight``) over ``records`` records."""

    person: IntArray
    other: IntArray
    kind: IntArray
    weight: FloatArray
    records: FloatArray

    def members(self, membership: IntArray, n_communities: int, min_score: float) -> IntArray:
        """People per community whose evidence inside it scores at least ``min_score`` (``sum w*log2(1+n)``)."""
        of = membership[self.person]
        inside = (of >= 0) & (of == membership[self.other])
        person, kind = self.person[inside], self.kind[inside]
        n_kinds = int(self.kind.max()) + 1 if len(self.kind) else 1
        key, at = np.unique(person * n_kinds + kind, return_inverse=True)
        records = np.bincount(at, weights=self.records[inside], minlength=len(key))
        weight = np.zeros(len(key))
        weight[at] = self.weight[inside]
        who, pos = np.unique(key // n_kinds, return_inverse=True)
        score = np.bincount(pos, weights=weight * np.log2(1 + records), minlength=len(who))
        return np.bincount(membership[who[score >= min_score]], minlength=n_communities).astype(np.int64)


def split_joined(
    graph: ig.Graph,
    membership: IntArray,
    signals: NodeSignals,
    ties: MemberTies,
    *,
    min_risk: float,
    min_kinds: int,
    min_member_score: float,
    min_members: int,
    resolution: float,
    iterations: int = 10,
    seed: int = 7,
) -> IntArray:
    """Split communities that join two or more networks, each of which would be a network on its own.

    Modularity over the whole graph cannot tell two networks apart once a person works for both (its resolution
    limit: on a large graph any tie between two communities pays for merging them). Each community whose risk
    signals reach the bar is partitioned again on its own subgraph at a low ``resolution`` (only clear cores
    separate); a part is a core when its own signals reach the bar and at least ``min_members`` people are members
    by the evidence inside it (namesakes clustered around a watch-list entry, or a leader cut off from his couriers,
    are no second network). With two or more cores, each becomes a community, and every other part joins the core
    it shares most edge weight with (through other parts if need be). Returns a new membership.
    """
    out = membership.copy()
    n_comm = int(membership.max()) + 1 if len(membership) else 0
    risk, kinds = signals.community_risk(membership, n_comm)
    candidates = np.flatnonzero((risk >= min_risk) & (kinds >= min_kinds))
    # Group nodes, signals and ties by community once, so each candidate costs its own size, not the graph's.
    node_order = np.argsort(membership, kind="stable")
    node_bounds = np.searchsorted(membership[node_order], np.arange(n_comm + 1))
    sig_of = membership[signals.node]
    sig_order = np.argsort(sig_of, kind="stable")
    sig_bounds = np.searchsorted(sig_of[sig_order], np.arange(n_comm + 1))
    tie_of = np.where(membership[ties.person] == membership[ties.other], membership[ties.person], -1)
    tie_order = np.argsort(tie_of, kind="stable")
    tie_bounds = np.searchsorted(tie_of[tie_order], np.arange(n_comm + 1))
    position = np.full(len(membership), -1, dtype=np.int64)  # global node -> position in the candidate
    next_id = n_comm
    for community in candidates.tolist():
        nodes = node_order[node_bounds[community] : node_bounds[community + 1]]
        sub = graph.induced_subgraph(nodes.tolist(), implementation="create_from_scratch")
        part = communities(sub, resolution=resolution, iterations=iterations, seed=seed)
        k = int(part.max()) + 1
        if k < 2:
            continue
        position[nodes] = np.arange(len(nodes))
        sig = sig_order[sig_bounds[community] : sig_bounds[community + 1]]
        local_signals = NodeSignals(position[signals.node[sig]], signals.kind[sig], signals.weight[sig])
        tie = tie_order[tie_bounds[community] : tie_bounds[community + 1]]
        local_ties = MemberTies(
            position[ties.person[tie]], position[ties.other[tie]], ties.kind[tie], ties.weight[tie], ties.records[tie]
        )
        position[nodes] = -1
        part_risk, part_kinds = local_signals.community_risk(part, k)
        qualifies = (part_risk >= min_risk) & (part_kinds >= min_kinds)
        if int(qualifies.sum()) < 2:
            continue
        qualifies &= local_ties.members(part, k, min_member_score) >= min_members
        if int(qualifies.sum()) < 2:
            continue
        # the strongest core keeps the community's id; the other cores get new ones
        cores = np.flatnonzero(qualifies)
        strongest = int(cores[np.argmax(part_risk[cores])])
        group = _attach_parts(sub, part, k, qualifies, strongest)
        ids = {int(c): next_id + i for i, c in enumerate(c for c in cores.tolist() if c != strongest)}
        next_id += len(ids)
        new = np.asarray([ids.get(int(g), community) for g in group], dtype=np.int64)
        out[nodes] = new[part]
    return out


def _attach_parts(sub: ig.Graph, part: IntArray, k: int, cores: npt.NDArray[np.bool_], fallback: int) -> IntArray:
    """For each part, the core part it joins: itself for a core, else the group it shares most weight with."""
    edges = np.asarray(sub.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    weight = np.asarray(sub.es["weight"], dtype=np.float64) if sub.ecount() else np.zeros(0)
    between = np.zeros((k, k))
    np.add.at(between, (part[edges[:, 0]], part[edges[:, 1]]), weight)
    between = between + between.T
    np.fill_diagonal(between, 0.0)
    group = np.where(cores, np.arange(k), -1)
    while True:
        todo = np.flatnonzero(group < 0)
        done = np.flatnonzero(group >= 0)
        if not len(todo):
            break
        # weight from each unattached part to each group (columns: groups, via the parts already in them)
        to_group = np.zeros((len(todo), k))
        np.add.at(to_group.T, group[done], between[np.ix_(todo, done)].T)
        best = to_group.argmax(axis=1)
        linked = to_group[np.arange(len(todo)), best] > 0
        if not linked.any():
            # parts tied to no core at all stay with the strongest one (the community was connected as a whole)
            group[todo] = fallback
            break
        group[todo[linked]] = best[linked]
    return group
