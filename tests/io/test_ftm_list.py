"""FollowTheMoney entity files as lists: name kinds, identifiers, non-party entities skipped, broken lines."""

from __future__ import annotations

import pytest

from puente.io.ftm_list import read_ftm_list
from puente.screening import ListFormatError, sniff_format
from tests.screening.conftest import FIXTURES


def test_reads_parties() -> None:
    path = FIXTURES / "opensanctions.ftm.json"
    assert sniff_format(path) == "ftm"
    parsed = read_ftm_list(path, "OS-TEST")
    person, company = parsed.entries
    assert [(n.name, n.kind) for n in person.names] == [
        ("Rafael Caro Quintero", "primary"),
        ("Rafa Caro", "aka"),
        ("El Narco de Narcos", "weak"),
    ]
    assert person.ids[0].number == "CAQR521024HSLRNF03" and person.nationalities == ["mx"]
    assert "SDNTK" in person.programs
    assert company.schema == "Company" and company.countries == ["mx"]


def test_truncated_line() -> None:
    with pytest.raises(ListFormatError, match="line 1 is not JSON"):
        read_ftm_list(FIXTURES / "ftm_truncated.json")
