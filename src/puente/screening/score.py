"""Scoring a query name against a listed name, and the corroborating features of a listed entry.

Name parts are aligned order-free (``LAST, Given`` against natural order, surnames in either order): every query
part is compared with every listed part (exact, nickname, initial, phonetic code, or fuzzy: mean of Levenshtein
and Jaro-Winkler similarity) and the strongest pairs are taken greedily. The name score is a weighted F-measure:
aligned parts count their similarity times their rarity; unaligned parts cost their rarity times a role factor,
so a missing maternal surname costs little and a missing paternal one a lot. Features then move the score:
birth date, country and ID documents. Every step is recorded for the explanation.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
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
        return s.nickname_similarity, "translation" if p.role == "org" else "nickname"
    if (len(q.form) == 1 or len(p.form) == 1) and q.form[0] == p.form[0]:
        return s.initial_similarity, "initial"
    fuzzy = _fuzzy(q.canon, p.canon)
    if q.form != q.canon or p.form != p.canon:
        # A misspelt word that resolves to no nickname or translation is compared as written ("GRAPO" ~ "GRUPO").
        fuzzy = max(fuzzy, _fuzzy(q.form, p.form))
    if q.phon == p.phon and len(q.phon) > 2:
        return max(s.phonetic_similarity, fuzzy), "phonetic"
    return fuzzy, "fuzzy"


def _fuzzy(a: str, b: str) -> float:
    return (Levenshtein.normalized_similarity(a, b) + JaroWinkler.similarity(a, b)) / 2


def part_weight(part: Part, weight: Callable[[str], float], cfg: ScreeningConfig) -> float:
    """A part's weight in the name score: its rarity (at least 0.5), reduced for generic words."""
    return max(weight(part.canon), 0.5) * (cfg.scoring.generic_word_weight if part.generic else 1.0)


@lru_cache(maxsize=4096)
def _legal_tokens(forms: tuple[str, ...]) -> frozenset[str]:
    return frozenset(t for f in forms for t in f.split() if len(t) > 1)


@dataclass(frozen=True, slots=True)
class ListedData:
    """What scoring needs of a listed name, computed once: part keys (what similarity depends on) and weights."""

    keys: tuple[tuple[str, str, str], ...]
    weights: tuple[float, ...]

    @classmethod
    def of(cls, listed: ParsedName, weight: Callable[[str], float], cfg: ScreeningConfig) -> ListedData:
        return cls(
            tuple((p.form, p.canon, p.phon) for p in listed.parts),
            tuple(part_weight(p, weight, cfg) for p in listed.parts),
        )


#: Raw result of :meth:`QueryScorer.score`: score, aligned (similarity, query part, listed part, how), unmatched
#: query part numbers, unmatched listed part numbers.
RawScore = tuple[float, list[tuple[float, int, int, str]], list[int], list[int]]


class QueryScorer:
    """Scores one query reading against many listed names, remembering part similarities across candidates."""

    __slots__ = ("_cfg", "_memo", "_min", "_ulw", "_uqw", "query", "weights")

    def __init__(self, query: ParsedName, weight: Callable[[str], float], cfg: ScreeningConfig) -> None:
        self.query = query
        self._cfg = cfg
        self.weights = tuple(part_weight(q, weight, cfg) for q in query.parts)
        self._min = cfg.scoring.min_part_similarity
        self._uqw = cfg.scoring.unmatched_query_weight
        self._ulw = cfg.scoring.unmatched_listed_weight
        self._memo: dict[tuple[str, str, str], list[tuple[float, int, str]]] = {}

    def _similar(self, p: Part, key: tuple[str, str, str]) -> list[tuple[float, int, str]]:
        found = self._memo.get(key)
        if found is None:
            found = []
            for i, q in enumerate(self.query.parts):
                sim, how = part_similarity(q, p, self._cfg)
                if sim >= self._min:
                    found.append((sim, i, how))
            self._memo[key] = found
        return found

    def score(self, listed: ParsedName, data: ListedData) -> RawScore:
        """The name score and the alignment behind it, as plain numbers (see :meth:`name_score`)."""
        query = self.query
        qp, lp = query.parts, listed.parts
        pairs: list[tuple[float, int, int, str]] = []
        memo = self._memo
        for j, key in enumerate(data.keys):
            found = memo.get(key)
            if found is None:
                found = self._similar(lp[j], key)
            for sim, i, how in found:
                pairs.append((-sim, i, j, how))
        pairs.sort()
        wq, wl = self.weights, data.weights
        used_q: set[int] = set()
        used_l: set[int] = set()
        aligned: list[tuple[float, int, int, str]] = []
        num = den = 0.0
        for neg, i, j, how in pairs:
            if i in used_q or j in used_l:
                continue
            used_q.add(i)
            used_l.add(j)
            mass = (wq[i] + wl[j]) / 2
            num += -neg * mass
            den += mass
            aligned.append((-neg, i, j, how))
        unmatched_q = [i for i in range(len(qp)) if i not in used_q]
        unmatched_l = [j for j in range(len(lp)) if j not in used_l]
        # A misspelt legal form ("S.A. aE C.V.") is not recognised as one; an unaligned part that resembles a
        # token of the other side's legal form is ignored rather than counted against the name.
        if unmatched_q and listed.legal_forms:
            residue = _legal_residue(qp, unmatched_q, listed.legal_forms, self._cfg)
            unmatched_q = [i for i in unmatched_q if i not in residue]
        if unmatched_l and query.legal_forms:
            residue = _legal_residue(lp, unmatched_l, query.legal_forms, self._cfg)
            unmatched_l = [j for j in unmatched_l if j not in residue]
        uqw, ulw = self._uqw, self._ulw
        den += sum(wq[i] * uqw for i in unmatched_q)
        den += sum(wl[j] * ulw[lp[j].role] for j in unmatched_l)
        score = num / den if den > 0 else 0.0
        return score, aligned, unmatched_q, unmatched_l

    def features(self, listed: ParsedName, data: ListedData, raw: RawScore, weak: bool = False) -> tuple[float, ...]:
        """The pair's features for the calibrated score, in the order of ``calibration.FEATURES``."""
        score, aligned, unmatched_q, unmatched_l = raw
        wq, wl = self.weights, data.weights
        total_q, total_l = sum(wq) or 1.0, sum(wl) or 1.0
        cover_q = cover_l = evidence = 0.0
        inexact = 0
        low = 1.0
        for sim, i, j, how in aligned:
            cover_q += sim * wq[i]
            cover_l += sim * wl[j]
            evidence += sim * min(wq[i], wl[j])
            if how != "exact":
                inexact += 1
            low = min(low, sim)
        ulw = self._ulw
        role_cost = sum(wl[j] * ulw[listed.parts[j].role] for j in unmatched_l) / total_l
        return (
            score,
            cover_q / total_q,
            cover_l / total_l,
            math.log1p(evidence),
            float(inexact),
            low if aligned else 0.0,
            float(len(unmatched_q)),
            float(len(unmatched_l)),
            1.0 if len(listed.parts) == 1 else 0.0,
            1.0 if listed.is_person else 0.0,
            1.0 if weak else 0.0,
            role_cost,
        )

    def name_score(self, listed: ParsedName, raw: RawScore) -> NameScore:
        """The explained :class:`NameScore` of a raw score."""
        score, aligned, unmatched_q, unmatched_l = raw
        qp, lp = self.query.parts, listed.parts
        return NameScore(
            score,
            [PartMatch(qp[i].text, lp[j].text, how, round(sim, 3)) for sim, i, j, how in aligned],
            [qp[i].text for i in unmatched_q],
            [(lp[j].text, lp[j].role) for j in unmatched_l],
        )


def score_names(
    query: ParsedName, listed: ParsedName, weight: Callable[[str], float], cfg: ScreeningConfig
) -> NameScore:
    """Align parts and compute the weighted name score in [0, 1]; ``weight`` gives a canonical part's rarity."""
    scorer = QueryScorer(query, weight, cfg)
    return scorer.name_score(listed, scorer.score(listed, ListedData.of(listed, weight, cfg)))


def _legal_residue(
    parts: tuple[Part, ...], candidates: list[int], forms: tuple[str, ...], cfg: ScreeningConfig
) -> set[int]:
    tokens = _legal_tokens(forms)
    if not tokens:
        return set()
    limit = cfg.scoring.min_part_similarity
    return {i for i in candidates if any(Levenshtein.normalized_similarity(parts[i].form, t) >= limit for t in tokens)}


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
