"""The reconciliation as a report section: key figures, the findings table and plots."""

from __future__ import annotations

from collections import Counter

import plotly.graph_objects as go

from puente.crossings.evaluate import Evaluation
from puente.crossings.run import CrossingRun
from puente.report import Figure, Section

_LABELS = {
    "us_only": "declared in the US only",
    "mx_only": "declared in Mexico only",
    "amount_discrepancy": "amount discrepancies",
    "under_threshold_repeats": "repeatedly just under USD 10,000",
    "multiple_principals": "traveller carrying for several principals",
    "shared_vehicle": "vehicle shared by travellers or principals",
    "courier_network": "courier networks",
}


def section(run: CrossingRun, evaluation: Evaluation | None = None, max_rows: int = 40) -> Section:
    """A report section for one reconciliation run (with truth scores when a scenario's truth is known)."""
    c = run.counts()
    kinds = Counter(run.findings.findings["kind"].to_pylist())
    facts = {
        "CMIRs (FinCEN 105)": f"{c['cmirs']:,}",
        "Mexican declarations": f"{c['declarations']:,}",
        "matched crossings": f"{c['matched']:,}",
        "mode": run.reconciliation.mode,
    } | {label: f"{kinds.get(kind, 0):,}" for kind, label in _LABELS.items()}
    if evaluation is not None:
        facts |= {
            "pair precision / recall (truth)": f"{evaluation.pairs.precision:.3f} / {evaluation.pairs.recall:.3f}",
            "one-sided precision / recall (truth)": (
                f"{evaluation.one_sided.precision:.3f} / {evaluation.one_sided.recall:.3f}"
            ),
            "discrepancy precision / recall (truth)": (
                f"{evaluation.discrepancies.precision:.3f} / {evaluation.discrepancies.recall:.3f}"
            ),
        }
    rows = sorted(
        run.findings.findings.to_pylist(), key=lambda r: (list(_LABELS).index(r["kind"]), -(r["amount_usd"] or 0))
    )
    table = [
        (_LABELS[r["kind"]], r["subject"], ", ".join(r["records"][:6]), f"{r['amount_usd'] or 0:,.0f}", r["detail"])
        for r in rows[:max_rows]
    ]
    return Section(
        title="Cash crossings: CMIR ↔ Mexican declaration reconciliation",
        lead=(
            "Each US CMIR (FinCEN Form 105) is paired with the Mexican declaration of the same crossing by traveller, "
            "date window, port pair, direction and amount in USD; every pair carries its per-field match weights. "
            "Unpaired, discrepant and patterned declarations are listed below."
        ),
        facts=facts,
        tables=[
            ("Findings (largest first within each kind)", ["finding", "subject", "records", "USD", "detail"], table)
        ],
        figures=_figures(run),
    )


def _figures(run: CrossingRun) -> list[Figure]:
    x = run.findings.crossings.to_pylist()
    both = [r for r in x if r["cmir_usd"] is not None and r["mx_usd"] is not None]
    scatter = go.Figure(
        go.Scatter(
            x=[r["cmir_usd"] for r in both],
            y=[r["mx_usd"] for r in both],
            mode="markers",
            text=[r["crossing_key"] for r in both],
            name="matched crossings",
        )
    )
    top = max([max(r["cmir_usd"], r["mx_usd"]) for r in both] or [1.0])
    scatter.add_trace(go.Scatter(x=[0, top], y=[0, top], mode="lines", name="equal amounts"))
    scatter.update_xaxes(title="CMIR amount (USD)", type="log")
    scatter.update_yaxes(title="Mexican declaration amount (USD)", type="log")
    kinds = Counter(run.findings.findings["kind"].to_pylist())
    bars = go.Figure(go.Bar(x=[_LABELS[k] for k in _LABELS], y=[kinds.get(k, 0) for k in _LABELS]))
    weights = [r["match_weight"] for r in x if r["match_weight"] is not None]
    hist = go.Figure(go.Histogram(x=weights, nbinsx=30))
    hist.update_xaxes(title="total match weight (log2 Bayes factor)")
    return [
        Figure("Declared amounts on both sides of matched crossings", scatter),
        Figure("Findings by kind", bars),
        Figure("Match weights of accepted pairs", hist),
    ]
