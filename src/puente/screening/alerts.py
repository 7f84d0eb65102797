"""Screening the workspace's own people and companies; alerts for new hits only; analysts' suppressions.

A hit is *new* when no alert was ever raised for its (subject, list, entry): re-screening after a list update
therefore alerts on what the update changed, not on everything again. A suppression (false positive, per
subject and entry) holds across list versions, and every decision is written to ``screening_audit``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

import pyarrow as pa

from puente.ingest.runs import new_run_id, utcnow
from puente.screening.matcher import Hit, Matcher, screen_batch
from puente.screening.subjects import workspace_subjects
from puente.store.sql import fetch_int, registered, transaction
from puente.store.workspace import Workspace


@dataclass
class ScreeningRun:
    run_id: str
    trigger: str
    subjects: int
    hits: int
    matches: int
    new_alerts: int
    suppressed: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def screen_workspace(
    ws: Workspace,
    matcher: Matcher,
    *,
    trigger: str = "manual",
    top: int = 3,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScreeningRun:
    """Screen every stored subject, store the hits, raise alerts for new matching, unsuppressed hits."""
    run_id = new_run_id()
    started = utcnow()
    subjects = workspace_subjects(ws)
    names = {q.id: q.name for q in subjects}
    hits = screen_batch(matcher, subjects, top=top, workers=workers, progress=progress)
    suppressed = set(suppression_decisions(ws))
    alerted = {
        (str(a), str(b), str(c))
        for a, b, c in ws.con.execute("SELECT subject_id, list_name, entity_id FROM screening_alerts").fetchall()
    }
    key: Callable[[Hit], tuple[str, str, str]] = lambda h: (h.query_id, h.list_name, h.entity_id)  # noqa: E731
    new = [h for h in hits if h.match and key(h) not in suppressed and key(h) not in alerted]
    now = utcnow()
    hit_rows = pa.table(
        {
            "run_id": [run_id] * len(hits),
            "subject_id": [h.query_id for h in hits],
            "rank": pa.array([h.rank for h in hits], pa.int32()),
            "list_name": [h.list_name for h in hits],
            "list_version": [str(h.explanation["list_version"]) for h in hits],
            "entity_id": [h.entity_id for h in hits],
            "matched_name": [h.matched_name for h in hits],
            "score": pa.array([h.score for h in hits], pa.float64()),
            "match": pa.array([h.match for h in hits], pa.bool_()),
            "suppressed": pa.array([key(h) in suppressed for h in hits], pa.bool_()),
            "explanation": [json.dumps(h.explanation, ensure_ascii=False) for h in hits],
        }
    )
    alert_rows = pa.table(
        {
            "alert_id": [f"SCR-{uuid.uuid4().hex[:12]}" for _ in new],
            "run_id": [run_id] * len(new),
            "subject_id": [h.query_id for h in new],
            "subject_name": [names.get(h.query_id) for h in new],
            "list_name": [h.list_name for h in new],
            "list_version": [str(h.explanation["list_version"]) for h in new],
            "entity_id": [h.entity_id for h in new],
            "matched_name": [h.matched_name for h in new],
            "score": pa.array([h.score for h in new], pa.float64()),
            "explanation": [json.dumps(h.explanation, ensure_ascii=False) for h in new],
            "raised_at": pa.array([now] * len(new), pa.timestamp("us")),
            "status": ["open"] * len(new),
        }
    )
    con = ws.con
    with transaction(con), registered(con, _hits=hit_rows, _alerts=alert_rows):
        con.execute("INSERT INTO screening_hits SELECT * REPLACE (explanation::JSON AS explanation) FROM _hits")
        con.execute("INSERT INTO screening_alerts SELECT * REPLACE (explanation::JSON AS explanation) FROM _alerts")
        matches = sum(1 for h in hits if h.match)
        con.execute(
            "INSERT INTO screening_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, started, utcnow(), trigger, matcher.mode, len(subjects), len(hits), matches, len(new)],
        )
    n_supp = sum(1 for h in hits if h.match and key(h) in suppressed)
    return ScreeningRun(run_id, trigger, len(subjects), len(hits), matches, len(new), n_supp)


def has_subjects(ws: Workspace) -> bool:
    return fetch_int(ws.con, "SELECT count(*) FROM entities WHERE schema IN ('Person', 'Company', 'Organization')") > 0


def suppress_hit(ws: Workspace, subject_id: str, list_name: str, entity_id: str, *, analyst: str, reason: str) -> int:
    """Mark (subject, entry) a false positive: suppressed from now on, open alerts closed, audited.

    Returns the number of alerts closed."""
    if not reason.strip():
        raise ValueError("a suppression needs a reason")
    now = utcnow()
    con = ws.con
    with transaction(con):
        con.execute(
            "INSERT INTO screening_suppressions VALUES (?, ?, ?, ?, ?, ?)",
            [subject_id, list_name, entity_id, analyst, reason, now],
        )
        closed = fetch_int(
            con,
            "SELECT count(*) FROM screening_alerts "
            "WHERE subject_id = ? AND list_name = ? AND entity_id = ? AND status = 'open'",
            [subject_id, list_name, entity_id],
        )
        con.execute(
            "UPDATE screening_alerts SET status = 'false_positive' "
            "WHERE subject_id = ? AND list_name = ? AND entity_id = ? AND status = 'open'",
            [subject_id, list_name, entity_id],
        )
        con.execute(
            "INSERT INTO screening_audit VALUES (?, 'suppress', ?, ?, ?, ?, ?)",
            [now, subject_id, list_name, entity_id, analyst, reason],
        )
    return closed


def suppression_decisions(ws: Workspace) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Analysts' false-positive decisions by (subject, list, entry): who, why and when."""
    rows = ws.con.execute(
        "SELECT subject_id, list_name, entity_id, analyst, reason, CAST(created_at AS VARCHAR) "
        "FROM screening_suppressions"
    ).fetchall()
    return {(str(a), str(b), str(c)): {"analyst": d, "reason": e, "at": f} for a, b, c, d, e, f in rows}


def apply_suppressions(hits: list[Hit], decisions: dict[tuple[str, str, str], dict[str, Any]]) -> tuple[list[Hit], int]:
    """Analysts' false-positive decisions (from :func:`suppression_decisions`) applied to hits screened outside
    the workspace (``puente screen FILE``).

    A suppressed hit stays in the output, so the decision remains visible, but it no longer counts as a match and
    its explanation says who suppressed it, when and why. Returns the hits and how many matches were suppressed.
    """
    out: list[Hit] = []
    n = 0
    for h in hits:
        decision = decisions.get((h.query_id, h.list_name, h.entity_id))
        if decision is None:
            out.append(h)
            continue
        n += int(h.match)
        out.append(replace(h, match=False, explanation={**h.explanation, "suppressed": decision}))
    return out, n


def open_alerts(ws: Workspace) -> pa.Table:
    return ws.query(
        "SELECT alert_id, subject_id, subject_name, list_name, entity_id, matched_name, score, raised_at "
        "FROM screening_alerts WHERE status = 'open' ORDER BY score DESC, alert_id"
    )
