"""The monitoring section of the HTML report: alert counts by typology, plots, and drill-down to evidence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from puente.monitoring.store import alert_evidence
from puente.monitoring.truth_eval import TypologyScore
from puente.report.html import Figure, Section
from puente.store.workspace import Workspace


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def monitoring_section(ws: Workspace, scores: list[TypologyScore] | None = None, drill_down: int = 5) -> Section:
    """Alerts by typology and status, score distribution, the top alerts and their evidence transactions."""
    by_typ = ws.con.execute(
        "SELECT typology, count(*), sum(n_transactions), sum(amount_usd) FROM monitoring_alerts "
        "GROUP BY 1 ORDER BY 2 DESC"
    ).fetchall()
    by_status = ws.con.execute("SELECT status, count(*) FROM monitoring_alerts GROUP BY 1 ORDER BY 1").fetchall()
    top = ws.con.execute(
        "SELECT alert_id, typology, subject, subject_name, period_start, period_end, n_transactions, amount_usd, "
        "score, "
        "array_to_string(rules, ' '), explanation FROM monitoring_alerts ORDER BY score DESC, amount_usd DESC LIMIT 25"
    ).fetchall()
    scores_hist = [r[0] for r in ws.con.execute("SELECT score FROM monitoring_alerts").fetchall()]
    figures = [
        Figure("Alerts by typology", go.Figure(go.Bar(x=[r[0] for r in by_typ], y=[r[1] for r in by_typ]))),
        Figure("Alert scores", go.Figure(go.Histogram(x=scores_hist, nbinsx=20))),
    ]
    tables: list[tuple[str, list[str], Sequence[Sequence[Any]]]] = [
        (
            "Alerts by typology",
            ["typology", "alerts", "evidence transactions", "amount USD"],
            [[t, n, k, f"{usd:,.0f}"] for t, n, k, usd in by_typ],
        ),
        ("Alerts by status", ["status", "alerts"], [list(r) for r in by_status]),
        (
            "Top alerts",
            ["alert", "typology", "subject", "name", "from", "to", "transactions", "USD", "score", "rules"],
            [[*r[:7], f"{r[7]:,.0f}", f"{r[8]:.2f}", r[9]] for r in top],
        ),
    ]
    if scores:
        tables.insert(
            0,
            (
                "Detected versus planted (scenario ground truth)",
                ["typology", "planted", "detected", "recall", "alerts", "precision", "strict precision"],
                [
                    [
                        s.typology,
                        s.planted,
                        s.detected,
                        _pct(s.recall),
                        s.alerts,
                        _pct(s.precision),
                        _pct(s.strict_precision),
                    ]
                    for s in scores
                ],
            ),
        )
    for r in top[:drill_down]:
        ev = alert_evidence(ws, r[0]).to_pylist()
        tables.append(
            (
                f"Evidence of alert {r[0][:12]} ({r[1]}, {r[2]}): {r[10][:300]}",
                ["rule", "role", "transaction", "date", "amount", "cur", "channel", "from", "to", "branch"],
                [
                    [
                        e["rule_id"],
                        e["role"],
                        e["transaction_id"],
                        e["value_date"],
                        f"{e['amount']:,.2f}",
                        e["currency"],
                        e["channel"],
                        e["debtor_name"] or e["debtor_account"],
                        e["creditor_name"] or e["creditor_account"],
                        f"{e['branch_city'] or ''} {e['branch_state'] or ''}".strip(),
                    ]
                    for e in ev[:30]
                ],
            )
        )
    total = sum(r[1] for r in by_typ)
    return Section(
        title="Transaction monitoring",
        lead="Typology rules (versioned YAML, run as SQL on the engine seam) raise alerts per account and period; "
        "each alert carries the rules and parameters that fired and its evidence transactions.",
        facts={"alerts": f"{total:,}", **{t: f"{n:,}" for t, n, _, _ in by_typ[:6]}},
        tables=tables,
        figures=figures,
    )
