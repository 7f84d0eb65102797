"""Cash-crossing reconciliation: US CMIRs (FinCEN 105) against Mexican cash declarations of the same crossing.

The seeds' data-matching project "compares data on cash crossing the border". Public API:

* :func:`reconcile_tables` — pure: raw ``cmirs`` and ``mx_declarations`` Arrow tables in, a :class:`CrossingRun`
  (scored pairs with per-field match weights, reconciled crossings, findings) out;
* :func:`reconcile_workspace` / :func:`store` / :func:`write_csv` — the same against a workspace, and exports;
* :func:`evaluate` — scores against a simulated scenario's truth; :func:`demo_step` — the demo's step;
* :func:`load_config` — the versioned ``crossings.yaml`` (ports, FX, tolerances, match weights).
"""

from puente.crossings.config import CrossingsConfig, load_config
from puente.crossings.demo import demo_step
from puente.crossings.evaluate import Evaluation, evaluate
from puente.crossings.findings import FINDING_KINDS, Findings, find
from puente.crossings.reconcile import Reconciliation, reconcile
from puente.crossings.report import section
from puente.crossings.run import CrossingRun, reconcile_tables, reconcile_workspace, store, write_csv
from puente.matching.score import Score

__all__ = [
    "FINDING_KINDS",
    "CrossingRun",
    "CrossingsConfig",
    "Evaluation",
    "Findings",
    "Reconciliation",
    "Score",
    "demo_step",
    "evaluate",
    "find",
    "load_config",
    "reconcile",
    "reconcile_tables",
    "reconcile_workspace",
    "section",
    "store",
    "write_csv",
]
