"""Benchmark of ``puente simulate``: wall time and peak memory per size, with a naive per-row baseline.

Usage::

    .venv/bin/python bench/bench_simulate.py [--sizes small,medium,large] [--out bench/results/simulate.json]

Each size runs in its own child process, which reports its peak resident memory (``ru_maxrss``), so NumPy and
Arrow allocations are counted (tracemalloc would miss them). The peer comparison generates the same kind of
transaction rows the way a straightforward implementation would (one Python dict per row, ``random`` module,
``pyarrow.Table.from_pylist``) and reports the simulator's rows per second as a multiple of it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from puente.model.records import TRANSACTION, arrow_schema

BUDGET_SECONDS = {"small": 30, "medium": 120, "large": 600}
MEMORY_BUDGET_MB = 8192


def child(size: str, outdir: str, seed: int) -> None:
    """Run one simulation in this process and print its summary with the peak RSS."""
    from puente.simulate import simulate

    summary = simulate(size, seed, Path(outdir))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"summary": summary.to_dict(), "peak_rss_mb": round(peak_kb / 1024, 1)}))


def run_size(size: str, seed: int, keep: Path | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"sim_{size}_") as tmp:
        outdir = keep / size if keep else Path(tmp)
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, __file__, "--child", size, str(outdir), "--seed", str(seed)],
            check=True,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - started
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        bytes_out = sum(p.stat().st_size for p in outdir.rglob("*") if p.is_file())
    summary = result["summary"]
    txns = summary["counts"]["transactions.parquet"]
    return {
        "size": size,
        "wall_seconds": round(wall, 2),
        "simulate_seconds": summary["elapsed_seconds"],
        "peak_rss_mb": result["peak_rss_mb"],
        "within_time_budget": wall < BUDGET_SECONDS[size],
        "within_memory_budget": result["peak_rss_mb"] < MEMORY_BUDGET_MB,
        "transactions_per_second": round(txns / summary["elapsed_seconds"]),
        "output_mb": round(bytes_out / 2**20, 1),
        "counts": summary["counts"],
        "networks": summary["networks"],
    }


def naive_baseline(rows: int, seed: int = 0) -> dict[str, Any]:
    """Per-row Python generation of transaction records (the approach the spec rules out), written to Parquet."""
    rnd = random.Random(seed)
    schema = arrow_schema(TRANSACTION)
    start = date(2023, 1, 1)
    channels = ("card", "ach", "wire", "cash_deposit", "cash_withdrawal", "msb_transfer")
    names = [f"PERSON {i}" for i in range(5000)]
    started = time.perf_counter()
    records = []
    for i in range(rows):
        day = start + timedelta(days=rnd.randrange(365))
        records.append(
            {
                "transaction_id": f"TX{i:011d}",
                "value_date": day,
                "booked_at": datetime(day.year, day.month, day.day, rnd.randrange(24), rnd.randrange(60)),
                "amount": Decimal(str(round(min(rnd.lognormvariate(math.log(60), 1.0), 9e6), 2))).quantize(
                    Decimal("0.01")
                ),
                "currency": "USD",
                "channel": rnd.choice(channels),
                "debtor_name": rnd.choice(names),
                "debtor_account": str(rnd.randrange(10**10, 10**11)),
                "creditor_name": rnd.choice(names),
                "creditor_account": str(rnd.randrange(10**10, 10**11)),
                "debtor_id": f"C{rnd.randrange(10**9):09d}",
                "debtor_agent": "Frontera National Bank",
                "debtor_country": "US",
                "creditor_id": f"C{rnd.randrange(10**9):09d}",
                "creditor_agent": "Banco del Norte Fronterizo",
                "creditor_country": "MX",
                "branch_id": f"USB1-{rnd.randrange(40):03d}",
                "branch_city": "Laredo",
                "branch_state": "TX",
                "branch_country": "US",
                "purpose": "POS PURCHASE",
            }
        )
    table = pa.Table.from_pylist(records, schema=schema)
    with tempfile.TemporaryDirectory() as tmp:
        pq.write_table(table, Path(tmp) / "naive.parquet", compression="zstd")
    elapsed = time.perf_counter() - started
    return {"rows": rows, "seconds": round(elapsed, 2), "rows_per_second": round(rows / elapsed)}


def vectorised_transactions(rows: int, seed: int = 0) -> dict[str, Any]:
    """The simulator's own transaction path (background generation, Arrow materialisation, Parquet) alone."""
    from puente.simulate.arrowize import TXN_SCHEMA, TxnMaterializer
    from puente.simulate.background import period_background, plan_background
    from puente.simulate.config import load_config
    from puente.simulate.events import Purposes
    from puente.simulate.world import build_world

    cfg = load_config()
    world = build_world(cfg, cfg.size("small"), seed)
    plan = plan_background(world)
    mat = TxnMaterializer(world)
    purposes = Purposes()
    started = time.perf_counter()
    done, period = 0, 0
    with (
        tempfile.TemporaryDirectory() as tmp,
        pq.ParquetWriter(Path(tmp) / "tx.parquet", TXN_SCHEMA, compression="zstd") as writer,
    ):
        while done < rows:
            cols = period_background(world, plan, purposes, period % 26)
            writer.write_table(mat.table(cols, done + 1, purposes.texts))
            done += len(cols)
            period += 1
    elapsed = time.perf_counter() - started
    return {"rows": done, "seconds": round(elapsed, 2), "rows_per_second": round(done / elapsed)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,medium")
    parser.add_argument("--out", default="bench/results/simulate.json")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--baseline-rows", type=int, default=200_000)
    parser.add_argument("--keep", type=Path, default=None, help="keep outputs under this folder")
    parser.add_argument("--child", nargs=2, metavar=("SIZE", "OUTDIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.seed)
        return
    results = []
    for size in args.sizes.split(","):
        res = run_size(size.strip(), args.seed, args.keep)
        print(json.dumps(res), flush=True)
        results.append(res)
    baseline = naive_baseline(args.baseline_rows)
    ours = vectorised_transactions(args.baseline_rows)
    report = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "results": results,
        "peer_comparison": {
            "baseline": "per-row Python dicts + pyarrow.Table.from_pylist, all 23 transaction columns, zstd Parquet",
            "naive": baseline,
            "vectorised": ours,
            "speedup": round(ours["rows_per_second"] / baseline["rows_per_second"], 1),
            "whole_run_transactions_per_second": max(r["transactions_per_second"] for r in results),
            "note": "whole-run rate divides transactions by the full run (all record kinds, FtM entities, truth)",
        },
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report["peer_comparison"]))


if __name__ == "__main__":
    main()
