"""Monitoring throughput and peak memory: the typology rules plus graph features, at 1M, 5M and 20M transactions.

    .venv/bin/python bench/bench_monitoring.py [--rows 1000000,5000000,20000000] [--peer-rows 1000000] [--out FILE]

Data: the small simulated scenario (seed 7, 200k transactions with planted typologies) replicated with account
numbers suffixed per copy, so every copy keeps realistic background and patterns. Each measurement runs in its
own process (peak memory = ru_maxrss of that run), DuckDB with 2 threads and a 6 GB memory limit, spilling to
a temp folder. The peer is a straightforward pandas feature build (per-account degrees, flows, weekly fan sizes,
joined back to both ends of each transaction) on the same rows: what the issue calls the ~75-100k tx/s yardstick.
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

HERE = Path(__file__).resolve().parent
TARGET_TX_PER_S = 170_000
MEMORY_TARGET_MB = 8192


def _make(db: Path, scenario: Path, rows: int) -> None:
    import duckdb

    src = (scenario / "transactions.parquet").as_posix()
    con = duckdb.connect(str(db), config={"memory_limit": "4GB", "threads": 2})
    base = con.execute(f"SELECT count(*) FROM read_parquet('{src}')").fetchall()[0][0]
    copies = -(-rows // base)
    con.execute(f"""
CREATE TABLE transactions AS SELECT * REPLACE (
    transaction_id || '-' || CAST(k AS VARCHAR) AS transaction_id,
    CASE WHEN debtor_account IS NULL THEN NULL ELSE debtor_account || '-' || CAST(k AS VARCHAR) END AS debtor_account,
    CASE WHEN creditor_account IS NULL THEN NULL ELSE creditor_account || '-' || CAST(k AS VARCHAR) END AS creditor_account)
FROM read_parquet('{src}') CROSS JOIN range({copies}) r(k) LIMIT {rows}""")
    con.close()


def _child(mode: str, db: Path, tmp: Path) -> dict[str, float]:
    import duckdb

    con = duckdb.connect(str(db), read_only=mode == "peer", config={"memory_limit": "6GB", "threads": 2})
    rows = con.execute("SELECT count(*) FROM transactions").fetchall()[0][0]
    started = time.perf_counter()
    if mode == "puente":
        con.execute(f"SET temp_directory = '{tmp.as_posix()}'")
        from puente.engine import DuckDBEngine
        from puente.monitoring.config import load_rules
        from puente.monitoring.detect import detect
        from puente.monitoring.features import features_sql

        engine = DuckDBEngine(con)
        evidence = detect(engine, load_rules())
        rules_s = time.perf_counter() - started
        engine.create_table("mon_features", features_sql())
        extra = {"rules_seconds": round(rules_s, 2), "evidence_rows": evidence.num_rows}
    else:
        import numpy as np
        import pandas as pd

        df = con.execute(
            "SELECT transaction_id, value_date, CAST(amount AS DOUBLE) AS usd, channel, debtor_account AS src, "
            "creditor_account AS dst FROM transactions"
        ).df()
        out = df.groupby("src").agg(deg_out=("dst", "nunique"), n_out=("usd", "size"), usd_out=("usd", "sum"))
        inn = df.groupby("dst").agg(deg_in=("src", "nunique"), n_in=("usd", "size"), usd_in=("usd", "sum"))
        df["week"] = pd.to_datetime(df["value_date"]).dt.to_period("W")
        wk_o = df.groupby(["src", "week"])["dst"].nunique().groupby("src").max().rename("max_week_fan_out")
        wk_i = df.groupby(["dst", "week"])["src"].nunique().groupby("dst").max().rename("max_week_fan_in")
        acct = out.join(inn, how="outer").join(wk_o, how="left").join(wk_i, how="left").fillna(0)
        acct["pass_through"] = np.minimum(acct.usd_in, acct.usd_out) / np.maximum(acct.usd_in, acct.usd_out).clip(1e-9)
        feats = df.join(acct.add_prefix("src_"), on="src").join(acct.add_prefix("dst_"), on="dst")
        extra = {"feature_rows": len(feats)}
    elapsed = time.perf_counter() - started
    con.close()
    return {
        "rows": rows,
        "seconds": round(elapsed, 2),
        "tx_per_s": round(rows / elapsed),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        **extra,
    }


def _run(mode: str, db: Path, tmp: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(db), str(tmp)], capture_output=True, text=True, check=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="1000000,5000000,20000000")
    parser.add_argument("--peer-rows", default="1000000", help="sizes at which to also time the pandas peer")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "monitoring.json")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child[0], Path(args.child[1]), Path(args.child[2]))))
        return
    from puente.simulate import simulate

    results = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        simulate("small", 7, tmp / "scenario")
        peer_sizes = {int(n) for n in args.peer_rows.split(",") if n}
        for n in (int(x) for x in args.rows.split(",")):
            db = tmp / f"tx_{n}.duckdb"
            _make(db, tmp / "scenario", n)
            entry: dict[str, object] = {"rows": n, "puente": _run("puente", db, tmp)}
            if n in peer_sizes:
                entry["pandas_peer"] = _run("peer", db, tmp)
            print(json.dumps(entry), flush=True)
            results.append(entry)
            db.unlink()
    report = {
        "benchmark": "monitoring rules + graph features",
        "machine": {"platform": platform.platform(), "python": platform.python_version()},
        "targets": {"tx_per_s": TARGET_TX_PER_S, "peak_rss_mb": MEMORY_TARGET_MB},
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
