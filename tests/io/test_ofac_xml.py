"""OFAC SDN.XML: structured names (strong/weak), IDs, dates, record count check, malformed files."""

from __future__ import annotations

import pytest

from puente.io.ofac_xml import read_ofac_xml
from puente.screening import ListFormatError, sniff_format
from tests.screening.conftest import FIXTURES


def test_reads_every_field() -> None:
    parsed = read_ofac_xml(FIXTURES / "sdn.xml")
    assert sniff_format(FIXTURES / "sdn.xml") == "ofac-xml"
    assert parsed.published == "2024-05-03" and parsed.list_name == "OFAC-SDN"
    mayo, firm = parsed.entries
    assert [(n.name, n.kind) for n in mayo.names] == [
        ("ZAMBADA GARCIA, Ismael", "primary"),
        ("ZAMBADA, El Mayo", "aka"),
        ("EL MAYO", "weak"),
    ]
    assert mayo.programs == ["SDNTK", "ILLICIT-DRUGS-EO14059"]
    assert mayo.birth_dates[0].end == "1948-12-31" and mayo.nationalities == ["mx"]
    assert mayo.ids[0].kind == "curp" and mayo.addresses[0].country == "mx"
    assert mayo.birth_places == ["Sinaloa, Mexico"]
    assert firm.schema == "Organization" and firm.ids[0].kind == "rfc"


@pytest.mark.parametrize(
    ("name", "message"), [("sdn_bad_count.xml", "says 3 records"), ("sdn_truncated.xml", "malformed XML")]
)
def test_malformed(name: str, message: str) -> None:
    with pytest.raises(ListFormatError, match=message):
        read_ofac_xml(FIXTURES / name)
