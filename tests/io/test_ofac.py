"""OFAC legacy CSV: every field of the three files, the Remarks mini-language, malformed files, real counts."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from puente.io.ofac import parse_remarks, read_ofac_csv
from puente.screening.entry import ListFormatError
from tests.screening.conftest import FIXTURES, ofac_files, shared_sdn


def _entries() -> dict[str, object]:
    parsed = read_ofac_csv(ofac_files())
    return {e.entity_id: e for e in parsed.entries}


def test_fixture_loads_every_field() -> None:
    parsed = read_ofac_csv(ofac_files())
    assert parsed.list_name == "OFAC-SDN"
    assert parsed.stats == {
        "entries": 5,
        "weak_aliases": 4,
        "aliases": 3,
        "alias_orphans": 1,
        "addresses": 2,
        "address_orphans": 0,
    }
    assert any("1 aliases" in w for w in parsed.warnings)
    e = {x.entity_id: x for x in parsed.entries}
    chapo = e["100"]
    assert chapo.schema == "Person"
    assert [(n.name, n.kind) for n in chapo.names] == [
        ("GUZMAN LOERA, Joaquin", "primary"),
        ("EL CHAPO", "weak"),
        ("CHAPO", "weak"),
        ("GUZMAN, Joaquin El Chapo", "aka"),
    ]
    assert chapo.names[0].last == "GUZMAN LOERA" and chapo.names[0].given == "Joaquin"
    assert [b.start for b in chapo.birth_dates] == ["1954-12-25", "1957-04-04"]
    assert chapo.birth_places == ["Sinaloa, Mexico"]
    assert chapo.nationalities == ["mx"] and chapo.citizenships == ["mx"]
    assert chapo.gender == "male"
    assert {(d.kind, d.number, d.country) for d in chapo.ids} == {
        ("passport", "12345678", "mx"),
        ("curp", "GULJ541225HSLZRQ07", "mx"),
    }
    assert chapo.addresses[0].city == "Culiacan, Sinaloa" and chapo.addresses[0].country == "mx"
    assert e["101"].programs == ["SDNTK", "ILLICIT-DRUGS-EO14059"]
    assert e["101"].birth_dates[0].start == "1948-01-01" and e["101"].birth_dates[0].end == "1948-12-31"
    firm = e["102"]
    assert firm.schema == "Organization"
    assert firm.linked_to == ["GUZMAN LOERA, Joaquin"]
    assert ("fka", "IMPERIAL DISTRIBUTORS LLC") in [(n.kind, n.name) for n in firm.names]
    assert firm.ids[0].kind == "rfc"
    maria = e["103"]
    assert maria.birth_dates[0].approximate
    assert {d.kind for d in maria.ids} == {"cedula", "national_id", "rfc"}
    vessel = e["104"]
    assert vessel.schema == "Vessel" and vessel.countries == ["pa"]
    assert {d.kind for d in vessel.ids} == {"imo", "call_sign"}


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        ("DOB 1960 to 1962.", "birth_dates", ("1960-01-01", "1962-12-31")),
        ("DOB Dec 1954.", "birth_dates", ("1954-12-01", "1954-12-31")),
        ("f.k.a. 'OLD NAME'.", "weak_aliases", ("fka", "OLD NAME")),
        ("a.k.a. 'WHOIS HACKIN", "weak_aliases", ("aka", "WHOIS HACKIN")),  # OFAC cut the text short
        ("Tax ID No. 7702060116 (Russia).", "ids", ("tax_id", "7702060116", "ru")),
        ("Linked To: SOME FIRM, S.A. DE C.V..", "linked_to", "SOME FIRM, S.A. DE C.V."),
    ],
)
def test_remarks_items(text: str, field: str, expected: object) -> None:
    info = parse_remarks(text)
    value = getattr(info, field)[0]
    if field == "birth_dates":
        value = (value.start, value.end)
    elif field == "ids":
        value = (value.kind, value.number, value.country)
    assert value == expected


def test_unknown_remarks_are_kept() -> None:
    info = parse_remarks("Secondary sanctions risk: section 1; DOB 1950.")
    assert info.other == ["Secondary sanctions risk: section 1"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("sdn_truncated.csv", "truncated"),
        ("sdn_short_row.csv", "row 1 has 7 fields, expected 12"),
        ("sdn_bad_id.csv", "is not a number"),
    ],
)
def test_malformed_files_are_refused(name: str, message: str) -> None:
    with pytest.raises(ListFormatError, match=message):
        read_ofac_csv([FIXTURES / name])


def test_empty_and_missing_primary(tmp_path: Path) -> None:
    empty = tmp_path / "sdn.csv"
    empty.write_text("\x1a")
    with pytest.raises(ListFormatError, match="empty file"):
        read_ofac_csv([empty])
    with pytest.raises(ListFormatError, match="primary file"):
        read_ofac_csv([FIXTURES / "alt.csv"])


def test_real_sdn_loses_no_alias_and_no_weak_alias() -> None:
    folder = shared_sdn()
    parsed = read_ofac_csv([folder / "sdn.csv", folder / "alt.csv", folder / "add.csv"])
    with (folder / "sdn.csv").open(encoding="cp1252") as handle:
        sdn = [r for r in csv.reader(handle) if len(r) == 12]
    ent_nums = {r[0] for r in sdn}
    weak_in_file = sum(
        1 for r in sdn for item in re.split(r";\s+", r[11].strip().rstrip(".")) if re.match(r"[afn]\.k\.a\. ", item)
    )
    with (folder / "alt.csv").open(encoding="cp1252") as handle:
        alt = [r for r in csv.reader(handle) if len(r) == 5]
    alt_joined = [r for r in alt if r[0] in ent_nums]
    names = [n for e in parsed.entries for n in e.names]
    assert len(parsed.entries) == len(sdn)
    assert sum(1 for n in names if n.kind == "weak") == weak_in_file
    assert sum(1 for n in names if n.kind in ("aka", "fka", "nka")) == len(alt_joined)
    assert parsed.stats["alias_orphans"] == len(alt) - len(alt_joined)
    # every alias text is present, with its type
    loaded = {(e.entity_id, n.kind, n.name) for e in parsed.entries for n in e.names}
    assert all((r[0], r[2].strip(), r[3].strip()) in loaded for r in alt_joined)
