"""OFAC SDN.XML (and the consolidated CONS.XML): the ``sdnList`` schema (``sdn.xsd``).

Structured where the CSV is free text: a.k.a.s carry their category (strong/weak), IDs, DOBs, places of birth,
nationalities and citizenships are lists. ``publshInformation`` gives the publish date and the record count,
which is checked, so a truncated file is refused even when it happens to be well-formed XML.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

from puente.screening.countries import country_code
from puente.screening.dates import parse_birth_date
from puente.screening.entry import Address, IdDocument, ListedName, ListEntry, ListFormatError, ParsedList

_TYPES = {"individual": "Person", "entity": "Organization", "vessel": "Vessel", "aircraft": "Airplane"}
_ID_KINDS = {
    "passport": "passport",
    "curp": "curp",
    "c.u.r.p.": "curp",
    "rfc": "rfc",
    "r.f.c.": "rfc",
    "cedula no.": "cedula",
    "national id no.": "national_id",
    "tax id no.": "tax_id",
    "ssn": "ssn",
    "vessel registration identification": "imo",
}


def local(tag: str) -> str:
    """An element name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def child_text(elem: ET.Element, name: str) -> str:
    for child in elem:
        if local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def children(elem: ET.Element, *path: str) -> list[ET.Element]:
    """Descendants along ``path`` of local names (namespace-agnostic)."""
    level = [elem]
    for name in path:
        level = [c for e in level for c in e if local(c.tag) == name]
    return level


def _full(last: str, first: str) -> str:
    return f"{last}, {first}" if last and first else last or first


def _entry(elem: ET.Element) -> ListEntry:
    kind = child_text(elem, "sdnType").lower()
    schema = _TYPES.get(kind, "Organization")
    person = schema == "Person"
    last, first = child_text(elem, "lastName"), child_text(elem, "firstName")
    names = [ListedName(_full(last, first), "primary", last or None, first or None)]
    for aka in children(elem, "akaList", "aka"):
        a_last, a_first = child_text(aka, "lastName"), child_text(aka, "firstName")
        weak = child_text(aka, "category").lower() == "weak"
        a_kind = child_text(aka, "type").lower().replace(".", "")
        names.append(
            ListedName(
                _full(a_last, a_first),
                "weak" if weak else (a_kind if a_kind in ("aka", "fka", "nka") else "aka"),
                (a_last or None) if person else None,
                (a_first or None) if person else None,
            )
        )
    ids = []
    for doc in children(elem, "idList", "id"):
        label = child_text(doc, "idType")
        ids.append(
            IdDocument(
                _ID_KINDS.get(label.lower(), label.lower() or "other"),
                child_text(doc, "idNumber"),
                country_code(child_text(doc, "idCountry")) or (child_text(doc, "idCountry").lower() or None),
                label,
            )
        )
    addresses = []
    for addr in children(elem, "addressList", "address"):
        parts = [
            child_text(addr, f)
            for f in ("address1", "address2", "address3", "city", "stateOrProvince", "postalCode", "country")
        ]
        full = ", ".join(p for p in parts if p)
        if full:
            addresses.append(Address(full, child_text(addr, "city") or None, country_code(child_text(addr, "country"))))
    dobs = [
        parse_birth_date(child_text(d, "dateOfBirth")) for d in children(elem, "dateOfBirthList", "dateOfBirthItem")
    ]
    return ListEntry(
        entity_id=child_text(elem, "uid"),
        schema=schema,
        names=names,
        programs=[(p.text or "").strip() for p in children(elem, "programList", "program") if (p.text or "").strip()],
        birth_dates=[d for d in dobs if d is not None],
        birth_places=[child_text(p, "placeOfBirth") for p in children(elem, "placeOfBirthList", "placeOfBirthItem")],
        nationalities=[
            country_code(child_text(n, "country")) or child_text(n, "country").lower()
            for n in children(elem, "nationalityList", "nationality")
        ],
        citizenships=[
            country_code(child_text(n, "country")) or child_text(n, "country").lower()
            for n in children(elem, "citizenshipList", "citizenship")
        ],
        addresses=addresses,
        ids=ids,
        title=child_text(elem, "title") or None,
        remarks=child_text(elem, "remarks") or None,
    )


def read_ofac_xml(path: Path, list_name: str | None = None) -> ParsedList:
    """Read an SDN.XML/CONS.XML file; refuses malformed XML and a record count that does not add up."""
    entries: list[ListEntry] = []
    published: str | None = None
    expected: int | None = None
    try:
        for _, elem in ET.iterparse(path, events=("end",)):
            tag = local(elem.tag)
            if tag == "sdnEntry":
                entry = _entry(elem)
                if not entry.entity_id or not entry.names[0].name:
                    raise ListFormatError(f"{path}: sdnEntry {len(entries) + 1} lacks a uid or a name")
                entries.append(entry)
                elem.clear()
            elif tag == "Publish_Date" and elem.text:
                published = datetime.strptime(elem.text.strip(), "%m/%d/%Y").date().isoformat()
            elif tag == "Record_Count" and elem.text:
                expected = int(elem.text.strip())
    except ET.ParseError as exc:
        raise ListFormatError(f"{path}: malformed XML ({exc}); truncated file?") from exc
    except (ValueError, OSError) as exc:
        if isinstance(exc, ListFormatError):
            raise
        raise ListFormatError(f"{path}: {exc}") from exc
    if expected is not None and expected != len(entries):
        raise ListFormatError(f"{path}: publshInformation says {expected} records, file holds {len(entries)}")
    cons = "cons" in path.name.lower()
    return ParsedList(
        list_name or ("OFAC-CONS" if cons else "OFAC-SDN"),
        "ofac-xml",
        entries,
        [str(path)],
        published,
        stats={"entries": len(entries), "names": sum(len(e.names) for e in entries)},
    )
