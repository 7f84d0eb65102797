"""Screening queries against an index of loaded lists: retrieval, scoring, explanation, batch in parallel.

``Matcher.screen`` is the single-query path (an analyst's look-up); ``screen_batch`` splits a batch across worker
processes that inherit the built index by ``fork`` (no pickling of the index), so a batch uses every core.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from puente.screening.calibration import Calibration
from puente.screening.config import ScreeningConfig
from puente.screening.index import NameIndex
from puente.screening.normalize import PERSON_SCHEMATA, ParsedName, parse_name
from puente.screening.parity import parity_score
from puente.screening.score import Feature, NameScore, QueryScorer, RawScore, entry_evidence
from puente.screening.words import ordinary_word_factor

MODES = ("puente", "ofac-parity")


@dataclass(frozen=True)
class Query:
    """A person or organisation to screen. ``schema`` None: guessed from the name (legal form -> company)."""

    id: str
    name: str
    schema: str | None = None
    birth_date: date | None = None
    country: str | None = None
    id_numbers: tuple[str, ...] = ()
    address: str | None = None


@dataclass
class Hit:
    """One listed entry found for a query, with everything needed to judge it."""

    query_id: str
    rank: int
    list_name: str
    entity_id: str
    matched_name: str
    score: float
    match: bool
    explanation: dict[str, Any] = field(default_factory=dict)


def _kind_label(kind: str) -> str:
    return {"weak": "weak a.k.a.", "aka": "a.k.a.", "fka": "f.k.a.", "nka": "n.k.a."}.get(kind, kind)


@dataclass
class Matcher:
    """Screens queries against a :class:`NameIndex` with the index's rules."""

    index: NameIndex
    mode: str = "puente"
    threshold: float | None = None

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}; choose one of {', '.join(MODES)}")
        cfg = self.index.cfg
        if self.threshold is None:
            self.threshold = cfg.threshold if self.mode == "puente" else cfg.parity_threshold
        self._calibration = Calibration.from_dict(cfg.calibration) if cfg.calibration else None

    @property
    def cfg(self) -> ScreeningConfig:
        return self.index.cfg

    def screen(self, query: Query, top: int = 5, exclude: Iterable[int] = ()) -> list[Hit]:
        """Hits for one query, best first: at most ``top`` entries, each with its best-matching name."""
        parsed = parse_name(query.name, query.schema, cfg=self.cfg)
        if not parsed.parts:
            return []
        # A query of unknown type is read both ways; each candidate is compared with the reading of its own type.
        other = (
            None
            if query.schema
            else parse_name(query.name, "Organization" if parsed.is_person else "Person", cfg=self.cfg)
        )
        puente = self.mode == "puente"
        scorers: dict[int, QueryScorer] = {}
        if puente:
            scorers[id(parsed)] = QueryScorer(parsed, self.index.part_weight, self.cfg)
            if other is not None and other.parts:
                scorers[id(other)] = QueryScorer(other, self.index.part_weight, self.cfg)
        index = self.index
        names, name_kind, name_entry = index.names, index.name_kind, index.name_entry_list
        weak_penalty = self.cfg.scoring.weak_alias_penalty
        calibration = self._calibration
        # Scores of every candidate; the explained NameScore is built only for the entries that are reported.
        crossed_penalty = self.cfg.scoring.crossed_order_penalty
        best: dict[int, tuple[float, int, NameScore | RawScore, ParsedName, tuple[float, ...], bool]] = {}
        for row in index.candidates(parsed, exclude).tolist():
            listed = names[row]
            reading = other if other is not None and other.is_person == listed.is_person and other.parts else parsed
            ns: NameScore | RawScore
            x: tuple[float, ...] = ()
            crossed = False
            if puente:
                scorer = scorers[id(reading)]
                data = index.listed_data(row)
                ns = scorer.score(listed, data)
                weak = name_kind[row] == "weak"
                if calibration is not None:
                    x = scorer.features(listed, data, ns, weak)
                    score = calibration.score(x)  # weak a.k.a.s are one of the calibrated features
                else:
                    score = ns[0] - (weak_penalty if weak else 0)
                if crossed_penalty and scorer.crossed(listed, ns):
                    crossed = True
                    score -= crossed_penalty
            else:
                ns = parity_score(reading, listed)
                score = ns.score
            e_idx = name_entry[row]
            if e_idx not in best or score > best[e_idx][0]:
                best[e_idx] = (score, row, ns, reading, x, crossed)
        floor = min(self.cfg.report_floor, float(self.threshold or 0.0))
        # Corroboration can only add so much: entries whose name score cannot reach the floor even with every
        # bonus are not explained (building an explanation costs more than scoring the name).
        reach = self._max_bonus(query)
        hits = [
            self._hit(
                query,
                reading,
                e_idx,
                row,
                ns if isinstance(ns, NameScore) else scorers[id(reading)].name_score(names[row], ns),
                x,
                crossed,
            )
            for e_idx, (score, row, ns, reading, x, crossed) in best.items()
            if score + reach >= floor
        ]
        hits.sort(key=lambda h: (-h.score, h.list_name, h.entity_id))
        hits = [h for h in hits if h.score >= floor and h.score > 0][:top]
        for rank, hit in enumerate(hits, start=1):
            hit.rank = rank
        return hits

    def _max_bonus(self, query: Query) -> float:
        """The most the corroborating features can add to a name score for this query (1.0: no bound)."""
        if self.mode != "puente":
            return 0.0
        if query.id_numbers:
            return 1.0  # an identifier match lifts any name score to the match floor
        s = self.cfg.scoring
        bonus = 0.0
        if query.birth_date is not None:
            b = s.birth_date
            bonus += max(0.0, b.exact, b.year, b.swapped_day_month, b.approximate)
        if query.country:
            bonus += max(0.0, s.country.agree)
        return bonus

    def _hit(
        self,
        query: Query,
        parsed: ParsedName,
        e_idx: int,
        row: int,
        ns: NameScore,
        x: tuple[float, ...] = (),
        crossed: bool = False,
    ) -> Hit:
        cfg, s = self.cfg, self.cfg.scoring
        entry = self.index.entries[e_idx]
        version = self.index.entry_list[e_idx]
        listed = self.index.names[row]
        kind = self.index.name_kind[row]
        features: list[Feature] = []
        calibration = self._calibration if x else None
        score = calibration.score(x) if calibration is not None else ns.score
        name_score = score
        if self.mode == "puente":
            if kind == "weak" and calibration is None:
                features.append(
                    Feature(
                        "weak_alias",
                        -s.weak_alias_penalty,
                        "matched a weak a.k.a.; OFAC advises it alone is not a match",
                    )
                )
            if crossed:
                features.append(
                    Feature(
                        "crossed_order",
                        -s.crossed_order_penalty,
                        "the query's first name part matched a listed surname and a later part a listed given name, "
                        "not all of them exact or nickname matches",
                    )
                )
            if query.schema is not None and parsed.is_person != (entry.schema in PERSON_SCHEMATA):
                what = "person" if parsed.is_person else "organisation"
                features.append(
                    Feature("schema", -s.schema_mismatch_penalty, f"query is a {what}, entry is a {entry.schema}")
                )
            ev = entry_evidence(
                entry, cfg, birth_date=query.birth_date, country=query.country, id_numbers=query.id_numbers
            )
            features += ev.features
            score = score + sum(f.effect for f in features)
            if ev.id_match:
                score = max(score, s.id_number.match_floor)
        score = min(max(score, 0.0), 1.0)
        threshold = float(self.threshold or 0.0)
        explanation = {
            "mode": self.mode,
            "rules_version": cfg.version,
            "org_terms_version": cfg.org_terms_version,
            "list": version.list_name,
            "list_version": version.version_id,
            "list_published": version.published,
            "entity_id": entry.entity_id,
            "entry_name": entry.caption,
            "entry_schema": entry.schema,
            "programs": entry.programs,
            "matched_name": listed.original,
            "matched_name_kind": _kind_label(kind),
            "query_name": query.name,
            "alignment": [
                {"query": m.query, "listed": m.listed, "how": m.how, "similarity": m.similarity} for m in ns.aligned
            ],
            "unmatched_query_parts": ns.unmatched_query,
            "unmatched_listed_parts": [{"part": p, "role": r} for p, r in ns.unmatched_listed],
            "legal_forms_ignored": [*parsed.legal_forms, *listed.legal_forms],
            "titles_ignored": [*parsed.titles, *listed.titles],
            "ordinary_words": _ordinary_words(parsed, listed, cfg) if self.mode == "puente" else [],
            "alignment_score": round(ns.score, 4),
            "name_score": round(name_score, 4),
            "calibration": (
                {"version": calibration.version, "features": calibration.explain(x)}
                if calibration is not None
                else None
            ),
            "features": [f.to_dict() for f in features],
            "score": round(score, 4),
            "threshold": threshold,
        }
        return Hit(
            query.id,
            0,
            version.list_name,
            entry.entity_id,
            listed.original,
            round(score, 4),
            score >= threshold,
            explanation,
        )


def _ordinary_words(parsed: ParsedName, listed: ParsedName, cfg: ScreeningConfig) -> list[dict[str, Any]]:
    """The organisation words of either name that weighed less for being everyday English or Spanish, and by what
    factor of their list rarity (``scoring.ordinary_words``)."""
    rule = cfg.scoring.ordinary_words
    if rule is None:
        return []
    out: dict[str, float] = {}
    for part in (*parsed.parts, *listed.parts):
        if part.role == "org" and (factor := ordinary_word_factor(part.form, rule)) < 1.0:
            out[part.form] = round(factor, 3)
    return [{"word": w, "weight_factor": f} for w, f in out.items()]


# Worker state for screen_batch: set in the parent before forking, inherited by the children.
_WORKER: Matcher | None = None


def _work(chunk: tuple[Sequence[Query], int]) -> list[Hit]:
    assert _WORKER is not None, "screen_batch worker started without a matcher"
    queries, top = chunk
    return [hit for q in queries for hit in _WORKER.screen(q, top)]


def iter_screen_batch(
    matcher: Matcher,
    queries: Sequence[Query],
    *,
    top: int = 5,
    workers: int | None = None,
    chunk_size: int = 500,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[list[Hit]]:
    """Screen many queries on ``workers`` processes (default: every core), yielding each chunk's hits in query
    order as soon as it is done, so a caller can write them out without holding every hit in memory."""
    global _WORKER  # noqa: PLW0603  # the fork-inherited matcher is the point: no index pickling
    workers = workers or os.cpu_count() or 1
    chunks = [(queries[i : i + chunk_size], top) for i in range(0, len(queries), chunk_size)]
    done = 0
    if workers == 1 or len(chunks) <= 1 or "fork" not in mp.get_all_start_methods():
        for chunk in chunks:
            yield [hit for q in chunk[0] for hit in matcher.screen(q, top)]
            done += len(chunk[0])
            if progress:
                progress(done, len(queries))
        return
    _WORKER = matcher
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            for chunk, hits in zip(chunks, pool.imap(_work, chunks), strict=True):
                yield hits
                done += len(chunk[0])
                if progress:
                    progress(done, len(queries))
    finally:
        _WORKER = None


def screen_batch(
    matcher: Matcher,
    queries: Sequence[Query],
    *,
    top: int = 5,
    workers: int | None = None,
    chunk_size: int = 500,
    progress: Callable[[int, int], None] | None = None,
) -> list[Hit]:
    """Screen many queries on ``workers`` processes (default: every core); hits in query order."""
    batches = iter_screen_batch(matcher, queries, top=top, workers=workers, chunk_size=chunk_size, progress=progress)
    return [hit for hits in batches for hit in hits]
