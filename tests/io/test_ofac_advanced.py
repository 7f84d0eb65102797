"""OFAC sdn_advanced.xml: references resolved into names, features, documents, programs and relations."""

from __future__ import annotations

from pathlib import Path

import pytest

from puente.io.ofac_advanced import read_ofac_advanced
from puente.screening import ListFormatError, sniff_format
from tests.screening.conftest import FIXTURES


def test_reads_every_field() -> None:
    path = FIXTURES / "sdn_advanced.xml"
    assert sniff_format(path) == "ofac-advanced"
    parsed = read_ofac_advanced(path)
    assert parsed.published == "2024-05-03"
    chapo, firm = parsed.entries
    assert chapo.entity_id == "6861" and chapo.schema == "Person"
    assert [(n.name, n.kind, n.last) for n in chapo.names] == [
        ("GUZMAN LOERA, Joaquin", "primary", "GUZMAN LOERA"),
        ("EL CHAPO", "weak", None),
    ]
    assert chapo.birth_dates[0].start == "1954-12-25"
    assert chapo.birth_places == ["Culiacan, Sinaloa, Mexico"]
    assert chapo.nationalities == ["mx"] and chapo.gender == "male"
    assert [(d.kind, d.number, d.country) for d in chapo.ids] == [("curp", "GULJ541225HSLZRQ07", "mx")]
    assert chapo.programs == ["SDNTK"]
    assert firm.schema == "Organization" and firm.linked_to == ["GUZMAN LOERA, Joaquin"]


def test_malformed(tmp_path: Path) -> None:
    cut = tmp_path / "sdn_advanced.xml"
    cut.write_text((FIXTURES / "sdn_advanced.xml").read_text(encoding="utf-8")[:2000], encoding="utf-8")
    with pytest.raises(ListFormatError, match="malformed XML"):
        read_ofac_advanced(cut)
