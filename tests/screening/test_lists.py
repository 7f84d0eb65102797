"""List versions in the workspace: deltas, refusals that keep the previous version, re-screening with alerts for
new hits only, suppression with audit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from puente.ingest import ingest_file
from puente.screening import (
    ListFormatError,
    Matcher,
    read_lists,
    screen_workspace,
    store_list,
    suppress_hit,
    workspace_index,
)
from puente.store.sql import fetch_int
from puente.store.workspace import Workspace
from tests.screening.conftest import FIXTURES, ofac_files


def load(ws: Workspace, folder: Path = FIXTURES, **kw: bool) -> object:
    (parsed,) = read_lists(ofac_files(folder))
    return store_list(ws, parsed, **kw)


def active_version(ws: Workspace) -> str:
    return str(ws.con.execute("SELECT version_id FROM list_versions WHERE active").fetchall()[0][0])


def test_versions_and_deltas(ws: Workspace) -> None:
    first = load(ws)
    assert first.status == "loaded" and first.added == 5  # type: ignore[attr-defined]
    again = load(ws)
    assert again.status == "unchanged"  # type: ignore[attr-defined]
    second = load(ws, FIXTURES / "v2")
    assert (second.added, second.removed, second.changed) == (1, 1, 1)  # type: ignore[attr-defined]
    changes = ws.con.execute(
        "SELECT change, entity_id FROM list_changes WHERE version_id = ? ORDER BY change",
        [second.version_id],  # type: ignore[attr-defined]
    ).fetchall()
    assert changes == [("added", "105"), ("changed", "100"), ("removed", "103")]
    assert active_version(ws) == second.version_id  # type: ignore[attr-defined]
    assert fetch_int(ws.con, "SELECT count(*) FROM list_versions") == 2
    names = [n.original for n in workspace_index(ws).names]
    assert "EL RAPIDO" in names and "PEREZ DE LA TORRE, Maria Guadalupe" not in names


def test_bad_file_keeps_previous_version(ws: Workspace) -> None:
    load(ws)
    before = active_version(ws)
    with pytest.raises(ListFormatError):
        read_lists([FIXTURES / "sdn_truncated.csv"])
    assert active_version(ws) == before


def test_implausible_removal_is_refused_unless_forced(ws: Workspace, tmp_path: Path) -> None:
    load(ws)
    before = active_version(ws)
    cut = tmp_path / "sdn.csv"
    cut.write_text((FIXTURES / "sdn.csv").read_text(encoding="utf-8").splitlines()[0] + "\n")
    (parsed,) = read_lists([cut])
    with pytest.raises(ListFormatError, match="would remove 4 of 5 entries"):
        store_list(ws, parsed)
    assert active_version(ws) == before
    assert store_list(ws, parsed, force=True).removed == 4


def _entities(tmp_path: Path) -> Path:
    people = [
        {"id": "s1", "schema": "Person", "properties": {"name": ["Joaquín Guzmán Loera"], "birthDate": ["1954-12-25"]}},
        {"id": "s2", "schema": "Person", "properties": {"name": ["Rafael Caro Quintero"], "nationality": ["mx"]}},
        {"id": "s3", "schema": "Person", "properties": {"name": ["Jennifer Anderson"]}},
        {"id": "s4", "schema": "Person", "properties": {"name": ["Maria Guadalupe Perez de la Torre"]}},
    ]
    path = tmp_path / "people.ftm.json"
    path.write_text("\n".join(json.dumps(p) for p in people) + "\n", encoding="utf-8")
    return path


def test_rescreen_alerts_new_hits_only_and_suppression_holds(ws: Workspace, tmp_path: Path) -> None:
    ingest_file(ws, "entity", _entities(tmp_path))
    load(ws)
    run1 = screen_workspace(ws, Matcher(workspace_index(ws)), workers=1)
    alerted = {r[0] for r in ws.con.execute("SELECT subject_id FROM screening_alerts").fetchall()}
    assert alerted == {"s1", "s4"} and run1.new_alerts == 2
    # analyst: s4 is not the listed Maria Guadalupe
    assert suppress_hit(ws, "s4", "OFAC-SDN", "103", analyst="ana", reason="different person, DOB 1990") == 1
    audit = ws.con.execute("SELECT action, analyst, reason FROM screening_audit").fetchall()
    assert audit == [("suppress", "ana", "different person, DOB 1990")]
    # new version adds Caro Quintero: only that is new
    load(ws, FIXTURES / "v2")
    run2 = screen_workspace(ws, Matcher(workspace_index(ws)), trigger="list-update", workers=1)
    assert run2.new_alerts == 1
    new = ws.con.execute(
        "SELECT subject_id, entity_id FROM screening_alerts WHERE run_id = ?", [run2.run_id]
    ).fetchall()
    assert new == [("s2", "105")]
    # reload v1 (103 is back): s4 stays suppressed, s1 already alerted
    load(ws)
    run3 = screen_workspace(ws, Matcher(workspace_index(ws)), workers=1)
    assert run3.new_alerts == 0 and run3.suppressed == 1
    statuses = dict(ws.con.execute("SELECT subject_id, status FROM screening_alerts").fetchall())
    assert statuses == {"s1": "open", "s2": "open", "s4": "false_positive"}
    with pytest.raises(ValueError, match="reason"):
        suppress_hit(ws, "s1", "OFAC-SDN", "100", analyst="ana", reason=" ")
