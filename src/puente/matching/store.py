"""Workspace edges of entity resolution: judgements in, runs, pairs and clusters out, CSV exports."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from puente.matching.pipeline import MatchResult
from puente.store.sql import registered, transaction
from puente.store.workspace import Workspace

JUDGEMENTS = ("same", "different")


def judge(ws: Workspace, left_id: str, right_id: str, judgement: str, analyst: str, note: str | None = None) -> None:
    """Record an analyst's judgement on a pair; later runs honour the latest judgement of each pair."""
    if judgement not in JUDGEMENTS:
        raise ValueError(f"judgement must be one of {', '.join(JUDGEMENTS)}")
    a, b = sorted((left_id, right_id))
    ws.con.execute(
        "INSERT INTO match_judgements VALUES (?, ?, ?, ?, ?, ?)",
        [a, b, judgement, analyst, note, datetime.now(UTC).replace(tzinfo=None)],
    )


def latest_judgements(ws: Workspace) -> pa.Table:
    """The latest judgement per pair (left_id < right_id)."""
    return ws.query(
        "SELECT left_id, right_id, arg_max(judgement, created_at) AS judgement FROM match_judgements "
        "GROUP BY left_id, right_id ORDER BY left_id, right_id"
    )


def store_result(ws: Workspace, result: MatchResult, task: str) -> str:
    """Write a run, its matched/judged pairs with explanations and its clusters; returns the run id."""
    run_id = uuid.uuid4().hex[:12]
    pairs = result.pairs_table()
    clusters = result.clusters_table()
    con = ws.con
    with transaction(con), registered(con, _m_pairs=pairs, _m_clusters=clusters):
        con.execute(
            "INSERT INTO match_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run_id,
                datetime.now(UTC).replace(tzinfo=None),
                task,
                result.engine,
                result.config.name,
                result.config.version,
                result.features.num_rows,
                len(result.li),
                int(result.matched.sum()),
                len(np.unique(result.labels)),
                result.config.cluster.threshold,
                json.dumps(result.model.to_dict()),
            ],
        )
        con.execute("INSERT INTO match_pairs SELECT ?, * FROM _m_pairs", [run_id])
        con.execute("INSERT INTO match_clusters SELECT ?, * FROM _m_clusters", [run_id])
    return run_id


def write_csv(result: MatchResult, out_dir: Path) -> list[Path]:
    """``pairs.csv`` (with explanations) and ``clusters.csv``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "pairs.csv", out_dir / "clusters.csv"]
    pacsv.write_csv(result.pairs_table(), paths[0])
    pacsv.write_csv(result.clusters_table(), paths[1])
    return paths
