"""The monitoring step of ``make demo``: run the library on the scenario and compare with what was planted."""

from __future__ import annotations

from pathlib import Path

from puente.monitoring.report import monitoring_section
from puente.monitoring.run import run_monitoring
from puente.monitoring.truth_eval import NOT_TRANSACTIONAL, bulk_cash_coverage, evaluate_against_truth
from puente.report.html import Section
from puente.store.workspace import Workspace


def _f(x: float | None) -> str:
    return "  – " if x is None else f"{x:4.2f}"


def demo_step(ws: Workspace, scenario_dir: Path) -> tuple[Section, list[str]]:
    """Run monitoring on the workspace; return the report section and lines that compare detected with planted."""
    summary = run_monitoring(ws)
    scores = evaluate_against_truth(ws.con, scenario_dir) if (scenario_dir / "truth").exists() else []
    lines = [
        f"monitoring: {summary.n_alerts:,} alerts on {summary.n_transactions:,} transactions "
        f"in {summary.seconds:.1f} s ({summary.engine})",
        f"  {'typology':<20} {'planted':>7} {'detected':>8} {'recall':>6} {'alerts':>6} {'prec.':>5} {'strict':>6}",
    ]
    for s in scores:
        if s.typology in NOT_TRANSACTIONAL:
            continue
        lines.append(
            f"  {s.typology:<20} {s.planted:>7} {s.detected:>8} {_f(s.recall):>6} {s.alerts:>6} "
            f"{_f(s.precision):>5} {_f(s.strict_precision):>6}"
        )
    if scores:
        cover = bulk_cash_coverage(ws.con, scenario_dir)
        if cover is not None:
            lines.append(f"  bulk_cash (a crossings typology): {cover:.0%} of instances' bank deposits in some alert")
    return monitoring_section(ws, scores), lines
