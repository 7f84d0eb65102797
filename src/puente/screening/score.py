"""Scoring a query name against a listed name, and the corroborating features of a listed entry.

Name parts are aligned order-free (``LAST, Given`` against natural order, surnames in either order): every query
part is compared with every listed part (exact, nickname, initial, Arabic article written onto the name, phonetic
code, romanisation variant (``transliteration``: the fuzzy similarity of ``normalize.romanised`` keys, at most the
phonetic similarity), or fuzzy: mean of Levenshtein and Jaro-Winkler similarity) and the strongest pairs are taken
greedily. The name score is a weighted F-measure:
aligned parts count their similarity times their rarity; unaligned parts cost their rarity times a role factor,
so a missing maternal surname costs little and a missing paternal one a lot. Features then move the score:
birth date, country and ID documents. Every step is recorded for the explanation.
"""

from __future__ import annotations

import itertools
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
from puente.screening.words import ordinary_word_factor

_CURP = re.compile(r"^[A-Z]{4}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d$")
_RFC = re.compile(r"^[A-Z&]{3,4}\d{6}[A-Z0-9]{0,3}$")


@dataclass(frozen=True, slots=True)
class PartMatch:
    query: str
    listed: str
    how: str  # exact, nickname, translation, initial, article, phonetic, transliteration, fuzzy, joined, acronym
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
    gap = len(q.form) - len(p.form)
    if (gap == 2 and _with_article(q.form, p.form)) or (gap == -2 and _with_article(p.form, q.form)):
        return s.article_similarity, "article"
    fuzzy = _fuzzy(q.canon, p.canon)
    if q.form != q.canon or p.form != p.canon:
        # A misspelt word that resolves to no nickname or translation is compared as written ("GRAPO" ~ "GRUPO").
        fuzzy = max(fuzzy, _fuzzy(q.form, p.form))
    if q.phon == p.phon and len(q.phon) > 2:
        return max(s.phonetic_similarity, fuzzy), "phonetic"
    rq, rp = q.roman, p.roman
    if (rq != q.canon or rp != p.canon) and fuzzy < s.phonetic_similarity:
        # Two romanisations of one name (``Maxim``/``Maksim``, ``Alexey``/``Aleksey``): compared as folded by
        # ``romanised``, credited at most the phonetic similarity (what agreeing keys get).
        if rq == rp:
            return s.phonetic_similarity, "transliteration"  # LEE/LI and YU/IU as well: one letter each way
        # only a pair that could align and beat the spelling as written is worth the comparison: the mean of
        # two similarities reaches ``floor`` only where the Levenshtein one reaches ``2 * floor - 1``
        floor = max(fuzzy, s.min_part_similarity)
        lev = Levenshtein.normalized_similarity(rq, rp, score_cutoff=2 * floor - 1)
        alike = (lev + JaroWinkler.similarity(rq, rp)) / 2 if lev else 0.0
        if alike > fuzzy:
            return min(alike, s.phonetic_similarity), "transliteration"
    return fuzzy, "fuzzy"


_SURNAME_ROLES = frozenset({"paternal", "maternal", "surname"})
_GIVEN_ROLES = frozenset({"given", "middle"})


def _with_article(joined: str, word: str) -> bool:
    """``joined`` is ``word`` with an Arabic article written onto it: ``ALMADANI``/``AL-MADANI``, ``ELSAYED``/``EL
    SAYED``, ``ASSALAM``/``AS-SALAM`` (the article's ``l`` assimilated to a sun letter). The article on its own is a
    particle and is dropped, so the two spellings otherwise leave a part that aligns with nothing; ``word`` must
    have at least 4 letters (``ALI`` is not ``AL`` + ``I``)."""
    return (
        len(joined) == len(word) + 2
        and len(word) >= 4
        and joined[0] in "ae"
        and joined[1] in ("l", word[0])
        and joined.endswith(word)
    )


def _fuzzy(a: str, b: str) -> float:
    return (Levenshtein.normalized_similarity(a, b) + JaroWinkler.similarity(a, b)) / 2


def part_weight(part: Part, weight: Callable[[str], float], cfg: ScreeningConfig) -> float:
    """A part's weight in the name score: its rarity (at least 0.5), reduced for generic words and, in an
    organisation's name, for words of everyday language (``words.ordinary_word_factor``)."""
    s = cfg.scoring
    w = max(weight(part.canon), 0.5) * (s.generic_word_weight if part.generic else 1.0)
    if part.role == "org" and s.ordinary_words is not None:
        # the word as written, in its own language: CONSTRUCTORA is rarer in Spanish than CONSTRUCTION in English
        w *= ordinary_word_factor(part.form, s.ordinary_words)
    return w


@lru_cache(maxsize=4096)
def _legal_tokens(forms: tuple[str, ...]) -> frozenset[str]:
    return frozenset(t for f in forms for t in f.split() if len(t) > 1)


@dataclass(frozen=True, slots=True)
class ListedData:
    """What scoring needs of a listed name, computed once: part keys (what similarity depends on) and weights."""

    keys: tuple[tuple[str, str, str], ...]
    weights: tuple[float, ...]
    joins: tuple[str, ...] = ()  # each two adjacent parts written as one word
    acronyms: frozenset[str] = frozenset()

    @classmethod
    def of(cls, listed: ParsedName, weight: Callable[[str], float], cfg: ScreeningConfig) -> ListedData:
        parts = listed.parts
        return cls(
            tuple((p.form, p.canon, p.phon) for p in parts),
            tuple(part_weight(p, weight, cfg) for p in parts),
            tuple(a.form + b.form for a, b in itertools.pairwise(parts)),
            frozenset(listed.acronyms),  # org_acronyms keeps only those of acronym_min_length
        )


#: Raw result of :meth:`QueryScorer.score`: score, aligned (similarity, query part, listed part, how), unmatched
#: query part numbers, unmatched listed part numbers.
RawScore = tuple[float, list[tuple[float, int, int, str]], list[int], list[int]]


# Behind a long core, extra parts of every known role are forgiven; a part of unknown role (natural order) may be a
# paternal surname and still costs in full ("Miguel Angel Contreras Ramos" is not "CONTREAS, Miguel Angel").
_LONG_CORE_ROLES = frozenset({"given", "middle", "paternal", "maternal", "surname", "org"})


class QueryScorer:
    """Scores one query reading against many listed names, remembering part similarities across candidates.

    Beyond part-to-part alignment, three rules (each shown in the explanation by its ``how``):

    * ``joined``: two adjacent parts on one side written as one word on the other (``GOHARI MOQADAM`` /
      ``GOHARIMOQADAM``) align as one unit when the joined word is at least ``joined_min_similarity`` alike;
    * ``acronym``: a one-word name equal to the initials of an organisation's words (``ETIM`` / ``East Turkistan
      Islamic Movement``), at least ``acronym_min_length`` letters, scores ``acronym_similarity``;
    * subset: when every part of one name aligns strongly (``subset.min_similarity``) and the aligned parts carry
      enough rare-token evidence (``subset.min_evidence``: the sum of their similarity times rarity, in units of
      the rarest possible part, so two common names such as ``Juan Garcia`` never qualify), the other name's extra
      parts of the forgiven roles (``subset.roles``: given, middle, maternal, organisation words) cost
      ``subset.unmatched_factor`` of their usual penalty: an extra middle name or patronymic is a fuller spelling,
      not a different person; an extra paternal surname or a part of unknown role still costs in full, unless the
      core is long (``subset.long_core_*``: three rare parts forgive extra parts of every known role, as Arabic name
      chains put any element in the surname field). A person's core needs two aligned parts; an organisation's may
      be one rare word (``subset.min_aligned_org``, with its own floor ``min_evidence_org``), since ATOMYZE RUSSIA
      and TRANSMORFLOT SHIPPING name ATOMYZE and TRANSMORFLOT; two organisation names may each add their own
      descriptive words around it (``subset.org_descriptor_max_rarity``), and their extra words cost
      ``subset.unmatched_factor_org``.

    Part weights (:func:`part_weight`) are list rarity, lowered for generic words and, in organisation names, for
    words of everyday language (``scoring.ordinary_words``; a generic word is usually both).
    """

    __slots__ = (
        "_acronyms",
        "_cfg",
        "_descriptor",
        "_jmemo",
        "_joins",
        "_memo",
        "_min",
        "_qcost",
        "_qjmemo",
        "_rare",
        "_rare_long",
        "_rare_org",
        "_ulw",
        "query",
        "weights",
    )

    def __init__(self, query: ParsedName, weight: Callable[[str], float], cfg: ScreeningConfig) -> None:
        self.query = query
        self._cfg = cfg
        s = cfg.scoring
        self.weights = tuple(part_weight(q, weight, cfg) for q in query.parts)
        self._min = s.min_part_similarity
        self._ulw = s.unmatched_listed_weight
        # The subset rule's evidence floor, in units of the rarest possible part (one never seen on the lists:
        # ``weight`` counts unknown parts as rare), so that it means the same on a short list as on the SDN list.
        unit = max(weight(""), 0.5)
        self._rare = s.subset.min_evidence * unit
        self._rare_org = s.subset.min_evidence_org * unit
        self._rare_long = s.subset.long_core_min_evidence * unit
        rarity = s.subset.org_descriptor_max_rarity
        self._descriptor = rarity * unit if rarity is not None else 0.0
        # An unaligned query part costs its role's share when the query gives roles (``LAST, Given``), the full
        # ``unmatched_query_weight`` otherwise.
        self._qcost = tuple(
            s.unmatched_listed_weight[q.role] if q.role not in ("unknown", "org") else s.unmatched_query_weight
            for q in query.parts
        )
        self._memo: dict[tuple[str, str, str], list[tuple[float, int, str]]] = {}
        self._jmemo: dict[str, list[tuple[float, int]]] = {}
        self._qjmemo: dict[str, list[tuple[float, int]]] = {}
        qp = query.parts
        # joined words compare as written: ABDUL RAHMAN is ABDULRAHMAN, whatever ABDUL's canonical form
        self._joins = tuple((i, qp[i].form + qp[i + 1].form) for i in range(len(qp) - 1))
        self._acronyms = frozenset(query.acronyms)

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

    def _joined_with_query(self, word: str) -> list[tuple[float, int]]:
        """(similarity, query part) of the query parts alike to ``word``, a listed word or two listed parts joined;
        ``word`` is only compared with parts of about its length (a joined form is long)."""
        found = self._jmemo.get(word)
        if found is None:
            limit = self._cfg.scoring.joined_min_similarity
            found = []
            for i, q in enumerate(self.query.parts):
                if abs(len(q.form) - len(word)) <= 2 and q.form[0] == word[0]:
                    sim = 1.0 if q.form == word else _fuzzy(q.form, word)
                    if sim >= limit:
                        found.append((sim, i))
            self._jmemo[word] = found
        return found

    def _joined_pairs(self, listed: ParsedName, data: ListedData) -> list[tuple[float, int, int, str]]:
        """Candidate ``joined`` units: (-similarity, query part, listed part, how); ``joined_q``: query parts i and
        i+1 form listed part j; ``joined_l``: listed parts j and j+1 form query part i."""
        out: list[tuple[float, int, int, str]] = []
        if self._joins:
            qmemo = self._qjmemo
            for j, p in enumerate(listed.parts):
                found = qmemo.get(p.form)
                if found is None:
                    found = qmemo[p.form] = self._query_joined_like(p.form)
                out += [(-sim, i, j, "joined_q") for sim, i in found]
        for j, word in enumerate(data.joins):
            found = self._jmemo.get(word)
            if found is None:
                found = self._joined_with_query(word)
            out += [(-sim, i, j, "joined_l") for sim, i in found]
        return out

    def _query_joined_like(self, word: str) -> list[tuple[float, int]]:
        """(similarity, first query part) of two adjacent query parts that, joined, are alike to ``word``."""
        limit = self._cfg.scoring.joined_min_similarity
        found = []
        for i, joined in self._joins:
            if abs(len(joined) - len(word)) <= 2 and joined[0] == word[0]:
                sim = 1.0 if joined == word else _fuzzy(joined, word)
                if sim >= limit:
                    found.append((sim, i))
        return found

    @staticmethod
    def _align(
        pairs: list[tuple[float, int, int, str]], wq: tuple[float, ...], wl: tuple[float, ...]
    ) -> tuple[list[tuple[float, int, int, str]], set[int], set[int], float, float, float, float]:
        """Greedy alignment where a ``joined`` unit takes two parts on one side (the general, slower path)."""
        used_q: set[int] = set()
        used_l: set[int] = set()
        aligned: list[tuple[float, int, int, str]] = []
        num = den = evidence = 0.0
        low = 1.0
        for neg, i, j, how in pairs:
            qs: tuple[int, ...] = (i, i + 1) if how == "joined_q" else (i,)
            ls: tuple[int, ...] = (j, j + 1) if how == "joined_l" else (j,)
            if any(x in used_q for x in qs) or any(x in used_l for x in ls):
                continue
            used_q.update(qs)
            used_l.update(ls)
            w_q = sum(wq[x] for x in qs) / len(qs)
            w_l = sum(wl[x] for x in ls) / len(ls)
            mass = (w_q + w_l) / 2
            num += -neg * mass
            den += mass
            evidence += -neg * min(w_q, w_l)
            low = min(low, -neg)
            aligned.append((-neg, i, j, how))
        return aligned, used_q, used_l, num, den, evidence, low

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
        num = den = evidence = 0.0
        low = 1.0
        for neg, i, j, how in pairs:
            if i in used_q or j in used_l:
                continue
            used_q.add(i)
            used_l.add(j)
            w_q, w_l = wq[i], wl[j]
            mass = (w_q + w_l) / 2
            num += -neg * mass
            den += mass
            evidence += -neg * (w_q if w_q < w_l else w_l)
            low = min(low, -neg)
            aligned.append((-neg, i, j, how))
        n_q, n_l = len(qp) - len(used_q), len(lp) - len(used_l)
        # Joined parts are looked for only where they could help: where a part is left over.
        if (n_q or n_l) and (self._joins or data.joins):
            joined = self._joined_pairs(listed, data)
            if joined:
                aligned, used_q, used_l, num, den, evidence, low = self._align(sorted(pairs + joined), wq, wl)
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
        den += self._unmatched_cost(
            qp, lp, unmatched_q, unmatched_l, wq, wl, len(aligned), low, evidence, query.is_person or listed.is_person
        )
        score = num / den if den > 0 else 0.0
        acronym = self._acronym_score(listed, data)
        if acronym is not None and acronym[0] > score:
            return acronym
        return score, aligned, unmatched_q, unmatched_l

    def crossed(self, listed: ParsedName, raw: RawScore) -> bool:
        """The query (natural order, no roles) is read surname first against ``listed`` (which has roles): its
        first part aligns with a listed surname and a later part with a listed given name, and not every part of
        that reading is an exact or nickname match. Order is free in natural-order queries, so this reading is
        allowed; it is weaker evidence than the usual given-name-first one when it also needs fuzzy parts."""
        if not (listed.is_person and self.query.is_person) or any(p.role != "unknown" for p in self.query.parts):
            return False
        lp = listed.parts
        plain = [a for a in raw[1] if a[3] not in ("joined_q", "joined_l")]
        first = [a for a in plain if a[1] == 0 and lp[a[2]].role in _SURNAME_ROLES]
        later = [a for a in plain if a[1] > 0 and lp[a[2]].role in _GIVEN_ROLES]
        return bool(first and later) and any(a[3] not in ("exact", "nickname") for a in first + later)

    def _unmatched_cost(
        self,
        qp: tuple[Part, ...],
        lp: tuple[Part, ...],
        unmatched_q: list[int],
        unmatched_l: list[int],
        wq: tuple[float, ...],
        wl: tuple[float, ...],
        n_aligned: int,
        low: float,
        evidence: float,
        person: bool,
    ) -> float:
        """What the unaligned parts cost, by role; the subset rule forgives part of it (see the class docs)."""
        ulw, qcost = self._ulw, self._qcost
        cost_q = [wq[i] * qcost[i] for i in unmatched_q]
        cost_l = [wl[j] * ulw[lp[j].role] for j in unmatched_l]
        sub = self._cfg.scoring.subset
        core = (
            n_aligned >= (sub.min_aligned if person else sub.min_aligned_org)
            and low >= sub.min_similarity
            and evidence >= (self._rare if person else self._rare_org)
        )
        if not core or not (cost_q or cost_l):
            return sum(cost_q) + sum(cost_l)
        f = sub.unmatched_factor if person or sub.unmatched_factor_org is None else sub.unmatched_factor_org
        if not cost_q or not cost_l:
            # the other name's extra parts of the forgiven roles cost a share of their penalty; behind a long
            # core, parts of every role
            long = sub.long_core_min_aligned is not None and n_aligned >= sub.long_core_min_aligned
            roles = _LONG_CORE_ROLES if long and evidence >= self._rare_long else sub.roles
            cost_q = [c * f if qp[i].role in roles else c for c, i in zip(cost_q, unmatched_q, strict=True)]
            cost_l = [c * f if lp[j].role in roles else c for c, j in zip(cost_l, unmatched_l, strict=True)]
        elif self._descriptor and not person:
            # two organisation names around one rare core, each with its own descriptive words (KORYO GLOBAL
            # CREDIT BANK / KORYO CREDIT DEVELOPMENT BANK): a part lighter than the limit (its weight, not its bare
            # list rarity: an everyday word such as OPINION is a descriptor too) costs a share; a word as heavy as a
            # name, or a generic word (already light), costs as before
            limit = self._descriptor
            cost_q = [
                c * f if wq[i] < limit and not qp[i].generic else c for c, i in zip(cost_q, unmatched_q, strict=True)
            ]
            cost_l = [
                c * f if wl[j] < limit and not lp[j].generic else c for c, j in zip(cost_l, unmatched_l, strict=True)
            ]
        return sum(cost_q) + sum(cost_l)

    def _acronym_score(self, listed: ParsedName, data: ListedData) -> RawScore | None:
        """The ``acronym`` reading: a one-word query that spells the listed organisation's initials, or the
        reverse; None when neither holds."""
        qp, lp = self.query.parts, listed.parts
        sim = self._cfg.scoring.acronym_similarity
        if len(qp) == 1 and qp[0].form in data.acronyms:
            return sim, [(sim, 0, j, "acronym") for j in range(len(lp))], [], []
        if len(lp) == 1 and lp[0].form in self._acronyms and not listed.is_person:
            return sim, [(sim, i, 0, "acronym") for i in range(len(qp))], [], []
        return None

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
        matches: list[PartMatch] = []
        for sim, i, j, how in aligned:
            if how == "joined_q":
                matches.append(PartMatch(f"{qp[i].text} {qp[i + 1].text}", lp[j].text, "joined", round(sim, 3)))
            elif how == "joined_l":
                matches.append(PartMatch(qp[i].text, f"{lp[j].text} {lp[j + 1].text}", "joined", round(sim, 3)))
            else:
                matches.append(PartMatch(qp[i].text, lp[j].text, how, round(sim, 3)))
        return NameScore(
            score,
            matches,
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
