"""Member scores on a small handmade community: which evidence makes a member, and which only corroborates."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from puente.network.config import load_network_config
from puente.network.members import INTERNAL_EDGES, member_score_sql, network_risk_sql
from puente.store import Workspace

NODES = {
    "boss": "Person",  # watch-listed, tied to two lieutenants
    "lt": "Person",
    "lt2": "Person",
    "namesake": "Person",  # a fuzzy hit on the boss's list entry, nothing else
    "driver": "Person",  # drove the network's truck 7 times and was once named on its SAR
    "courier": "Person",  # drove the truck and deposited cash into the network's account
    "broker-mx": "Person",  # one broker, two records (entity resolution: same_as): an associate tie on one,
    "broker-us": "Person",  # the SAR on the other
    "list:WL:1": "ListEntry",
    "truck": "Vehicle",
    "acct": "BankAccount",
    "sar:1": "SAR",
    "sar:2": "SAR",
}
EDGES = [
    ("boss", "list:WL:1", "screening_hit", 1),
    ("namesake", "list:WL:1", "screening_hit", 1),
    ("boss", "lt", "associate", 1),
    ("boss", "lt2", "associate", 1),
    ("lt", "sar:1", "sar_subject", 2),
    ("lt2", "sar:1", "sar_subject", 2),
    ("courier", "sar:1", "sar_subject", 1),
    ("driver", "truck", "drove", 7),
    ("driver", "sar:2", "sar_subject", 1),
    ("courier", "truck", "drove", 3),
    ("courier", "acct", "cash_deposit", 5),
    ("broker-mx", "lt", "associate", 1),
    ("broker-us", "sar:2", "sar_subject", 1),
    ("broker-mx", "broker-us", "same_as", 1),
]


def _scores(
    tmp_path: Path, corroborating: list[str], edges: list[tuple[str, str, str, int]] = EDGES
) -> dict[str, float]:
    config = load_network_config().membership.model_copy(update={"corroborating_only": corroborating})
    with Workspace(tmp_path / "ws") as ws:
        for idx, (node, kind) in enumerate(NODES.items()):
            ws.con.execute("INSERT INTO network_nodes VALUES (?, ?, ?, ?, 1, 0)", [node, idx, kind, node])
        for src, dst, etype, n in edges:
            ws.con.execute(
                "INSERT INTO network_edges VALUES (?, ?, ?, 1.0, ?, NULL, NULL, NULL, ['r'])", [src, dst, etype, n]
            )
        ws.con.execute("CREATE TEMP TABLE nw_comm AS SELECT node, idx, kind, label, 0 AS community FROM network_nodes")
        for statement in INTERNAL_EDGES:
            ws.con.execute(statement)
        ws.con.execute(network_risk_sql(config))
        ws.con.execute(member_score_sql(config))
        rows = ws.con.execute("SELECT node, score FROM nw_member_score").fetchall()
    return {str(node): float(score) for node, score in rows}


def test_corroborating_evidence_counts_toward_no_membership(tmp_path: Path) -> None:
    members = _scores(tmp_path, ["screening_hit", "drove"])
    # the namesake (hit only) and the driver (7 drives and one SAR: 1.0 of evidence that counts) are no members
    assert set(members) == {"boss", "lt", "lt2", "courier", "broker-mx", "broker-us"}
    # corroborating evidence still adds to a member's score: the boss's hit on top of two associate ties
    assert members["boss"] == pytest.approx(1.0 * 1.584962500721156 + 1.5)


def test_without_corroborating_types_a_hit_or_a_drive_is_enough(tmp_path: Path) -> None:
    assert {"namesake", "driver"} <= set(_scores(tmp_path, []))


def test_evidence_adds_up_over_the_records_of_one_resolved_person(tmp_path: Path) -> None:
    members = _scores(tmp_path, ["screening_hit", "drove"])
    # associate x1 (1.0) on the Mexican record + SAR x1 (1.0) on the US record: one member, both records listed
    assert members["broker-mx"] == members["broker-us"] == pytest.approx(2.0)
    unresolved = _scores(tmp_path / "unresolved", ["screening_hit", "drove"], [e for e in EDGES if e[2] != "same_as"])
    assert not {"broker-mx", "broker-us"} & set(unresolved)


def test_corroborating_types_must_be_member_evidence(tmp_path: Path) -> None:
    data = load_network_config().model_dump()
    data["membership"]["corroborating_only"] = ["horoscope"]
    path = tmp_path / "n.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ValidationError, match="horoscope"):
        load_network_config(path)
