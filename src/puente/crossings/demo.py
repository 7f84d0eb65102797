"""The demo step: reconcile the scenario's crossings and say what that found against the ground truth."""

from __future__ import annotations

from pathlib import Path

from puente.crossings.evaluate import evaluate
from puente.crossings.report import section
from puente.crossings.run import reconcile_workspace, write_csv
from puente.report import Section
from puente.store.workspace import Workspace


def demo_step(ws: Workspace, scenario_dir: Path) -> tuple[Section, list[str]]:
    """Reconcile the workspace's CMIRs and declarations, store and export them, and score them on the truth."""
    run = reconcile_workspace(ws)
    write_csv(run, ws.path / "exports" / "crossings")
    truth = scenario_dir / "truth"
    ev = evaluate(run.reconciliation, run.findings, truth) if (truth / "crossings.parquet").exists() else None
    c = run.counts()
    lines = [
        f"crossings: {c['cmirs']:,} CMIRs and {c['declarations']:,} Mexican declarations -> {c['matched']:,} matched, "
        f"{c.get('us_only', 0):,} US-only, {c.get('mx_only', 0):,} MX-only, "
        f"{c.get('amount_discrepancy', 0):,} amount discrepancies, {c.get('under_threshold_repeats', 0):,} "
        f"under-threshold repeaters, {c.get('courier_network', 0):,} courier networks",
    ]
    if ev is not None:
        lines.append(
            f"crossings vs truth: pairs P={ev.pairs.precision:.3f} R={ev.pairs.recall:.3f}; "
            f"one-sided P={ev.one_sided.precision:.3f} R={ev.one_sided.recall:.3f}; "
            f"discrepancies P={ev.discrepancies.precision:.3f} R={ev.discrepancies.recall:.3f}; "
            f"travellers F1={ev.travellers.f1:.3f}; network crossings found "
            f"{ev.network_crossings_found}/{ev.network_crossings} (purity {ev.network_purity:.2f})"
        )
    return section(run, ev), lines
