"""Resolution steps after the comparison vectors: the phonetic level's term-frequency adjustment, and the
``persons_dedupe`` configuration's blocking of a pair whose name keys a typo reordered."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from pydantic import ValidationError

from puente.engine import DuckDBEngine
from puente.matching import load_match_config
from puente.matching.blocking import candidate_pairs
from puente.matching.comparisons import gamma, gamma_grid
from puente.matching.config import CONFIG_VERSION, BlockingRule, Comparison, MatchConfig
from puente.matching.features import derive
from puente.matching.pipeline import phonetic_tf


def _name_config(version: int = 2, phonetic: bool = True) -> MatchConfig:
    return MatchConfig(
        version=version,
        name="t",
        id_column="id",
        blocking=[BlockingRule(name="b", keys=["name__lo"])],
        comparisons=[
            Comparison(
                name="name",
                kind="person_name",
                columns=["given", "surnames"],
                thresholds=[90, 75],
                tf=True,
                phonetic=phonetic,
            )
        ],
    )


def _names(*pairs: tuple[str | None, str | None]) -> pa.Table:
    return pa.table(
        {
            "id": [f"x{i}" for i in range(len(pairs))],
            "given": pa.array([g for g, _ in pairs], pa.string()),
            "surnames": pa.array([s for _, s in pairs], pa.string()),
        }
    )


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("José", "Pérez Soto"), ("JOSE", "PEREZ SOTO"), "exact"),
        (("Jose", "Sanches"), ("José", "Sánchez"), "phonetic"),  # spelling by ear: its own level
        (("Joseph", "Nguien"), ("Joseph", "Nguyen"), "phonetic"),
        (("Adriana", "Lopfez Morales"), ("Adriana", "López Morales"), "strong"),  # a typo stays strong
        (("María Guadalupe", "Hernández Núñez"), ("MARIA GUADALUPE", "HERNANDEZ"), "strong"),  # maternal dropped
        (("Juan", "Ruiz"), ("Ana", "Torres Vega"), "differs"),
        ((None, None), ("Ana", "Torres"), "missing"),
    ],
)
def test_phonetic_level(a: tuple[str | None, str | None], b: tuple[str | None, str | None], expected: str) -> None:
    cfg = _name_config()
    feats = derive(_names(a, b), cfg)
    level = int(gamma(cfg, feats, np.array([0]), np.array([1]))[0, 0])
    assert cfg.comparisons[0].levels[level] == expected
    assert gamma_grid(cfg, feats, np.array([0]), np.array([1]))[0, 0] == level
    # without the option the level set and the levels are those of version 1 (spelling by ear is "strong")
    old = _name_config(version=1, phonetic=False)
    old_level = old.comparisons[0].levels[
        int(gamma(old, derive(_names(a, b), old), np.array([0]), np.array([1]))[0, 0])
    ]
    assert old_level == ("strong" if expected == "phonetic" else expected)


def test_phonetic_tf_weighs_rare_folded_names_more() -> None:
    # a rare folded name (one CHAVEZ MARTINEZ pair) against a common one (six SANCHEZ records)
    rows = [("Guadalupe", "Chávez Martínez"), ("Guadalupe", "Cháves Martínez")]
    rows += [("José", "Sánchez")] * 5 + [("Jose", "Sanches")]
    feats = derive(_names(*rows), _name_config())
    li = np.array([0, 2, 0], np.int64)  # left records of the pairs (0, 1), (2, 7) and (0, 2)
    at_level = np.array([True, True, False])
    adj = phonetic_tf(feats["name__phon"], li, at_level)
    assert adj[0] > 0 > adj[1]  # sum(f^2) = (2^2 + 6^2) / 8^2: the rare name is rarer than average, SANCHEZ not
    assert adj[2] == 0.0  # pairs not at the phonetic level are left alone
    assert adj[0] - adj[1] == pytest.approx(np.log2(6 / 2))  # the frequencies' ratio, in bits


def test_config_versions() -> None:
    assert load_match_config("persons_dedupe").version == CONFIG_VERSION == 2
    assert load_match_config("persons_dedupe").comparisons[0].phonetic
    with pytest.raises(ValidationError, match="version 2"):
        _name_config(version=1, phonetic=True)
    with pytest.raises(ValidationError):
        _name_config(version=CONFIG_VERSION + 1, phonetic=False)
    with pytest.raises(ValidationError, match="person_name"):
        MatchConfig(
            version=2,
            name="t",
            id_column="id",
            blocking=[BlockingRule(name="b", keys=["c__s"])],
            comparisons=[Comparison(name="c", kind="exact", columns=["c"], phonetic=True)],
        )


def test_persons_dedupe_blocks_name_typos_by_birth_date_and_address() -> None:
    # the typo (nAa for Ana) moves the given name after the surname alphabetically, so neither name key is
    # shared; the birth date and the address are, and they alone make the pair a candidate
    cfg = load_match_config("persons_dedupe")
    t = pa.table(
        {
            "record_id": ["a", "b", "c"],
            "source": ["us", "mx", "mx"],
            "given": ["nAa", "Ana", "Ana"],
            "surnames": ["Garcia Guerra", "García Guerra", "García Guerra"],
            "dob": ["1960-11-15", "1960-11-15", "1960-11-15"],
            "ids": pa.array([["506-51-5251"], [], []], pa.list_(pa.string())),
            "address": ["2723 Montana Dr", "2723 Montana Dr.", "19 Oak St"],
            "country": ["US", "US", "US"],
            "gender": ["female", "female", "female"],
        }
    )
    li, ri, rule = candidate_pairs(DuckDBEngine(), derive(t, cfg), cfg, link=False)
    names = [r.name for r in cfg.blocking]
    got = {(i, j): names[k] for i, j, k in zip(li.tolist(), ri.tolist(), rule.tolist(), strict=True)}
    assert got[(0, 1)] == "birth_date_address"
    assert (0, 2) not in got  # another address: no candidate from the date alone
