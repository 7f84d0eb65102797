"""Graph typology templates (the AMLSim / AMLworld pattern vocabulary) as SQL over ``mon_edges``.

fan-in, fan-out, cycle, scatter-gather, gather-scatter, stack and bipartite, each inside a time window and an
amount band. Patterns are found with joins, never with one Python object per edge; temporal cycles are grown one
hop per materialised step (hop dates non-decreasing, value kept within ``max_decay``), which keeps the frontier
small and runs the same on DuckDB and Spark (no recursive CTE needed).
"""

from __future__ import annotations

from puente.monitoring.config import (
    BipartiteParams,
    CycleParams,
    FanParams,
    GatherScatterParams,
    ScatterGatherParams,
    StackParams,
)
from puente.monitoring.sqlparts import RuleSql, band, days, num


def _fan(p: FanParams, hub: str, other: str, role: str) -> RuleSql:
    """Fans whose counterparties are mostly one-off and low-history (few partners of their own in the data).

    A payee's history counts its payers over every channel (``mon_payers``); a payer's history counts the accounts
    it transfers to (its card purchases do not make a mule established). Low-history counterparties count only
    when the hub deals with them once: a business's recurring payees are its staff and suppliers.
    """
    w = days(p.window_days)
    history = (
        "SELECT acct, partners FROM mon_payers"
        if other == "dst"
        else "SELECT src AS acct, count(DISTINCT dst) AS partners FROM mon_edges GROUP BY src"
    )
    return RuleSql(f"""
WITH e AS ({band(p.min_amount, p.max_amount)}),
pair AS (SELECT src, dst, count(*) AS n FROM mon_edges GROUP BY src, dst),
cp AS ({history}),
anchors AS (SELECT DISTINCT {hub} AS hub, d FROM e),
w AS (SELECT a.hub, a.d AS start_d FROM anchors a JOIN e ON e.{hub} = a.hub AND e.d BETWEEN a.d AND a.d + {w}
      JOIN pair ON pair.src = e.src AND pair.dst = e.dst
      JOIN cp ON cp.acct = e.{other}
      GROUP BY a.hub, a.d
      HAVING count(DISTINCT e.{other}) >= {p.min_degree}
         AND count(DISTINCT CASE WHEN pair.n = 1 THEN e.{other} END)
             >= {num(p.min_one_off_share)} * count(DISTINCT e.{other})
         AND count(DISTINCT CASE WHEN cp.partners <= {p.max_cp_partners} AND pair.n = 1 THEN e.{other} END)
             >= {num(p.min_low_history_share)} * count(DISTINCT e.{other})),
focused AS (SELECT w.hub, w.start_d FROM w
            JOIN mon_edges x ON x.{hub} = w.hub AND x.d BETWEEN w.start_d AND w.start_d + {w}
            GROUP BY w.hub, w.start_d
            HAVING sum(CASE WHEN x.usd >= {num(p.min_amount)} AND x.usd < {num(p.max_amount)} THEN 1.0 ELSE 0.0 END)
                   >= {num(p.min_band_share)} * count(*))
SELECT DISTINCT w.hub AS subject, e.tx_id AS transaction_id, '{role}' AS role
FROM focused w JOIN e ON e.{hub} = w.hub AND e.d BETWEEN w.start_d AND w.start_d + {w}""")


def fan_in(p: FanParams) -> RuleSql:
    """One account receiving from at least ``min_degree`` distinct accounts, mostly low-history ones, within days."""
    return _fan(p, "dst", "src", "incoming")


def fan_out(p: FanParams) -> RuleSql:
    """One account paying at least ``min_degree`` distinct accounts, mostly low-history ones, within days."""
    return _fan(p, "src", "dst", "outgoing")


def cycle(p: CycleParams, prefix: str) -> RuleSql:
    """Temporal cycles of 3..max_length hops, reported on the account where the money started.

    Dates never go back along a path, so only the rotation that starts with the first hop closes: each cycle is
    found once.
    """
    hop, lo = days(p.max_hop_days), num(1 - p.max_decay)
    edges = f"{prefix}_e"
    steps = [
        (edges, band(p.min_amount)),
        (f"{prefix}_p1", f"SELECT src AS n0, dst AS n1, d, usd, tx_id AS t1 FROM {edges}"),
    ]
    closed: list[str] = []
    for k in range(2, p.max_length + 1):
        prev = f"{prefix}_p{k - 1}"
        cols = ", ".join([f"p.n{i}" for i in range(k)] + [f"p.t{i}" for i in range(1, k)])
        seen = " AND ".join(f"e.dst <> p.n{i}" for i in range(1, k))
        steps.append(
            (
                f"{prefix}_p{k}",
                f"SELECT {cols}, e.dst AS n{k}, e.d, e.usd, e.tx_id AS t{k} FROM {prev} p JOIN {edges} e "
                f"ON e.src = p.n{k - 1} AND e.d BETWEEN p.d AND p.d + {hop} "
                f"AND e.usd BETWEEN p.usd * {lo} AND p.usd WHERE {seen}"
                + (f" AND p.n{k - 1} <> p.n0" if k > 2 else ""),
            )
        )
        if k >= 3:
            for i in range(1, k + 1):
                closed.append(
                    f"SELECT n0 AS subject, t{i} AS transaction_id, 'cycle_hop' AS role FROM {prefix}_p{k} "
                    f"WHERE n{k} = n0"
                )
    return RuleSql("\nUNION\n".join(closed), steps)


def scatter_gather(p: ScatterGatherParams) -> RuleSql:
    """A source paying ``min_width`` intermediaries that each forward most of it to one sink."""
    w = days(p.window_days)
    return RuleSql(f"""
WITH e AS ({band(p.min_amount, p.max_amount)}),
paths AS (SELECT a.src AS source, a.dst AS mid, b.dst AS sink, a.tx_id AS t1, b.tx_id AS t2 FROM e a
          JOIN e b ON b.src = a.dst AND b.d BETWEEN a.d AND a.d + {w}
           AND b.usd BETWEEN a.usd * {num(p.min_kept)} AND a.usd AND b.dst <> a.src),
groups AS (SELECT source, sink FROM paths GROUP BY source, sink HAVING count(DISTINCT mid) >= {p.min_width}),
hit AS (SELECT paths.* FROM paths JOIN groups ON groups.source = paths.source AND groups.sink = paths.sink)
SELECT DISTINCT source AS subject, t1 AS transaction_id, 'scatter' AS role FROM hit
UNION
SELECT DISTINCT source, t2, 'gather' FROM hit""")


def gather_scatter(p: GatherScatterParams) -> RuleSql:
    """A hub collecting from ``min_in`` accounts and paying ``min_out`` accounts most of it within the window.

    The scatter counts payments of any size from ``min_out_amount``, but only fires when its payees are mostly new
    (paid once by the hub) and low-history: payroll recurs and suppliers are paid by many.
    """
    w = days(p.window_days)
    return RuleSql(f"""
WITH e AS ({band(p.min_amount, p.max_amount)}),
eo AS ({band(p.min_out_amount)}),
cp AS (SELECT acct, partners FROM mon_payers),
pair AS (SELECT src, dst, count(*) AS n FROM mon_edges GROUP BY src, dst),
anchors AS (SELECT DISTINCT dst AS hub, d FROM e),
win AS (SELECT a.hub, a.d AS start_d, sum(i.usd) AS inflow FROM anchors a
        JOIN e i ON i.dst = a.hub AND i.d BETWEEN a.d AND a.d + {w}
        GROUP BY a.hub, a.d HAVING count(DISTINCT i.src) >= {p.min_in}),
fired AS (SELECT win.hub, win.start_d FROM win JOIN eo o ON o.src = win.hub AND o.d BETWEEN win.start_d
    AND win.start_d + {w}
          JOIN cp ON cp.acct = o.dst
          JOIN pair ON pair.src = o.src AND pair.dst = o.dst
          GROUP BY win.hub, win.start_d, win.inflow
          HAVING count(DISTINCT o.dst) >= {p.min_out} AND sum(o.usd) >= {num(p.min_out_ratio)} * win.inflow
             AND count(DISTINCT CASE WHEN pair.n = 1 THEN o.dst END)
                 >= {num(p.min_one_off_share)} * count(DISTINCT o.dst)
             AND count(DISTINCT CASE WHEN cp.partners <= {p.max_cp_partners} THEN o.dst END)
                 >= {num(p.min_low_history_share)} * count(DISTINCT o.dst))
SELECT DISTINCT f.hub AS subject, i.tx_id AS transaction_id, 'gather' AS role
FROM fired f JOIN e i ON i.dst = f.hub AND i.d BETWEEN f.start_d AND f.start_d + {w}
UNION
SELECT DISTINCT f.hub, o.tx_id, 'scatter'
FROM fired f JOIN eo o ON o.src = f.hub AND o.d BETWEEN f.start_d AND f.start_d + {w}""")


def stack(p: StackParams) -> RuleSql:
    """A middle layer: accounts through which several sources reach several sinks, each pair by several paths."""
    w = days(p.window_days)
    return RuleSql(f"""
WITH e AS ({band(p.min_amount, p.max_amount)}),
paths AS (SELECT a.src AS s, a.dst AS m, b.dst AS c, a.tx_id AS t1, b.tx_id AS t2 FROM e a
          JOIN e b ON b.src = a.dst AND b.d BETWEEN a.d AND a.d + {w} AND b.dst <> a.src),
pairs AS (SELECT s, c FROM paths GROUP BY s, c HAVING count(DISTINCT m) >= {p.min_paths}),
layered AS (SELECT paths.* FROM paths JOIN pairs ON pairs.s = paths.s AND pairs.c = paths.c),
mids AS (SELECT m FROM layered GROUP BY m
         HAVING count(DISTINCT s) >= {p.min_sources} AND count(DISTINCT c) >= {p.min_sinks}),
hit AS (SELECT layered.* FROM layered JOIN mids ON mids.m = layered.m)
SELECT DISTINCT m AS subject, t1 AS transaction_id, 'layer_in' AS role FROM hit
UNION
SELECT DISTINCT m, t2, 'layer_out' FROM hit""")


def bipartite(p: BipartiteParams) -> RuleSql:
    """A sender with ``min_targets`` or more receivers that each have another sender too (a bipartite block).

    The senders need not share the same receivers: laundering groups pay their mules sparsely (AMLSim's bipartite
    pattern draws each sender-receiver edge at random), so requiring one K2,2 block misses most of them. The shared
    receivers must fall within ``window_days`` of each other (anchored at each of the sender's payments), and
    only low-history receivers count: at most ``max_cp_partners`` distinct payers over every channel, card
    customers included, because businesses share popular suppliers and merchants by commerce.
    """
    w = days(p.window_days)
    return RuleSql(f"""
WITH e AS ({band(p.min_amount, p.max_amount)}),
cp AS (SELECT acct, partners FROM mon_payers),
er AS (SELECT e.* FROM e JOIN cp ON cp.acct = e.dst WHERE cp.partners <= {p.max_cp_partners}),
co AS (SELECT a.src AS s1, b.src AS s2, a.dst AS t, a.tx_id AS t1, b.tx_id AS t2, a.d AS d1 FROM er a
       JOIN er b ON b.dst = a.dst AND b.src <> a.src AND b.d BETWEEN a.d - {w} AND a.d + {w}),
anchor AS (SELECT x.s1, x.d1 FROM co x JOIN co y ON y.s1 = x.s1 AND y.d1 BETWEEN x.d1 AND x.d1 + {w}
           GROUP BY x.s1, x.d1
           HAVING count(DISTINCT y.t) >= {p.min_targets} AND count(DISTINCT y.s2) >= {p.min_cosenders}),
hit AS (SELECT DISTINCT co.* FROM co JOIN anchor a ON a.s1 = co.s1 AND co.d1 BETWEEN a.d1 AND a.d1 + {w})
SELECT DISTINCT s1 AS subject, t1 AS transaction_id, 'shared_receiver' AS role FROM hit
UNION
SELECT DISTINCT s1, t2, 'co_sender' FROM hit""")
