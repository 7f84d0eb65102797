"""Resolution end to end: blocking counts, judgements honoured, DuckDB/Spark parity, and the demo step on truth."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from puente.engine import DuckDBEngine, Engine, open_engine
from puente.ingest import ingest_file
from puente.matching import count_comparisons, demo_step, judge, latest_judgements, load_match_config, resolve
from puente.matching.features import derive
from puente.settings import Settings
from puente.simulate import simulate
from puente.store import Workspace

GIVEN = ["José", "María", "Juan", "Guadalupe", "Luis", "Ana", "Carlos", "Rosa", "James", "Mary", "Robert", "Linda"]
SURNAMES = ["Hernández", "García", "López", "Martínez", "Smith", "Johnson", "Pérez", "Ramírez", "Flores", "Brown"]


def people(n: int = 240, seed: int = 3) -> tuple[pa.Table, set[tuple[str, str]]]:
    """Synthetic records: each person once or twice, the copy with realistic noise; returns truth pairs too."""
    rng = np.random.default_rng(seed)
    rows, truth = [], set()
    for p in range(n):
        g, s1, s2 = GIVEN[p % 12], SURNAMES[rng.integers(10)], SURNAMES[rng.integers(10)]
        dob = f"19{rng.integers(40, 99)}-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d}"
        addr = f"{rng.integers(100, 9999)} Calle {SURNAMES[rng.integers(10)]}"
        rows.append(
            {
                "record_id": f"r{p}a",
                "source": "us",
                "given": g,
                "surnames": f"{s1} {s2}",
                "dob": dob,
                "ids": [f"ID{p}"],
                "address": addr,
                "country": "mx",
                "gender": "x",
            }
        )
        if p % 2 == 0:
            kind = p % 3
            given, surn = (
                (f"{s1} {s2}", g) if kind == 0 else (g.upper(), s1.upper())
            )  # order swapped / maternal dropped
            d = dob if kind != 2 else dob[:5] + dob[8:10] + "-" + dob[5:7] if int(dob[8:10]) <= 12 else dob
            rows.append(
                {
                    "record_id": f"r{p}b",
                    "source": "mx",
                    "given": given,
                    "surnames": surn,
                    "dob": d,
                    "ids": [],
                    "address": addr.upper(),
                    "country": "mx",
                    "gender": "x",
                }
            )
            truth.add((f"r{p}a", f"r{p}b"))
    return pa.Table.from_pylist(rows), truth


@pytest.fixture(scope="module")
def spark() -> Iterator[Engine]:
    if shutil.which("java") is None:
        pytest.skip("Java is not installed: Spark needs a JVM")
    engine = open_engine("spark", Settings(spark_master="local[1]", spark_driver_memory="1g"))
    yield engine
    engine.close()


def test_dedupe_finds_noisy_duplicates_and_explains_them() -> None:
    records, truth = people()
    result = resolve(records, load_match_config("persons"), DuckDBEngine())
    found = result.matched_pairs()
    tp = len(found & truth)
    assert tp / len(truth) >= 0.9 and tp / max(len(found), 1) >= 0.9
    expl = result.explain(int(np.flatnonzero(result.matched)[0]))
    assert set(expl["fields"]) == {"name", "dob", "ids", "address", "country", "gender"}  # type: ignore[arg-type]
    assert abs(sum(f["weight"] for f in expl["fields"].values()) + expl["prior"] - expl["total"]) < 0.01  # type: ignore[union-attr,operator]


def test_count_comparisons_matches_brute_force() -> None:
    records, _ = people(80)
    cfg = load_match_config("persons")
    feats = derive(records, cfg)
    counts = count_comparisons(DuckDBEngine(), feats, cfg, link=False)
    rows = feats.to_pylist()
    for rule, c in zip(cfg.blocking, counts, strict=True):
        brute = sum(
            1
            for i, a in enumerate(rows)
            for b in rows[i + 1 :]
            if all(a[k] is not None and a[k] == b[k] for k in rule.keys)
        )
        assert c["pairs_alone"] == brute
    total = len(resolve(records, cfg, DuckDBEngine()).li)
    assert sum(int(c["new_pairs"]) for c in counts) == total  # type: ignore[call-overload]


def test_judgements_are_honoured_on_rerun(tmp_path: Path) -> None:
    records, _ = people(60)
    cfg = load_match_config("persons")
    with Workspace(tmp_path / "ws") as ws:
        first = resolve(records, cfg, DuckDBEngine())
        a, b = sorted(next(iter(first.matched_pairs())))
        unrelated = ("r1a", "r3a")
        assert tuple(sorted(unrelated)) not in first.matched_pairs()
        judge(ws, a, b, "different", "analyst1")
        judge(ws, *unrelated, "same", "analyst1", note="same passport photo")
        second = resolve(records, cfg, DuckDBEngine(), judgements=latest_judgements(ws))
    assert (a, b) not in second.matched_pairs()
    assert tuple(sorted(unrelated)) in second.matched_pairs()
    labels = dict(zip(second.features["record_id"].to_pylist(), second.labels.tolist(), strict=True))
    assert labels[a] != labels[b] and labels["r1a"] == labels["r3a"]


@pytest.mark.spark
@pytest.mark.parametrize(("config", "link"), [("persons", True), ("persons_dedupe", False)])
def test_same_matches_on_duckdb_and_spark(spark: Engine, config: str, link: bool) -> None:
    records, _ = people(120)
    cfg = load_match_config(config)  # persons_dedupe: a capped (max_block) rule on both engines
    duck = resolve(records, cfg, DuckDBEngine(), link=link)
    sprk = resolve(records, cfg, spark, link=link)
    assert len(duck.li) == len(sprk.li) > 0
    assert duck.matched_pairs() == sprk.matched_pairs()
    assert duck.labels.tolist() == sprk.labels.tolist()
    np.testing.assert_allclose(duck.weight, sprk.weight)


def test_demo_step_links_scenario_registries(tmp_path: Path) -> None:
    scenario = tmp_path / "scn"
    simulate("small", 7, scenario)
    with Workspace(tmp_path / "ws") as ws:
        ingest_file(ws, "entity", scenario / "entities.ftm.json")
        section, lines = demo_step(ws, scenario)
        assert ws.count("match_runs") == 1 and ws.count("match_pairs") > 0
    overall = next(r for r in section.tables[0][2] if r[0] == "overall")
    assert float(overall[4]) >= 0.95, lines
    assert all(a <= b for a, b in pairwise([0]))
