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


def communities(graph: ig.Graph, *, resolution: float = 1.0, iterations: int = 10, seed: int = 7) -> IntArray:
    """Leiden communities (modularity, weighted); the same seed gives the same partition.

    Modularity rather than CPM because evidence weights are on an arbitrary scale: modularity compares each
    community's internal weight to what the degrees alone would predict, so busy legitimate hubs do not pull
    whole neighbourhoods into one community.
    """
    ig.set_random_number_generator(random.Random(seed))
    try:
        part = graph.community_leiden(
            objective_function="modularity", weights="weight", resolution=resolution, n_iterations=iterations
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
