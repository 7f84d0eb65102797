"""Every normalisation rule: accents, case, punctuation, particles, list order, double surnames, legal forms,
generic words, nicknames, transliteration, phonetic keys, and the rules file's validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from puente.screening.config import ConfigError, load_config
from puente.screening.normalize import fold, looks_like_org, parse_name, phonetic, romanised


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
        # the form after the name without its noun, Gulf shareholding companies, Thai and Venezuelan forms
        ("ABADAN OIL REFINING PRIVATE JOINT STOCK", ["abadan", "oil", "refining"], ("private joint stock",)),
        ("TOSE MELLI PUBLIC SHAREHOLDING COMPANY", ["tose", "melli"], ("public shareholding company",)),
        ("BORISAT RUNGRIN CHAMKAT", ["rungrin"], ("borisat", "chamkat")),
        ("BANCO DE VENEZUELA, S.A.C.A.", ["banco", "venezuela"], ("saca",)),
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


def test_military_ranks_are_titles() -> None:
    parsed = parse_name("KASMURI, Lt. Col. (Rtd). Abd Manaf", "Person")
    assert [p.form for p in parsed.parts] == ["abd", "manaf", "kasmuri"]
    assert parsed.titles == ("Lt.", "Col.", "(Rtd).")


def test_nicknames_and_abbreviations_resolve() -> None:
    assert [p.canon for p in parse_name("Pepe Chuy Lupe Ma. Fco.", "Person").parts] == [
        "jose",
        "jesus",
        "guadalupe",
        "maria",
        "francisco",
    ]


def test_romanisations_of_arabic_and_persian_given_names_resolve_to_one() -> None:
    def canon(name: str) -> list[str]:
        return [p.canon for p in parse_name(name, "Person").parts]

    assert canon("Mohamed Hossein") == canon("Muhammad Hussein") == canon("Mohammad Husayn") == ["muhammad", "hussein"]
    assert canon("Yousef Abdel") == canon("Yusuf Abdul") == ["yusuf", "abd"]
    assert parse_name("MOHAMED TRADING", "Organization").parts[0].canon == "mohamed"  # person names only


def test_russian_and_ukrainian_forms_of_a_given_name_resolve_to_one() -> None:
    # Ukrainian and Russian spellings and diminutives of one name (OLENA / ALYONA / ELENA, VOLODYMYR / VOLODYA)
    canon = [p.canon for p in parse_name("TYURIN, Volodya", "Person").parts]
    assert canon == [p.canon for p in parse_name("TYURIN, Volodymyr", "Person").parts] == ["vladimir", "tyurin"]
    assert {parse_name(n, "Person").parts[0].canon for n in ("Olena", "Alyona", "Elena")} == {"elena"}


def test_phonetic_keys_follow_spanish_spelling() -> None:
    assert phonetic("gonzalez") == phonetic("gonsales")
    assert phonetic("villa") == phonetic("biya")
    assert phonetic("xavier") == phonetic("javier")
    assert phonetic("guzman") != phonetic("lopez")


def test_romanised_keys_fold_romanisation_variants() -> None:
    for a, b in [
        ("maxim", "maksim"),
        ("natalia", "natalya"),
        ("umakhanov", "umahanov"),
        ("yousef", "yusef"),
        ("qasim", "kasim"),
        ("viktor", "victor"),
        ("hasan", "hassan"),
        # Korean: McCune-Reischauer CH against Revised Romanisation J at the start of a syllable-initial word
        ("chong", "jong"),
        ("chu", "ju"),
    ]:
        assert romanised(a) == romanised(b), (a, b)
    assert romanised("kochi") != romanised("koji")  # only at the start of a word
    # only a word that is one Korean syllable: CHUAN is not JUAN, CHAVEZ not JAVEZ
    assert romanised("chuan") != romanised("juan") and romanised("chavez") != romanised("javez")
    # vowels and consonant places are kept: these stay apart (the key is compared fuzzily, not for equality)
    assert romanised("mehdi") != romanised("mahdi")
    assert romanised("garcia") != romanised("gracia")


def test_arabic_compound_articles_are_particles_but_initials_stay() -> None:
    assert [p.form for p in parse_name("SHAHAB-UD-DIN, Taleem-ul-Haq").parts] == ["taleem", "haq", "shahab", "din"]
    assert [p.form for p in parse_name("HIFZ-UR-RAHMAN").parts] == ["hifz", "rahman"]
    # a one-letter part may be an initial: never dropped as a connector
    assert [p.form for p in parse_name("I. Hernandez").parts] == ["i", "hernandez"]
    assert [p.form for p in parse_name("FALAH-I-INSANIAT", "Organization").parts] == ["falah", "i", "insaniat"]


def test_person_guessed_without_legal_form() -> None:
    assert parse_name("Juan Perez").is_person
    assert not parse_name("Juan Perez SA de CV").is_person


def test_rules_file_is_validated(tmp_path: Path) -> None:
    bad = tmp_path / "rules.yaml"
    bad.write_text("version: 1\nthreshold: 2\n")
    with pytest.raises(ConfigError, match="invalid screening rules"):
        load_config(bad)
    assert load_config().threshold == 0.80


def test_rules_file_without_a_required_rule_is_refused(tmp_path: Path) -> None:
    """Rules version 4 added ``scoring.article_similarity``: an older file without it is refused, not half-read."""
    text = (Path(__file__).resolve().parents[2] / "src" / "puente" / "screening" / "screening.yaml").read_text()
    assert "article_similarity" in text and load_config().version >= 4
    old = tmp_path / "rules.yaml"
    old.write_text("\n".join(line for line in text.splitlines() if "article_similarity" not in line))
    with pytest.raises(ConfigError, match="article_similarity"):
        load_config(old)
