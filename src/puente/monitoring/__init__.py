"""Transaction monitoring: a TCO typology library, a learned risk score, and explained alerts.

Rules live in a versioned YAML file (:func:`load_rules`) and run as SQL on the engine seam (DuckDB or Spark, same
results); their hits are merged per account and period into alerts that carry their evidence, and are stored in
the workspace for review (:func:`set_status`).
"""

from puente.monitoring.alerts import STATUSES
from puente.monitoring.config import Rule, RuleSet, load_rules
from puente.monitoring.demo import demo_step
from puente.monitoring.detect import detect
from puente.monitoring.report import monitoring_section
from puente.monitoring.run import RunSummary, alerts_on_engine, run_monitoring
from puente.monitoring.store import alert_evidence, list_alerts, set_status
from puente.monitoring.truth_eval import TypologyScore, evaluate_against_truth

__all__ = [
    "STATUSES",
    "Rule",
    "RuleSet",
    "RunSummary",
    "TypologyScore",
    "alert_evidence",
    "alerts_on_engine",
    "demo_step",
    "detect",
    "evaluate_against_truth",
    "list_alerts",
    "load_rules",
    "monitoring_section",
    "run_monitoring",
    "set_status",
]
