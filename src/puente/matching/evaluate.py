"""Entity resolution measured against a scenario's truth (``entity_records.parquet``), overall and per noise kind.

Used by the demo and the benches only; the matcher never reads truth.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from puente.matching.pipeline import MatchResult
from puente.matching.score import Score


def _pairs(groups: dict[object, list[str]]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for members in groups.values():
        ms = sorted(members)
        out.update((a, b) for i, a in enumerate(ms) for b in ms[i + 1 :])
    return out


def evaluate_clusters(result: MatchResult, truth_dir: Path) -> dict[str, Score]:
    """Pairwise precision/recall of the clusters: ``overall`` and one score per noise kind (recall-relevant)."""
    rows = pq.read_table(truth_dir / "entity_records.parquet").to_pylist()
    ids = set(result.features["record_id"].to_pylist())
    party: dict[object, list[str]] = defaultdict(list)
    noise: dict[str, list[str]] = {}
    for r in rows:
        if r["entity_id"] in ids:
            party[r["party_id"]].append(r["entity_id"])
            noise[r["entity_id"]] = list(r["noise"] or [])
    truth = _pairs(party)
    rid = np.asarray(result.features["record_id"].to_pylist(), dtype=object)
    ours: dict[object, list[str]] = defaultdict(list)
    for i, label in enumerate(result.labels.tolist()):
        ours[label].append(str(rid[i]))
    found = _pairs(ours)
    out = {"overall": Score.of(found, truth)}
    kinds = sorted({k for v in noise.values() for k in v})
    for kind in kinds:
        t = {p for p in truth if kind in noise[p[0]] or kind in noise[p[1]]}
        f = {
            p
            for p in found
            if p in t or (p[0] in noise and kind in noise[p[0]]) or (p[1] in noise and kind in noise[p[1]])
        }
        out[kind] = Score.of(f, t)
    return out
