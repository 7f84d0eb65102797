"""Inferred roles of members and of the infrastructure they use, from the kinds of evidence around each node.

Roles are hypotheses for an investigator to confirm, so every rule here is simple enough to state in a sentence
and the evidence that triggered it is stored beside it:

- the top-ranked key player is the presumed *leader*;
- a member who drove conveyances or filed CMIRs / declarations is a *courier*;
- a member holding an account into which other members deposit cash is a *straw owner* (funnel account holder);
- a member with personal ties (associates) to two or more members is a *lieutenant*;
- a member who only conducts cash deposits is a *courier*; anyone else is a plain *member*.

Infrastructure is every account, company and vehicle in the network's community that a member reaches in one or
two hops, and every address at least ``min_shared_by`` members share.
"""

from __future__ import annotations

from puente.network.config import NetworkConfig
from puente.store.workspace import Workspace

#: Assets members reach along operational paths (whole graph, not only their community: front companies and
#: trucks are often shared between networks and fall in communities of their own). Hop 1: what a member holds,
#: drives, deposits into or acts for; hop 2: accounts that money moves to or from, carriers and holders of those;
#: hop 3: companies and vehicles behind the hop-2 accounts and carriers; then every account that moved money in
#: a transaction-monitoring alert together with an account reached so far (the alert's pattern ties them).
_REACH = """
WITH mem AS (SELECT network_id, node FROM network_members WHERE run_id = ?),
both_ways AS (SELECT e.src AS a, e.dst AS b, e.etype, e.n_records FROM network_edges e
              UNION ALL SELECT e.dst, e.src, e.etype, e.n_records FROM network_edges e),
nodes AS (SELECT node, kind FROM network_nodes WHERE degree <= {max_degree}
          AND kind IN ('BankAccount', 'Company', 'Vehicle', 'Address', 'SAR', 'Alert')),
one AS (SELECT mem.network_id, mem.node AS member, w.b AS asset, w.etype FROM mem
        JOIN both_ways w ON w.a = mem.node JOIN nodes n ON n.node = w.b
        WHERE w.etype IN ('account_holder', 'signatory', 'shareholder', 'director', 'vehicle_owner', 'cash_deposit',
                          'ctr', 'drove', 'cmir', 'on_behalf_of', 'address', 'sar_subject')),
two AS (SELECT one.network_id, one.member, w.b AS asset, w.etype FROM one
        JOIN both_ways w ON w.a = one.asset JOIN nodes n ON n.node = w.b AND n.kind <> 'Address'
        WHERE w.etype IN ('account_holder', 'signatory', 'carried_by', 'on_behalf_of', 'sar_subject')
           OR (w.etype = 'money_flow' AND w.n_records >= {min_flow_records})),
three AS (SELECT two.network_id, two.member, w.b AS asset, w.etype FROM two
          JOIN both_ways w ON w.a = two.asset JOIN nodes n ON n.node = w.b AND n.kind IN ('Company', 'Vehicle')
          WHERE w.etype IN ('account_holder', 'carried_by')),
reach3 AS (SELECT * FROM one UNION ALL SELECT * FROM two UNION ALL SELECT * FROM three),
alerted AS (SELECT r.network_id, r.member, w2.b AS asset, w2.etype FROM reach3 r
            JOIN network_nodes ra ON ra.node = r.asset AND ra.kind = 'BankAccount'
            JOIN both_ways w1 ON w1.a = r.asset AND w1.etype = 'alert_subject'
            JOIN nodes al ON al.node = w1.b AND al.kind = 'Alert'
            JOIN both_ways w2 ON w2.a = w1.b AND w2.etype = 'alert_subject' AND w2.b <> r.asset
            JOIN nodes n ON n.node = w2.b AND n.kind = 'BankAccount'),
reach AS (SELECT * FROM reach3 UNION ALL SELECT * FROM alerted)
"""


def infra_sql(max_degree: int, min_flow_records: int) -> str:
    """Insert the run's infrastructure; parameters: (run_id, run_id, min_shared_by)."""
    return (
        _REACH.format(max_degree=int(max_degree), min_flow_records=int(min_flow_records))
        + """
, assets AS (
    SELECT r.network_id, r.asset AS node, c.kind, c.label, count(DISTINCT r.member) AS used_by
    FROM reach r JOIN network_nodes c ON c.node = r.asset AND c.kind NOT IN ('SAR', 'Alert')
    GROUP BY ALL),
kinds AS (SELECT a.node, list(DISTINCT e.etype) AS types, list(DISTINCT o.kind) AS other_kinds,
                 sum(CASE WHEN e.etype IN ('money_flow', 'cash_deposit', 'ctr') THEN e.amount END) AS amount
          FROM (SELECT DISTINCT node FROM assets) a
          JOIN (SELECT src AS node, dst AS other, etype, amount FROM network_edges
                UNION ALL SELECT dst, src, etype, amount FROM network_edges) e ON e.node = a.node
          JOIN network_nodes o ON o.node = e.other GROUP BY a.node)
INSERT INTO network_infrastructure
SELECT ?, a.network_id, a.node, a.kind, a.label,
    CASE
      WHEN a.kind = 'Vehicle' AND list_contains(k.types, 'carried_by') THEN 'truck'
      WHEN a.kind = 'Vehicle' THEN 'courier_vehicle'
      WHEN a.kind = 'Company' AND list_contains(k.types, 'carried_by') THEN 'transport_company'
      WHEN a.kind = 'Company' THEN 'front_company'
      WHEN a.kind = 'BankAccount' AND list_contains(k.types, 'cash_deposit') THEN 'funnel_account'
      WHEN a.kind = 'BankAccount' AND list_contains(k.other_kinds, 'Company') THEN 'front_account'
      WHEN a.kind = 'BankAccount' THEN 'pass_through_account'
      ELSE 'shared_address' END,
    a.used_by, k.amount,
    'reached by ' || a.used_by || ' member(s); evidence: ' || array_to_string(k.types, ', ')
FROM assets a JOIN kinds k USING (node)
WHERE a.kind <> 'Address' OR a.used_by >= ?
"""
    )


def assign_roles(ws: Workspace, run_id: str, config: NetworkConfig) -> None:
    """Set ``role`` and ``flow`` of the run's members from their evidence (SQL, one statement each)."""
    del config  # roles use no tunable parameter yet; kept for a stable signature
    ws.con.execute(
        """UPDATE network_members m SET flow = f.flow FROM (
               SELECT mem.node, coalesce(sum(i2.amount), 0) + coalesce(any_value(own.amount), 0) AS flow
               FROM network_members mem
               LEFT JOIN nw_internal i ON i.node = mem.node AND i.etype IN ('account_holder', 'signatory')
               LEFT JOIN nw_internal i2 ON i2.node = i.other AND i2.etype IN ('money_flow', 'cash_deposit', 'ctr')
               LEFT JOIN (SELECT node, sum(amount) AS amount FROM nw_internal
                          WHERE etype IN ('cash_deposit', 'ctr') GROUP BY node) own ON own.node = mem.node
               WHERE mem.run_id = ? GROUP BY mem.node) f
           WHERE m.node = f.node AND m.run_id = ?""",
        [run_id, run_id],
    )
    ws.con.execute(
        """UPDATE network_members m SET role = r.role FROM (
               SELECT mem.node, CASE
                   WHEN mem.rank = 1 THEN 'leader'
                   WHEN bool_or(i.etype IN ('drove', 'cmir', 'on_behalf_of')) THEN 'courier'
                   WHEN bool_or(i.etype = 'account_holder' AND i.other IN (
                        SELECT d.other FROM nw_internal d JOIN network_members o ON o.node = d.node
                        WHERE d.etype = 'cash_deposit' AND o.node <> mem.node)) THEN 'straw_owner'
                   WHEN count(DISTINCT i.other) FILTER (WHERE i.etype = 'associate'
                        AND i.other IN (SELECT node FROM network_members)) >= 2 THEN 'lieutenant'
                   WHEN bool_or(i.etype = 'cash_deposit') THEN 'courier'
                   ELSE 'member' END AS role
               FROM network_members mem LEFT JOIN nw_internal i ON i.node = mem.node
               WHERE mem.run_id = ? GROUP BY mem.node, mem.rank) r
           WHERE m.node = r.node AND m.run_id = ?""",
        [run_id, run_id],
    )
