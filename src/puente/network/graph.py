"""Build the evidence graph inside the workspace database, columnar, with no Python loop over records or edges.

Evidence rows from every source (:mod:`puente.network.edges_sql`) are unioned and aggregated per (src, dst,
type) into one weighted edge that keeps its record count, amount, first and last time and a sample of its source
records, so every link an analyst sees can be traced back to the records that make it. Weights follow
``network.yaml``: a type weight, a logarithmic bonus for repeated records, and damping of hubs (merchants,
payroll agents, border depots) whose links say little about any one party.
"""

from __future__ import annotations

from dataclasses import dataclass

from puente.network.config import GraphConfig
from puente.network.edges_sql import EVIDENCE, LOOKUPS, OPTIONAL_EVIDENCE
from puente.network.sql import scalar_int
from puente.store.workspace import Workspace

#: How many source record ids an edge keeps (the count is always exact).
RECORD_SAMPLE = 20


@dataclass(frozen=True)
class GraphStats:
    nodes: int
    edges: int
    evidence_rows: int
    by_type: dict[str, int]


def _has_rows(ws: Workspace, table: str) -> bool:
    if table not in ws.tables():
        return False
    return scalar_int(ws.con, f'SELECT count(*) FROM (SELECT 1 FROM "{table}" LIMIT 1)') > 0


def evidence_sql(ws: Workspace) -> str:
    """The union of every evidence source whose tables exist (optional ones only when they hold rows)."""
    parts = [f"SELECT * FROM ({sql})" for sql in EVIDENCE.values()]
    parts += [f"SELECT * FROM ({sql})" for table, sql in OPTIONAL_EVIDENCE.values() if _has_rows(ws, table)]
    return "\nUNION ALL\n".join(parts)


def _weight_case(config: GraphConfig) -> str:
    cases = " ".join(f"WHEN '{etype}' THEN {w!r}" for etype, w in sorted(config.edge_weights.items()))
    return f"(CASE etype {cases} ELSE 1.0 END)"


def _in_list(values: list[str]) -> str:
    """A SQL ``IN`` list of string literals (never empty: a NULL matches nothing)."""
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values) or "NULL"


def build_graph(ws: Workspace, config: GraphConfig) -> GraphStats:
    """(Re)build ``network_nodes`` and ``network_edges`` from the workspace's entities, records and results."""
    con = ws.con
    for name, sql in LOOKUPS.items():
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE nw_evidence AS SELECT src, dst, etype, ts, amount, record FROM ("
        f"{evidence_sql(ws)}) t(src, dst, etype, ts, amount, record) "
        "WHERE src IS NOT NULL AND dst IS NOT NULL AND src <> dst "
        "AND src NOT IN ('id:', 'acct:', 'name:') AND dst NOT IN ('id:', 'acct:', 'name:')"
    )
    evidence_rows = scalar_int(con, "SELECT count(*) FROM nw_evidence")
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE nw_agg AS
        SELECT src, dst, etype, count(*) AS n_records, sum(amount) AS amount, min(ts) AS first_at, max(ts) AS last_at,
               list(record ORDER BY ts NULLS LAST, record)[1:{RECORD_SAMPLE}] AS records
        FROM nw_evidence GROUP BY src, dst, etype"""
    )
    context = _in_list(config.context_only)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE nw_degree AS
        SELECT node, count(DISTINCT other) AS degree,
               count(DISTINCT other) FILTER (WHERE etype NOT IN ({context})) AS graph_degree FROM (
            SELECT src AS node, dst AS other, etype FROM nw_agg UNION ALL SELECT dst, src, etype FROM nw_agg)
        GROUP BY node"""
    )
    hub = config.hub_degree
    con.execute("DELETE FROM network_edges")
    con.execute(
        f"""INSERT INTO network_edges
        SELECT a.src, a.dst, a.etype,
            {_weight_case(config)} * (1 + log(a.n_records) / log({config.repeat_log_base!r}))
              / greatest(1.0, log2(1 + greatest(ds.graph_degree, dd.graph_degree)) / log2(1 + {hub})) AS weight,
            a.n_records, a.amount, a.first_at, a.last_at, a.records
        FROM nw_agg a JOIN nw_degree ds ON ds.node = a.src JOIN nw_degree dd ON dd.node = a.dst"""
    )
    con.execute("DELETE FROM network_nodes")
    con.execute(
        """INSERT INTO network_nodes
        SELECT d.node, row_number() OVER (ORDER BY d.node) - 1 AS idx,
            coalesce(e.schema, CASE split_part(d.node, ':', 1)
                WHEN 'id' THEN 'Identifier' WHEN 'acct' THEN 'BankAccount'
                WHEN 'vin' THEN 'Vehicle' WHEN 'plate' THEN 'Vehicle' WHEN 'name' THEN 'Company' WHEN 'sar' THEN 'SAR'
                WHEN 'alert' THEN 'Alert'
                WHEN 'list' THEN 'ListEntry' ELSE 'Unknown' END) AS kind,
            coalesce(e.caption, regexp_replace(d.node, '^[a-z]+:', '')) AS label, d.degree, NULL AS community
        FROM nw_degree d LEFT JOIN (SELECT id, any_value(schema) AS schema, any_value(caption) AS caption
                                    FROM entities GROUP BY id) e ON e.id = d.node"""
    )
    by_type = dict(con.execute("SELECT etype, count(*) FROM network_edges GROUP BY 1 ORDER BY 1").fetchall())
    nodes = scalar_int(con, "SELECT count(*) FROM network_nodes")
    edges = sum(int(v) for v in by_type.values())
    for name in [*LOOKUPS, "nw_evidence", "nw_agg", "nw_degree"]:
        con.execute(f"DROP TABLE IF EXISTS {name}")
    return GraphStats(nodes=nodes, edges=edges, evidence_rows=evidence_rows, by_type=by_type)
