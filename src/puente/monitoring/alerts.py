"""Alerts: rule hits (and model scores) merged per subject and period, with the evidence that explains them.

Pure functions over Arrow tables: the evidence rows come from :func:`puente.monitoring.detect.detect`, model
scores (optional) from :mod:`puente.monitoring.model`. Work here is per alert (thousands), never per transaction.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from puente.monitoring.config import RuleSet

STATUSES = ("new", "in_review", "escalated", "closed")

#: The rule id and typology under which the learned score's hits appear in alerts (it is not a rule of the library).
MODEL_RULE_ID = "MODEL"
MODEL_TYPOLOGY = "learned_risk"

ALERT_SCHEMA = pa.schema(
    [
        ("alert_id", pa.string()),
        ("run_id", pa.string()),
        ("subject", pa.string()),
        ("subject_name", pa.string()),
        ("typology", pa.string()),
        ("typologies", pa.list_(pa.string())),
        ("rules", pa.list_(pa.string())),
        ("period_start", pa.date32()),
        ("period_end", pa.date32()),
        ("n_transactions", pa.int64()),
        ("amount_usd", pa.float64()),
        ("top_counterparties", pa.list_(pa.string())),
        ("rule_score", pa.float64()),
        ("model_score", pa.float64()),
        ("score", pa.float64()),
        ("explanation", pa.string()),
        ("parameters", pa.string()),
        ("contributions", pa.string()),
        ("status", pa.string()),
        ("status_reason", pa.string()),
        ("status_updated_at", pa.timestamp("us")),
        ("created_at", pa.timestamp("us")),
    ]
)
EVIDENCE_SCHEMA = pa.schema(
    [("alert_id", pa.string()), ("rule_id", pa.string()), ("transaction_id", pa.string()), ("role", pa.string())]
)


def noisy_or(weights: list[float]) -> float:
    """Confidence that at least one independent rule is right: 1 - prod(1 - w)."""
    miss = 1.0
    for w in weights:
        miss *= 1.0 - w
    return round(1.0 - miss, 6)


def assemble(
    evidence: pa.Table,
    rules: RuleSet,
    run_id: str,
    model_scores: dict[str, tuple[float, dict[str, float]]] | None = None,
    model: dict[str, Any] | None = None,
) -> tuple[pa.Table, pa.Table]:
    """Alerts and their evidence rows from the evidence :func:`detect` returned.

    ``model_scores`` maps an alert id to the learned score of its riskiest transaction and that transaction's
    feature contributions; ``model`` describes the learned score (name, threshold, validation figures) when its
    hits (rule id ``MODEL``) are in the evidence. The alert's typology is that of its most specific rule (highest
    ``priority``), or ``learned_risk`` when only the model flagged the subject.
    """
    now = datetime.now(UTC).replace(tzinfo=None)
    by_rule = {r.id: r for r in rules.rules}
    ev_rows = evidence.select(["alert_id", "rule_id", "transaction_id", "role"])
    per_alert = (
        evidence.group_by("alert_id")
        .aggregate(
            [
                ("subject", "min"),
                ("subject_name", "max"),
                ("period_start", "min"),
                ("period_end", "max"),
            ]
        )
        .sort_by("alert_id")
    )
    txs = evidence.group_by(["alert_id", "transaction_id"]).aggregate([("usd", "max"), ("counterparty", "min")])
    totals = txs.group_by("alert_id").aggregate([("usd_max", "sum"), ("transaction_id", "count")])
    total_of = dict(zip(totals["alert_id"].to_pylist(), totals["usd_max_sum"].to_pylist(), strict=True))
    count_of = dict(zip(totals["alert_id"].to_pylist(), totals["transaction_id_count"].to_pylist(), strict=True))
    cp = (
        txs.filter(pc.is_valid(txs["counterparty_min"]))
        .group_by(["alert_id", "counterparty_min"])
        .aggregate([("usd_max", "sum")])
        .sort_by([("alert_id", "ascending"), ("usd_max_sum", "descending"), ("counterparty_min", "ascending")])
    )
    counterparties: dict[str, list[str]] = defaultdict(list)
    for alert_id, party in zip(cp["alert_id"].to_pylist(), cp["counterparty_min"].to_pylist(), strict=True):
        if len(counterparties[alert_id]) < 5:
            counterparties[alert_id].append(party)
    fired = (
        ev_rows.group_by(["alert_id", "rule_id"])
        .aggregate([])
        .sort_by([("alert_id", "ascending"), ("rule_id", "ascending")])
    )
    rules_of: dict[str, list[str]] = defaultdict(list)
    for alert_id, rule_id in zip(fired["alert_id"].to_pylist(), fired["rule_id"].to_pylist(), strict=True):
        rules_of[alert_id].append(rule_id)

    rows: list[dict[str, Any]] = []
    for a in per_alert.to_pylist():
        aid = a["alert_id"]
        fired_rules = [by_rule[r] for r in rules_of[aid] if r in by_rule]
        model_fired = model is not None and MODEL_RULE_ID in rules_of[aid]
        typologies = {r.typology for r in fired_rules} | ({MODEL_TYPOLOGY} if model_fired else set())
        typology = max(fired_rules, key=lambda r: (r.priority, r.weight, r.id)).typology if fired_rules else None
        rule_score = noisy_or([r.weight for r in fired_rules])
        model_score, contributions = (model_scores or {}).get(aid, (None, None))
        score = max(rule_score, model_score) if model_score is not None else rule_score
        amount = float(total_of.get(aid) or 0.0)
        n = int(count_of.get(aid) or 0)
        rows.append(
            {
                "alert_id": aid,
                "run_id": run_id,
                "subject": a["subject_min"],
                "subject_name": a["subject_name_max"],
                "typology": typology or MODEL_TYPOLOGY,
                "typologies": sorted(typologies),
                "rules": [r.id for r in fired_rules] + ([MODEL_RULE_ID] if model_fired else []),
                "period_start": a["period_start_min"],
                "period_end": a["period_end_max"],
                "n_transactions": n,
                "amount_usd": round(amount, 2),
                "top_counterparties": counterparties.get(aid, []),
                "rule_score": rule_score,
                "model_score": model_score,
                "score": score,
                "explanation": explain(a, fired_rules, n, amount, contributions, model if model_fired else None),
                "parameters": json.dumps(
                    {r.id: r.params for r in fired_rules} | ({MODEL_RULE_ID: model} if model_fired and model else {}),
                    sort_keys=True,
                ),
                "contributions": json.dumps(contributions, sort_keys=True) if contributions else None,
                "status": "new",
                "status_reason": None,
                "status_updated_at": None,
                "created_at": now,
            }
        )
    return pa.Table.from_pylist(rows, schema=ALERT_SCHEMA), ev_rows.cast(EVIDENCE_SCHEMA)


def explain(
    alert: dict[str, Any],
    fired: list[Any],
    n: int,
    amount: float,
    contributions: dict[str, float] | None,
    model: dict[str, Any] | None = None,
) -> str:
    """One paragraph an analyst can read: what fired, on what, when, and why the model agrees (if it ran)."""
    who = alert["subject_name_max"] or alert["subject_min"]
    parts = [
        f"Account {alert['subject_min']} ({who}): {n} transactions, USD {amount:,.2f}, "
        f"{alert['period_start_min']} to {alert['period_end_max']}."
    ]
    for rule in fired:
        params = ", ".join(f"{k}={v}" for k, v in sorted(rule.params.items()))
        parts.append(f"{rule.id} {rule.typology}: {rule.description} [{params}]")
    if model:
        parts.append(
            f"MODEL learned_risk: transactions scored at or above {model['threshold']:.4f} by {model['model']} "
            f"(threshold chosen on validation: precision {model['validation_precision']:.2f}, "
            f"recall {model['validation_recall']:.2f}, F1 {model['validation_f1']:.2f})."
        )
    if contributions:
        top = sorted(contributions.items(), key=lambda kv: -abs(kv[1]))[:5]
        parts.append("Model: " + ", ".join(f"{k} {v:+.2f}" for k, v in top))
    return " ".join(parts)
