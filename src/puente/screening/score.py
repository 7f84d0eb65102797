"""Scoring a query name against a listed name, and the corroborating features of a listed entry.

Name parts are aligned order-free (``LAST, Given`` against natural order, surnames in either order): every query
part is compared with every listed part (exact, nickname, initial, phonetic code, or fuzzy: mean of Levenshtein
and Jaro-Winkler similarity) and the strongest pairs are taken greedily. The name score is a weighted F-measure:
aligned parts count their similarity times their rarity; unaligned parts cost their rarity times a role factor,
so a missing maternal surname costs little and a missing paternal one a lot. Features then move the score:
birth date, country and ID documents. Every step is recorded for the explanation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidfuzz.distance import JaroWinkler, Levenshtein

from puente.screening.config import ScreeningConfig
from puente.screening.countries import country_code
from puente.screening.dates import birth_date_effect
from puente.screening.entry import ListEntry
from puente.screening.normalize import ParsedName, Part

_CURP = re.compile(r"^[A-Z]{4}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d$")
_RFC = re.compile(r"^[A-Z&]{3,4}\d{6}[A-Z0-9]{0,3}$")


@dataclass(frozen=True, slots=True)
class PartMatch:
    query: str
    listed: str
    how: str  # exact, nickname, initial, phonetic, fuzzy
    similarity: float


@dataclass
class NameScore:
    score: float
    aligned: list[PartMatch]
    unmatched_query: list[str]
    unmatched_listed: list[tuple[str, str]]  # (part, role)


@dataclass
class Feature:
    feature: str
    effect: float
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"feature": self.feature, "effect": round(self.effect, 4), "detail": self.detail}


@dataclass
class EntryEvidence:
    """Features of an entry against a query, and the resulting adjustment."""

    features: list[Feature] = field(default_factory=list)
    id_match: bool = False

    @property
    def adjustment(self) -> float:
        return sum(f.effect for f in self.features)


def part_similarity(q: Part, p: Part, cfg: ScreeningConfig) -> tuple[float, str]:
    """How alike two name parts are, and why."""
    s = cfg.scoring
    if q.form == p.form:
        return 1.0, "exact"
    if q.canon == p.canon:
        return s.nickname_similarity, "nickname"
    if (len(q.form) == 1 or len(p.form) == 1) and q.form[0] == p.form[0]:
        return s.initial_similarity, "initial"
    fuzzy = (Levenshtein.normalized_similarity(q.canon, p.canon) + JaroWinkler.similarity(q.canon, p.canon)) / 2
    if q.phon == p.phon and len(q.phon) > 2:
        return max(s.phonetic_similarity, fuzzy), "phonetic"
    return fuzzy, "fuzzy"


def score_names(
    query: ParsedName, listed: ParsedName, weight: Callable[[str], float], cfg: ScreeningConfig
) -> NameScore:
    """Align parts and compute the weighted name score in [0, 1]; ``weight`` gives a canonical part's rarity."""
    s = cfg.scoring
    qp, lp = query.parts, listed.parts
    pairs: list[tuple[float, int, int, str]] = []
    for i, q in enumerate(qp):
        for j, p in enumerate(lp):
            sim, how = part_similarity(q, p, cfg)
            if sim >= s.min_part_similarity:
                pairs.append((sim, i, j, how))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_q: set[int] = set()
    used_l: set[int] = set()
    aligned: list[PartMatch] = []
    num = den = 0.0

    def w(part: Part) -> float:
        base = weight(part.canon)
        return max(base, 0.5) * (s.generic_word_weight if part.generic else 1.0)

    for sim, i, j, how in pairs:
        if i in used_q or j in used_l:
            continue
        used_q.add(i)
        used_l.add(j)
        mass = (w(qp[i]) + w(lp[j])) / 2
        num += sim * mass
        den += mass
        aligned.append(PartMatch(qp[i].text, lp[j].text, how, round(sim, 3)))
    # A misspelt legal form ("S.A. aE C.V.") is not recognised as one; an unaligned part that resembles a
    # token of the other side's legal form is ignored rather than counted against the name.
    residue_q = _legal_residue(qp, used_q, listed.legal_forms, cfg)
    residue_l = _legal_residue(lp, used_l, query.legal_forms, cfg)
    unmatched_q = [qp[i] for i in range(len(qp)) if i not in used_q and i not in residue_q]
    unmatched_l = [lp[j] for j in range(len(lp)) if j not in used_l and j not in residue_l]
    den += sum(w(q) * s.unmatched_query_weight for q in unmatched_q)
    den += sum(w(p) * s.unmatched_listed_weight[p.role] for p in unmatched_l)
    score = num / den if den > 0 else 0.0
    return NameScore(score, aligned, [q.text for q in unmatched_q], [(p.text, p.role) for p in unmatched_l])


def _legal_residue(parts: tuple[Part, ...], used: set[int], forms: tuple[str, ...], cfg: ScreeningConfig) -> set[int]:
    tokens = {t for f in forms for t in f.split() if len(t) > 1}
    if not tokens:
        return set()
    limit = cfg.scoring.min_part_similarity
    return {
        i
        for i, p in enumerate(parts)
        if i not in used and any(Levenshtein.normalized_similarity(p.form, t) >= limit for t in tokens)
    }


def id_kind(number: str) -> str | None:
    """CURP or RFC recognised by shape; other documents have no telling shape."""
    if _CURP.match(number):
        return "curp"
    if _RFC.match(number):
        return "rfc"
    return None


def normalize_id(number: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", number.upper())


def entry_evidence(
    entry: ListEntry,
    cfg: ScreeningConfig,
    *,
    birth_date: date | None = None,
    country: str | None = None,
    id_numbers: tuple[str, ...] = (),
) -> EntryEvidence:
    """Corroborating or contradicting features of a listed entry for a query."""
    ev = EntryEvidence()
    s = cfg.scoring
    if birth_date is not None and entry.birth_dates:
        effect, detail = birth_date_effect(birth_date, entry.birth_dates, s.birth_date)
        if effect:
            ev.features.append(Feature("birth_date", effect, detail))
    code = country_code(country) if country else None
    listed_countries = {country_code(c) or c for c in entry.all_countries()}
    if code and listed_countries:
        if code in listed_countries:
            ev.features.append(Feature("country", s.country.agree, f"{code.upper()} is a listed country"))
        else:
            shown = ", ".join(sorted(c.upper() for c in listed_countries))
            ev.features.append(Feature("country", s.country.disagree, f"{code.upper()} not among listed {shown}"))
    for raw in id_numbers:
        number = normalize_id(raw)
        if len(number) < 5:
            continue
        kind = id_kind(number)
        listed = [(d, normalize_id(d.number)) for d in entry.ids]
        exact = next((d for d, n in listed if n == number), None)
        rfc_root = next(
            (d for d, n in listed if d.kind == "rfc" and kind == "rfc" and len(n) >= 10 and n[:10] == number[:10]),
            None,
        )
        if exact or rfc_root:
            doc = exact or rfc_root
            assert doc is not None
            how = "equals" if exact else "shares the 10-character root of"
            ev.features.append(
                Feature(
                    "id_number", s.id_number.match_bonus, f"{raw} {how} listed {doc.label or doc.kind} {doc.number}"
                )
            )
            ev.id_match = True
        elif kind and any(d.kind == kind for d, _ in listed):
            others = ", ".join(d.number for d, _ in listed if d.kind == kind)
            ev.features.append(
                Feature("id_number", s.id_number.mismatch, f"{kind.upper()} {raw} differs from listed {others}")
            )
    return ev
