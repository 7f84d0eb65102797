"""Which part of the evidence graph community detection sees: the whole graph, or the risk neighbourhood.

Only a community that holds risk signals (watch-list hits, SARs, seizures) can become a network; the rest of the
graph is families, employers and their banks, partitioned only to be thrown away. In the ``risk_neighbourhood``
scope, communities are sought among the nodes within ``hops`` ties of a signal, expanding only through nodes of at
most ``expand_max_degree`` ties after the first hop (a bank or a busy address would pull in its whole customer
base). The quality function stays the *whole* graph's modularity: each node keeps its strength in the whole graph
and the null model the whole graph's total (modularity written as CPM with node weights, Traag et al. 2019), so a
community is scored as it would be on the whole graph; only what lies beyond the neighbourhood cannot join it.

The neighbourhood is found by joins in the workspace database, which spills to disk, so the compiled graph
library holds the neighbourhood and never the whole graph: that is what lets the graph outgrow one machine's
memory (on the large scenario, 0.7M of 4.1M nodes and 6.1M of 17.8M edges), while the graph itself can be built
on Spark (:func:`puente.network.graph.build_graph`).

Every loader reads ``nw_scope`` (node, idx, strength): the nodes in scope and their dense index in the graph the
library is handed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from puente.network import algorithms as alg
from puente.network.config import NetworkConfig
from puente.network.members import node_signals_sql
from puente.network.sql import in_list, scalar_int
from puente.store.workspace import Workspace


@dataclass(frozen=True)
class ScopedGraph:
    """The graph community detection runs on, as arrays over scope indices.

    ``strength`` (each node's weighted degree in the whole graph) and ``total_strength`` (the whole graph's sum of
    them) are set when the scope is a neighbourhood, so modularity is computed against the whole graph.
    """

    n: int
    src: alg.IntArray
    dst: alg.IntArray
    weight: alg.FloatArray
    strength: alg.FloatArray | None = None
    total_strength: float | None = None


def _edges_sql(max_degree: int, context_only: Sequence[str]) -> str:
    """The edges community detection uses: both ends at most ``max_degree`` ties, none of the context-only types."""
    context = f"AND e.etype NOT IN ({in_list(context_only)})" if context_only else ""
    return f"""SELECT e.src AS s, e.dst AS d, e.weight AS w FROM network_edges e
        JOIN network_nodes a ON a.node = e.src JOIN network_nodes b ON b.node = e.dst
        WHERE a.degree <= {int(max_degree)} AND b.degree <= {int(max_degree)} {context}"""


def scoped_graph(ws: Workspace, config: NetworkConfig) -> ScopedGraph:
    """Create ``nw_scope`` for ``config.communities.scope`` (kept for the loaders that follow) and return the graph
    on it."""
    _define_scope(ws, config)
    graph = _load(ws, config)
    ws.con.execute("DROP TABLE nw_graph_edges")
    return graph


def _define_scope(ws: Workspace, config: NetworkConfig) -> None:
    con = ws.con
    g, c = config.graph, config.communities
    con.execute(f"CREATE OR REPLACE TEMP TABLE nw_graph_edges AS {_edges_sql(g.max_degree, g.context_only)}")
    if c.scope == "whole_graph":
        con.execute(
            "CREATE OR REPLACE TEMP TABLE nw_scope AS "
            "SELECT node, idx, CAST(NULL AS DOUBLE) AS strength FROM network_nodes"
        )
        return
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE nw_reach AS
            SELECT DISTINCT s.node, 0 AS hop FROM ({node_signals_sql(config.membership)}) s
            JOIN network_nodes n ON n.node = s.node WHERE n.degree <= {g.max_degree}"""
    )
    for hop in range(1, c.hops + 1):
        # signal nodes expand whatever their degree; later hops only through nodes of few ties
        con.execute(
            f"""INSERT INTO nw_reach
                SELECT DISTINCT x.other, {hop} FROM (
                    SELECT e.d AS other, f.node FROM nw_graph_edges e JOIN nw_reach f ON f.node = e.s
                    WHERE f.hop = {hop - 1}
                    UNION ALL
                    SELECT e.s, f.node FROM nw_graph_edges e JOIN nw_reach f ON f.node = e.d WHERE f.hop = {hop - 1}
                ) x JOIN network_nodes n ON n.node = x.node
                WHERE ({hop} = 1 OR n.degree <= {c.expand_max_degree})
                  AND NOT EXISTS (SELECT 1 FROM nw_reach r WHERE r.node = x.other)"""
        )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE nw_scope AS
           WITH strength AS (
               SELECT node, sum(w) AS strength FROM (
                   SELECT s AS node, w FROM nw_graph_edges UNION ALL SELECT d, w FROM nw_graph_edges)
               GROUP BY node)
           SELECT r.node, row_number() OVER (ORDER BY n.idx) - 1 AS idx, coalesce(k.strength, 0.0) AS strength
           FROM nw_reach r JOIN network_nodes n USING (node) LEFT JOIN strength k USING (node)"""
    )
    con.execute("DROP TABLE nw_reach")


def _load(ws: Workspace, config: NetworkConfig) -> ScopedGraph:
    """The edges among ``nw_scope`` nodes as index arrays (and strengths when the scope is a neighbourhood)."""
    con = ws.con
    n = scalar_int(con, "SELECT count(*) FROM nw_scope")
    cols = con.execute(
        """SELECT a.idx AS s, b.idx AS d, e.w FROM nw_graph_edges e
           JOIN nw_scope a ON a.node = e.s JOIN nw_scope b ON b.node = e.d"""
    ).fetchnumpy()
    src, dst, weight = cols["s"].astype(np.int64), cols["d"].astype(np.int64), cols["w"].astype(np.float64)
    if config.communities.scope == "whole_graph":
        return ScopedGraph(n, src, dst, weight)
    strength = con.execute("SELECT strength FROM nw_scope ORDER BY idx").fetchnumpy()["strength"]
    total = con.execute("SELECT 2 * coalesce(sum(w), 0.0) FROM nw_graph_edges").fetchall()[0][0]
    return ScopedGraph(n, src, dst, weight, strength.astype(np.float64), float(total))
