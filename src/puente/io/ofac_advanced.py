"""OFAC's advanced XML (``sdn_advanced.xml`` / ``cons_advanced.xml``), the richest OFAC format.

Everything is by reference: a party's profile points at alias types, name-part types, feature types (birth
date, place of birth, nationality …), locations and countries defined once in ``ReferenceValueSets`` and
``Locations``; ID documents and programs (sanctions entries) point back at profiles. This reader resolves the
references for what screening uses: names with alias type and low-quality flag, name-part roles (last/first),
birth dates (with approximate flags and ranges), places of birth, nationality and citizenship, gender, ID
documents, addresses, programs and profile relationships.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from puente.io.ofac_xml import child_text, children, local
from puente.screening.countries import country_code
from puente.screening.entry import Address, BirthDate, IdDocument, ListedName, ListEntry, ListFormatError, ParsedList

_SUBTYPES = {"individual": "Person", "entity": "Organization", "vessel": "Vessel", "aircraft": "Airplane"}
_ALIAS = {"a.k.a.": "aka", "f.k.a.": "fka", "n.k.a.": "nka", "name": "primary"}
_ID_KINDS = {
    "passport": "passport",
    "curp": "curp",
    "rfc": "rfc",
    "cedula no.": "cedula",
    "national id no.": "national_id",
    "tax id no.": "tax_id",
    "ssn": "ssn",
}


def _refs(root: ET.Element, group: str) -> dict[str, ET.Element]:
    """Reference values of one group, by ID."""
    return {str(v.get("ID")): v for g in children(root, "ReferenceValueSets", group) for v in g}


def _date(elem: ET.Element | None) -> str | None:
    if elem is None:
        return None
    year, month, day = child_text(elem, "Year"), child_text(elem, "Month"), child_text(elem, "Day")
    if not year:
        return None
    return f"{int(year):04d}-{int(month or 1):02d}-{int(day or 1):02d}"


def _period(period: ET.Element) -> BirthDate | None:
    start = next(iter(children(period, "Start")), None)
    end = next(iter(children(period, "End")), None)
    lo = _date(next(iter(children(start, "From")), None)) if start is not None else None
    hi = _date(next(iter(children(end, "To")), None)) if end is not None else None
    if not lo:
        return None
    approx = any(e is not None and e.get("Approximate") == "true" for e in (start, end))
    hi = hi or lo
    text = lo if lo == hi else f"{lo} to {hi}"
    return BirthDate(("circa " if approx else "") + text, lo, hi, approx)


Refs = dict[str, dict[str, str]]


def _names(identity: ET.Element, schema: str, text: Refs) -> list[ListedName]:
    group_type = {
        str(g.get("ID")): text["NamePartTypeValues"].get(str(g.get("NamePartTypeID")), "")
        for g in children(identity, "NamePartGroups", "MasterNamePartGroup", "NamePartGroup")
    }
    out: list[ListedName] = []
    for alias in children(identity, "Alias"):
        kind = _ALIAS.get(text["AliasTypeValues"].get(str(alias.get("AliasTypeID")), "").lower(), "aka")
        if alias.get("LowQuality") == "true":
            kind = "weak"
        for doc in children(alias, "DocumentedName"):
            buckets: dict[str, list[str]] = {"last": [], "given": [], "other": []}
            for value in children(doc, "DocumentedNamePart", "NamePartValue"):
                role = group_type.get(str(value.get("NamePartGroupID")), "").lower()
                key = "last" if role == "last name" else "given" if role in ("first name", "middle name") else "other"
                buckets[key].append((value.text or "").strip())
            last, given = " ".join(buckets["last"]), " ".join(buckets["given"])
            if last and given and schema == "Person":
                out.append(ListedName(f"{last}, {given}", kind, last, given))
            elif name := " ".join(buckets["last"] + buckets["given"] + buckets["other"]):
                out.append(ListedName(name, kind))
    return out


def _features(profile: ET.Element, entry: ListEntry, text: Refs, locations: dict[str, tuple[str, str | None]]) -> None:
    for feature in children(profile, "Feature"):
        ftype = text["FeatureTypeValues"].get(str(feature.get("FeatureTypeID")), "").lower()
        for version in children(feature, "FeatureVersion"):
            locs = [locations.get(str(v.get("LocationID")), ("", None)) for v in children(version, "VersionLocation")]
            detail = [
                text["DetailReferenceValues"].get(str(v.get("DetailReferenceID")), "") or (v.text or "").strip()
                for v in children(version, "VersionDetail")
            ]
            if ftype == "birthdate":
                entry.birth_dates += [d for d in (_period(p) for p in children(version, "DatePeriod")) if d]
            elif ftype == "place of birth":
                entry.birth_places += [full for full, _ in locs if full] + [d for d in detail if d]
            elif ftype.startswith("nationality"):
                entry.nationalities += [c for _, c in locs if c]
            elif ftype.startswith("citizenship"):
                entry.citizenships += [c for _, c in locs if c]
            elif ftype == "gender" and detail:
                entry.gender = detail[0].lower()
            elif ftype == "location":
                entry.addresses += [Address(full, None, c) for full, c in locs if full]


def _locations(root: ET.Element, text: Refs, iso2: dict[str, str]) -> dict[str, tuple[str, str | None]]:
    out: dict[str, tuple[str, str | None]] = {}
    for loc in children(root, "Locations", "Location"):
        parts = [
            child_text(v, "Value") for p in children(loc, "LocationPart") for v in children(p, "LocationPartValue")
        ]
        cid = next((str(c.get("CountryID")) for c in children(loc, "LocationCountry")), None)
        full = ", ".join([p for p in parts if p] + ([text["CountryValues"].get(cid, "")] if cid else []))
        out[str(loc.get("ID"))] = (full, country_code(iso2.get(cid, "")) if cid else None)
    return out


def read_ofac_advanced(path: Path, list_name: str | None = None) -> ParsedList:
    """Read an advanced-format file (whole tree: the format is cross-referenced throughout)."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise ListFormatError(f"{path}: malformed XML ({exc}); truncated file?") from exc
    if local(root.tag) != "Sanctions":
        raise ListFormatError(f"{path}: not an OFAC advanced XML file (root <{local(root.tag)}>)")
    groups = [
        "AliasTypeValues",
        "PartySubTypeValues",
        "FeatureTypeValues",
        "IDRegDocTypeValues",
        "CountryValues",
        "NamePartTypeValues",
        "DetailReferenceValues",
    ]
    text: Refs = {g: {k: (v.text or "").strip() for k, v in _refs(root, g).items()} for g in groups}
    iso2 = {k: (e.get("ISO2") or text["CountryValues"][k]) for k, e in _refs(root, "CountryValues").items()}
    locations = _locations(root, text, iso2)
    entries: dict[str, ListEntry] = {}
    identity_owner: dict[str, ListEntry] = {}
    for party in children(root, "DistinctParties", "DistinctParty"):
        for profile in children(party, "Profile"):
            subtype = text["PartySubTypeValues"].get(str(profile.get("PartySubTypeID")), "").lower()
            schema = _SUBTYPES.get(subtype, "Organization")
            entry = ListEntry(entity_id=str(party.get("FixedRef") or profile.get("ID")), schema=schema, names=[])
            for identity in children(profile, "Identity"):
                identity_owner[str(identity.get("ID"))] = entry
                entry.names += _names(identity, schema, text)
            entry.names.sort(key=lambda n: n.kind != "primary")
            _features(profile, entry, text, locations)
            if not entry.names:
                raise ListFormatError(f"{path}: profile {entry.entity_id} has no name")
            entries[entry.entity_id] = entry
    for doc in children(root, "IDRegDocuments", "IDRegDocument"):
        owner = identity_owner.get(str(doc.get("IdentityID")))
        number = child_text(doc, "IDRegistrationNo")
        if owner is not None and number:
            label = text["IDRegDocTypeValues"].get(str(doc.get("IDRegDocTypeID")), "")
            code = country_code(iso2.get(str(doc.get("IssuedBy-CountryID")), ""))
            owner.ids.append(IdDocument(_ID_KINDS.get(label.lower(), label.lower() or "other"), number, code, label))
    for sanction in children(root, "SanctionsEntries", "SanctionsEntry"):
        if (target := entries.get(str(sanction.get("ProfileID")))) is not None:
            target.programs += [c for m in children(sanction, "SanctionsMeasure") if (c := child_text(m, "Comment"))]
    for rel in children(root, "ProfileRelationships", "ProfileRelationship"):
        source, dest = entries.get(str(rel.get("From-ProfileID"))), entries.get(str(rel.get("To-ProfileID")))
        if source is not None and dest is not None:
            source.linked_to.append(dest.caption)
    published = _date(next(iter(children(root, "DateOfIssue")), None))
    name = list_name or ("OFAC-CONS" if "cons" in path.name.lower() else "OFAC-SDN")
    return ParsedList(
        name, "ofac-advanced", list(entries.values()), [str(path)], published, stats={"entries": len(entries)}
    )
