"""Ingest throughput and peak memory, Puente vs. a raw DuckDB load of the same file.

    .venv/bin/python bench/bench_ingest.py [--rows 1000000,10000000] [--formats parquet,csv] [--out FILE]

Each measurement runs in its own process so that peak memory (ru_maxrss) belongs to that load alone. The peer is
DuckDB reading the same file straight into the same table with no validation, no quarantine, no provenance and
no de-duplication: the ceiling for this machine. The ratio puente/peer is what to compare across machines.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

TARGETS = {"parquet": 500_000, "csv": 150_000}  # rows/s on 2 cores, from the foundation issue
MEMORY_TARGET_MB = 2048


def _child(mode: str, path: Path) -> dict[str, float]:
    import duckdb

    from puente.ingest import ingest_file
    from puente.model.records import TRANSACTION
    from puente.settings import Settings
    from puente.store import Workspace
    from puente.store.ddl import create_table_sql

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        if mode == "puente":
            with Workspace(Path(tmp) / "ws", Settings(memory_limit="1GB")) as ws:
                result = ingest_file(ws, "transaction", path)
                rows = result.rows_loaded
        else:
            con = duckdb.connect(str(Path(tmp) / "peer.duckdb"), config={"memory_limit": "1GB"})
            ddl = create_table_sql(TRANSACTION).split("\n")
            con.execute("\n".join(line for line in ddl if not line.strip().startswith('"_')).replace(",\n)", "\n)"))
            reader = f"read_parquet('{path}')" if path.suffix == ".parquet" else f"read_csv('{path}', header=true)"
            con.execute(f"INSERT INTO transactions BY NAME SELECT * FROM {reader}")
            rows = con.execute("SELECT count(*) FROM transactions").fetchall()[0][0]
            con.close()
        elapsed = time.perf_counter() - started
    return {
        "rows": rows,
        "seconds": round(elapsed, 3),
        "rows_per_s": round(rows / elapsed),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _measure(mode: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="1000000,10000000")
    parser.add_argument("--formats", default="parquet,csv")
    parser.add_argument("--data-dir", default=str(HERE / "data"))
    parser.add_argument("--out", default=str(HERE / "results" / "ingest.json"))
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child[0], Path(args.child[1]))))
        return

    from synth import write_transactions

    data_dir = Path(args.data_dir)
    results = []
    for rows in (int(r) for r in args.rows.split(",")):
        for fmt in args.formats.split(","):
            path = data_dir / f"tx_{rows}.{fmt}"
            if not path.exists():
                print(f"writing {path} …", flush=True)
                write_transactions(path, rows, fmt)
            puente = _measure("puente", path)
            peer = _measure("duckdb_raw", path)
            entry = {
                "rows": rows,
                "format": fmt,
                "file_mb": round(path.stat().st_size / 2**20, 1),
                "puente": puente,
                "peer_duckdb_raw": peer,
                "throughput_ratio_puente_over_peer": round(puente["rows_per_s"] / peer["rows_per_s"], 3),
                "target_rows_per_s": TARGETS[fmt],
                "meets_throughput_target": puente["rows_per_s"] >= TARGETS[fmt],
                "meets_memory_target": puente["peak_rss_mb"] < MEMORY_TARGET_MB,
            }
            results.append(entry)
            print(
                f"{rows:>11,} {fmt:8} puente {puente['rows_per_s']:>10,.0f} rows/s  peak {puente['peak_rss_mb']:>7,.0f} MB"
                f" | raw duckdb {peer['rows_per_s']:>10,.0f} rows/s  ratio {entry['throughput_ratio_puente_over_peer']}",
                flush=True,
            )
    report = {
        "benchmark": "ingest",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "results": results,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
