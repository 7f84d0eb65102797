"""The risk neighbourhood community detection runs on, on a small handmade graph."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from puente.network import discover
from puente.network.config import NetworkConfig, load_network_config
from puente.network.scope import scoped_graph
from puente.store import Workspace
from tests.network.handmade import write_graph

# boss is on a watch list (a signal). A chain runs boss - a - b - c - d, a hub (a busy address) sits next to the
# boss with leaves of its own, and x - y is a family nowhere near a signal.
NODES = {
    "boss": "Person",
    "list:WL:1": "ListEntry",
    "a": "Person",
    "b": "Person",
    "c": "Person",
    "d": "Person",
    "hub": "Address",
    **{f"leaf{i}": "Person" for i in range(5)},
    "x": "Person",
    "y": "Person",
}
EDGES = [
    ("boss", "list:WL:1", "screening_hit", 1),
    ("boss", "a", "associate", 1),
    ("a", "b", "associate", 1),
    ("b", "c", "associate", 1),
    ("c", "d", "associate", 1),
    ("boss", "hub", "address", 1),
    *[(f"leaf{i}", "hub", "address", 1) for i in range(5)],
    ("x", "y", "family", 1),
]


def _config(scope: str, hops: int = 3, expand_max_degree: int = 3) -> NetworkConfig:
    shipped = load_network_config()
    communities = shipped.communities.model_copy(
        update={"scope": scope, "hops": hops, "expand_max_degree": expand_max_degree}
    )
    return shipped.model_copy(update={"communities": communities})


def _scope(ws: Workspace) -> dict[str, tuple[int, float | None]]:
    rows = ws.con.execute("SELECT node, idx, strength FROM nw_scope").fetchall()
    return {str(node): (int(idx), strength) for node, idx, strength in rows}


def test_neighbourhood_reaches_hops_from_signals_and_stops_at_hubs(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        write_graph(ws, NODES, EDGES)
        graph = scoped_graph(ws, _config("risk_neighbourhood"))
        scope = _scope(ws)
    # three hops from the boss reach c, not d; the hub is a neighbour of the signal but has 6 ties (> 3), so its
    # leaves stay out; the family far from any signal stays out
    assert set(scope) == {"boss", "list:WL:1", "a", "b", "c", "hub"}
    assert sorted(i for i, _ in scope.values()) == list(range(6))  # dense indices in node order
    # strengths are the whole graph's: c keeps its tie to d, which is outside; the total counts every edge twice
    assert scope["c"][1] == pytest.approx(2.0) and scope["hub"][1] == pytest.approx(6.0)
    assert graph.total_strength == pytest.approx(2.0 * len(EDGES))
    assert graph.strength is not None and len(graph.strength) == graph.n == 6
    # the edges handed to the graph library are those among scope nodes, in scope indices
    ends = {(min(s, d), max(s, d)) for s, d in zip(graph.src.tolist(), graph.dst.tolist(), strict=True)}
    idx = {node: i for node, (i, _) in scope.items()}
    assert (min(idx["b"], idx["c"]), max(idx["b"], idx["c"])) in ends
    assert len(ends) == 5  # boss-list, boss-a, a-b, b-c, boss-hub: no edge to d, the leaves or x-y
    assert graph.src.max() < 6 and graph.dst.max() < 6


def test_fewer_hops_and_a_higher_expansion_degree_move_the_border(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        write_graph(ws, NODES, EDGES)
        scoped_graph(ws, _config("risk_neighbourhood", hops=1, expand_max_degree=3))
        one_hop = set(_scope(ws))
        scoped_graph(ws, _config("risk_neighbourhood", hops=2, expand_max_degree=10))
        through_hub = set(_scope(ws))
    assert one_hop == {"boss", "list:WL:1", "a", "hub"}
    assert through_hub == {"boss", "list:WL:1", "a", "b", "hub", *(f"leaf{i}" for i in range(5))}


def test_whole_graph_scope_keeps_every_node_and_its_index(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        write_graph(ws, NODES, EDGES)
        graph = scoped_graph(ws, _config("whole_graph"))
        scope = _scope(ws)
    assert {n: i for n, (i, _) in scope.items()} == {n: i for i, n in enumerate(NODES)}
    assert graph.strength is None and graph.n == len(NODES) and len(graph.src) == len(EDGES)


def test_a_neighbourhood_scope_needs_version_4(tmp_path: Path) -> None:
    data = load_network_config().model_dump()
    data["version"] = 3
    path = tmp_path / "n.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ValidationError, match="needs version 4"):
        load_network_config(path)
    data["communities"]["scope"] = "whole_graph"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert load_network_config(path).version == 3


def test_a_workspace_without_signals_has_an_empty_neighbourhood_and_no_networks(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        result = discover(ws, load_network_config())
    assert (result.scope, result.scope_nodes, result.n_communities, result.networks) == ("risk_neighbourhood", 0, 0, [])
