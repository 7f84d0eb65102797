"""The alignment rules beyond part-to-part comparison, each on a small handmade list: joined or split name parts,
organisation acronyms, subset names (with the rare-token defence), romanisation variants, Arabic articles written
onto a name, and retrieval of transliterated, joined and
withheld names."""

from __future__ import annotations

from typing import Any

import pytest

from puente.screening import Matcher, Query, build_index
from puente.screening.config import ScreeningConfig
from puente.screening.entry import ListedName, ListEntry
from puente.screening.index import ListVersionInfo, name_keys
from puente.screening.normalize import parse_name
from puente.screening.score import score_names

INFO = ListVersionInfo("TEST", "v1", "2025-01-01")
# Filler entries that make JUAN, PEDRO, GARCIA and HERNANDEZ common (low rarity), as they are on real lists.
_FILLER_GIVEN = ["Luis", "Carlos", "Jorge", "Mario", "Raul", "Hugo", "Ivan", "Ruben"]


def _person(eid: str, last: str, given: str, *akas: str) -> ListEntry:
    names = [ListedName(f"{last}, {given}", last=last, given=given)]
    names += [ListedName(a, "aka") for a in akas]
    return ListEntry(eid, "Person", names)


def _org(eid: str, name: str, *akas: str) -> ListEntry:
    return ListEntry(eid, "Organization", [ListedName(name), *(ListedName(a, "aka") for a in akas)])


def _filler() -> list[ListEntry]:
    out = []
    for k in range(300):
        surname = f"{'BCDFGHJKLMNPRSTVZ'[k % 17]}{'AEIOU'[k % 5]}{'RNLST'[k // 17 % 5]}{'AEIOU'[k // 85 % 5]}VEZ{k}"
        if k % 2:
            out.append(_person(f"F{k}", f"GARCIA {surname}", f"Juan {_FILLER_GIVEN[k % 8]}"))
        else:
            out.append(_person(f"F{k}", f"{surname} HERNANDEZ", f"Pedro {_FILLER_GIVEN[k % 8]}"))
    return out


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    entries = [
        _person("1", "GOHARIMOQADAM", "Rasoul"),
        _person("2", "BAKHTIAR NEJAD", "Kourosh"),
        _org("3", "EAST TURKISTAN ISLAMIC MOVEMENT"),
        _org("4", "KZQ"),
        _person("5", "TREVINO MORALES", "Omar"),
        _person("10", "ZAMBRANO QUIROGA", "Ezequiel Teodoro Anselmo"),
        _person("6", "GARCIA HERNANDEZ", "Juan Pedro"),
        _org("7", "TALIBAN"),
        _org("11", "EXPORT IMPORT"),
        _org("8", "QWXYZUVBN"),
        _org("9", "QWXYKLMNOP"),
        _person("12", "KAVDZHARADZE", "Maksim Gennadyevich"),
        _person("13", "AL-MADANI", "Mustafa Mohammed"),
        _person("14", "RASHNIKOV", "Viktor Filippovich"),
        _org("15", "ATOMYZE"),
        _person("16", "ZORTHANIKOV", "Boris"),
        _org("17", "LOLA LOLITA 1110, S. DE R.L. DE C.V."),
        _org("18", "NATIONAL IRANIAN OIL COMPANY"),
        _org("19", "PETROLEOS DE VENEZUELA, S.A."),
        _org("20", "ADVANCED PERSISTENT THREAT 39"),
        _person("21", "PAEK", "Jong Sam"),
        _person("22", "MOHAMMADHASNI", "Asad Khan Zarkari"),
        _person("23", "QORBANZADEH", "Yaqub Sherzad"),
        *_filler(),
        # RUSSIA is a common word in listed organisation names, as on the SDN list
        *(_org(f"R{k}", f"{name.last} RUSSIA") for k, e in enumerate(_filler()[:40]) for name in e.names[:1]),
        # and so are CREDIT and DEVELOPMENT: descriptors, not names
        *(
            _org(f"D{k}", f"{name.last} CREDIT DEVELOPMENT")
            for k, e in enumerate(_filler()[40:80])
            for name in e.names[:1]
        ),
        _org("24", "KORYO CREDIT DEVELOPMENT BANK"),
        _org("25", "PHOENIX LLC"),
    ]
    return Matcher(build_index(entries, [INFO] * len(entries)))


def _hit(matcher: Matcher, name: str, entity: str, schema: str | None = None) -> tuple[float, dict[str, Any]]:
    for hit in matcher.screen(Query("q", name, schema), top=10):
        if hit.entity_id == entity:
            return hit.score, hit.explanation
    raise AssertionError(f"{entity} not found for {name!r}")


def _hows(expl: dict[str, Any]) -> set[str]:
    return {m["how"] for m in expl["alignment"]}


def _rules(cfg: ScreeningConfig, subset: dict[str, Any] | None = None, **scoring: Any) -> ScreeningConfig:
    """``cfg`` with some scoring rules (and subset rules) changed: the counterfactual a rule's test compares with."""
    changed = cfg.scoring.model_copy(update=scoring)
    if subset:
        changed = changed.model_copy(update={"subset": changed.subset.model_copy(update=subset)})
    return cfg.model_copy(update={"scoring": changed})


def test_query_parts_joined_in_the_listed_name(matcher: Matcher) -> None:
    score, expl = _hit(matcher, "GOHARI MOQADAM, Rasoul", "1", "Person")
    assert score >= matcher.cfg.threshold
    assert {"query": "GOHARI MOQADAM", "listed": "GOHARIMOQADAM", "how": "joined", "similarity": 1.0} in expl[
        "alignment"
    ]
    assert not expl["unmatched_query_parts"]


def test_joined_words_compare_as_written(matcher: Matcher) -> None:
    """ABDUL resolves to ABD (its romanisations), but ABDULRAHMAN is ABDUL RAHMAN as written."""
    listed = parse_name("MAKKI, Abdul Rahman", "Person")
    ns = score_names(parse_name("MAKKI, Abdulrahman", "Person"), listed, matcher.index.part_weight, matcher.cfg)
    assert {"joined"} <= {m.how for m in ns.aligned} and not ns.unmatched_listed and ns.score >= 0.9


def test_listed_parts_joined_in_the_query(matcher: Matcher) -> None:
    score, expl = _hit(matcher, "Kourosh Bakhtiarnejad", "2", "Person")
    assert score >= matcher.cfg.threshold
    assert any(m["how"] == "joined" and m["listed"] == "BAKHTIAR NEJAD" for m in expl["alignment"])


def test_acronym_of_a_listed_organisation(matcher: Matcher) -> None:
    score, expl = _hit(matcher, "ETIM", "3")
    assert score == pytest.approx(matcher.cfg.scoring.acronym_similarity)
    assert score >= matcher.cfg.threshold and _hows(expl) == {"acronym"}


def test_listed_acronym_of_a_query_organisation(matcher: Matcher) -> None:
    score, expl = _hit(matcher, "Kazakh Zinc Quarry", "4", "Organization")
    assert expl["matched_name"] == "KZQ" and _hows(expl) == {"acronym"}
    assert score >= matcher.cfg.threshold


@pytest.mark.parametrize(
    ("acronym", "entity"),
    [
        ("NIOC", "18"),  # the legal form's initial too (COMPANY is removed from the name's parts)
        ("PDVSA", "19"),  # the particle's initial, and S.A. kept whole as it is spoken
        ("APT39", "20"),  # numbers whole
    ],
)
def test_acronyms_as_organisations_write_them(matcher: Matcher, acronym: str, entity: str) -> None:
    score, expl = _hit(matcher, acronym, entity)
    assert score >= matcher.cfg.threshold and _hows(expl) == {"acronym"}


def test_acronym_variants_of_an_organisation() -> None:
    assert parse_name("Tosee Eqtesad Ayandehsazan Company", "Organization").acronyms == ("tea", "teac", "teaco")
    assert "pdvsa" in parse_name("PETROLEOS DE VENEZUELA, S.A.", "Organization").acronyms
    assert parse_name("Juan Perez Lopez", "Person").acronyms == ()
    # one core word, or a legal form's letter making a short acronym long enough: no acronym, or every ALFA CO LTD
    # and every A... S... LLC would match a three-letter query
    assert parse_name("ALFA CO LTD", "Organization").acronyms == ()
    assert parse_name("AERO SERVICES LLC", "Organization").acronyms == ()


def test_two_letter_initials_are_no_acronym(matcher: Matcher) -> None:
    hits = matcher.screen(Query("q", "EI", "Organization"), top=10)
    assert all("acronym" not in _hows(h.explanation) for h in hits)


def test_extra_given_names_in_the_query_are_a_subset(matcher: Matcher) -> None:
    score, expl = _hit(matcher, "TREVINO MORALES, Oscar Omar Alfredo", "5", "Person")
    assert score >= matcher.cfg.threshold  # 0.77 without the subset rule
    assert expl["unmatched_query_parts"] == ["Oscar", "Alfredo"]


def test_extra_middle_names_in_the_listed_name_are_a_subset(matcher: Matcher) -> None:
    score, expl = _hit(matcher, "ZAMBRANO, Ezequiel", "10", "Person")
    assert score >= matcher.cfg.threshold  # 0.68 without the subset rule
    assert [p["role"] for p in expl["unmatched_listed_parts"]] == ["middle", "middle", "maternal"]


def test_common_names_do_not_get_the_subset_discount(matcher: Matcher) -> None:
    """JUAN and GARCIA are common on this list: their evidence is below the subset floor, so the listed name's
    extra parts (also common) cost in full and the short common name stays under the threshold; with the
    discount it would alert."""
    index = matcher.index
    listed = next(n for n in index.names if n.original == "GARCIA HERNANDEZ, Juan Pedro")
    ns = score_names(parse_name("Juan Garcia", "Person"), listed, index.part_weight, matcher.cfg)
    assert index.part_weight("juan") < 5 and index.part_weight("garcia") < 5
    assert {m.how for m in ns.aligned} == {"exact"} and not ns.unmatched_query
    assert ns.score < matcher.cfg.threshold


def test_one_rare_organisation_word_is_a_core(matcher: Matcher) -> None:
    """An organisation's name may be one rare word with a descriptor added (a country, a line of business): the
    descriptor costs a share of its weight, as an extra organisation word does beside a two-word core."""
    score, expl = _hit(matcher, "ATOMYZE RUSSIA", "15", "Organization")
    assert score >= matcher.cfg.threshold  # 0.58 when a core needed two aligned parts
    assert expl["unmatched_query_parts"] == ["russia"]
    # without everyday-word weights (RUSSIA is also an ordinary English word), the subset rule alone decides
    off = _rules(matcher.cfg, ordinary_words=None)
    two = _rules(matcher.cfg, {"min_aligned_org": 2}, ordinary_words=None)
    index = matcher.index
    listed = next(n for n in index.names if n.original == "ATOMYZE")
    query = parse_name("ATOMYZE RUSSIA", "Organization")
    assert score_names(query, listed, index.part_weight, two).score < matcher.cfg.threshold
    assert score_names(query, listed, index.part_weight, off).score >= matcher.cfg.threshold


def test_descriptors_on_both_sides_of_a_rare_organisation_core(matcher: Matcher) -> None:
    """Each name has its own descriptive words around one rare core; common words cost a share, rare ones (names)
    cost in full."""
    score, expl = _hit(matcher, "KORYO RUSSIA CREDIT", "24", "Organization")
    assert score >= matcher.cfg.threshold
    assert expl["unmatched_query_parts"] == ["russia"]
    assert [p["part"] for p in expl["unmatched_listed_parts"]] == ["development", "bank"]
    index = matcher.index
    listed = next(n for n in index.names if n.original == "KORYO CREDIT DEVELOPMENT BANK")
    off = _rules(matcher.cfg, {"org_descriptor_max_rarity": None})
    query = parse_name("KORYO RUSSIA CREDIT", "Organization")
    assert score_names(query, listed, index.part_weight, off).score < matcher.cfg.threshold  # 0.73 without the rule
    rare, _ = _hit(matcher, "KORYO ZANTHORIA BANK", "24", "Organization")
    assert rare < matcher.cfg.threshold  # ZANTHORIA is as rare as a name: another company of the KORYO group


def test_an_everyday_word_is_weak_evidence(matcher: Matcher) -> None:
    """PHOENIX is rare on this list but common in everyday English: a company sharing only that word with a
    listed one does not alert, as it would if the word weighed its list rarity alone."""
    score, expl = _hit(matcher, "Constructora Phoenix S.A. de C.V.", "25", "Company")
    assert score < matcher.cfg.threshold
    factors = {w["word"]: w["weight_factor"] for w in expl["ordinary_words"]}  # the explanation says why
    assert 0.4 <= factors["phoenix"] < 1.0 and "constructora" in factors  # everyday Spanish, and generic too
    off = _rules(matcher.cfg, ordinary_words=None)
    index = matcher.index
    listed = next(n for n in index.names if n.original == "PHOENIX LLC")
    query = parse_name("Constructora Phoenix S.A. de C.V.", "Company")
    assert score_names(query, listed, index.part_weight, off).score >= matcher.cfg.threshold


def test_one_rare_person_name_part_is_no_core(matcher: Matcher) -> None:
    """A person sharing only a rare surname may be another person: one aligned part never gets the subset discount
    (an organisation's rare word does), even under an evidence floor as low as the organisations' one."""
    index = matcher.index
    listed = next(n for n in index.names if n.original == "ZORTHANIKOV, Boris")
    query = parse_name("ZORTHANIKOV", "Person")
    low_floor = _rules(matcher.cfg, {"min_evidence": 0.7})
    assert score_names(query, listed, index.part_weight, low_floor).score < matcher.cfg.threshold
    one_part = _rules(matcher.cfg, {"min_evidence": 0.7, "min_aligned": 1})
    assert score_names(query, listed, index.part_weight, one_part).score >= matcher.cfg.threshold


def test_nicknames_are_not_applied_to_organisation_words(matcher: Matcher) -> None:
    """LOLA is a nickname of DOLORES in a person's name, not in a company's: LOLALOLITA joins LOLA LOLITA."""
    assert [p.canon for p in parse_name("LOLA LOLITA 1110", "Organization").parts] == ["lola", "lolita", "1110"]
    assert parse_name("Lola Perez", "Person").parts[0].canon == "dolores"
    score, expl = _hit(matcher, "LOLALOLITA 1110, S. DE R.L. DE C.V.", "17", "Organization")
    assert score >= matcher.cfg.threshold and "joined" in _hows(expl)


def test_a_long_core_forgives_an_extra_surname(matcher: Matcher) -> None:
    """Three rare parts in common make the extra listed surname a fuller spelling of an Arabic name chain (whose
    elements any field may carry), as an extra middle name is beside two."""
    score, expl = _hit(matcher, "ZARKARI, Asad Khan", "22", "Person")
    assert score >= matcher.cfg.threshold  # 0.75 when the extra surname cost in full
    assert [p["role"] for p in expl["unmatched_listed_parts"]] == ["surname"]
    off = _rules(matcher.cfg, {"long_core_min_aligned": None})
    index = matcher.index
    listed = next(n for n in index.names if n.original == "MOHAMMADHASNI, Asad Khan Zarkari")
    assert score_names(parse_name("ZARKARI, Asad Khan", "Person"), listed, index.part_weight, off).score < 0.8


def test_a_long_core_does_not_forgive_a_part_of_unknown_role(matcher: Matcher) -> None:
    """In natural order an extra part may be a paternal surname: it costs in full behind any core, while the same
    part given as a middle name is forgiven."""
    natural, _ = _hit(matcher, "Yaqub Sherzad Qorbanzadeh Ortega", "23", "Person")
    with_roles, _ = _hit(matcher, "QORBANZADEH, Yaqub Sherzad Ortega", "23", "Person")
    assert natural < matcher.cfg.threshold <= with_roles


def test_extra_surname_of_unknown_role_costs_in_full(matcher: Matcher) -> None:
    """In natural order the extra part may be a paternal surname: no discount (``Julio Contreras Juarez`` is not
    ``JUAREZ, Julio``)."""
    with_roles, _ = _hit(matcher, "TREVINO MORALES, Oscar Omar", "5", "Person")
    natural, _ = _hit(matcher, "Omar Trevino Morales Oscar", "5", "Person")
    assert natural < matcher.cfg.threshold <= with_roles


def test_transliteration_shares_a_skeleton_key() -> None:
    a, b = parse_name("TALIBAN", "Organization"), parse_name("TALEBAN", "Organization")
    assert {k for k in name_keys(a, 3) & name_keys(b, 3, query=True) if k.startswith("s:")} == {"s:tlbn"}


def test_joined_and_acronym_keys_retrieve(matcher: Matcher) -> None:
    index = matcher.index
    entities = {
        index.entries[index.name_entry[row]].entity_id
        for q in ("GOHARI MOQADAM", "ETIM", "Taleban")
        for row in index.candidates(parse_name(q, None))
    }
    assert {"1", "3", "7"} <= entities


def test_excluded_name_keys_do_not_raise_the_bar(matcher: Matcher) -> None:
    """A withheld name is as if not indexed: keys only it carries must not count in the query's key weight, or
    a name sharing a few n-grams with the query would fall under ``min_key_share``."""
    index = matcher.index
    query = parse_name("QWXYZUVBN", "Organization")
    withheld = [r for r in range(index.size) if index.names[r].original == "QWXYZUVBN"]
    other = next(r for r in range(index.size) if index.names[r].original == "QWXYKLMNOP")
    assert other not in index.candidates(query).tolist()[:1]
    assert other in index.candidates(query, exclude=withheld).tolist()


def test_romanisation_variants_align_as_transliteration(matcher: Matcher) -> None:
    """MAXIM/MAKSIM (0.76 alike as written, below what a variant spelling deserves) align through the romanised
    key, at the phonetic similarity, and the explanation says so; the patronymic missing from the query is an
    extra middle name (subset rule)."""
    score, expl = _hit(matcher, "KAVDZHARADZE, Maxim", "12", "Person")
    assert {
        "query": "Maxim",
        "listed": "Maksim",
        "how": "transliteration",
        "similarity": matcher.cfg.scoring.phonetic_similarity,
    } in expl["alignment"]
    assert score >= matcher.cfg.threshold
    assert [p["role"] for p in expl["unmatched_listed_parts"]] == ["middle"]


def test_romanised_similarity_never_exceeds_the_phonetic_one(matcher: Matcher) -> None:
    listed = parse_name("MAKSIM", "Person")
    ns = score_names(parse_name("MAXIM", "Person"), listed, matcher.index.part_weight, matcher.cfg)
    [m] = ns.aligned
    assert m.how == "transliteration"
    assert 0.85 < m.similarity <= matcher.cfg.scoring.phonetic_similarity


def test_korean_romanisations_align(matcher: Matcher) -> None:
    score, expl = _hit(matcher, "PAEK, Chong-sam", "21", "Person")
    assert score >= matcher.cfg.threshold  # 0.71 when CHONG and JONG were two names
    assert {"query": "chong", "listed": "Jong", "how": "transliteration", "similarity": 0.9} in expl["alignment"]


def test_arabic_article_written_onto_the_name(matcher: Matcher) -> None:
    """ALMADANI is AL-MADANI with the article joined; the article alone is a dropped particle."""
    score, expl = _hit(matcher, "ALMADANI, Mustafa", "13", "Person")
    assert {"query": "ALMADANI", "listed": "madani", "how": "article", "similarity": 0.9} in expl["alignment"]
    assert score >= matcher.cfg.threshold


@pytest.mark.parametrize(
    ("a", "b", "article"),
    [
        ("almadani", "madani", True),
        ("assalam", "salam", True),
        ("elsayed", "sayed", True),
        ("ali", "i", False),
        ("alsalam", "madani", False),
        ("abmadani", "madani", False),
        ("almadani", "madan", False),
    ],
)
def test_article_rule_shape(matcher: Matcher, a: str, b: str, article: bool) -> None:
    ns = score_names(parse_name(a, "Person"), parse_name(b, "Person"), matcher.index.part_weight, matcher.cfg)
    assert ("article" in {m.how for m in ns.aligned}) is article


def test_a_missing_patronymic_costs_a_share_of_its_penalty(matcher: Matcher) -> None:
    """RASHNIKOV, Victor against RASHNIKOV, Viktor Filippovich: the name alerts and the missing patronymic (an extra
    middle name) costs ``subset.unmatched_factor`` of its penalty, less than without the subset rule."""
    score, expl = _hit(matcher, "RASHNIKOV, Victor", "14", "Person")
    assert [p["role"] for p in expl["unmatched_listed_parts"]] == ["middle"]
    assert score >= matcher.cfg.threshold
    sub = matcher.cfg.scoring.subset
    assert sub.min_evidence <= 1.0 and sub.unmatched_factor <= 0.3  # rules version 4 (SDN evaluation)
    cfg = _rules(matcher.cfg, {"unmatched_factor": 1.0})
    listed = next(n for n in matcher.index.names if n.original == "RASHNIKOV, Viktor Filippovich")
    full = score_names(parse_name("RASHNIKOV, Victor", "Person"), listed, matcher.index.part_weight, cfg)
    assert full.score < score
