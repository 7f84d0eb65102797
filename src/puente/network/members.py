"""Which communities are networks, and who in them is a member: scores computed columnar in SQL.

A community is only a partition of the evidence graph; most are families, employers and their banks. A community
becomes a *network* when its risk signals (watch-list hits, SARs, monitoring alerts, seizures) add up to the
configured threshold. Inside a network, a person is a *member* when operational or personal evidence ties them to
it: co-offending associates, cash they conducted, crossings they drove, CMIRs they filed, SARs naming them,
watch-list hits. Holding an account or a directorship alone does not make a member: that is how mules and
nominee directors look, and they are reported as infrastructure, not as members. Repeated evidence counts
logarithmically (``w * log2(1 + records)``), so one SAR naming a mule weighs less than four naming a straw owner.
Some evidence only corroborates (``corroborating_only``): a fuzzy watch-list hit ties a person to a list entry,
not to the network's people, driving one of its vehicles is what a hired truck driver does too, and a CTR names
every cash business owner; such evidence counts toward no one's membership (the other evidence must reach the bar
alone) and adds to a member's score, which ranks key players.
"""

from __future__ import annotations

from puente.network.config import MembershipConfig
from puente.network.sql import in_list


def _values(weights: dict[str, float]) -> str:
    return ", ".join(f"('{k}', {v!r})" for k, v in sorted(weights.items()))


def _member_bar(config: MembershipConfig) -> str:
    """HAVING clause: the evidence outside the ``corroborating_only`` types alone reaches ``min_member_score``."""
    core = "ev.w * log2(1 + ev.n)"
    if config.corroborating_only:
        core = f"CASE WHEN ev.etype IN ({in_list(config.corroborating_only)}) THEN 0.0 ELSE {core} END"
    return f"HAVING sum({core}) >= {config.min_member_score!r}"


#: Edges inside one community, seen from each end (node, community, etype, other end's kind, records): statements
#: run in order. Each edge's ends are looked up by node into a table first and compared in a second statement:
#: in one query the optimizer joins the two ends on community, which pairs every two nodes of a large community
#: (150 million rows for a 9,000-node community of the small scenario) before the edges narrow them down.
INTERNAL_EDGES: tuple[str, ...] = (
    """CREATE OR REPLACE TEMP TABLE nw_edge_ends AS
    SELECT a.node AS a_node, a.kind AS a_kind, a.community AS a_comm, b.node AS b_node, b.kind AS b_kind,
           b.community AS b_comm, e.etype, e.n_records, e.weight, e.amount
    FROM network_edges e JOIN nw_comm a ON a.node = e.src JOIN nw_comm b ON b.node = e.dst""",
    """CREATE OR REPLACE TEMP TABLE nw_internal AS
    SELECT a_node AS node, a_comm AS community, etype, b_node AS other, b_kind AS other_kind, n_records, weight, amount
    FROM nw_edge_ends WHERE a_comm = b_comm
    UNION ALL
    SELECT b_node, b_comm, etype, a_node, a_kind, n_records, weight, amount FROM nw_edge_ends WHERE a_comm = b_comm""",
    "DROP TABLE nw_edge_ends",
)


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
    """Members of network communities: score (all evidence) and evidence as 'type xN' parts.

    A person is a member when the evidence outside ``corroborating_only`` reaches ``min_member_score`` by itself;
    corroborating evidence then adds to the score that ranks members.

    Evidence is summed over the records of one resolved person (entities that entity resolution says are the same:
    ``same_as`` edges, which join every two records of a match cluster): a broker's associate tie on his Mexican
    record and the SAR naming his US record make one member. Every record of the person in the community is listed
    with the person's score.
    """
    return f"""
    CREATE OR REPLACE TEMP TABLE nw_member_score AS
    WITH twins AS (
        SELECT node, least(node, min(other)) AS who FROM (
            SELECT src AS node, dst AS other FROM network_edges WHERE etype = 'same_as'
            UNION ALL SELECT dst, src FROM network_edges WHERE etype = 'same_as')
        GROUP BY node),
    people AS (
        SELECT c.node, c.community, coalesce(t.who, c.node) AS who
        FROM nw_comm c LEFT JOIN twins t USING (node)
        WHERE c.kind = 'Person' AND c.community IN (SELECT community FROM nw_risk)),
    ev AS (
        SELECT p.who, i.community, i.etype, any_value(m.w) AS w, sum(i.n_records) AS n
        FROM nw_internal i JOIN (VALUES {_values(config.member_evidence)}) m(etype, w) ON m.etype = i.etype
        JOIN people p ON p.node = i.node AND p.community = i.community
        GROUP BY p.who, i.community, i.etype),
    scored AS (
        SELECT ev.who, ev.community, sum(ev.w * log2(1 + ev.n)) AS score,
               string_agg(ev.etype || ' x' || ev.n, ', ' ORDER BY ev.w * log2(1 + ev.n) DESC) AS evidence,
               list(ev.etype) AS types
        FROM ev
        GROUP BY ev.who, ev.community
        {_member_bar(config)})
    SELECT p.node, s.community, s.score, s.evidence, s.types
    FROM scored s JOIN people p ON p.who = s.who AND p.community = s.community"""
