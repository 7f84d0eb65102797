"""Exports round-trip: what is written reads back with the same nodes, edges and attributes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx  # type: ignore[import-untyped]  # test-only; no stubs installed
import pytest

from puente.network import export_network
from puente.network.export import network_edges, network_nodes
from puente.store import Workspace


def _first(ws: Workspace) -> str:
    return str(ws.con.execute("SELECT min(network_id) FROM networks").fetchall()[0][0])


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_graph_formats_round_trip(analysed: tuple[Workspace, Path], tmp_path: Path, fmt: str) -> None:
    ws, _ = analysed
    net = _first(ws)
    path = export_network(ws, net, fmt, tmp_path / f"n.{fmt}")
    graph = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
    nodes, edges = network_nodes(ws, net), network_edges(ws, net)
    assert set(graph.nodes) == set(nodes.column("node").to_pylist())
    assert graph.number_of_edges() == edges.num_rows
    member = nodes.column("node")[0].as_py()
    assert graph.nodes[member]["group"] == "member"
    types = sorted(d["etype"] for _, _, d in graph.edges(data=True))
    assert types == sorted(edges.column("etype").to_pylist())


def test_ftm_round_trip(analysed: tuple[Workspace, Path], tmp_path: Path) -> None:
    ws, _ = analysed
    net = _first(ws)
    path = export_network(ws, net, "ftm", tmp_path / "n.ftm.json")
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    ids = {e["id"] for e in lines}
    members = {r[0] for r in ws.con.execute("SELECT node FROM network_members WHERE network_id = ?", [net]).fetchall()}
    assert members <= ids
    for entity in lines:  # every entity is exactly what the workspace holds
        stored = ws.con.execute("SELECT schema, properties FROM entities WHERE id = ?", [entity["id"]]).fetchall()
        assert stored and stored[0][0] == entity["schema"] and json.loads(stored[0][1]) == entity["properties"]
    assert any(e["schema"] in ("Ownership", "Associate", "Family", "Directorship") for e in lines)


def test_csv_round_trip(analysed: tuple[Workspace, Path], tmp_path: Path) -> None:
    ws, _ = analysed
    net = _first(ws)
    out = export_network(ws, net, "csv", tmp_path / "csv")
    with (out / "edges.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    edges = network_edges(ws, net)
    assert len(rows) == edges.num_rows
    assert [r["src"] for r in rows] == edges.column("src").to_pylist()
    assert abs(sum(float(r["amount"]) for r in rows) - sum(edges.column("amount").to_pylist())) < 1e-3


def test_unknown_network_is_refused(analysed: tuple[Workspace, Path], tmp_path: Path) -> None:
    ws, _ = analysed
    with pytest.raises(ValueError, match="no network"):
        export_network(ws, "N999", "csv", tmp_path / "x")
