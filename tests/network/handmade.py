"""Evidence graphs written into a workspace by hand, for tests of the SQL that reads them."""

from __future__ import annotations

from puente.store import Workspace


def write_graph(ws: Workspace, nodes: dict[str, str], edges: list[tuple[str, str, str, int]]) -> None:
    """Write ``network_nodes`` (node -> kind) and ``network_edges`` (src, dst, etype, records) by hand."""
    degree: dict[str, int] = dict.fromkeys(nodes, 0)
    for src, dst, _, _ in edges:
        degree[src] += 1
        degree[dst] += 1
    for idx, (node, kind) in enumerate(nodes.items()):
        ws.con.execute("INSERT INTO network_nodes VALUES (?, ?, ?, ?, ?, NULL)", [node, idx, kind, node, degree[node]])
    for src, dst, etype, n in edges:
        ws.con.execute(
            "INSERT INTO network_edges VALUES (?, ?, ?, 1.0, ?, 5000.0, NULL, NULL, ['r'])", [src, dst, etype, n]
        )
