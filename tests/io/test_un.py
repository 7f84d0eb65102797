"""UN Security Council consolidated list: individuals and entities, alias quality, date kinds, documents."""

from __future__ import annotations

import pytest

from puente.io.un import read_un_xml
from puente.screening import ListFormatError, sniff_format
from tests.screening.conftest import FIXTURES


def test_reads_every_field() -> None:
    path = FIXTURES / "un_consolidated.xml"
    assert sniff_format(path) == "un-xml"
    parsed = read_un_xml(path)
    assert parsed.list_name == "UN-SC" and parsed.published == "2024-05-02"
    person, entity = parsed.entries
    assert person.entity_id == "KPi.052" and person.schema == "Person"
    assert [(n.name, n.kind) for n in person.names] == [
        ("RI WON HO", "primary"),
        ("리원호", "aka"),
        ("Ri Wonho", "aka"),
        ("Won Ho", "weak"),
    ]
    assert [(b.start, b.end) for b in person.birth_dates] == [
        ("1964-07-17", "1964-07-17"),
        ("1963-01-01", "1965-12-31"),
    ]
    assert person.nationalities == ["kp"] and person.addresses[0].country == "sy"
    assert person.ids[0].kind == "passport" and person.birth_places == [
        "Pyongyang, Democratic People's Republic of Korea"
    ]
    assert person.programs == ["DPRK"] and person.listed_on == "2016-11-30"
    assert entity.entity_id == "QDe.004" and entity.schema == "Organization"


def test_truncated() -> None:
    with pytest.raises(ListFormatError, match="malformed XML"):
        read_un_xml(FIXTURES / "un_truncated.xml")
