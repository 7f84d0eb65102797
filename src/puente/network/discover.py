"""Network discovery end to end: evidence graph -> communities -> networks -> members, key players, infrastructure.

Communities come from Leiden, scored by the whole graph's modularity, on the part of the graph the configured
scope names (:mod:`puente.network.scope`; in the shipped network.yaml, the risk neighbourhood); a community holding
two networks that share a member is split again on its own subgraph (:func:`puente.network.algorithms.split_joined`).
A community whose risk signals reach the bar is a network; its members are the people tied to it by member evidence
(:mod:`puente.network.members`). Key players lead with command reach over personal ties (who the others report
to, directly or through one lieutenant), then brokerage, influence, reach and the member score.

I/O is at the edges: the graph is built and scored in the workspace database, the compiled graph library gets
integer arrays, and results are written back as ``networks``, ``network_members`` and ``network_infrastructure``
for targeting, exports and reports to read.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import igraph as ig
import numpy as np
import pyarrow as pa

from puente.engine import DuckDBEngine, Engine
from puente.network import algorithms as alg
from puente.network.config import NetworkConfig
from puente.network.graph import GraphStats, build_graph
from puente.network.members import INTERNAL_EDGES, member_score_sql, network_risk_sql, node_signals_sql
from puente.network.roles import assign_roles, infra_sql
from puente.network.scope import ScopedGraph, scoped_graph
from puente.store.workspace import Workspace


@dataclass
class DiscoveryResult:
    run_id: str
    graph: GraphStats
    n_communities: int
    networks: list[dict[str, object]]
    scope: str = "whole_graph"  # where communities were sought (communities.scope)
    scope_nodes: int = 0  # ... and among how many nodes
    timings: dict[str, float] = field(default_factory=dict)


def load_signals(ws: Workspace, config: NetworkConfig) -> alg.NodeSignals:
    """Risk signals per scope index (one row per distinct node and kind of signal), for splitting communities."""
    cols = ws.con.execute(
        f"""SELECT n.idx, s.signal, s.w
            FROM (SELECT DISTINCT node, signal, w FROM ({node_signals_sql(config.membership)})) s
            JOIN nw_scope n USING (node)"""
    ).fetchnumpy()
    names = np.asarray(cols["signal"], dtype=object)
    _, kind = np.unique(names, return_inverse=True) if len(names) else (None, np.zeros(0, dtype=np.int64))
    return alg.NodeSignals(cols["idx"].astype(np.int64), np.asarray(kind, dtype=np.int64), cols["w"].astype(np.float64))


def load_member_ties(ws: Workspace, config: NetworkConfig) -> alg.MemberTies:
    """Member evidence as arrays seen from each person end (corroborating-only types left out), for splitting."""
    m = config.membership
    weights = {k: v for k, v in m.member_evidence.items() if k not in m.corroborating_only}
    names = sorted(weights)
    cols = ws.con.execute(
        """WITH e AS (SELECT s.idx AS s, d.idx AS d, sn.kind AS sk, dn.kind AS dk,
                             list_position(?, x.etype) - 1 AS kind, x.n_records FROM network_edges x
                      JOIN nw_scope s ON s.node = x.src JOIN nw_scope d ON d.node = x.dst
                      JOIN network_nodes sn ON sn.node = x.src JOIN network_nodes dn ON dn.node = x.dst
                      WHERE list_contains(?, x.etype))
           SELECT s AS person, d AS other, kind, n_records FROM e WHERE sk = 'Person'
           UNION ALL SELECT d, s, kind, n_records FROM e WHERE dk = 'Person'""",
        [names, names],
    ).fetchnumpy()
    kind = cols["kind"].astype(np.int64)
    weight = np.asarray([weights[n] for n in names], dtype=np.float64)
    return alg.MemberTies(
        cols["person"].astype(np.int64),
        cols["other"].astype(np.int64),
        kind,
        weight[kind] if len(kind) else np.zeros(0),
        cols["n_records"].astype(np.float64),
    )


def _command_ties(ws: Workspace, types: Sequence[str], min_score: float) -> dict[str, alg.IntArray]:
    """Personal ties (edges of ``types``) between members of one network community: community, src and dst idx."""
    cols = ws.con.execute(
        """SELECT a.community, na.idx AS s, nb.idx AS d FROM network_edges e
           JOIN nw_member_score a ON a.node = e.src JOIN nw_member_score b ON b.node = e.dst
           JOIN nw_scope na ON na.node = e.src JOIN nw_scope nb ON nb.node = e.dst
           WHERE a.community = b.community AND a.score >= ? AND b.score >= ? AND list_contains(?, e.etype)""",
        [min_score, min_score, list(types)],
    ).fetchnumpy()
    return {k: np.asarray(cols[k], dtype=np.int64) for k in ("community", "s", "d")}


def _tie_graph(ties: dict[str, alg.IntArray], community: int, member_idx: alg.IntArray) -> ig.Graph:
    """The ties of one community's members as a graph on positions in ``member_idx`` (sorted by node)."""
    mask = ties["community"] == community
    order = np.argsort(member_idx, kind="stable")
    ends = []
    for column in ("s", "d"):
        at = np.minimum(np.searchsorted(member_idx[order], ties[column][mask]), len(order) - 1)
        ends.append(order[at] if len(order) else at)
    known = (member_idx[ends[0]] == ties["s"][mask]) & (member_idx[ends[1]] == ties["d"][mask])
    graph = ig.Graph(n=len(member_idx), edges=np.column_stack([ends[0][known], ends[1][known]]))
    return graph.simplify()


def find_communities(ws: Workspace, config: NetworkConfig, graph: ig.Graph, scoped: ScopedGraph) -> alg.IntArray:
    """Community per scope index: Leiden on ``graph`` (modularity of the whole graph, also when ``scoped`` is a
    neighbourhood), then joined networks split apart (:func:`puente.network.algorithms.split_joined`)."""
    comm = config.communities
    membership = alg.communities(
        graph,
        resolution=comm.resolution,
        iterations=comm.iterations,
        seed=comm.seed,
        strength=scoped.strength,
        total_strength=scoped.total_strength,
    )
    if comm.split_resolution > 0:
        membership = alg.split_joined(
            graph,
            membership,
            load_signals(ws, config),
            load_member_ties(ws, config),
            min_risk=config.membership.min_network_risk,
            min_kinds=config.membership.min_signal_kinds,
            min_member_score=config.membership.min_member_score,
            min_members=comm.split_min_members,
            resolution=comm.split_resolution,
            iterations=comm.iterations,
            seed=comm.seed,
        )
    return membership


def discover(ws: Workspace, config: NetworkConfig, engine: Engine | None = None) -> DiscoveryResult:
    """Run the whole discovery and store its results; returns a summary.

    The graph build (every record in the workspace) runs on ``engine`` (default: DuckDB in the workspace).
    Communities, splits and key players run on the compiled graph library over the scope's part of the aggregated
    graph (nodes outside it get no community); roles and infrastructure are SQL in the workspace.
    """
    timings: dict[str, float] = {}
    started_at = datetime.now(UTC).replace(tzinfo=None)
    run_id = f"NWR-{started_at:%Y%m%d%H%M%S}-{uuid.uuid4().hex[:6]}"
    engine = engine or DuckDBEngine(ws.con)
    t = time.perf_counter()
    stats = build_graph(ws, config.graph, engine)
    timings["graph"] = time.perf_counter() - t

    t = time.perf_counter()
    scoped = scoped_graph(ws, config)
    graph = alg.make_graph(scoped.n, scoped.src, scoped.dst, scoped.weight)
    membership = find_communities(ws, config, graph, scoped)
    timings["communities"] = time.perf_counter() - t

    con = ws.con
    n = scoped.n
    con.register("nw_membership", pa.table({"idx": np.arange(n, dtype=np.int64), "community": membership}))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE nw_comm AS SELECT n.node, s.idx, n.kind, n.label, m.community "
        "FROM nw_scope s JOIN network_nodes n USING (node) JOIN nw_membership m ON m.idx = s.idx"
    )
    con.execute(
        """UPDATE network_nodes n SET community = c.community FROM nw_comm c
           WHERE c.node = n.node AND n.degree <= ?""",
        [config.graph.max_degree],
    )
    con.unregister("nw_membership")
    t = time.perf_counter()
    for statement in INTERNAL_EDGES:
        con.execute(statement)
    con.execute(network_risk_sql(config.membership))
    con.execute(member_score_sql(config.membership))
    rows = con.execute(
        """SELECT s.community, list(s.node ORDER BY s.node) AS members, list(c.idx ORDER BY s.node) AS idx,
                  list(s.score ORDER BY s.node) AS score, r.risk, r.signals
           FROM nw_member_score s JOIN nw_comm c USING (node) JOIN nw_risk r ON r.community = s.community
           WHERE s.score >= ? GROUP BY s.community, r.risk, r.signals HAVING count(*) >= 3
           ORDER BY r.risk DESC, s.community""",
        [config.membership.min_member_score],
    ).fetchall()
    key = config.key_players
    ties = _command_ties(ws, key.command_ties, config.membership.min_member_score)
    member_rows: list[dict[str, object]] = []
    networks: list[dict[str, object]] = []
    for number, (community, members, idx, scores, risk, signals) in enumerate(rows):
        network_id = f"N{number + 1:03d}"
        community_nodes = np.flatnonzero(membership == community)
        # Key players are measured on the members' own graph (ties among members): command positions show there,
        # not in the volume of operational records, which couriers and straw owners dominate.
        member_idx = np.asarray(idx, dtype=np.int64)
        cent = alg.centralities(graph.induced_subgraph(member_idx.tolist()))
        at = np.arange(len(member_idx))
        member_score = np.asarray(scores, dtype=np.float64)
        # command reach on the members' personal ties only: who the others report to, directly or through one
        command = alg.command_reach(_tie_graph(ties, int(community), member_idx))
        key_score = (
            key.command * command
            + key.brokerage * cent.brokerage[at]
            + key.influence * cent.influence[at]
            + key.reach * cent.reach[at]
            + key.member_score * member_score / max(float(member_score.max()), 1e-9)
        )
        order = np.argsort(-key_score, kind="stable")
        for rank, i in enumerate(order):
            member_rows.append(
                {
                    "run_id": run_id,
                    "network_id": network_id,
                    "node": members[i],
                    "rank": rank + 1,
                    "member_score": float(member_score[i]),
                    "key_score": float(key_score[i]),
                    "brokerage": float(cent.brokerage[at[i]]),
                    "flow": 0.0,
                    "influence": float(cent.influence[at[i]]),
                }
            )
        networks.append(
            {
                "run_id": run_id,
                "network_id": network_id,
                "community": int(community),
                "n_nodes": len(community_nodes),
                "n_members": len(members),
                "risk": float(risk),
                "reasons": signals,
            }
        )
    timings["members"] = time.perf_counter() - t
    _store(ws, run_id, member_rows, networks)
    t = time.perf_counter()
    assign_roles(ws, run_id, config)
    con.execute(
        infra_sql(config.graph.max_degree, config.membership.min_flow_records),
        [run_id, run_id, config.membership.min_shared_by],
    )
    timings["roles"] = time.perf_counter() - t
    con.execute(
        "INSERT INTO network_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            started_at,
            datetime.now(UTC).replace(tzinfo=None),
            config.version,
            config.sha256,
            stats.nodes,
            stats.edges,
            len(np.unique(membership)),
            len(networks),
        ],
    )
    n_communities = len(np.unique(membership))
    return DiscoveryResult(run_id, stats, n_communities, networks, config.communities.scope, scoped.n, timings)


def _store(ws: Workspace, run_id: str, members: list[dict[str, object]], networks: list[dict[str, object]]) -> None:
    con = ws.con
    con.execute("DELETE FROM network_members")
    con.execute("DELETE FROM networks")
    con.execute("DELETE FROM network_infrastructure")
    if members:
        con.register("nw_new_members", pa.Table.from_pylist(members))
        con.execute(
            """INSERT INTO network_members
               SELECT m.run_id, m.network_id, m.node, c.label, 'member', m.rank, m.member_score, m.key_score,
                      m.brokerage, m.flow, m.influence, s.evidence
               FROM nw_new_members m JOIN nw_comm c USING (node) JOIN nw_member_score s USING (node)"""
        )
        con.unregister("nw_new_members")
    if networks:
        con.register("nw_new_networks", pa.Table.from_pylist(networks))
        con.execute(
            """INSERT INTO networks SELECT n.run_id, n.network_id, n.community, n.n_nodes, n.n_members, n.risk,
                      m.node, m.name, n.reasons
               FROM nw_new_networks n LEFT JOIN network_members m ON m.network_id = n.network_id AND m.rank = 1"""
        )
        con.unregister("nw_new_networks")
