"""Each targeting rule on a handmade workspace: it fires exactly when its evidence is there, with its reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from puente.network import load_rules, score_crossings
from puente.store import Workspace

PROV = "'f', 1, 'r', TIMESTAMP '2024-01-01'"


def _person(ws: Workspace, entity_id: str, id_number: str) -> None:
    props = json.dumps({"name": [entity_id], "idNumber": [id_number]})
    ws.con.execute(f"INSERT INTO entities VALUES (?, 'Person', ?, ?, {PROV})", [entity_id, entity_id, props])


def _crossing(ws: Workspace, cid: str, at: str, driver_id: str, vin: str, *, seized: bool = False) -> None:
    ws.con.execute(
        f"""INSERT INTO crossings (crossing_id, crossed_at, port_code, direction, conveyance_type, vin, driver_name,
            driver_id_number, inspection, inspection_result, _source_file, _source_row, _run_id, _ingested_at)
            VALUES (?, ?, '2304', 'southbound', 'passenger_vehicle', ?, ?, ?, 'secondary', ?, {PROV})""",
        [cid, at, vin, driver_id, driver_id, "seizure" if seized else "no_finding"],
    )


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    ws = Workspace(tmp_path / "ws")
    _person(ws, "pte-member", "MEMBER01")
    _person(ws, "pte-listed", "LISTED01")
    _person(ws, "pte-nobody", "NOBODY01")
    ws.con.execute(
        "INSERT INTO network_members VALUES ('r', 'N001', 'pte-member', 'M', 'courier', 2, 3, 1, 0, 0, 0, 'x')"
    )
    ws.con.execute(
        "INSERT INTO network_infrastructure VALUES ('r', 'N001', 'vin:1HGCM82633A004352', 'Vehicle', 'v', "
        "'courier_vehicle', 2, NULL, 'x')"
    )
    ws.con.execute(
        "INSERT INTO network_edges VALUES ('pte-listed', 'list:L:1', 'screening_hit', 1, 1, 1, NULL, NULL, ['h'])"
    )
    ws.con.execute(
        f"""INSERT INTO transactions (transaction_id, value_date, amount, currency, channel, creditor_account,
            conductor_id, _source_file, _source_row, _run_id, _ingested_at)
            VALUES ('T1', DATE '2024-03-08', 9000, 'USD', 'cash_deposit', 'A1', 'MEMBER01', {PROV})"""
    )
    _crossing(ws, "X-member", "2024-03-10 10:00:00", "MEMBER01", "2T1BURHE0JC000001")
    _crossing(ws, "X-vehicle", "2024-05-10 10:00:00", "NOBODY01", "1HGCM82633A004352")
    _crossing(ws, "X-listed", "2024-03-10 11:00:00", "LISTED01", "2T1BURHE0JC000002")
    _crossing(ws, "X-seized-before", "2024-01-02 09:00:00", "NOBODY01", "2T1BURHE0JC000003", seized=True)
    _crossing(ws, "X-after-seizure", "2024-02-02 09:00:00", "NOBODY01", "2T1BURHE0JC000003")
    _crossing(ws, "X-clean", "2024-03-10 12:00:00", "CLEAN001", "2T1BURHE0JC000004")
    return ws


def _scored(ws: Workspace) -> dict[str, tuple[float, str, int]]:
    score_crossings(ws, load_rules())
    rows = ws.con.execute("SELECT crossing_id, score, reasons, rank FROM crossing_risk").fetchall()
    return {r[0]: (float(r[1]), str(r[2]), int(r[3])) for r in rows}


def test_each_rule_fires_on_its_evidence_only(ws: Workspace) -> None:
    scored = _scored(ws)
    assert "member of a discovered network" in scored["X-member"][1]
    assert "conducted cash deposits" in scored["X-member"][1]  # deposit two days before, by the driver's network
    assert "vehicle is infrastructure" in scored["X-vehicle"][1]
    assert "conducted cash deposits" not in scored["X-vehicle"][1]  # two months after the deposit: outside window
    assert "watch-list" in scored["X-listed"][1]
    assert "earlier crossing" in scored["X-after-seizure"][1]
    assert "earlier crossing" not in scored["X-seized-before"][1]  # a seizure is not its own prior
    assert scored["X-clean"] == (0.0, "no rule fired", 6)


def test_ranking_orders_by_score_and_scores_add_up(ws: Workspace) -> None:
    scored = _scored(ws)
    rules = {r.id: r.weight for r in load_rules().rules}
    assert scored["X-member"][0] == rules["network_member_driver"] + rules["cash_before_crossing"]
    assert scored["X-member"][2] == 1
    ranks = sorted(scored.values(), key=lambda v: v[2])
    assert [v[0] for v in ranks] == sorted((v[0] for v in ranks), reverse=True)
    ws.close()
