"""Which communities are networks, and who in them is a member: scores computed columnar in SQL.

A community is only a partition of the evidence graph; most are families, employers and their banks. A community
becomes a *network* when its risk signals (watch-list hits, SARs, monitoring alerts, seizures) add up to the
configured threshold. Inside a network, a person is a *member* when operational or personal evidence ties them to
it: co-offending associates, cash they conducted, crossings they drove, CMIRs they filed, SARs naming them,
watch-list hits. Holding an account or a directorship alone does not make a member: that is how mules and
nominee directors look, and they are reported as infrastructure, not as members. Repeated evidence counts
logarithmically (``w * log2(1 + records)``), so one SAR naming a mule weighs less than four naming a straw owner.
"""

from __future__ import annotations

from puente.network.config import MembershipConfig


def _values(weights: dict[str, float]) -> str:
    return ", ".join(f"('{k}', {v!r})" for k, v in sorted(weights.items()))


#: Edges inside one community, seen from each end (node, community, etype, other end's kind, records).
INTERNAL_EDGES = """
CREATE OR REPLACE TEMP TABLE nw_internal AS
SELECT a.node, a.community, e.etype, b.node AS other, b.kind AS other_kind, e.n_records, e.weight, e.amount
FROM network_edges e JOIN nw_comm a ON a.node = e.src JOIN nw_comm b ON b.node = e.dst
WHERE a.community = b.community
UNION ALL
SELECT b.node, b.community, e.etype, a.node, a.kind, e.n_records, e.weight, e.amount
FROM network_edges e JOIN nw_comm a ON a.node = e.src JOIN nw_comm b ON b.node = e.dst
WHERE a.community = b.community"""


def node_signals_sql(config: MembershipConfig) -> str:
    """Risk signals per node: which evidence of crime touches it (one row per node and signal)."""
    w = config.risk_signals
    parts = [
        f"SELECT src AS node, 'watchlisted_person' AS signal, {w.get('watchlisted_person', 0.0)!r} AS w "
        "FROM network_edges WHERE etype = 'screening_hit'",
        f"SELECT src, 'sar_subject', {w.get('sar_subject', 0.0)!r} FROM network_edges WHERE etype = 'sar_subject'",
        f"""SELECT e.src, 'seizure', {w.get("seizure", 0.0)!r}
            FROM network_edges e, unnest(e.records) r(record_id)
            JOIN crossings x ON x.crossing_id = r.record_id
            WHERE e.etype = 'drove' AND x.inspection_result = 'seizure'""",
    ]
    return " UNION ALL ".join(parts)


def network_risk_sql(config: MembershipConfig) -> str:
    """Communities whose summed risk (each node counted once per signal) reaches ``min_network_risk``."""
    return f"""
    CREATE OR REPLACE TEMP TABLE nw_risk AS
    SELECT c.community, sum(s.w) AS risk, count(DISTINCT c.node) AS flagged,
           string_agg(DISTINCT s.signal, ', ' ORDER BY s.signal) AS signals
    FROM (SELECT DISTINCT node, signal, w FROM ({node_signals_sql(config)})) s
    JOIN nw_comm c ON c.node = s.node
    GROUP BY c.community
    HAVING sum(s.w) >= {config.min_network_risk!r} AND count(DISTINCT s.signal) >= {config.min_signal_kinds}"""


def member_score_sql(config: MembershipConfig) -> str:
    """Member score per person in a network community, with its evidence as 'type xN' parts."""
    return f"""
    CREATE OR REPLACE TEMP TABLE nw_member_score AS
    WITH ev AS (
        SELECT i.node, i.community, i.etype, any_value(m.w) AS w, sum(i.n_records) AS n
        FROM nw_internal i JOIN (VALUES {_values(config.member_evidence)}) m(etype, w) ON m.etype = i.etype
        JOIN nw_risk r ON r.community = i.community
        GROUP BY i.node, i.community, i.etype)
    SELECT ev.node, ev.community, sum(ev.w * log2(1 + ev.n)) AS score,
           string_agg(ev.etype || ' x' || ev.n, ', ' ORDER BY ev.w * log2(1 + ev.n) DESC) AS evidence,
           list(ev.etype) AS types
    FROM ev JOIN nw_comm c ON c.node = ev.node AND c.kind = 'Person'
    GROUP BY ev.node, ev.community"""
