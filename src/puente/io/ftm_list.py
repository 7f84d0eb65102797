"""Lists published as FollowTheMoney entities (JSON lines), e.g. OpenSanctions exports.

Listed parties are the Person, Organization, Company, LegalEntity, Vessel and Airplane entities; their
``name``, ``alias``, ``previousName`` and ``weakAlias`` become names of the matching kinds, and identifiers,
dates, places and countries the corresponding fields. Other entities (Sanction, Address …) are skipped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from puente.screening.countries import country_code
from puente.screening.dates import parse_birth_date
from puente.screening.entry import SCHEMATA, Address, IdDocument, ListedName, ListEntry, ListFormatError, ParsedList

_NAME_PROPS = (("name", "primary"), ("alias", "aka"), ("previousName", "fka"), ("weakAlias", "weak"))
_ID_PROPS = {
    "passportNumber": "passport",
    "idNumber": "national_id",
    "taxNumber": "tax_id",
    "registrationNumber": "registration",
    "innCode": "tax_id",
    "imoNumber": "imo",
    "swiftBic": "swift",
    "socialSecurityNumber": "ssn",
}


def _entry(data: dict[str, Any]) -> ListEntry | None:
    schema = str(data.get("schema") or "")
    if schema not in SCHEMATA:
        return None
    props: dict[str, list[str]] = data.get("properties") or {}
    names: list[ListedName] = []
    for prop, kind in _NAME_PROPS:
        for value in props.get(prop, []):
            names.append(ListedName(value, "aka" if kind == "primary" and names else kind))
    if not names:
        return None
    ids = [IdDocument(kind, v, None, prop) for prop, kind in _ID_PROPS.items() for v in props.get(prop, [])]
    dobs = [parse_birth_date(v) for v in props.get("birthDate", [])]
    return ListEntry(
        entity_id=str(data["id"]),
        schema=schema,
        names=names,
        programs=[*props.get("program", []), *props.get("topics", [])],
        birth_dates=[d for d in dobs if d is not None],
        birth_places=list(props.get("birthPlace", [])),
        nationalities=[country_code(v) or v for v in props.get("nationality", [])],
        citizenships=[country_code(v) or v for v in props.get("citizenship", [])],
        countries=[country_code(v) or v for v in [*props.get("country", []), *props.get("jurisdiction", [])]],
        addresses=[Address(v) for v in props.get("address", [])],
        ids=ids,
        gender=next(iter(props.get("gender", [])), None),
        remarks="; ".join(props.get("notes", [])) or None,
        listed_on=next(iter(props.get("createdAt", [])), None),
    )


def read_ftm_list(path: Path, list_name: str | None = None) -> ParsedList:
    """Read FtM JSON lines as a list; a line that is not JSON, or an entity without an id, is an error."""
    entries: dict[str, ListEntry] = {}
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise ListFormatError(f"{path}: cannot read ({exc.strerror})") from exc
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ListFormatError(f"{path}: line {number} is not JSON ({exc.msg}); truncated file?") from exc
            if not isinstance(data, dict) or not data.get("id"):
                raise ListFormatError(f"{path}: line {number} is not an FtM entity (no id)")
            entry = _entry(data)
            if entry is not None:
                entries[entry.entity_id] = entry
    name = list_name or path.name.split(".")[0].upper()
    return ParsedList(name, "ftm", list(entries.values()), [str(path)], stats={"entries": len(entries)})
