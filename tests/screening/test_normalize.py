"""Every normalisation rule: accents, case, punctuation, particles, list order, double surnames, legal forms,
generic words, nicknames, transliteration, phonetic keys, and the rules file's validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from puente.screening.config import ConfigError, load_config
from puente.screening.normalize import fold, looks_like_org, parse_name, phonetic


def forms(name: str, schema: str | None = None) -> list[str]:
    return [p.form for p in parse_name(name, schema).parts]


def roles(name: str) -> list[tuple[str, str]]:
    return [(p.form, p.role) for p in parse_name(name, "Person").parts]


def test_accents_case_punctuation() -> None:
    assert fold("José  PÉREZ-Núñez") == "jose perez nunez"
    assert fold("O'Brien") == "obrien"
    assert fold("S.A. de C.V.") == "sa de cv"


def test_transliteration_of_other_scripts() -> None:
    assert forms("Владимир Путин") == ["vladimir", "putin"]
    assert forms("Μιχάλης") == ["michales"]


def test_spanish_particles_dropped() -> None:
    assert forms("María de la Luz del Río y Torres", "Person") == ["maria", "luz", "rio", "torres"]


def test_list_order_gives_surname_roles() -> None:
    assert roles("GUZMAN LOERA, Joaquin Archivaldo") == [
        ("joaquin", "given"),
        ("archivaldo", "middle"),
        ("guzman", "paternal"),
        ("loera", "maternal"),
    ]
    assert roles("PEREZ DE LA TORRE, Maria") == [("maria", "given"), ("perez", "paternal"), ("torre", "maternal")]
    assert roles("Joaquin Guzman") == [("joaquin", "unknown"), ("guzman", "unknown")]


@pytest.mark.parametrize(
    ("name", "parts", "legal"),
    [
        ("Distribuidora Imperial, S.A. de C.V.", ["distribuidora", "imperial"], ("sa de cv",)),
        ("Transportes Norte S. de R.L. de C.V.", ["transportes", "norte"], ("s de rl de cv",)),
        ("Capital Fuerte S.A.P.I. de C.V.", ["capital", "fuerte"], ("sapi de cv",)),
        ("ACME HOLDINGS LLC", ["acme", "holdings"], ("llc",)),
        ("Acme, Inc.", ["acme"], ("inc",)),
        ("Widgets Ltd.", ["widgets"], ("ltd",)),
        ("OOO Sibirskaya Neft", ["sibirskaya", "neft"], ("ooo",)),
        ("Grupo Sur SA", ["grupo", "sur"], ("sa",)),
    ],
)
def test_legal_forms_removed(name: str, parts: list[str], legal: tuple[str, ...]) -> None:
    parsed = parse_name(name, "Company")
    assert [p.form for p in parsed.parts] == parts
    assert parsed.legal_forms == legal
    assert looks_like_org(name)


def test_generic_company_words_flagged() -> None:
    parsed = parse_name("Comercializadora Internacional Lobo SA de CV", "Company")
    assert [(p.form, p.generic) for p in parsed.parts] == [
        ("comercializadora", True),
        ("internacional", True),
        ("lobo", False),
    ]


def test_nicknames_and_abbreviations_resolve() -> None:
    assert [p.canon for p in parse_name("Pepe Chuy Lupe Ma. Fco.", "Person").parts] == [
        "jose",
        "jesus",
        "guadalupe",
        "maria",
        "francisco",
    ]


def test_phonetic_keys_follow_spanish_spelling() -> None:
    assert phonetic("gonzalez") == phonetic("gonsales")
    assert phonetic("villa") == phonetic("biya")
    assert phonetic("xavier") == phonetic("javier")
    assert phonetic("guzman") != phonetic("lopez")


def test_person_guessed_without_legal_form() -> None:
    assert parse_name("Juan Perez").is_person
    assert not parse_name("Juan Perez SA de CV").is_person


def test_rules_file_is_validated(tmp_path: Path) -> None:
    bad = tmp_path / "rules.yaml"
    bad.write_text("version: 1\nthreshold: 2\n")
    with pytest.raises(ConfigError, match="invalid screening rules"):
        load_config(bad)
    assert load_config().threshold == 0.80
