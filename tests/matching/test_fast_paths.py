"""The fast paths keep results exact: grid scoring of random pairs, vectorised dates, capped blocks, ASCII folding."""

from __future__ import annotations

import unicodedata

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from puente.engine import DuckDBEngine
from puente.matching import count_comparisons, load_match_config, resolve
from puente.matching.blocking import candidate_pairs
from puente.matching.comparisons import gamma, gamma_grid
from puente.matching.config import BlockingRule
from puente.matching.features import derive
from puente.matching.fellegi_sunter import sample_u
from puente.matching.normalize import _NON_ALNUM, _SPACES, fold
from tests.matching.test_comparisons import CFG, COLS
from tests.matching.test_resolve import people


def _mixed_records(n: int, seed: int = 5) -> pa.Table:
    """Records for every comparison kind, with repeats, near-misses, swaps and nulls."""
    rng = np.random.default_rng(seed)
    pick = lambda xs: [xs[i] for i in rng.integers(0, len(xs), n)]  # noqa: E731 - a tiny local sampler
    return pa.table(
        {
            "id": [f"x{i}" for i in range(n)],
            "given": pick(["José", "Pepe", "MARIA GUADALUPE", "Ana", None, "Jose Luis"]),
            "surnames": pick(["Pérez Soto", "Perez", "Hernández Núñez", "Sanches", None, "Torres Vega"]),
            "dob": pick(["1980-03-04", "1980-04-03", "1980-03-05", "1981-03-04", None, "1975-12-01"]),
            "ids": pa.array(pick([["A1"], ["a-1", "B2"], [], None, ["C3"]]), pa.list_(pa.string())),
            "city": pick(["Tijuana", "Tijuanna", "Mexicali", None, "Nogales"]),
            "zip": pick(["22000", "22001", "22100", None, "84000"]),
            "country": pick(["MX", "US", None]),
            "firm": pick(["Constructora Hernández S.A. de C.V.", "CONSTRUCTORA HERNANDEZ", "Acme LLC", None]),
        }
    )


def test_grid_levels_equal_pairwise_levels() -> None:
    t = _mixed_records(60)
    feats = derive(t, CFG)
    a, b = np.arange(0, 30, dtype=np.int64), np.arange(30, 60, dtype=np.int64)
    want = gamma(CFG, feats, np.repeat(a, len(b)), np.tile(b, len(a)))
    got = gamma_grid(CFG, feats, a, b)
    assert set(COLS) <= set(t.column_names)
    np.testing.assert_array_equal(got, want)
    assert len(np.unique(want, axis=0)) > 10  # the records exercise many level combinations


def test_u_samples_are_disjoint_and_sized() -> None:
    a, b = sample_u(10_000, 250_000, seed=1)
    assert len(a) == len(b) == 500
    assert not set(a.tolist()) & set(b.tolist())
    small_a, small_b = sample_u(9, 1_000_000, seed=1)
    assert len(small_a) == len(small_b) == 4 and not set(small_a.tolist()) & set(small_b.tolist())


def test_date_levels_vectorised() -> None:
    t = pa.table(
        {"id": ["a", "b", "c", "d", "e"], "dob": ["1980-03-04", "1980-04-03", "1980-07-09", "1980-03-05", None]}
    )
    cfg = CFG.model_copy(update={"comparisons": [CFG.comparisons[1]]})
    for c in COLS:
        if c not in t.column_names:
            t = t.append_column(c, pa.nulls(t.num_rows, pa.list_(pa.string()) if c == "ids" else pa.string()))
    g = gamma(cfg, derive(t, cfg), np.array([0, 0, 0, 0, 1]), np.array([1, 2, 3, 4, 4]))[:, 0]
    levels = cfg.comparisons[0].levels
    assert [levels[x] for x in g] == ["one_edit_or_swapped", "same_year", "one_edit_or_swapped", "missing", "missing"]


def test_max_block_skips_common_blocks_exactly() -> None:
    records, _ = people(80)
    cfg = load_match_config("persons")
    capped = cfg.model_copy(
        update={
            "blocking": [
                BlockingRule(name="given", keys=["name__given"], max_block=8),
                BlockingRule(name="dob", keys=["dob__d"]),
            ]
        }
    )
    feats = derive(records, capped)
    rows = feats.to_pylist()
    size: dict[object, int] = {}
    for r in rows:
        if r["name__given"] is not None:
            size[r["name__given"]] = size.get(r["name__given"], 0) + 1
    assert max(size.values()) > 8 > min(size.values())  # some blocks are skipped, others kept
    first = {
        (i, j)
        for i, a in enumerate(rows)
        for j, b in enumerate(rows)
        if i < j
        and a["name__given"] is not None
        and a["name__given"] == b["name__given"]
        and size[a["name__given"]] <= 8
    }
    second = {
        (i, j)
        for i, a in enumerate(rows)
        for j, b in enumerate(rows)
        if i < j and a["dob__d"] is not None and a["dob__d"] == b["dob__d"]
    }
    li, ri, rule = candidate_pairs(DuckDBEngine(), feats, capped, link=False)
    got = list(zip(li.tolist(), ri.tolist(), rule.tolist(), strict=True))
    assert {(i, j) for i, j, r in got if r == 0} == first
    assert {(i, j) for i, j, r in got if r == 1} == second - first  # a skipped block's pairs stay open to rule 2
    counts = count_comparisons(DuckDBEngine(), feats, capped, link=False)
    assert counts[0]["pairs_alone"] == len(first) and counts[1]["new_pairs"] == len(second - first)


def test_persons_dedupe_config_resolves_noisy_people() -> None:
    records, truth = people()
    result = resolve(records, load_match_config("persons_dedupe"), DuckDBEngine())
    found = result.matched_pairs()
    tp = len(found & truth)
    assert tp / len(truth) >= 0.9 and tp / max(len(found), 1) >= 0.9


def _slow_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).upper()
    return _SPACES.sub(" ", _NON_ALNUM.sub(" ", stripped)).strip()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_fold_fast_path_is_the_full_fold(text: str) -> None:
    assert fold(text) == _slow_fold(text)
