"""Run every benchmark in this folder, each writing its JSON to bench/results/.

    .venv/bin/python bench/run_all.py [--only ingest,simulate]

Benchmarks that need the shared public data (../shared/data) skip or shrink themselves when it is absent.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = {
    "ingest": ["--rows", "1000000,10000000"],
    "simulate": ["--sizes", "small,medium"],
    "screening": [],
    "monitoring": ["--rows", "1000000,5000000"],
    "monitoring_truth": ["--scenarios", "small:7,small:11,medium:7"],
    "network": ["--sizes", "small,medium"],
    "matching": [],
    "pprl": ["--scenario-size", "small"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="comma-separated subset of: " + ", ".join(BENCHES))
    args = parser.parse_args()
    chosen = args.only.split(",") if args.only else list(BENCHES)
    failed = []
    for name in chosen:
        script = HERE / f"bench_{name}.py"
        if not script.exists():
            print(f"-- {name}: no {script.name}, skipped")
            continue
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, str(script), *BENCHES[name]], check=False).returncode:
            failed.append(name)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
