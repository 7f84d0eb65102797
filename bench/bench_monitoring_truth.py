"""Monitoring quality on simulated scenarios: recall and precision per planted typology against the answer key.

    .venv/bin/python bench/bench_monitoring_truth.py [--scenarios small:7,small:11,medium:7] [--out FILE]

Each scenario is simulated, its transactions ingested into a fresh workspace, the shipped typology library run
(DuckDB), and the stored alerts scored by :func:`puente.monitoring.evaluate_against_truth` (recall: share of a
typology's planted instances touched by an alert naming it; precision: share of alerts led by a typology whose
evidence holds planted laundering). Targets (issue 6): recall >= 0.9 for every planted typology at alert
precision >= 0.8. Each scenario runs in its own process so peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RECALL_TARGET = 0.9
PRECISION_TARGET = 0.8


def scenario_job(size: str, seed: int) -> dict[str, Any]:
    from puente.ingest import ingest_file
    from puente.monitoring import evaluate_against_truth, run_monitoring
    from puente.monitoring.truth_eval import NOT_TRANSACTIONAL, bulk_cash_coverage
    from puente.simulate import simulate
    from puente.store import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        simulate(size, seed, root / "scenario")
        with Workspace(root / "ws") as ws:
            ingest_file(ws, "transaction", root / "scenario" / "transactions.parquet")
            started = time.perf_counter()
            summary = run_monitoring(ws)
            seconds = time.perf_counter() - started
            scores = [
                s for s in evaluate_against_truth(ws.con, root / "scenario") if s.typology not in NOT_TRANSACTIONAL
            ]
            bulk = bulk_cash_coverage(ws.con, root / "scenario")
    typologies = [s.to_dict() for s in scores]
    planted = [s for s in scores if s.planted]
    return {
        "size": size,
        "seed": seed,
        "transactions": summary.n_transactions,
        "alerts": summary.n_alerts,
        "seconds": round(seconds, 2),
        "typologies": typologies,
        "min_recall_planted": min((s.recall or 0.0) for s in planted) if planted else None,
        "min_precision": min((s.precision or 0.0) for s in scores if s.alerts) if scores else None,
        # bulk cash moves in crossings and declarations: only its bank-side deposits can show up in alerts
        "bulk_cash_deposits_in_alerts": round(bulk, 3) if bulk is not None else None,
        "all_alert_precision": round(sum(s.true_alerts for s in scores) / max(1, sum(s.alerts for s in scores)), 4),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _child(size: str, seed: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", size, str(seed)], capture_output=True, text=True, check=False
    )
    if out.returncode:
        return {"size": size, "seed": seed, "error": out.stderr[-2000:]}
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _print(run: dict[str, Any]) -> None:
    if "error" in run:
        print(f"{run['size']}:{run['seed']} failed:\n{run['error']}")
        return
    print(f"{run['size']} seed {run['seed']}: {run['alerts']:,} alerts on {run['transactions']:,} transactions")
    print(f"  {'typology':<20} {'planted':>7} {'recall':>6} {'alerts':>6} {'prec.':>5}")
    for t in run["typologies"]:
        recall = f"{t['recall']:.2f}" if t["recall"] is not None else "-"
        prec = f"{t['precision']:.2f}" if t["precision"] is not None else "-"
        print(f"  {t['typology']:<20} {t['planted']:>7} {recall:>6} {t['alerts']:>6} {prec:>5}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", default="small:7,small:11,medium:7", help="SIZE:SEED,...")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "monitoring_truth.json")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(scenario_job(args.child[0], int(args.child[1]))))
        return
    runs = []
    for item in filter(None, args.scenarios.split(",")):
        size, seed = item.split(":")
        runs.append(_child(size, int(seed)))
        _print(runs[-1])
    result = {
        "benchmark": "monitoring vs scenario ground truth",
        "machine": {"platform": platform.platform(), "python": platform.python_version()},
        "targets": {"recall_planted": RECALL_TARGET, "precision": PRECISION_TARGET},
        "runs": runs,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
