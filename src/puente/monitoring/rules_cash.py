"""Cash and trade typology templates (FinCEN advisories FIN-2014-A005, FIN-2010-A001, FIN-2023-A002 …).

Each function turns validated parameters into SQL over ``mon_tx`` returning ``(subject, transaction_id, role)``.
Windows are anchored at each qualifying event's date ``d`` and cover ``[d, d + window]``, so a pattern fires in
the same way wherever it starts, and a test can step just outside a window to see it stay silent.
"""

from __future__ import annotations

from puente.monitoring.config import (
    FunnelParams,
    IncomeParams,
    MirrorParams,
    RapidParams,
    RepatriationParams,
    SpecialMeasuresParams,
    StructuringParams,
    TbmlParams,
)
from puente.monitoring.sqlparts import RuleSql, days, in_list, lit, name_pattern, num


def structuring(p: StructuringParams) -> RuleSql:
    """Cash deposits just under the reporting threshold, several within the window, spread over branches/days."""
    w = days(p.window_days)
    return RuleSql(f"""
WITH c AS (SELECT tx_id, d, usd, dst AS acct, coalesce(branch_id, '') AS branch FROM mon_tx
           WHERE channel IN {in_list(p.channels)} AND dst IS NOT NULL
             AND usd >= {num(p.min_amount)} AND usd < {num(p.max_amount)}),
anchors AS (SELECT DISTINCT acct, d FROM c),
w AS (SELECT a.acct, a.d AS start_d FROM anchors a JOIN c ON c.acct = a.acct AND c.d BETWEEN a.d AND a.d + {w}
      GROUP BY a.acct, a.d
      HAVING count(*) >= {p.min_deposits} AND sum(c.usd) >= {num(p.min_total)}
         AND (count(DISTINCT c.branch) >= {p.min_branches} OR count(*) >= {p.min_deposits_one_branch}))
SELECT DISTINCT c.acct AS subject, c.tx_id AS transaction_id, 'cash_deposit' AS role
FROM w JOIN c ON c.acct = w.acct AND c.d BETWEEN w.start_d AND w.start_d + {w}""")


def funnel_account(p: FunnelParams) -> RuleSql:
    """Third-party cash deposits (a conductor who is not the owner) withdrawn elsewhere within days."""
    w, k = days(p.window_days), days(p.withdraw_within_days)
    return RuleSql(f"""
WITH dep AS (SELECT tx_id, d, usd, dst AS acct, coalesce(branch_state, '') || '/' || coalesce(branch_country,
    '') AS place
             FROM mon_tx WHERE channel = 'cash_deposit' AND dst IS NOT NULL AND conductor_id IS NOT NULL),
wd AS (SELECT tx_id, d, usd, src AS acct, coalesce(branch_state, '') || '/' || coalesce(branch_country, '') AS place
       FROM mon_tx WHERE channel = 'cash_withdrawal' AND src IS NOT NULL),
anchors AS (SELECT DISTINCT acct, d FROM dep),
win AS (SELECT a.acct, a.d AS start_d, sum(dep.usd) AS deposited FROM anchors a
        JOIN dep ON dep.acct = a.acct AND dep.d BETWEEN a.d AND a.d + {w}
        GROUP BY a.acct, a.d HAVING count(*) >= {p.min_deposits}),
remote AS (SELECT DISTINCT win.acct, win.start_d, wd.tx_id, wd.usd FROM win
           JOIN dep ON dep.acct = win.acct AND dep.d BETWEEN win.start_d AND win.start_d + {w}
           JOIN wd ON wd.acct = dep.acct AND wd.d BETWEEN dep.d AND dep.d + {k} AND wd.place <> dep.place),
fired AS (SELECT win.acct, win.start_d FROM win
          JOIN (SELECT acct, start_d, sum(usd) AS withdrawn FROM remote GROUP BY acct, start_d) r
            ON r.acct = win.acct AND r.start_d = win.start_d
          WHERE r.withdrawn >= {num(p.min_withdrawn_share)} * win.deposited)
SELECT DISTINCT dep.acct AS subject, dep.tx_id AS transaction_id, 'third_party_cash_deposit' AS role
FROM fired JOIN dep ON dep.acct = fired.acct AND dep.d BETWEEN fired.start_d AND fired.start_d + {w}
UNION
SELECT DISTINCT remote.acct, remote.tx_id, 'remote_cash_withdrawal' FROM fired
JOIN remote ON remote.acct = fired.acct AND remote.start_d = fired.start_d""")


def rapid_movement(p: RapidParams) -> RuleSql:
    """Credits passed on within days: outflow about equal to inflow, so little rests in the account.

    Thresholds depend on the customer segment: a business account (named with a legal form) needs
    ``business_min_inflow`` in the window, a person ``min_inflow``.
    """
    w = days(p.window_days)
    business = lit(name_pattern(p.business_legal_forms))
    return RuleSql(f"""
WITH cr AS (SELECT tx_id, d, usd, dst AS acct, dst_name AS name FROM mon_tx
           WHERE dst IS NOT NULL AND channel <> 'card'),
db AS (SELECT tx_id, d, usd, src AS acct FROM mon_tx WHERE src IS NOT NULL AND channel <> 'card'),
daily_in AS (SELECT acct, d, sum(usd) AS usd, count(*) AS n, max(name) AS name FROM cr GROUP BY acct, d),
daily_out AS (SELECT acct, d, sum(usd) AS usd FROM db GROUP BY acct, d),
win AS (SELECT a.acct, a.d AS start_d, sum(i.usd) AS inflow,
               regexp_matches(upper(coalesce(max(i.name), '')), {business}) AS business FROM daily_in a
        JOIN daily_in i ON i.acct = a.acct AND i.d BETWEEN a.d AND a.d + {w}
        WHERE a.usd >= {num(p.min_inflow / 10)}
        GROUP BY a.acct, a.d HAVING sum(i.usd) >= {num(p.min_inflow)} AND sum(i.n) >= {p.min_credits}),
seg AS (SELECT * FROM win WHERE NOT business OR inflow >= {num(p.business_min_inflow)}),
fired AS (SELECT seg.acct, seg.start_d FROM seg
          JOIN daily_out o ON o.acct = seg.acct AND o.d BETWEEN seg.start_d AND seg.start_d + {w}
          GROUP BY seg.acct, seg.start_d, seg.inflow
          HAVING sum(o.usd) BETWEEN {num(p.min_out_ratio)} * seg.inflow AND {num(p.max_out_ratio)} * seg.inflow)
SELECT DISTINCT cr.acct AS subject, cr.tx_id AS transaction_id, 'credit' AS role
FROM fired JOIN cr ON cr.acct = fired.acct AND cr.d BETWEEN fired.start_d AND fired.start_d + {w}
UNION
SELECT DISTINCT db.acct, db.tx_id, 'debit'
FROM fired JOIN db ON db.acct = fired.acct AND db.d BETWEEN fired.start_d AND fired.start_d + {w}""")


def repatriation(p: RepatriationParams) -> RuleSql:
    """Bulk cash (armoured car, border MSB counter) credited, then most of it sent to Mexico."""
    w, k = days(p.window_days), days(p.window_days + p.wire_within_days)
    return RuleSql(f"""
WITH cash AS (SELECT tx_id, d, usd, dst AS acct FROM mon_tx WHERE channel IN {in_list(p.cash_channels)}
    AND dst IS NOT NULL),
out_ AS (SELECT tx_id, d, usd, src AS acct FROM mon_tx
         WHERE channel IN {in_list(p.out_channels)} AND src IS NOT NULL AND dst_country IN {in_list(p.countries)}),
anchors AS (SELECT DISTINCT acct, d FROM cash WHERE usd >= {num(p.min_single)}),
win AS (SELECT a.acct, a.d AS start_d, sum(c.usd) AS cash_in FROM anchors a
        JOIN cash c ON c.acct = a.acct AND c.d BETWEEN a.d AND a.d + {w}
        GROUP BY a.acct, a.d HAVING sum(c.usd) >= {num(p.min_cash)}),
fired AS (SELECT win.acct, win.start_d FROM win
          JOIN out_ o ON o.acct = win.acct AND o.d BETWEEN win.start_d AND win.start_d + {k}
          GROUP BY win.acct, win.start_d, win.cash_in HAVING sum(o.usd) >= {num(p.min_out_share)} * win.cash_in)
SELECT DISTINCT c.acct AS subject, c.tx_id AS transaction_id, 'bulk_cash_credit' AS role
FROM fired JOIN cash c ON c.acct = fired.acct AND c.d BETWEEN fired.start_d AND fired.start_d + {w}
UNION
SELECT DISTINCT o.acct, o.tx_id, 'cross_border_payment'
FROM fired JOIN out_ o ON o.acct = fired.acct AND o.d BETWEEN fired.start_d AND fired.start_d + {k}""")


def tbml_invoice(p: TbmlParams) -> RuleSql:
    """Payments referencing an invoice whose total differs from the invoice's declared value."""
    return RuleSql(f"""
WITH inv AS (SELECT tx_id, dst AS acct, usd, regexp_extract(purpose, 'INV-[A-Z0-9-]+', 0) AS invoice,
                    TRY_CAST(replace(regexp_extract(purpose, 'USD ([0-9,]+[.]?[0-9]*)', 1), ',', '') AS DOUBLE)
                      AS declared
             FROM mon_tx WHERE dst IS NOT NULL AND purpose LIKE '%INV-%'),
bad AS (SELECT acct, invoice FROM inv WHERE declared > 0 GROUP BY acct, invoice
        HAVING sum(usd) > {num(p.max_over)} * max(declared) OR sum(usd) < {num(p.min_under)} * max(declared))
SELECT DISTINCT inv.acct AS subject, inv.tx_id AS transaction_id, 'invoice_payment' AS role
FROM inv JOIN bad ON bad.acct = inv.acct AND bad.invoice = inv.invoice""")


def mirror_swap(p: MirrorParams) -> RuleSql:
    """A cash-funded US wire mirrored, the same days, by pesos of equal value passed through one Mexican account.

    The peso side is a broker's signature: an MXN credit paid out again the same day for the same amount.
    """
    lb, lag = days(p.cash_lookback_days), days(p.max_lag_days)
    cur = lit(p.mirror_currency)
    return RuleSql(f"""
WITH usw AS (SELECT tx_id, d, usd, src AS acct FROM mon_tx
             WHERE channel = 'wire' AND currency <> {cur} AND src IS NOT NULL AND usd >= {num(p.min_amount)}),
cash AS (SELECT tx_id, d, usd, dst AS acct FROM mon_tx WHERE channel IN ('cash_deposit', 'armored_car')
    AND dst IS NOT NULL),
covered AS (SELECT w.tx_id, w.acct, w.d, w.usd FROM usw w
            JOIN cash c ON c.acct = w.acct AND c.d BETWEEN w.d - {lb} AND w.d
            GROUP BY w.tx_id, w.acct, w.d, w.usd HAVING sum(c.usd) >= {num(p.min_cash_cover)} * w.usd),
mx AS (SELECT a.tx_id AS in_tx, b.tx_id AS out_tx, a.d, a.usd FROM mon_tx a
       JOIN mon_tx b ON b.src = a.dst AND b.d = a.d AND b.currency = {cur}
           AND b.usd BETWEEN a.usd * 0.995 AND a.usd * 1.005
       WHERE a.currency = {cur} AND a.usd >= {num(p.min_amount * (1 - p.max_spread))}),
pair AS (SELECT cv.tx_id AS us_tx, cv.acct, cv.d, mx.in_tx, mx.out_tx FROM covered cv
         JOIN mx ON mx.d BETWEEN cv.d - {lag} AND cv.d + {lag}
          AND mx.usd BETWEEN cv.usd * {num(1 - p.max_spread)} AND cv.usd * 1.01)
SELECT DISTINCT acct AS subject, us_tx AS transaction_id, 'payment_on_behalf' AS role FROM pair
UNION
SELECT DISTINCT acct, in_tx, 'mirror_peso_in' FROM pair
UNION
SELECT DISTINCT acct, out_tx, 'mirror_peso_out' FROM pair
UNION
SELECT DISTINCT pair.acct, c.tx_id, 'cash_funding' FROM pair
JOIN cash c ON c.acct = pair.acct AND c.d BETWEEN pair.d - {lb} AND pair.d""")


def income_inconsistent(p: IncomeParams) -> RuleSql:
    """Quarterly credits far above the income the account is known to receive (payroll).

    The evidence is the quarter's credits of ``min_credit`` or more: small credits do not make the volume, and
    as evidence they would split one finding into alerts that hold nothing suspicious.
    """
    incomes = in_list(v.upper() for v in p.income_purposes)
    return RuleSql(f"""
WITH cr AS (SELECT tx_id, d, usd, dst AS acct, upper(coalesce(purpose, '')) IN {incomes} AS is_income,
                   date_trunc('quarter', d) AS qtr
            FROM mon_tx WHERE dst IS NOT NULL AND channel <> 'card'),
q AS (SELECT acct, qtr FROM cr GROUP BY acct, qtr
      HAVING sum(CASE WHEN is_income THEN usd ELSE 0.0 END) > 0
         AND sum(CASE WHEN is_income THEN 0.0 ELSE usd END) >= {num(p.min_volume)}
         AND sum(CASE WHEN is_income THEN 0.0 ELSE usd END)
             > {num(p.max_income_multiple)} * sum(CASE WHEN is_income THEN usd ELSE 0.0 END))
SELECT DISTINCT cr.acct AS subject, cr.tx_id AS transaction_id, 'credit_beyond_income' AS role
FROM q JOIN cr ON cr.acct = q.acct AND cr.qtr = q.qtr WHERE NOT cr.is_income AND cr.usd >= {num(p.min_credit)}""")


def special_measures(p: SpecialMeasuresParams) -> RuleSql:
    """Any transaction with an institution under special measures; the subject is our side's account."""
    listed = in_list(v.upper() for v in p.institutions)
    return RuleSql(f"""
SELECT DISTINCT coalesce(CASE WHEN src_agent IN {listed} THEN dst ELSE src END, src, dst) AS subject,
       tx_id AS transaction_id, 'special_measures_counterparty' AS role
FROM mon_tx WHERE src_agent IN {listed} OR dst_agent IN {listed}""")
