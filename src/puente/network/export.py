"""Exports of a discovered network: GEXF and GraphML (Gephi, i2, yEd), FtM JSON lines (Aleph) and CSV.

A network's subgraph is its members, its infrastructure and the edges among them, read columnar from the workspace.
GEXF/GraphML go through networkx's writers (one network is small); FtM and CSV are written by DuckDB.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pyarrow as pa

from puente.store.workspace import Workspace

FORMATS = ("gexf", "graphml", "ftm", "csv")


def network_nodes(ws: Workspace, network_id: str) -> pa.Table:
    """Nodes of one network: members (with role and rank) and infrastructure (with role)."""
    return ws.query(
        """SELECT n.node, n.kind, coalesce(n.label, '') AS label, x.role, x.rank, x.group_kind
           FROM (SELECT node, role, rank, 'member' AS group_kind FROM network_members WHERE network_id = ?
                 UNION ALL SELECT node, role, NULL, 'infrastructure' FROM network_infrastructure
                 WHERE network_id = ? AND node NOT IN (SELECT node FROM network_members WHERE network_id = ?)) x
           JOIN network_nodes n USING (node) ORDER BY x.group_kind DESC, x.rank NULLS LAST, n.node""",
        [network_id, network_id, network_id],
    )


def network_edges(ws: Workspace, network_id: str) -> pa.Table:
    """Edges among one network's nodes, with type, weight, counts, time span and source records."""
    ws.con.register("nw_export_nodes", network_nodes(ws, network_id))
    try:
        return ws.query(
            """SELECT e.src, e.dst, e.etype, e.weight, e.n_records, coalesce(e.amount, 0) AS amount,
                      e.first_at, e.last_at, array_to_string(e.records, ' ') AS records
               FROM network_edges e WHERE e.src IN (SELECT node FROM nw_export_nodes)
                 AND e.dst IN (SELECT node FROM nw_export_nodes) ORDER BY e.src, e.dst, e.etype"""
        )
    finally:
        ws.con.unregister("nw_export_nodes")


def to_networkx(nodes: pa.Table, edges: pa.Table) -> nx.MultiDiGraph:
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    graph.add_nodes_from(
        (r["node"], {"kind": r["kind"], "label": r["label"], "role": r["role"] or "", "group": r["group_kind"]})
        for r in nodes.to_pylist()
    )
    graph.add_edges_from(
        (
            r["src"],
            r["dst"],
            {
                "etype": r["etype"],
                "weight": float(r["weight"]),
                "n_records": int(r["n_records"]),
                "amount": float(r["amount"]),
                "first_at": r["first_at"].isoformat() if r["first_at"] else "",
                "last_at": r["last_at"].isoformat() if r["last_at"] else "",
                "records": r["records"] or "",
            },
        )
        for r in edges.to_pylist()
    )
    return graph


def export_network(ws: Workspace, network_id: str, fmt: str, out: Path) -> Path:
    """Write one network in ``fmt`` (gexf, graphml, ftm, csv) to ``out`` (a file; a folder for csv)."""
    nodes, edges = network_nodes(ws, network_id), network_edges(ws, network_id)
    if not nodes.num_rows:
        raise ValueError(f"no network {network_id!r} in this workspace (see `puente network list`)")
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "gexf":
        nx.write_gexf(to_networkx(nodes, edges), out)
    elif fmt == "graphml":
        nx.write_graphml(to_networkx(nodes, edges), out)
    elif fmt == "ftm":
        _write_ftm(ws, nodes, out)
    elif fmt == "csv":
        out.mkdir(parents=True, exist_ok=True)
        for name, table in (("nodes", nodes), ("edges", edges)):
            ws.con.register("nw_csv", table)
            ws.con.execute(f"COPY nw_csv TO '{(out / f'{name}.csv').as_posix()}' (HEADER, DELIMITER ',')")
            ws.con.unregister("nw_csv")
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return out


def _write_ftm(ws: Workspace, nodes: pa.Table, out: Path) -> None:
    """The network's FtM entities and the FtM relations (ownership, family, ...) among them, as JSON lines."""
    ws.con.register("nw_ftm_nodes", nodes)
    try:
        rows = ws.con.execute(
            """WITH ids AS (SELECT node FROM nw_ftm_nodes)
               SELECT id, schema, properties FROM entities WHERE id IN (SELECT node FROM ids)
               UNION
               SELECT r.id, r.schema, r.properties FROM entities r
               WHERE r.schema IN ('Ownership', 'Directorship', 'Family', 'Associate')
                 AND coalesce(r.properties->>'$.owner[0]', r.properties->>'$.director[0]', r.properties->>'$.person[0]')
                     IN (SELECT node FROM ids)
                 AND coalesce(r.properties->>'$.asset[0]', r.properties->>'$.organization[0]',
                              r.properties->>'$.relative[0]', r.properties->>'$.associate[0]') IN (SELECT node FROM ids)
               ORDER BY 1"""
        ).fetchall()
    finally:
        ws.con.unregister("nw_ftm_nodes")
    with out.open("w", encoding="utf-8") as fh:
        for entity_id, schema, properties in rows:
            fh.write(json.dumps({"id": entity_id, "schema": schema, "properties": json.loads(properties)}) + "\n")
