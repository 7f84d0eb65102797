from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from puente.model import CORE_SCHEMATA, entity_id, make_entity, parse_entity, read_entities, write_entities
from puente.model.entities import ID_PREFIX


def test_entity_ids_are_pinned() -> None:
    # Changing how ids are made would orphan every stored entity, case note and export: this pins the scheme.
    assert entity_id("Person", "curp", "BOXW310820HNERXN09") == "pte-e8d3ff1740672e90935dbdda0795be717affee4f"
    assert make_entity("Company", "rfc", "ABC680524P76", name="ACME").id == entity_id("Company", "rfc", "ABC680524P76")


def test_entity_id_skips_empty_parts() -> None:
    assert entity_id("Person", None, "a", "") == entity_id("Person", "a")
    with pytest.raises(ValueError, match="at least one"):
        entity_id(None, "")


@given(st.lists(st.text(min_size=1).filter(str.strip), min_size=1, max_size=4))
def test_entity_id_is_deterministic_and_prefixed(parts: list[str]) -> None:
    assert entity_id(*parts) == entity_id(*parts)
    assert entity_id(*parts).startswith(f"{ID_PREFIX}-")


@pytest.mark.parametrize("schema", CORE_SCHEMATA)
def test_core_schemata_exist_in_ftm(schema: str) -> None:
    assert make_entity(schema, "x").schema.name == schema


def test_ftm_round_trip(tmp_path: Path) -> None:
    person = make_entity(
        "Person",
        "curp",
        "BOXW310820HNERXN09",
        name=["Juan Pérez López", "Juanito"],
        birthDate="1980-01-02",
        nationality="mx",
    )
    company = make_entity("Company", "rfc", "ABC680524P76", name="Transportes del Norte S.A. de C.V.", country="mx")
    ownership = make_entity("Ownership", person.id, company.id, owner=person.id, asset=company.id, percentage="60")
    buffer = io.StringIO()
    assert write_entities([person, company, ownership], buffer) == 3
    path = tmp_path / "e.ftm.json"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    back = list(read_entities(path))
    assert [e.to_dict() for e in back] == [e.to_dict() for e in (person, company, ownership)]


def test_parse_entity_rejects_unknown_property() -> None:
    with pytest.raises(ValueError, match="no property 'wings'"):
        parse_entity({"id": "x", "schema": "Person", "properties": {"wings": ["2"]}})
    with pytest.raises(ValueError, match="unknown FtM schema"):
        parse_entity({"id": "x", "schema": "Spaceship"})


def test_read_entities_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "e.json"
    path.write_text(json.dumps({"id": "a", "schema": "Person"}) + "\n{broken\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"e\.json: line 2"):
        list(read_entities(path))
