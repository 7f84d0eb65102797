"""What reconciliation tells an analyst: one-sided and discrepant declarations, repeated just-under amounts,
shared carriers and courier networks.

Findings are about *travellers* and *crossings*, not records: a matched CMIR/declaration pair is one crossing,
and one traveller's records are tied together by the matched pairs, shared identifiers, or the same folded
name with the same birth date. Grouping then runs as SQL over those columns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from puente.crossings.config import CrossingsConfig
from puente.crossings.reconcile import FIELDS, Reconciliation
from puente.matching.graph import connected_components

FINDING_KINDS = (
    "us_only",  # CMIR filed, no Mexican declaration of the crossing
    "mx_only",  # Mexican declaration filed, no CMIR
    "amount_discrepancy",  # both filed, amounts differ beyond tolerance
    "under_threshold_repeats",  # one traveller repeatedly just under the reporting threshold
    "multiple_principals",  # one traveller carrying on behalf of different people
    "shared_vehicle",  # one vehicle carrying cash for different travellers or principals
    "courier_network",  # couriers tied together by shared vehicles or principals
)


@dataclass(frozen=True)
class Findings:
    crossings: pa.Table  # one row per reconciled crossing (pair or one-sided record)
    findings: pa.Table  # kind, subject, records, amount_usd, detail, explanation (JSON)


def _records(rec: Reconciliation) -> pa.Table:
    """Both sides' prepared records stacked, with a global node index ``node``."""
    us = rec.us.append_column("node", pa.array(np.arange(rec.us.num_rows), pa.int64()))
    mx = rec.mx.append_column("node", pa.array(np.arange(rec.mx.num_rows) + rec.us.num_rows, pa.int64()))
    return pa.concat_tables([us, mx])


def traveller_labels(rec: Reconciliation, con: duckdb.DuckDBPyConnection) -> np.ndarray:
    """A traveller label per record node: components over matched pairs, shared ids and name+birth date."""
    li, ri = rec.matched_indices()
    edges = con.sql(
        """
        WITH ids AS (SELECT node, unnest(id_numbers) AS v FROM recs),
             keys AS (SELECT node, name_key || '|' || dob::VARCHAR AS v FROM recs WHERE dob IS NOT NULL
                      UNION ALL
                      SELECT node, name_phon || '|' || dob::VARCHAR FROM recs WHERE dob IS NOT NULL),
             anchors AS (SELECT v, min(node) AS root FROM (SELECT * FROM ids UNION ALL SELECT * FROM keys) GROUP BY v),
             links AS (SELECT node, v FROM ids UNION ALL SELECT node, v FROM keys)
        SELECT l.node AS a, an.root AS b FROM links l JOIN anchors an USING (v) WHERE l.node <> an.root
        """
    ).fetchnumpy()
    n = rec.us.num_rows + rec.mx.num_rows
    src = np.concatenate([li, edges["a"].astype(np.int64)])
    dst = np.concatenate([ri + rec.us.num_rows, edges["b"].astype(np.int64)])
    return connected_components(n, src, dst)


def _explain(rec: Reconciliation) -> list[str]:
    m = rec.matches
    return [
        json.dumps(
            {f: {"level": row[f"{f}_level"], "weight": row[f"{f}_weight"]} for f in FIELDS} | {"total": row["total"]}
        )
        for row in m.to_pylist()
    ]


def find(rec: Reconciliation, cfg: CrossingsConfig) -> Findings:
    """All findings of a reconciliation."""
    con = duckdb.connect()
    try:
        recs = _records(rec)
        con.register("recs", recs)
        labels = traveller_labels(rec, con)
        con.register("trav", pa.table({"node": np.arange(len(labels)), "traveller": labels}))
        li, ri = rec.matched_indices()
        m = rec.matches
        con.register(
            "pairs",
            pa.table({"un": li, "mn": ri + rec.us.num_rows, "total": m["total"], "explanation": _explain(rec)}),
        )
        crossings = con.sql(CROSSINGS_SQL).to_arrow_table()
        con.register("xing", crossings)
        u = cfg.under_threshold
        findings = con.sql(
            FINDINGS_SQL.format(
                low=u.band_low_usd,
                high=cfg.threshold_usd,
                repeats=u.min_repeats,
                abs=cfg.amount_tolerance.absolute_usd,
                rel=cfg.amount_tolerance.relative,
            )
        ).to_arrow_table()
        findings = pa.concat_tables([findings, _networks(con, crossings)])
    finally:
        con.close()
    return Findings(crossings=crossings, findings=findings)


CROSSINGS_SQL = """
WITH r AS (SELECT recs.*, t.traveller FROM recs JOIN trav t USING (node)),
paired AS (
  SELECT u.record_id AS cmir_id, m.record_id AS mx_folio, u.traveller, least(u.day, m.day) AS day,
         u.southbound, u.port_key, u.given || ' ' || u.surnames AS traveller_name, u.amount_usd AS cmir_usd,
         m.amount_usd AS mx_usd, greatest(u.amount_usd, m.amount_usd) AS amount_usd,
         coalesce(nullif(u.vehicle, ''), nullif(m.vehicle, '')) AS vehicle,
         list_distinct(list_filter([u.behalf_key, m.behalf_key], lambda x: x <> '')) AS principals,
         p.total AS match_weight, p.explanation
  FROM pairs p JOIN r u ON u.node = p.un JOIN r m ON m.node = p.mn),
single AS (
  SELECT CASE WHEN side = 'us' THEN record_id END, CASE WHEN side = 'mx' THEN record_id END, traveller, day,
         southbound, port_key, given || ' ' || surnames,
         CASE WHEN side = 'us' THEN amount_usd END, CASE WHEN side = 'mx' THEN amount_usd END, amount_usd,
         nullif(vehicle, ''), list_filter([behalf_key], lambda x: x <> ''), NULL::DOUBLE, NULL::VARCHAR
  FROM r WHERE node NOT IN (SELECT un FROM pairs) AND node NOT IN (SELECT mn FROM pairs))
SELECT coalesce(cmir_id, '-') || '/' || coalesce(mx_folio, '-') AS crossing_key, *
FROM (SELECT * FROM paired UNION ALL SELECT * FROM single)
ORDER BY day, crossing_key
"""

FINDINGS_SQL = """
SELECT 'us_only' AS kind, traveller_name AS subject, [cmir_id] AS records, amount_usd,
       'CMIR with no Mexican declaration of the same crossing' AS detail, NULL::VARCHAR AS explanation
FROM xing WHERE mx_folio IS NULL
UNION ALL
SELECT 'mx_only', traveller_name, [mx_folio], amount_usd,
       'Mexican declaration with no CMIR of the same crossing', NULL
FROM xing WHERE cmir_id IS NULL
UNION ALL
SELECT 'amount_discrepancy', traveller_name, [cmir_id, mx_folio], abs(cmir_usd - mx_usd),
       printf('CMIR USD %,.2f vs declaration USD %,.2f', cmir_usd, mx_usd), explanation
FROM xing WHERE cmir_id IS NOT NULL AND mx_folio IS NOT NULL
  AND abs(cmir_usd - mx_usd) > greatest({abs:f}, {rel:f} * greatest(cmir_usd, mx_usd))
UNION ALL
SELECT 'under_threshold_repeats', any_value(traveller_name), list(crossing_key ORDER BY day), sum(amount_usd),
       printf('%d crossings between USD %,.0f and %,.0f', count(*), {low:f}, {high:f}), NULL
FROM xing WHERE amount_usd >= {low:f} AND amount_usd < {high:f}
GROUP BY traveller HAVING count(*) >= {repeats:d}
UNION ALL
SELECT 'multiple_principals', any_value(traveller_name), list(DISTINCT crossing_key), sum(amount_usd),
       'on behalf of ' || array_to_string(list_sort(list_distinct(flatten(list(principals)))), '; '), NULL
FROM xing GROUP BY traveller HAVING len(list_distinct(flatten(list(principals)))) >= 2
UNION ALL
SELECT 'shared_vehicle', vehicle, list(DISTINCT crossing_key), sum(amount_usd),
       printf('%d travellers, %d principals', count(DISTINCT traveller), len(list_distinct(flatten(list(principals))))),
       NULL
FROM xing WHERE vehicle IS NOT NULL GROUP BY vehicle
HAVING count(DISTINCT traveller) >= 2 OR len(list_distinct(flatten(list(principals)))) >= 2
"""


def _networks(con: duckdb.DuckDBPyConnection, crossings: pa.Table) -> pa.Table:
    """Couriers tied together: travellers linked through a shared vehicle or a shared principal."""
    hubs = con.sql(
        """
        SELECT traveller, 'V:' || vehicle AS hub FROM xing WHERE vehicle IS NOT NULL
        UNION SELECT traveller, 'P:' || p FROM (SELECT traveller, unnest(principals) AS p FROM xing)
        """
    ).fetchnumpy()
    travellers = np.unique(crossings["traveller"].to_numpy())
    if len(hubs["hub"]) == 0:
        return con.sql("SELECT * FROM (" + _EMPTY + ") LIMIT 0").to_arrow_table()
    hub_names, hub_idx = np.unique(hubs["hub"].astype(str), return_inverse=True)
    t_idx = np.searchsorted(travellers, hubs["traveller"])
    n_t = len(travellers)
    labels = connected_components(n_t + len(hub_names), t_idx, hub_idx + n_t)[:n_t]
    con.register("net", pa.table({"traveller": travellers, "network": labels}))
    return con.sql(
        """
        SELECT 'courier_network' AS kind,
               array_to_string(list_sort(list_distinct(list(x.traveller_name))), '; ') AS subject,
               list(x.crossing_key ORDER BY x.day) AS records, sum(x.amount_usd) AS amount_usd,
               printf('%d couriers, vehicles: %s; principals: %s', count(DISTINCT x.traveller),
                      array_to_string(list_sort(list_distinct(list(x.vehicle))), ', '),
                      array_to_string(list_sort(list_distinct(flatten(list(x.principals)))), ', ')) AS detail,
               NULL::VARCHAR AS explanation
        FROM xing x JOIN net USING (traveller)
        GROUP BY network HAVING count(DISTINCT x.traveller) >= 2
        ORDER BY amount_usd DESC
        """
    ).to_arrow_table()


_EMPTY = (
    "SELECT 'courier_network' AS kind, '' AS subject, ['']::VARCHAR[] AS records, 0.0::DOUBLE AS amount_usd,"
    " '' AS detail, NULL::VARCHAR AS explanation"
)
