"""Name normalisation that knows the domain: scripts, accents, Spanish particles and double surnames, list
order ``LAST1 LAST2, Given``, company legal forms, generic company words and nicknames.

A name becomes a tuple of :class:`Part` values. Each part keeps the text it came from (for explanations), its
folded form, a canonical form (nickname or abbreviation resolved), a phonetic key and a role (given, paternal or
maternal surname …) so that scoring can, for instance, forgive a missing maternal surname more than a missing
paternal one. Everything here is a pure function of the text and the rules in ``screening.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from normality import ascii_text
from rigour.names import remove_org_types

from puente.screening.config import ScreeningConfig, default_config

PERSON_SCHEMATA = frozenset({"Person"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DROP = re.compile(r"[.'`´’]")


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case ASCII with punctuation removed: any script, accents dropped, ``S.A.`` -> ``sa``."""
    if not text.isascii():
        text = ascii_text(text) or ""
    text = _DROP.sub("", text.lower())
    return _NON_ALNUM.sub(" ", text).strip()


_PHONETIC_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(a), b)
    for a, b in (
        (r"ch", "X"),
        (r"sh", "X"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"ll", "y"),
        (r"qu", "k"),
        (r"gu(?=[ei])", "g"),
        (r"g(?=[ei])", "j"),
        (r"c(?=[ei])", "s"),
        (r"ck", "k"),
        (r"c", "k"),
        (r"q", "k"),
        (r"z", "s"),
        (r"v", "b"),
        (r"w", "u"),
        (r"x", "j"),
        (r"h", ""),
        (r"y$", "i"),
        (r"(?<=[^aeiou])y(?=[^aeiou]|$)", "i"),
        (r"(.)\1+", r"\1"),
    )
)


def _rewrite(form: str, rules: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    """Apply rewrite rules in order; a form the rules erase entirely keeps itself as its key."""
    key = form
    for pattern, repl in rules:
        key = pattern.sub(repl, key)
    return key or form


@lru_cache(maxsize=200_000)
def phonetic(form: str) -> str:
    """A Spanish-aware phonetic key: ``Gonzalez``/``Gonsales``, ``Villa``/``Biya``, ``Xavier``/``Javier`` agree."""
    return _rewrite(form, _PHONETIC_RULES)


_ROMANISATION_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(a), b)
    for a, b in (
        (r"x", "ks"),
        # Korean McCune-Reischauer against Revised Romanisation (CHONG / JONG, CHU / JU, CHOL / JOL): only a word
        # that is one Korean syllable, so that CHUAN is not JUAN nor CHAVEZ JAVEZ
        (r"^ch(?=(?:a|ae|e|i|o|oe|u|eo|eu|ya|yo|yu|ye)(?:ng|n|l|k|p|m)?$)", "j"),
        (r"ph", "f"),
        (r"kh", "h"),
        (r"(?<=[gdtz])h", ""),
        (r"ck", "k"),
        (r"c(?=[eiy])", "s"),
        (r"c", "k"),
        (r"q", "k"),
        (r"w", "v"),
        (r"y", "i"),
        (r"ou|oo", "u"),
        (r"ee", "i"),
        (r"(.)\1+", r"\1"),
    )
)


@lru_cache(maxsize=200_000)
def romanised(form: str) -> str:
    """A key that folds the usual differences between romanisations of one Cyrillic, Arabic or Persian name:
    ``Maxim``/``Maksim``, ``Natalia``/``Natalya``, ``Umakhanov``/``Umahanov``, ``Yousef``/``Yusef``,
    ``Qasim``/``Kasim``, doubled letters. Unlike :func:`phonetic` it keeps the vowels and every consonant's place,
    so it is compared fuzzily (``Aleksandr``/``Alexander``), never only for equality."""
    return _rewrite(form, _ROMANISATION_RULES)


_VOWELS = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=200_000)
def skeleton(phon: str) -> str:
    """The consonants of a phonetic key: transliterations that differ in their vowels agree (``Taliban``/``Taleban``,
    ``Nizam``/``Nezam``, ``Majid``/``Majeed``); an index key only, never a similarity on its own."""
    return re.sub(r"(.)\1+", r"\1", _VOWELS.sub("", phon))


@dataclass(frozen=True, slots=True)
class Part:
    """One comparable part of a name."""

    text: str  # as written (for explanations)
    form: str  # folded
    canon: str  # nickname/abbreviation resolved
    phon: str  # phonetic key of canon
    role: str  # given, middle, paternal, maternal, surname, unknown, org
    roman: str  # romanised(canon): computed once here, compared for every candidate
    generic: bool = False


@dataclass(frozen=True, slots=True)
class ParsedName:
    """A name ready to compare: its parts, and what normalisation removed (legal forms), for explanations."""

    original: str
    parts: tuple[Part, ...]
    is_person: bool
    legal_forms: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()  # honorifics dropped from a person's name (``Dr.``, ``Mullah``)

    #: Every way an organisation's name is commonly abbreviated (see :func:`org_acronyms`); empty for persons.
    acronyms: tuple[str, ...] = ()


_ACRONYM_WHOLE = {"company": "co", "co": "co", "sa": "sa", "ag": "ag", "ab": "ab", "as": "as"}


def _initials(words: list[str]) -> str:
    """First letters, numbers whole: ``advanced persistent threat 39`` -> ``apt39``."""
    return "".join(w if w.isdigit() else w[0] for w in words)


def org_acronyms(parts: tuple[Part, ...], folded: str, forms: tuple[str, ...], cfg: ScreeningConfig) -> tuple[str, ...]:
    """The initials an organisation goes by, in the ways they are written: of its core words (``East Turkistan
    Islamic Movement`` -> ``etim``), of every word with the legal form (``Great Lakes Business Company`` ->
    ``glbc``, ``National Iranian Oil Company`` -> ``nioc``), with its particles (``Petroleos de Venezuela S.A.``
    -> ``pdvsa``, ``sa`` kept whole as it is spoken) and with COMPANY as ``co`` (``Tosee Eqtesad Ayandehsazan
    Company`` -> ``teaco``). Only a name of two or more core words has one, and an acronym that counts the legal
    form's or particles' letters must be longer than ``scoring.acronym_min_length``: ``ALFA CO LTD`` and ``AERO
    SERVICES LLC`` (ASL) have none, or every such company would match a three-letter acronym."""
    if len(parts) < 2:
        return ()
    words = folded.split()
    legal = {t for f in forms for t in f.split()}
    no_particles = [w for w in words if w not in cfg.particles]
    spoken = "".join(_ACRONYM_WHOLE[w] if w in legal and w in _ACRONYM_WHOLE else _initials([w]) for w in words)
    core = _initials([p.form for p in parts])
    shortest = cfg.scoring.acronym_min_length
    found = [core] if len(core) >= shortest else []
    found += [a for a in (_initials(no_particles), _initials(words), spoken) if len(a) > shortest]
    return tuple(dict.fromkeys(found))


def _words(text: str) -> list[tuple[str, str]]:
    """(as written, folded) pairs of the words of ``text``; a word folding to several tokens is split."""
    out: list[tuple[str, str]] = []
    for raw in re.split(r"[\s,/]+", text):
        folded = fold(raw)
        for token in folded.split():
            out.append((raw if token == folded else token, token))
    return out


def _part(text: str, form: str, role: str, cfg: ScreeningConfig) -> Part:
    # Nicknames are given names: LOLA in a company's name is not DOLORES (LOLA LOLITA 1110 / LOLALOLITA 1110).
    canon = cfg.org_terms.get(form, form) if role == "org" else cfg.nicknames.get(form, form)
    generic = form in cfg.generic_words or canon in cfg.generic_words
    return Part(text, form, canon, phonetic(canon), role, romanised(canon), generic)


def _strip_titles(
    words: list[tuple[str, str]], cfg: ScreeningConfig, *, may_empty: bool = False
) -> tuple[list[tuple[str, str]], list[str]]:
    kept = [w for w in words if w[1] not in cfg.titles]
    if (not kept and not may_empty) or len(kept) == len(words):
        return words, []
    return kept, [w[0] for w in words if w[1] in cfg.titles]


def _strip_particles(words: list[tuple[str, str]], cfg: ScreeningConfig) -> list[tuple[str, str]]:
    kept = [w for w in words if w[1] not in cfg.particles]
    return kept or words


def parse_person(
    name: str, last: str | None = None, given: str | None = None, cfg: ScreeningConfig | None = None
) -> ParsedName:
    """Parts of a person's name with roles.

    ``LAST1 LAST2, Given Middle`` (list order) or explicit ``last``/``given`` give roles: the first surname is
    paternal, a last one maternal, the first given name ``given`` and later ones ``middle``. A name in natural
    order without a comma gives no roles (``unknown``): the alignment in scoring is order-free anyway.
    """
    cfg = cfg or default_config()
    if last is None and given is None and name.count(",") == 1:
        last, given = (s.strip() for s in name.split(","))
    if last is None and given is None:
        words, titles = _strip_titles(_strip_particles(_words(name), cfg), cfg)
        return ParsedName(name, tuple(_part(t, f, "unknown", cfg) for t, f in words), True, (), tuple(titles))
    surnames = _strip_particles(_words(last or ""), cfg)
    givens, titles = _strip_titles(_strip_particles(_words(given or ""), cfg), cfg, may_empty=bool(surnames))
    parts = [_part(t, f, "given" if i == 0 else "middle", cfg) for i, (t, f) in enumerate(givens)]
    for i, (t, f) in enumerate(surnames):
        if len(surnames) == 1:
            role = "surname"
        elif i == 0:
            role = "paternal"
        elif i == len(surnames) - 1:
            role = "maternal"
        else:
            role = "surname"
        parts.append(_part(t, f, role, cfg))
    return ParsedName(name, tuple(parts), True, (), tuple(titles))


@lru_cache(maxsize=8)
def _legal_form_patterns(forms: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted(forms, key=len, reverse=True)
    return re.compile(r"(?:^|(?<= ))(?:" + "|".join(re.escape(f) for f in alternatives) + r")(?= |$)")


def split_legal_forms(folded: str, cfg: ScreeningConfig | None = None) -> tuple[str, tuple[str, ...]]:
    """Remove legal forms (``sa de cv``, ``s de rl de cv``, ``llc``, ``ooo`` …) from a folded name: the configured
    ones, then (``rigour_org_types``) those of rigour's database. A name that is nothing but legal forms keeps
    its words."""
    cfg = cfg or default_config()
    pattern = _legal_form_patterns(cfg.legal_forms)
    found = tuple(m.group(0) for m in pattern.finditer(folded))
    rest = " ".join(pattern.sub(" ", folded).split())
    if rest and cfg.rigour_org_types:
        rest, more = _rigour_org_types(rest)
        found += more
    return (rest, found) if rest else (folded, ())


@lru_cache(maxsize=65536)
def _rigour_org_types(folded: str) -> tuple[str, tuple[str, ...]]:
    """``folded`` without rigour's organisation types, and the words removed (as one form); unchanged when
    removing them would leave nothing."""
    kept = remove_org_types(folded).split()
    if not kept or len(kept) == len(folded.split()):
        return folded, ()
    # the removed words, in order: walk the original words, matching the kept ones in turn
    removed: list[str] = []
    at = 0
    for word in folded.split():
        if at < len(kept) and word == kept[at]:
            at += 1
        else:
            removed.append(word)
    if at < len(kept):  # rigour rewrote a kept word: keep the name as it was
        return folded, ()
    return " ".join(kept), (" ".join(removed),)


def parse_org(name: str, cfg: ScreeningConfig | None = None) -> ParsedName:
    """Parts of an organisation, vessel or aircraft name: legal forms removed, generic words flagged."""
    cfg = cfg or default_config()
    folded = " ".join(f for _, f in _words(name))
    rest, forms = split_legal_forms(folded, cfg)
    words = [(t, t) for t in rest.split()]
    words = _strip_particles(words, cfg)
    parts = tuple(_part(t, f, "org", cfg) for t, f in words)
    return ParsedName(name, parts, False, forms, acronyms=org_acronyms(parts, folded, forms, cfg))


def looks_like_org(name: str, cfg: ScreeningConfig | None = None) -> bool:
    """A name of unknown type is an organisation when it carries a legal form."""
    folded = " ".join(f for _, f in _words(name))
    return bool(split_legal_forms(folded, cfg)[1])


def parse_name(
    name: str,
    schema: str | None = None,
    *,
    last: str | None = None,
    given: str | None = None,
    cfg: ScreeningConfig | None = None,
) -> ParsedName:
    """Parse ``name`` as a person or an organisation; with no schema, guess from legal forms."""
    if schema is None:
        schema = "Organization" if looks_like_org(name, cfg) else "Person"
    if schema in PERSON_SCHEMATA:
        return parse_person(name, last, given, cfg)
    return parse_org(name, cfg)
