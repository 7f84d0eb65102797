"""Other lists (Mexico's UIF blocked persons) through a YAML mapping; mapping and data errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from puente.io.csv_list import read_mapped_list
from puente.screening import ListFormatError, read_lists
from tests.screening.conftest import FIXTURES


def test_reads_through_mapping() -> None:
    (parsed,) = read_lists([FIXTURES / "uif_lpb.csv"], mapping=FIXTURES / "uif_mapping.yaml")
    assert parsed.list_name == "UIF-LPB"
    mencho, firm = parsed.entries
    assert [(n.name, n.kind) for n in mencho.names] == [
        ("Nemesio Oseguera Cervantes", "primary"),
        ("El Mencho", "aka"),
        ("Mencho", "aka"),
    ]
    assert {d.kind for d in mencho.ids} == {"rfc", "curp"} and mencho.birth_dates[0].start == "1966-07-17"
    assert firm.schema == "Company" and firm.nationalities == ["mx"]


def test_errors(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="no id or no name"):
        read_mapped_list(FIXTURES / "uif_no_name.csv", FIXTURES / "uif_mapping.yaml")
    short = tmp_path / "short.csv"
    short.write_text("Folio,Nombre\nLPB-1,Juan\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="are missing"):
        read_mapped_list(short, FIXTURES / "uif_mapping.yaml")
    bad = tmp_path / "m.yaml"
    bad.write_text("list: X\ncolumns: {name: Nombre}\nsurprise: 1\n")
    with pytest.raises(ListFormatError, match="invalid list mapping"):
        read_mapped_list(FIXTURES / "uif_lpb.csv", bad)
