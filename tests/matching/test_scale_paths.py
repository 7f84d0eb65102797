"""The scale paths keep results exact: pattern counting by bincount, lazily scored name levels, component flags
by masks, columnar folding and name keys, and the swap-tolerant birth-date blocking key."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from puente.engine import DuckDBEngine
from puente.matching import load_match_config, resolve
from puente.matching.blocking import candidate_pairs
from puente.matching.cluster import cluster
from puente.matching.comparisons import gamma, gamma_grid
from puente.matching.config import BlockingRule, ClusterSettings
from puente.matching.features import derive
from puente.matching.fellegi_sunter import initial_m, loglik, pattern_counts
from puente.matching.normalize import (
    column_name_tokens,
    fold,
    fold_column,
    name_tokens,
    person_key,
    person_phonetic_key,
    spelling_key,
)
from tests.matching.test_comparisons import CFG
from tests.matching.test_fast_paths import _mixed_records
from tests.matching.test_resolve import people


def test_pattern_counts_equal_sorting_rows() -> None:
    rng = np.random.default_rng(3)
    for n_levels in ([5, 5, 3, 4, 3, 3], [4] * 14):  # a dense count table, and the sorted-integer fallback
        g = np.stack([rng.integers(0, n, 20_000) for n in n_levels], axis=1).astype(np.int8)
        g[:, 1] = np.minimum(g[:, 1], 2)  # levels never seen must not appear as patterns
        patterns, counts = pattern_counts(g, n_levels)
        want, want_counts = np.unique(g, axis=0, return_counts=True)
        np.testing.assert_array_equal(patterns, want)
        np.testing.assert_array_equal(counts, want_counts.astype(np.float64))
    empty, none = pattern_counts(np.zeros((0, 3), np.int8), [2, 2, 2])
    assert empty.shape == (0, 3) and len(none) == 0


def test_public_model_helpers() -> None:
    m = initial_m([3, 5])
    assert [len(x) for x in m] == [3, 5] and all(x[0] == 1.0 and abs(x[1:].sum() - 1) < 1e-12 for x in m)
    assert m[1][4] > m[1][3] > m[1][2]  # matches mostly agree
    ll = loglik(np.array([[1, 4], [2, 1]], np.int8), m)
    np.testing.assert_allclose(ll, [np.log(m[0][1]) + np.log(m[1][4]), np.log(m[0][2]) + np.log(m[1][1])])


def _reference_person_levels(feats: pa.Table, li: np.ndarray, ri: np.ndarray) -> np.ndarray:
    """Every scorer on every pair, no cutoffs, no skipping: what the lazy scoring must reproduce."""
    bag = np.asarray(feats["name__bag"].to_pylist(), dtype=object)
    phon = np.asarray(feats["name__phon"].to_pylist(), dtype=object)
    missing = np.array([a is None or b is None for a, b in zip(bag[li], bag[ri], strict=True)])
    a_bag, b_bag = np.where(missing, "", bag[li]), np.where(missing, "", bag[ri])
    a_ph, b_ph = np.where(missing, "", phon[li]), np.where(missing, "", phon[ri])
    exact = ~missing & (a_bag == b_bag)
    phon_exact = ~missing & (a_ph == b_ph)
    sim = np.maximum(
        process.cpdist(a_bag, b_bag, scorer=fuzz.token_set_ratio),
        process.cpdist(a_ph, b_ph, scorer=fuzz.token_set_ratio),
    )
    sim = np.where(sim >= 75, sim, 0)
    aligned = process.cpdist(a_ph, b_ph, scorer=fuzz.partial_token_sort_ratio)
    return np.select([missing, exact, phon_exact | (sim >= 90), (sim >= 75) | (aligned >= 85)], [0, 4, 3, 2], 1).astype(
        np.int8
    )


def test_lazy_person_levels_equal_scoring_every_pair() -> None:
    t = _mixed_records(80, seed=11)
    feats = derive(t, CFG)
    li, ri = (x.astype(np.int64) for x in np.triu_indices(80, 1))
    got = gamma(CFG, feats, li, ri)[:, 0]
    want = _reference_person_levels(feats, li, ri)
    np.testing.assert_array_equal(got, want)
    assert set(np.unique(got).tolist()) == {0, 1, 2, 3, 4}  # every level is exercised
    a, b = np.arange(40, dtype=np.int64), np.arange(40, 80, dtype=np.int64)
    grid = gamma_grid(CFG, feats, a, b)[:, 0]
    np.testing.assert_array_equal(grid, _reference_person_levels(feats, np.repeat(a, 40), np.tile(b, 40)))


def test_day_month_key_joins_swapped_dates() -> None:
    t = pa.table(
        {"id": ["a", "b", "c", "d", "e"], "dob": ["1980-03-04", "1980-04-03", "1980-03-05", None, "1981-04-03"]}
    )
    cfg = CFG.model_copy(
        update={
            "comparisons": [CFG.comparisons[1]],
            "blocking": [BlockingRule(name="dm", keys=["dob__dm"])],
        }
    )
    feats = derive(t, cfg)
    assert feats["dob__dm"].to_pylist() == ["19800304", "19800304", "19800305", None, "19810304"]
    assert feats["dob__year"].to_pylist() == ["1980", "1980", "1980", None, "1981"]
    li, ri, _ = candidate_pairs(DuckDBEngine(), feats, cfg, link=False)
    assert list(zip(li.tolist(), ri.tolist(), strict=True)) == [(0, 1)]  # the swap, and nothing else


def test_persons_dedupe_blocks_day_month_swaps() -> None:
    cfg = load_match_config("persons_dedupe")
    t = pa.table(
        {
            "record_id": ["a", "b"],
            "source": ["mx", "us"],
            "given": ["Ximena", "Ximena"],
            "surnames": ["Quiroga Ledesma", "Quiroga"],
            "dob": ["1984-02-11", "1984-11-02"],
            "ids": pa.array([[], []], pa.list_(pa.string())),
            "address": [None, None],
            "country": ["MX", "MX"],
            "gender": ["female", "female"],
        }
    )
    li, ri, rule = candidate_pairs(DuckDBEngine(), derive(t, cfg), cfg, link=False)
    assert (li.tolist(), ri.tolist(), rule.tolist()) == ([0], [1], [0])


def test_cluster_flags_by_mask_split_chains_and_sources() -> None:
    # 0-1-2 chained with 0 and 2 cannot-link; 3-4 a clean pair; 5-6 one source twice (one_per_source)
    li = np.array([0, 1, 0, 3, 5], np.int64)
    ri = np.array([1, 2, 2, 4, 6], np.int64)
    weight = np.array([10.0, 5.0, -9.0, 8.0, 7.0])
    accept = weight > 0
    cannot = weight < -5
    sources = np.array([0, 1, 0, 0, 1, 1, 1], np.int64)
    labels = cluster(7, li, ri, weight, accept, cannot, sources, ClusterSettings(one_per_source=True))
    assert labels[0] == labels[1] != labels[2]
    assert labels[3] == labels[4]
    assert labels[5] != labels[6]
    loose = cluster(7, li, ri, weight, accept, np.zeros(5, bool), sources, ClusterSettings())
    assert len(set(loose[[0, 1, 2]].tolist())) == 1 and loose[5] == loose[6]


#: accents precomposed and combining, U+034F (a combining mark of class 0), letters that fold to other letters
_NAME_CHARS = st.sampled_from([*"aAbcdeéÉñÑüßøØ ,.-'|\u0301\u034f\u0300ﬁ1", "de", "la", "Pepe", "Lupe", "DEL"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.text(max_size=20), st.lists(_NAME_CHARS, max_size=8).map("".join)), max_size=12)
)
def test_fold_column_is_fold_of_every_value(values: list[str | None]) -> None:
    got = fold_column(pa.array(values, pa.string())).tolist()
    assert got == [fold(v) for v in values]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.lists(_NAME_CHARS, max_size=8).map("".join)),
            st.one_of(st.none(), st.text(max_size=12), st.lists(_NAME_CHARS, max_size=8).map("".join)),
        ),
        max_size=12,
    )
)
def test_columnar_name_features_equal_per_name_keys(names: list[tuple[str | None, str | None]]) -> None:
    given_col = pa.array([g or "" for g, _ in names], pa.string())
    surname_col = pa.array([s or "" for _, s in names], pa.string())
    given_tokens, surname_tokens = column_name_tokens(given_col), column_name_tokens(surname_col)
    full = given_tokens + surname_tokens
    assert full.sorted_bag().tolist() == [person_key(g, s) for g, s in names]
    assert full.sorted_bag(spelling_key).tolist() == [person_phonetic_key(g, s) for g, s in names]
    firsts = [name_tokens(g) for g, _ in names]
    assert given_tokens.first(spelling_key).tolist() == [spelling_key(t[0]) if t else "" for t in firsts]


def test_raw_bag_scored_where_folding_lowers_similarity() -> None:
    # LLAMAS/LAMAS: 95 as written, 89 once LL folds to Y (YAMAS/LAMAS) -> strong only from the raw bags
    t = pa.table({"id": ["a", "b"], "given": ["Ana", "Ana"], "surnames": ["Llamas", "Lamas"]})
    cfg = CFG.model_copy(update={"comparisons": [CFG.comparisons[0]]})
    feats = derive(t, cfg)
    (level,) = gamma(cfg, feats, np.array([0]), np.array([1]))[:, 0]
    assert cfg.comparisons[0].levels[level] == "strong"
    assert gamma_grid(cfg, feats, np.array([0]), np.array([1]))[0, 0] == level


def test_persons_dedupe_learns_that_duplicates_cross_registries() -> None:
    # every duplicate of these records is the other registry's rendering: EM (no labels) must learn that a
    # shared registry is evidence against a match and a different one evidence for it
    records, _ = people()
    result = resolve(records, load_match_config("persons_dedupe"), DuckDBEngine())
    j = [c.name for c in result.config.comparisons].index("registry")
    weights = result.model.weights()[j]
    assert weights[2] < -1 < 1 < weights[1]  # levels: missing, differs, exact
