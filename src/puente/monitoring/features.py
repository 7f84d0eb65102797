"""Transaction and graph features for the learned risk score, computed in SQL on the engine seam.

Per account (both ends of each transaction): degrees, counts and flows in and out, pass-through ratio, the
largest weekly fan-in and fan-out, cash share and third-party cash; per transaction: amount, channel,
cross-border, round amount, repeat count of the pair, how many typology rules (and which graph ones) include
it, and whether it lies on a temporal cycle (the cycle rule's hits). This mirrors the AMLworld baselines'
"graph features + gradient boosting", in set-based SQL.
"""

from __future__ import annotations

from puente.model.records import CHANNELS

#: Features of an account, given for both ends of each transaction.
ACCOUNT_FEATURES = (
    "deg_out",
    "deg_in",
    "n_out",
    "n_in",
    "log_usd_out",
    "log_usd_in",
    "pass_through",
    "max_week_fan_out",
    "max_week_fan_in",
    "cash_share_in",
    "third_party_cash",
    "rules_on_account",
)

#: Feature columns, in model order.
FEATURES = (
    "log_usd",
    "channel",
    "cross_border",
    "round_amount",
    "pair_count",
    "rules_on_tx",
    "graph_rules_on_tx",
    "in_cycle",
    *(f"{side}_{name}" for side in ("src", "dst") for name in ACCOUNT_FEATURES),
)


def features_sql(hits_table: str | None = "mon_hits_all") -> str:
    """One row per transaction of ``mon_tx``: ``tx_id``, ``d`` and :data:`FEATURES`."""
    channel = " ".join(f"WHEN '{c}' THEN {i}" for i, c in enumerate(CHANNELS))
    hits = (
        hits_table
        or "(SELECT CAST(NULL AS VARCHAR) AS subject, CAST(NULL AS VARCHAR) AS transaction_id, "
        "CAST(NULL AS VARCHAR) AS rule_id, CAST(NULL AS VARCHAR) AS typology)"
    )
    account_cols = ", ".join(
        f"{alias}.{c} AS {side}_{c}" for side, alias in (("src", "sa"), ("dst", "da")) for c in ACCOUNT_FEATURES
    )
    return f"""
WITH o AS (SELECT src AS acct, count(DISTINCT dst) AS deg_out, count(*) AS n_out, sum(usd) AS usd_out
           FROM mon_tx WHERE src IS NOT NULL GROUP BY src),
i AS (SELECT dst AS acct, count(DISTINCT src) AS deg_in, count(*) AS n_in, sum(usd) AS usd_in,
             sum(CASE WHEN channel IN ('cash_deposit', 'armored_car') THEN usd ELSE 0.0 END) AS cash_in,
             sum(CASE WHEN conductor_id IS NOT NULL THEN 1 ELSE 0 END) AS third_party_cash
      FROM mon_tx WHERE dst IS NOT NULL GROUP BY dst),
wo AS (SELECT acct, max(k) AS max_week_fan_out FROM (SELECT src AS acct, count(DISTINCT dst) AS k FROM mon_edges
       GROUP BY src, date_trunc('week', d)) x GROUP BY acct),
wi AS (SELECT acct, max(k) AS max_week_fan_in FROM (SELECT dst AS acct, count(DISTINCT src) AS k FROM mon_edges
       GROUP BY dst, date_trunc('week', d)) x GROUP BY acct),
hr AS (SELECT subject AS acct, count(DISTINCT rule_id) AS rules_on_account FROM {hits} h GROUP BY subject),
ht AS (SELECT transaction_id, count(DISTINCT rule_id) AS rules_on_tx,
              count(DISTINCT CASE WHEN rule_id LIKE 'GRF-%' THEN rule_id END) AS graph_rules_on_tx,
              max(CASE WHEN typology = 'cycle' THEN 1 ELSE 0 END) AS in_cycle
       FROM {hits} h GROUP BY transaction_id),
acct AS (SELECT coalesce(o.acct, i.acct) AS acct, coalesce(deg_out, 0) AS deg_out, coalesce(deg_in, 0) AS deg_in,
                coalesce(n_out, 0) AS n_out, coalesce(n_in, 0) AS n_in,
                ln(1 + coalesce(usd_out, 0.0)) AS log_usd_out, ln(1 + coalesce(usd_in, 0.0)) AS log_usd_in,
                CASE WHEN greatest(coalesce(usd_in, 0.0), coalesce(usd_out, 0.0)) > 0
                     THEN least(coalesce(usd_in, 0.0), coalesce(usd_out, 0.0))
                          / greatest(coalesce(usd_in, 0.0), coalesce(usd_out, 0.0)) ELSE 0.0 END AS pass_through,
                CASE WHEN coalesce(usd_in, 0.0) > 0 THEN coalesce(cash_in, 0.0) / usd_in ELSE 0.0 END AS cash_share_in,
                coalesce(third_party_cash, 0) AS third_party_cash
         FROM o FULL OUTER JOIN i ON i.acct = o.acct),
a AS (SELECT acct.*, coalesce(wo.max_week_fan_out, 0) AS max_week_fan_out,
             coalesce(wi.max_week_fan_in, 0) AS max_week_fan_in, coalesce(hr.rules_on_account, 0) AS rules_on_account
      FROM acct LEFT JOIN wo ON wo.acct = acct.acct LEFT JOIN wi ON wi.acct = acct.acct LEFT
          JOIN hr ON hr.acct = acct.acct),
pairs AS (SELECT src, dst, count(*) AS pair_count FROM mon_edges GROUP BY src, dst)
SELECT t.tx_id, t.d, ln(1 + t.usd) AS log_usd, CASE t.channel {channel} ELSE -1 END AS channel,
       CASE WHEN t.src_country <> t.dst_country THEN 1 ELSE 0 END AS cross_border,
       CASE WHEN t.usd = round(t.usd, -2) THEN 1 ELSE 0 END AS round_amount,
       coalesce(p.pair_count, 0) AS pair_count, coalesce(ht.rules_on_tx, 0) AS rules_on_tx,
       coalesce(ht.graph_rules_on_tx, 0) AS graph_rules_on_tx, coalesce(ht.in_cycle, 0) AS in_cycle, {account_cols}
FROM mon_tx t
LEFT JOIN pairs p ON p.src = t.src AND p.dst = t.dst
LEFT JOIN ht ON ht.transaction_id = t.tx_id
LEFT JOIN a sa ON sa.acct = t.src
LEFT JOIN a da ON da.acct = t.dst"""
