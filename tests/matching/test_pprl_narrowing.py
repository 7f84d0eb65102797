"""PPRL v2: batched Dice, Hamming-LSH narrowing, EM scoring, token-order invariance and settings checks."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from puente.matching.pprl import encode_people, load_pprl_config, match_encodings
from puente.matching.pprl.config import Band, NarrowingSettings
from puente.matching.pprl.encode import EncodingSpec
from puente.matching.pprl.match import Encoded, _join, dice, lsh_candidates, pair_dice

GIVEN = ["Maria", "Jose", "Juan", "Ana", "Luis", "Carmen", "Pedro", "Rosa", "Jorge", "Elena", "Miguel", "Lucia"]
SURN = ["Garcia", "Lopez", "Ruiz", "Torres", "Flores", "Rivera", "Gomez", "Diaz", "Reyes", "Cruz", "Morales"]


def _people(n: int, seed: int) -> tuple[pa.Table, pa.Table]:
    """n people and a noisy copy of each (one typo in the surname, sometimes a swapped date or no address)."""
    rng = np.random.default_rng(seed)
    g = [GIVEN[i] for i in rng.integers(0, len(GIVEN), n)]
    s = [f"{SURN[i]} {SURN[j]}" for i, j in rng.integers(0, len(SURN), (n, 2))]
    dob = [f"19{rng.integers(40, 99)}-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d}" for _ in range(n)]
    addr = [f"{rng.integers(1, 9999)} Calle {SURN[rng.integers(0, len(SURN))]}" for _ in range(n)]
    ids = [[f"ID{rng.integers(10**8, 10**9)}"] for _ in range(n)]

    def typo(x: str, i: int) -> str:
        k = 1 + i % (len(x) - 2)
        return x[:k] + x[k + 1] + x[k] + x[k + 2 :]

    a = pa.table(
        {"record_id": [f"a{i}" for i in range(n)], "given": g, "surnames": s, "dob": dob, "address": addr, "ids": ids}
    )
    b = pa.table(
        {
            "record_id": [f"b{i}" for i in range(n)],
            "given": g,
            "surnames": [typo(x, i) for i, x in enumerate(s)],
            "dob": [d[:5] + d[8:] + d[4:8] if i % 5 == 0 else d for i, d in enumerate(dob)],
            "address": [None if i % 7 == 0 else x for i, x in enumerate(addr)],
            "ids": [[] if i % 3 == 0 else x for i, x in enumerate(ids)],
        }
    )
    return a, b


def test_pair_dice_equals_reference_dice_per_field() -> None:
    a, b = _people(60, 1)
    ea, eb = encode_people(a, b"s"), encode_people(b, b"s")
    xa, xb = Encoded.of(ea), Encoded.of(eb)
    li, ri = np.repeat(np.arange(60), 60), np.tile(np.arange(60), 60)
    fast = pair_dice(xa, xb, li, ri)
    for j in range(len(xa.fields)):
        ref = dice(xa.words[li, j * xa.width : (j + 1) * xa.width], xb.words[ri, j * xb.width : (j + 1) * xb.width])
        np.testing.assert_allclose(fast[:, j], ref)
    # bitwise reference on one pair: 2|x∧y| / (|x| + |y|) over the raw bytes
    x, y = (
        np.unpackbits(np.frombuffer(ea["name"][0].as_py(), np.uint8)),
        np.unpackbits(np.frombuffer(eb["name"][0].as_py(), np.uint8)),
    )
    assert fast[0, 0] == pytest.approx(2 * (x & y).sum() / (x.sum() + y.sum()))


def test_join_matches_brute_force_and_skips_oversized_blocks() -> None:
    rng = np.random.default_rng(3)
    ka, kb = rng.integers(0, 20, 300).astype(np.uint64), rng.integers(0, 20, 250).astype(np.uint64)
    ka[:40] = 99  # a key shared by 40 x 30 = 1,200 pairs
    kb[:30] = 99
    li, ri = _join(ka, kb, max_pairs=1000)
    got = set(zip(li.tolist(), ri.tolist(), strict=True))
    want = {(i, j) for i in range(300) for j in range(250) if ka[i] == kb[j] and ka[i] != 99}
    sizes = {int(k): int((ka == k).sum() * (kb == k).sum()) for k in np.unique(ka)}
    want = {(i, j) for i, j in want if sizes[int(ka[i])] <= 1000}
    assert got == want


def test_lsh_narrowing_keeps_true_pairs_and_drops_most_others() -> None:
    a, b = _people(1500, 2)
    ea, eb = Encoded.of(encode_people(a, b"s")), Encoded.of(encode_people(b, b"s"))
    settings = load_pprl_config().narrowing
    li, ri = lsh_candidates(ea, eb, settings)
    assert len(li) < 0.01 * ea.n * eb.n  # narrowing, not all pairs
    assert len(np.unique(li * eb.n + ri)) == len(li)  # distinct pairs
    found = np.isin(np.arange(1500) * eb.n + np.arange(1500), li * eb.n + ri)
    assert found.mean() >= 0.99
    # deterministic: same files and settings, same candidates
    li2, ri2 = lsh_candidates(ea, eb, settings)
    assert np.array_equal(li, li2) and np.array_equal(ri, ri2)
    # a band that needs a field nobody has yields nothing (no collisions on empty filters)
    none = NarrowingSettings(
        seed=1, bits_per_band=16, bands=[Band(fields=["ids"], count=4)], max_block_pairs=10**6, exhaustive_below_pairs=0
    )
    empty = Encoded.of(encode_people(a.drop_columns(["ids"]), b"s"))
    assert len(lsh_candidates(empty, empty, none)[0]) == 0


def test_em_scoring_links_noisy_copies_without_labels() -> None:
    a, b = _people(1500, 4)
    result = match_encodings(encode_people(a, b"s"), encode_people(b, b"s"), config="febrl")
    pairs = set(zip(result["a_id"].to_pylist(), result["b_id"].to_pylist(), strict=True))
    truth = {(f"a{i}", f"b{i}") for i in range(1500)}
    assert len(pairs & truth) / len(truth) >= 0.98
    assert len(pairs - truth) / max(len(pairs), 1) <= 0.01
    assert result["score"].to_numpy().min() >= load_pprl_config("febrl").match.threshold


def test_name_filter_ignores_token_order_and_field_choice() -> None:
    one = pa.table({"record_id": ["x"], "given": ["Karen"], "surnames": ["Wilson"], "dob": ["1962-04-26"]})
    two = pa.table({"record_id": ["y"], "given": ["Wilson"], "surnames": ["Karen"], "dob": ["1962-04-26"]})
    e1, e2 = encode_people(one, b"s"), encode_people(two, b"s")
    assert e1["name"].to_pylist() == e2["name"].to_pylist()
    assert e1["address"][0].as_py() == bytes(64)  # missing field: empty filter


def test_files_with_other_settings_are_refused() -> None:
    a, _ = _people(5, 5)
    with pytest.raises(ValueError, match="settings"):
        match_encodings(encode_people(a, b"s"), encode_people(a, b"s", EncodingSpec(bits=256, k=15, ngram=2)))


def test_packaged_configs_validate_and_band_limit_is_enforced() -> None:
    for other in ("febrl", "persons_large"):  # files encoded for any of them stay comparable
        assert load_pprl_config("persons").encoding == load_pprl_config(other).encoding
    assert EncodingSpec.from_config() == EncodingSpec(**load_pprl_config().encoding.model_dump())
    with pytest.raises(ValueError, match="256 bands"):
        NarrowingSettings(
            seed=1,
            bits_per_band=16,
            bands=[Band(fields=["name"], count=300)],
            max_block_pairs=1,
            exhaustive_below_pairs=0,
        )


def _reference_candidates(ea: Encoded, eb: Encoded, settings: NarrowingSettings) -> set[tuple[int, int]]:
    """Bit sampling spelled out: a pair is a candidate when all sampled bits of some band agree (small blocks)."""
    from puente.matching.pprl.match import _band_groups, bit_weights

    bits_a = np.unpackbits(ea.words.view(np.uint8), axis=1, bitorder="little")
    bits_b = np.unpackbits(eb.words.view(np.uint8), axis=1, bitorder="little")
    out: set[tuple[int, int]] = set()
    for g in _band_groups(settings, ea.fields, ea.width, bit_weights(ea, eb)):
        ua, ub = (ea.ones[:, g.fields] > 0).all(axis=1), (eb.ones[:, g.fields] > 0).all(axis=1)
        la = ~(ea.ones[:, g.unless] > 0).all(axis=1) if g.unless else np.ones(ea.n, bool)
        lb = ~(eb.ones[:, g.unless] > 0).all(axis=1) if g.unless else np.ones(eb.n, bool)
        for pos in g.positions:
            ka = [bytes(r) for r in bits_a[:, pos]]
            kb = [bytes(r) for r in bits_b[:, pos]]
            for i in np.flatnonzero(ua):
                for j in np.flatnonzero(ub):
                    if ka[i] == kb[j] and (la[i] or lb[j]):
                        out.add((int(i), int(j)))
    return out


def test_band_hashing_equals_exact_bit_sampling_including_unless_bands() -> None:
    a, b = _people(80, 6)
    a = a.set_column(3, "dob", pa.array([None if i % 4 == 0 else d for i, d in enumerate(a["dob"].to_pylist())]))
    ea, eb = Encoded.of(encode_people(a, b"s")), Encoded.of(encode_people(b, b"s"))
    settings = NarrowingSettings(
        seed=5,
        bits_per_band=12,
        bands=[Band(fields=["name"], count=6, bits=10, unless=["dob"]), Band(fields=["name", "dob"], count=6)],
        max_block_pairs=10**6,
        exhaustive_below_pairs=0,
    )
    li, ri = lsh_candidates(ea, eb, settings)
    got = set(zip(li.tolist(), ri.tolist(), strict=True))
    assert got == _reference_candidates(ea, eb, settings)
    # the name-only bands paired only records where one side lacks a birth date ...
    name_only = NarrowingSettings(**{**settings.model_dump(), "bands": [settings.bands[0]]})
    lo, ro = lsh_candidates(ea, eb, name_only)
    assert len(lo) and np.all((ea.ones[lo, 1] == 0) | (eb.ones[ro, 1] == 0))


def test_pair_dice_rejects_out_of_range_rows() -> None:
    a, b = _people(5, 7)
    ea, eb = Encoded.of(encode_people(a, b"s")), Encoded.of(encode_people(b, b"s"))
    with pytest.raises(IndexError):
        pair_dice(ea, eb, np.array([0, 5]), np.array([0, 1]))
    assert pair_dice(ea, eb, np.zeros(0, np.int64), np.zeros(0, np.int64)).shape == (0, 4)
