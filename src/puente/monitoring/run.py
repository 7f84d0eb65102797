"""One monitoring run on a workspace: rules on the engine seam, optional learned score, alerts stored."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from puente.engine import Engine, workspace_engine
from puente.monitoring.alerts import assemble
from puente.monitoring.config import RuleSet, load_rules
from puente.monitoring.detect import detect_hits, group_evidence
from puente.monitoring.store import save_alerts, save_run
from puente.store.workspace import Workspace


@dataclass
class RunSummary:
    run_id: str
    engine: str
    n_transactions: int
    n_alerts: int
    by_typology: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    model: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def rules_digest(rules: RuleSet) -> str:
    return hashlib.sha256(json.dumps(rules.model_dump(), sort_keys=True).encode()).hexdigest()


def alerts_on_engine(
    engine: Engine, rules: RuleSet, run_id: str, source: str = "transactions", labels: pa.Table | None = None
) -> tuple[pa.Table, pa.Table, str | None]:
    """Alerts and evidence for ``source`` on any engine (no workspace needed: what the parity test runs).

    With ``labels`` (``transaction_id``, ``label``), a gradient-boosting model is trained on graph and
    transaction features (see :func:`puente.monitoring.model.learn`): transactions it scores at or above its
    threshold raise alerts of their own or join the rule alert of the same subject and period, and every alert
    carries the score and feature contributions of its riskiest transaction.
    """
    detect_hits(engine, rules, source)
    hit_tables = ["mon_hits_all"]
    learned = None
    if labels is not None:
        from puente.monitoring import model  # noqa: PLC0415 - lightgbm loads only when labels are given

        learned = model.learn(engine, labels)
        hit_tables.append(model.model_hits(engine, learned))
    evidence = group_evidence(engine, rules, hit_tables)
    if learned is None:
        alerts, ev = assemble(evidence, rules, run_id)
        return alerts, ev, None
    alerts, ev = assemble(evidence, rules, run_id, model.alert_scores(learned, evidence), learned.describe())
    return alerts, ev, model.MODEL_NAME


def run_monitoring(
    ws: Workspace,
    *,
    engine: str | None = None,
    rules: RuleSet | None = None,
    rules_path: Path | None = None,
    labels: pa.Table | None = None,
) -> RunSummary:
    """Run the typology library on the workspace's transactions and store the alerts."""
    rules = rules or load_rules(rules_path)
    started_at = datetime.now(UTC).replace(tzinfo=None)
    started = time.perf_counter()
    run_id = uuid.uuid4().hex[:12]
    eng = workspace_engine(ws, engine)
    try:
        alerts, evidence, model_name = alerts_on_engine(eng, rules, run_id, labels=labels)
    finally:
        eng.close()
    save_alerts(ws, alerts, evidence)
    n_tx = ws.count("transactions")
    counts: dict[str, int] = {}
    for typ in alerts["typology"].to_pylist():
        counts[typ] = counts.get(typ, 0) + 1
    save_run(
        ws,
        {
            "run_id": run_id,
            "started_at": started_at,
            "finished_at": datetime.now(UTC).replace(tzinfo=None),
            "engine": eng.name,
            "rules_version": rules.version,
            "rules_sha256": rules_digest(rules),
            "n_transactions": n_tx,
            "n_alerts": alerts.num_rows,
            "model": model_name,
        },
    )
    return RunSummary(
        run_id=run_id,
        engine=eng.name,
        n_transactions=n_tx,
        n_alerts=alerts.num_rows,
        by_typology=dict(sorted(counts.items())),
        seconds=round(time.perf_counter() - started, 3),
        model=model_name,
    )
