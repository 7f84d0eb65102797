"""The UN Security Council consolidated list (XML, ``CONSOLIDATED_LIST``): individuals and entities.

Aliases carry a quality (``Good``/``Low``); low-quality aliases are weak. Dates of birth come as exact dates,
years, ranges (``BETWEEN``) or ``APPROXIMATELY``. The list's identifier is the reference number (``QDi.001``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from puente.io.ofac_xml import child_text, children, local
from puente.screening.countries import country_code
from puente.screening.dates import parse_birth_date
from puente.screening.entry import Address, BirthDate, IdDocument, ListedName, ListEntry, ListFormatError, ParsedList

_DOC_KINDS = {"passport": "passport", "national identification number": "national_id", "curp": "curp", "rfc": "rfc"}


def _dob(elem: ET.Element) -> BirthDate | None:
    kind = child_text(elem, "TYPE_OF_DATE").upper()
    if kind == "BETWEEN":
        return parse_birth_date(f"{child_text(elem, 'FROM_YEAR')} to {child_text(elem, 'TO_YEAR')}")
    text = child_text(elem, "DATE") or child_text(elem, "YEAR")
    if not text:
        return None
    bd = parse_birth_date(("circa " if kind.startswith("APPROX") else "") + text)
    return bd


def _country(text: str) -> str:
    return country_code(text) or text.lower()


def _entry(elem: ET.Element, person: bool) -> ListEntry:
    parts = [child_text(elem, f) for f in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    names = [ListedName(" ".join(p for p in parts if p), "primary")]
    original = child_text(elem, "NAME_ORIGINAL_SCRIPT")
    if original:
        names.append(ListedName(original, "aka", script="original"))
    alias_tag = "INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS"
    for alias in children(elem, alias_tag):
        name = child_text(alias, "ALIAS_NAME")
        if name:
            names.append(ListedName(name, "weak" if child_text(alias, "QUALITY").lower() == "low" else "aka"))
    addr_tag = "INDIVIDUAL_ADDRESS" if person else "ENTITY_ADDRESS"
    addresses = []
    for addr in children(elem, addr_tag):
        fields = [child_text(addr, f) for f in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")]
        if any(fields):
            addresses.append(
                Address(
                    ", ".join(f for f in fields if f),
                    child_text(addr, "CITY") or None,
                    country_code(child_text(addr, "COUNTRY")),
                )
            )
    ids = []
    for doc in children(elem, "INDIVIDUAL_DOCUMENT"):
        label = child_text(doc, "TYPE_OF_DOCUMENT")
        number = child_text(doc, "NUMBER")
        if number:
            country = child_text(doc, "ISSUING_COUNTRY") or child_text(doc, "COUNTRY_OF_ISSUE")
            ids.append(IdDocument(_DOC_KINDS.get(label.lower(), "other"), number, country_code(country), label))
    dobs = [_dob(d) for d in children(elem, "INDIVIDUAL_DATE_OF_BIRTH")]
    pobs = []
    for pob in children(elem, "INDIVIDUAL_PLACE_OF_BIRTH"):
        pobs.append(", ".join(p for p in (child_text(pob, f) for f in ("CITY", "STATE_PROVINCE", "COUNTRY")) if p))
    return ListEntry(
        entity_id=child_text(elem, "REFERENCE_NUMBER") or child_text(elem, "DATAID"),
        schema="Person" if person else "Organization",
        names=names,
        programs=[child_text(elem, "UN_LIST_TYPE")] if child_text(elem, "UN_LIST_TYPE") else [],
        birth_dates=[d for d in dobs if d is not None],
        birth_places=[p for p in pobs if p],
        nationalities=[
            _country(v.text or "") for v in children(elem, "NATIONALITY", "VALUE") if (v.text or "").strip()
        ],
        addresses=addresses,
        ids=ids,
        gender=(child_text(elem, "GENDER").lower() or None),
        title=" ".join((v.text or "").strip() for v in children(elem, "TITLE", "VALUE")) or None,
        remarks=child_text(elem, "COMMENTS1") or None,
        listed_on=child_text(elem, "LISTED_ON") or None,
    )


def read_un_xml(path: Path, list_name: str | None = None) -> ParsedList:
    """Read the UN consolidated list; refuses malformed XML and entries without a reference number or name."""
    entries: list[ListEntry] = []
    published: str | None = None
    try:
        for event, elem in ET.iterparse(path, events=("start", "end")):
            tag = local(elem.tag)
            if event == "start":
                if tag == "CONSOLIDATED_LIST":
                    published = (elem.get("dateGenerated") or "")[:10] or None
                continue
            if tag in ("INDIVIDUAL", "ENTITY"):
                entry = _entry(elem, tag == "INDIVIDUAL")
                if not entry.entity_id or not entry.names[0].name:
                    raise ListFormatError(f"{path}: {tag} {len(entries) + 1} lacks a reference number or a name")
                entries.append(entry)
                elem.clear()
    except ET.ParseError as exc:
        raise ListFormatError(f"{path}: malformed XML ({exc}); truncated file?") from exc
    return ParsedList(list_name or "UN-SC", "un-xml", entries, [str(path)], published, stats={"entries": len(entries)})
