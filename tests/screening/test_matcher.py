"""Matching and its explanations on the handmade list: each rule moves the score the way it should."""

from __future__ import annotations

from datetime import date

import pytest

from puente.screening import Matcher, Query


def top(matcher: Matcher, name: str, **kw: object) -> tuple[str, float, dict[str, object]]:
    hits = matcher.screen(Query("q", name, **kw), top=3)  # type: ignore[arg-type]  # kw are Query fields
    assert hits, f"no hit for {name}"
    return hits[0].entity_id, hits[0].score, hits[0].explanation


@pytest.mark.parametrize(
    "name",
    [
        "Joaquín Guzmán Loera",  # natural order, accents
        "LOERA GUZMAN, Joaquin",  # surnames swapped
        "Joaquin Guzman",  # maternal surname missing
        "Joaquin Guzmam Loera",  # one typo
        "Joakin Gusman Loera",  # phonetic spelling
    ],
)
def test_person_variants_match(fixture_matcher: Matcher, name: str) -> None:
    entity, score, _ = top(fixture_matcher, name)
    assert entity == "100"
    assert score >= fixture_matcher.index.cfg.threshold


def test_company_legal_form_rewritten(fixture_matcher: Matcher) -> None:
    entity, score, expl = top(fixture_matcher, "Distribuidora Imperial de Baja California S. de R.L. de C.V.")
    assert entity == "102" and score >= 0.8
    assert "s de rl de cv" in expl["legal_forms_ignored"]  # type: ignore[operator]


def test_nickname_matches(fixture_matcher: Matcher) -> None:
    entity, score, expl = top(fixture_matcher, "Lupe Perez de la Torre")
    assert entity == "103" and score >= 0.8
    assert {"query": "Lupe", "listed": "Guadalupe", "how": "nickname", "similarity": 0.95} in expl["alignment"]  # type: ignore[operator]


def test_explanation_has_everything(fixture_matcher: Matcher) -> None:
    _, score, expl = top(fixture_matcher, "Ismael Zambada", birth_date=date(1948, 5, 1), country="MX")
    assert expl["list"] == "OFAC-SDN" and expl["list_version"] == "v-test" and expl["list_published"] == "2024-05-03"
    assert expl["entity_id"] == "101" and expl["matched_name"] == "ZAMBADA GARCIA, Ismael"
    assert expl["programs"] == ["SDNTK", "ILLICIT-DRUGS-EO14059"]
    assert expl["unmatched_listed_parts"] == [{"part": "GARCIA", "role": "maternal"}]
    assert [f["feature"] for f in expl["features"]] == ["birth_date", "country"]  # type: ignore[union-attr]
    assert expl["score"] == score and expl["threshold"] == 0.8


def test_birth_date_raises_and_lowers(fixture_matcher: Matcher) -> None:
    _, base, _ = top(fixture_matcher, "Joaquin Guzman")
    _, same, _ = top(fixture_matcher, "Joaquin Guzman", birth_date=date(1954, 12, 25))
    _, alt, _ = top(fixture_matcher, "Joaquin Guzman", birth_date=date(1957, 4, 4))
    _, other, expl = top(fixture_matcher, "Joaquin Guzman", birth_date=date(1990, 1, 1))
    assert same > base and alt > base and other < base
    assert "differs" in expl["features"][0]["detail"]  # type: ignore[index]


def test_exact_id_lifts_and_other_id_lowers(fixture_matcher: Matcher) -> None:
    _, score, expl = top(fixture_matcher, "J. Guzman", id_numbers=("GULJ541225HSLZRQ07",))
    assert score >= 0.97
    assert expl["features"][-1]["feature"] == "id_number"  # type: ignore[index]
    _, lower, _ = top(fixture_matcher, "Joaquin Guzman Loera", id_numbers=("AAAA800101HDFBBB01",))
    _, plain, _ = top(fixture_matcher, "Joaquin Guzman Loera")
    assert lower < plain


def test_weak_alias_needs_corroboration(fixture_matcher: Matcher) -> None:
    entity, score, expl = top(fixture_matcher, "El Mayo")
    assert entity == "101" and expl["matched_name_kind"] == "weak a.k.a."
    assert any(f["feature"] == "weak_alias" for f in expl["features"])  # type: ignore[union-attr]
    _, strong, _ = top(fixture_matcher, "Ismael Zambada Garcia")
    assert score < strong


def test_schema_mismatch_lowers(fixture_matcher: Matcher) -> None:
    _, as_person, _ = top(fixture_matcher, "Ocean Star", schema="Person")
    _, as_vessel, _ = top(fixture_matcher, "Ocean Star", schema="Vessel")
    assert as_person < as_vessel


def test_threshold_decides_match(fixture_matcher: Matcher) -> None:
    strict = Matcher(fixture_matcher.index, threshold=0.99)
    loose = Matcher(fixture_matcher.index, threshold=0.5)
    q = Query("q", "Joaquin Guzman")
    assert not strict.screen(q)[0].match
    assert loose.screen(q)[0].match


def test_unrelated_name_does_not_match(fixture_matcher: Matcher) -> None:
    hits = fixture_matcher.screen(Query("q", "Jennifer Anderson"))
    assert all(not h.match for h in hits)


def test_ofac_parity_mode(fixture_matcher: Matcher) -> None:
    parity = Matcher(fixture_matcher.index, mode="ofac-parity")
    hit = parity.screen(Query("q", "Joaquin Guzman Loera"))[0]
    assert hit.entity_id == "100" and hit.score == 1.0 and hit.explanation["mode"] == "ofac-parity"
    soundex = parity.screen(Query("q", "Joaquin Guzmen Loera"))[0]
    assert any(a["how"] in ("soundex", "jaro-winkler") for a in soundex.explanation["alignment"])  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="unknown mode"):
        Matcher(fixture_matcher.index, mode="nope")


def test_exclusion_removes_a_name_from_retrieval(fixture_matcher: Matcher) -> None:
    index = fixture_matcher.index
    row = next(i for i, n in enumerate(index.names) if n.original == "ZAMBADA, El Mayo")
    hits = fixture_matcher.screen(Query("q", "ZAMBADA, El Mayo"), exclude=[row])
    assert all(h.matched_name != "ZAMBADA, El Mayo" for h in hits)
