from __future__ import annotations

import json
from pathlib import Path

from puente.ingest import ingest_file
from puente.model import make_entity, write_entities
from puente.store import Workspace


def _write(path: Path, lines: list[object]) -> Path:
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


def test_ftm_file_loads_fragments_merge_and_bad_values_are_quarantined(workspace: Workspace, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "e.ftm.json",
        [
            {
                "id": "p1",
                "schema": "Person",
                "properties": {"name": ["Juan Pérez"], "birthDate": ["1980-01-02", "soon"]},
            },
            {"id": "p1", "schema": "Person", "properties": {"nationality": ["mx"]}},
            "{not json",
            {"id": "x", "schema": "Spaceship"},
            {"id": "c1", "schema": "Company", "properties": {"name": ["ACME S.A. de C.V."]}},
        ],
    )
    result = ingest_file(workspace, "entity", path)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (5, 2, 2)
    props = json.loads(workspace.con.execute("SELECT properties FROM entities WHERE id = 'p1'").fetchall()[0][0])
    assert props == {"birthDate": ["1980-01-02"], "name": ["Juan Pérez"], "nationality": ["mx"]}
    issues = workspace.con.execute("SELECT source_row, field, value, reason FROM quarantine ORDER BY 1").fetchall()
    assert issues[0] == (1, "properties.birthDate", "soon", "not a valid date")
    assert issues[1][0] == 3 and "invalid JSON" in issues[1][3]
    assert issues[2][0] == 4 and "Spaceship" in issues[2][3]


def test_new_fragment_merges_into_stored_entity_and_repeats_add_nothing(workspace: Workspace, tmp_path: Path) -> None:
    ingest_file(
        workspace,
        "entity",
        _write(tmp_path / "a.json", [{"id": "p1", "schema": "Person", "properties": {"name": ["Ana"]}}]),
    )
    second = _write(
        tmp_path / "b.json",
        [
            {"id": "p1", "schema": "Person", "properties": {"name": ["Ana"], "alias": ["La Güera"]}},
            {"id": "p2", "schema": "Person", "properties": {"name": ["Luis"]}},
        ],
    )
    result = ingest_file(workspace, "entity", second)
    assert result.rows_loaded == 1
    assert workspace.count("entities") == 2
    props = json.loads(workspace.con.execute("SELECT properties FROM entities WHERE id = 'p1'").fetchall()[0][0])
    assert props["alias"] == ["La Güera"]
    third = _write(tmp_path / "c.json", [{"id": "p2", "schema": "Person", "properties": {"name": ["Luis"]}}])
    again = ingest_file(workspace, "entity", third)
    assert (again.rows_loaded, again.rows_existing) == (0, 1)


def test_incompatible_schema_for_stored_id_is_quarantined(workspace: Workspace, tmp_path: Path) -> None:
    ingest_file(workspace, "entity", _write(tmp_path / "a.json", [{"id": "e1", "schema": "Person", "properties": {}}]))
    result = ingest_file(
        workspace, "entity", _write(tmp_path / "b.json", [{"id": "e1", "schema": "Vessel", "properties": {}}])
    )
    assert result.rows_quarantined == 1
    assert workspace.con.execute("SELECT schema FROM entities").fetchall() == [("Person",)]


def test_puente_written_entities_load_back(workspace: Workspace, tmp_path: Path) -> None:
    entities = [make_entity("Person", "n", i, name=f"Persona {i}") for i in range(30)]
    path = tmp_path / "out.ftm.json"
    with path.open("w", encoding="utf-8") as handle:
        write_entities(entities, handle)
    assert ingest_file(workspace, "entity", path).rows_loaded == 30
