"""Score discovered networks and the inspection list against a scenario's ground truth (``truth/``).

Truth is read here and only here, after the analyses have run: it maps entity ids to the real parties they
describe so that a network found as FtM entities can be compared with the planted network of parties.
Each planted network is paired with the discovered network sharing most of its members.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from puente.store.workspace import Workspace


@dataclass(frozen=True)
class NetworkScore:
    truth_id: str
    found_id: str | None
    truth_members: int
    found_members: int
    true_positives: int
    f1: float
    leader_rank: int | None  # rank of the planted leader among the found network's members (1 = top)
    infra_truth: int
    infra_found: int
    infra_recall: float


@dataclass(frozen=True)
class Evaluation:
    networks: list[NetworkScore]
    leader_top3_rate: float
    infra_recall: float
    smuggling_crossings: int
    smuggling_in_top5pct: int

    @property
    def min_f1(self) -> float:
        return min((n.f1 for n in self.networks), default=0.0)

    @property
    def smuggling_top5_rate(self) -> float:
        return self.smuggling_in_top5pct / self.smuggling_crossings if self.smuggling_crossings else 0.0


def _f1(tp: int, found: int, truth: int) -> float:
    return 2 * tp / (found + truth) if found + truth else 0.0


def evaluate(ws: Workspace, truth_dir: Path) -> Evaluation:
    """Per-network member F1, leader rank, infrastructure recall and smuggling crossings in the top 5%."""
    con = duckdb.connect()
    try:
        for name in ("entity_records", "network_members", "network_infrastructure", "accounts", "crossings"):
            con.execute(f"CREATE TABLE t_{name} AS SELECT * FROM read_parquet(?)", [str(truth_dir / f"{name}.parquet")])
        found = ws.query(
            "SELECT m.network_id, m.node, m.rank, e.properties->>'$.accountNumber[0]' AS account, "
            "NULL AS ref FROM network_members m LEFT JOIN entities e ON e.id = m.node"
        )
        infra = ws.query(
            """SELECT i.network_id, i.node, i.kind,
                      coalesce(e.properties->>'$.accountNumber[0]',
                               regexp_extract(e.properties->>'$.description[0]', 'VIN ([A-Z0-9]{17})', 1),
                               regexp_replace(i.node, '^[a-z]+:', '')) AS ref
               FROM network_infrastructure i LEFT JOIN entities e ON e.id = i.node"""
        )
        con.register("found", found)
        con.register("infra", infra)
        member_parties = con.execute(
            """SELECT f.network_id, er.party_id, min(f.rank) AS rank FROM found f
               JOIN t_entity_records er ON er.entity_id = f.node GROUP BY ALL"""
        ).fetchall()
        # company infrastructure is keyed by party id in truth: map found company entities to parties
        infra_refs = con.execute(
            """SELECT i.network_id, coalesce(er.party_id, i.ref) FROM infra i
               LEFT JOIN t_entity_records er ON er.entity_id = i.node"""
        ).fetchall()
        truth_members = con.execute("SELECT network_id, party_id, role FROM t_network_members").fetchall()
        truth_infra = con.execute("SELECT network_id, ref FROM t_network_infrastructure").fetchall()
        smuggling = _smuggling(ws, con)
    finally:
        con.close()
    found_by: dict[str, dict[str, int]] = {}
    for net, party, rank in member_parties:
        found_by.setdefault(str(net), {})[str(party)] = int(rank)
    infra_by: dict[str, set[str]] = {}
    for net, ref in infra_refs:
        infra_by.setdefault(str(net), set()).add(str(ref))
    scores = []
    for truth_id in sorted({str(r[0]) for r in truth_members}):
        members = {str(r[1]) for r in truth_members if r[0] == truth_id}
        leader = next(str(r[1]) for r in truth_members if r[0] == truth_id and r[2] == "leader")
        refs = {str(r[1]) for r in truth_infra if r[0] == truth_id}
        best = max(found_by, key=lambda n: (len(members & found_by[n].keys()), n), default=None)
        got = found_by.get(best, {}) if best else {}
        tp = len(members & got.keys())
        if not tp:
            best, got = None, {}
        infra_hit = len(refs & infra_by.get(best or "", set()))
        scores.append(
            NetworkScore(
                truth_id=truth_id,
                found_id=best,
                truth_members=len(members),
                found_members=len(got),
                true_positives=tp,
                f1=_f1(tp, len(got), len(members)),
                leader_rank=got.get(leader),
                infra_truth=len(refs),
                infra_found=infra_hit,
                infra_recall=infra_hit / len(refs) if refs else 1.0,
            )
        )
    top3 = sum(1 for s in scores if s.leader_rank is not None and s.leader_rank <= 3)
    all_refs = sum(s.infra_truth for s in scores)
    return Evaluation(
        networks=scores,
        leader_top3_rate=top3 / len(scores) if scores else 0.0,
        infra_recall=sum(s.infra_found for s in scores) / all_refs if all_refs else 1.0,
        smuggling_crossings=smuggling[0],
        smuggling_in_top5pct=smuggling[1],
    )


def _smuggling(ws: Workspace, con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Smuggling crossings (undeclared cash or weapons carried) and how many sit in the top 5% of the list."""
    ranked = ws.query("SELECT crossing_id, rank FROM crossing_risk")
    total = ranked.num_rows
    if not total:
        return 0, 0
    con.register("ranked", ranked)
    row = con.execute(
        """SELECT count(*), count(*) FILTER (WHERE r.rank <= ?) FROM t_crossings t
           JOIN ranked r USING (crossing_id) WHERE t.undeclared_usd > 0 OR t.weapons > 0""",
        [max(1, int(total * 0.05))],
    ).fetchall()
    return (int(row[0][0]), int(row[0][1])) if row else (0, 0)


def truth_networks(truth_dir: Path) -> list[dict[str, object]]:
    """The planted networks (for side-by-side printing)."""
    data = json.loads((truth_dir / "networks.json").read_text(encoding="utf-8"))
    return list(data) if isinstance(data, list) else []
