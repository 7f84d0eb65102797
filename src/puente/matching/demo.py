"""The demo step for entity resolution: link the scenario's US and Mexican registry people, score on truth."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go

from puente.engine import workspace_engine
from puente.matching.config import load_match_config
from puente.matching.evaluate import evaluate_clusters
from puente.matching.ftm import person_records
from puente.matching.pipeline import MatchResult, resolve
from puente.matching.score import Score
from puente.matching.store import latest_judgements, store_result, write_csv
from puente.report import Figure, Section
from puente.store.workspace import Workspace


def section(result: MatchResult, seconds: float, scores: dict[str, Score] | None = None) -> Section:
    """Key figures, the learned model's weights, and the weight distribution of candidate pairs."""
    facts = {
        "records": f"{result.features.num_rows:,}",
        "candidate pairs": f"{len(result.li):,}",
        "matched pairs": f"{int(result.matched.sum()):,}",
        "entities": f"{len(np.unique(result.labels)):,}",
        "seconds": f"{seconds:.1f}",
    }
    rows: list[tuple[object, ...]] = []
    if scores:
        for kind, s in scores.items():
            rows.append(
                (
                    kind,
                    s.true_pos + s.false_neg,
                    f"{s.precision:.3f}",
                    f"{s.recall:.3f}",
                    f"{s.f1:.3f}",
                )
            )
    model = result.model.to_dict()["comparisons"]
    weights: list[tuple[object, ...]] = [
        (c, lv, f"{v['m']:.4f}", f"{v['u']:.2e}", f"{v['weight']:+.2f}")
        for c, lvs in model.items()
        for lv, v in lvs.items()
        if lv != "missing"
    ]
    hist = go.Figure(go.Histogram(x=np.clip(result.weight, -40, 40), nbinsx=80))
    hist.update_xaxes(title="match weight (log2 odds)")
    hist.update_yaxes(type="log")
    tables: list[tuple[str, list[str], Sequence[Sequence[Any]]]] = [
        ("Fellegi–Sunter model learned without labels", ["comparison", "level", "m", "u", "weight"], weights)
    ]
    if rows:
        tables.insert(
            0,
            (
                "Against the scenario's truth (pairs of records of the same person)",
                ["noise kind", "true pairs", "precision", "recall", "F1"],
                rows,
            ),
        )
    return Section(
        title="Entity resolution: people across US and Mexican registries",
        lead=(
            "Records of the same person in the US and Mexican registries linked without labels: blocking rules → "
            "comparisons that know both naming conventions → Fellegi–Sunter (m by EM, u by random sampling, "
            "term-frequency adjusted) → clusters guarded against chaining. Every pair carries its per-field weights."
        ),
        facts=facts,
        tables=tables,
        figures=[Figure("Match weights of candidate pairs", hist)],
    )


def demo_step(ws: Workspace, scenario_dir: Path) -> tuple[Section, list[str]]:
    """Link the workspace's FtM people across registries, store and export, and score against the truth."""
    started = time.perf_counter()
    cfg = load_match_config("persons")
    result = resolve(
        person_records(ws), cfg, workspace_engine(ws, "duckdb"), link=True, judgements=latest_judgements(ws)
    )
    seconds = time.perf_counter() - started
    store_result(ws, result, "link")
    write_csv(result, ws.path / "exports" / "matching")
    truth = scenario_dir / "truth"
    scores = evaluate_clusters(result, truth) if (truth / "entity_records.parquet").exists() else None
    lines = [
        f"entity resolution: {result.features.num_rows:,} people, {len(result.li):,} candidate pairs, "
        f"{int(result.matched.sum()):,} matches in {seconds:.1f}s"
    ]
    if scores:
        o = scores["overall"]
        worst = min(((k, s) for k, s in scores.items() if k != "overall"), key=lambda kv: kv[1].recall, default=None)
        lines.append(
            f"entity resolution vs truth: P={o.precision:.3f} R={o.recall:.3f} F1={o.f1:.3f}"
            + (f"; hardest noise: {worst[0]} (recall {worst[1].recall:.3f})" if worst else "")
        )
    return section(result, seconds, scores), lines
