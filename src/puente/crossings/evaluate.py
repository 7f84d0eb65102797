"""Reconciliation measured against a simulated scenario's ground truth (``truth/``), for the demo and benches.

Truth is read here and only here: the matcher never sees it. ``crossings.parquet`` says which CMIR and folio
belong to the same crossing and which network (if any) the driver served; ``record_parties.parquet`` says which
real person each record's traveller is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from puente.crossings.findings import Findings
from puente.crossings.reconcile import Reconciliation
from puente.matching.score import Score


@dataclass(frozen=True)
class Evaluation:
    pairs: Score  # CMIR-declaration pairs
    one_sided: Score  # records declared on one side only
    discrepancies: Score  # pairs whose amounts differ
    travellers: Score  # pairs of records attributed to the same traveller
    network_crossings: int  # crossings of network couriers in truth
    network_crossings_found: int  # of those, inside a courier_network finding
    network_purity: float  # share of courier_network findings whose crossings serve one network only

    def to_dict(self) -> dict[str, object]:
        return {
            "pairs": self.pairs.to_dict(),
            "one_sided": self.one_sided.to_dict(),
            "discrepancies": self.discrepancies.to_dict(),
            "travellers": self.travellers.to_dict(),
            "network_crossings": self.network_crossings,
            "network_crossings_found": self.network_crossings_found,
            "network_purity": self.network_purity,
        }


def _same_pairs(groups: dict[str, list[str]]) -> set[object]:
    out: set[object] = set()
    for members in groups.values():
        ms = sorted(members)
        out.update((a, b) for i, a in enumerate(ms) for b in ms[i + 1 :])
    return out


def evaluate(rec: Reconciliation, found: Findings, truth_dir: Path, tolerance_usd: float = 100.0) -> Evaluation:
    """Precision and recall of each reconciliation output against the scenario's truth."""
    t = pq.read_table(truth_dir / "crossings.parquet").to_pylist()
    filed = [r for r in t if r["cmir_id"] or r["mx_folio"]]
    truth_pairs = {(r["cmir_id"], r["mx_folio"]) for r in filed if r["cmir_id"] and r["mx_folio"]}
    truth_single = {r["cmir_id"] or r["mx_folio"] for r in filed if not (r["cmir_id"] and r["mx_folio"])}
    truth_disc = {
        (r["cmir_id"], r["mx_folio"])
        for r in filed
        if r["cmir_id"] and r["mx_folio"] and abs(float(r["cmir_usd"]) - float(r["mx_declared_usd"])) > tolerance_usd
    }
    li, ri = rec.matched_indices()
    us_ids = np.asarray(rec.us["record_id"].to_pylist(), dtype=object)
    mx_ids = np.asarray(rec.mx["record_id"].to_pylist(), dtype=object)
    pairs = set(zip(us_ids[li].tolist(), mx_ids[ri].tolist(), strict=True))
    single = set(us_ids[rec.us_only()].tolist()) | set(mx_ids[rec.mx_only()].tolist())
    f = found.findings.to_pylist()
    disc = {tuple(r["records"]) for r in f if r["kind"] == "amount_discrepancy"}

    # travellers: records grouped by our traveller label vs by truth party id
    parties = pq.read_table(truth_dir / "record_parties.parquet").to_pylist()
    party_of = {
        r["record_id"]: r["party_id"]
        for r in parties
        if r["record_table"] in ("cmirs", "mx_declarations") and r["role"] in ("traveler", "declarante")
    }
    ours: dict[str, list[str]] = {}
    theirs: dict[str, list[str]] = {}
    for x in found.crossings.to_pylist():
        for rid in (x["cmir_id"], x["mx_folio"]):
            if rid:
                ours.setdefault(str(x["traveller"]), []).append(rid)
                if rid in party_of:
                    theirs.setdefault(party_of[rid], []).append(rid)

    network_of = {(r["cmir_id"] or "-") + "/" + (r["mx_folio"] or "-"): r["network_id"] for r in filed}
    key_network = {k: v for k, v in network_of.items() if v}
    in_findings = [r["records"] for r in f if r["kind"] == "courier_network"]
    found_keys = {k for recs in in_findings for k in recs}
    pure = [len({network_of.get(k) for k in recs}) == 1 and network_of.get(recs[0]) is not None for recs in in_findings]
    return Evaluation(
        pairs=Score.of(pairs, truth_pairs),
        one_sided=Score.of(single, truth_single),
        discrepancies=Score.of(disc, truth_disc),
        travellers=Score.of(_same_pairs(ours), _same_pairs(theirs)),
        network_crossings=len(key_network),
        network_crossings_found=len(set(key_network) & found_keys),
        network_purity=float(np.mean(pure)) if pure else 1.0,
    )
