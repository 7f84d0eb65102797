"""What a sanctions list says about one listed party, whatever the file format it came in.

Every reader (OFAC CSV and XML, UN XML, FtM, mapped CSV) produces :class:`ListEntry` values, so versioning,
indexing and scoring are written once. Entries round-trip through JSON (``to_dict``/``from_dict``) because the
workspace stores each list version's entries as rows with a JSON payload.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

#: Kinds of name an entry carries. ``weak`` marks OFAC's low-quality a.k.a.s (only in Remarks) and UN "Low" aliases.
NAME_KINDS = ("primary", "aka", "fka", "nka", "weak")
SCHEMATA = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane")


@dataclass(frozen=True)
class ListedName:
    """One name of an entry. ``last``/``given`` are set when the source separates them (``LAST, Given``)."""

    name: str
    kind: str = "primary"
    last: str | None = None
    given: str | None = None
    script: str | None = None  # original script when the list gives one


@dataclass(frozen=True)
class BirthDate:
    """A listed birth date: exact (``1954-12-25``), month (``1954-12``) or year (``1948``), a range or circa."""

    text: str
    start: str  # ISO date, first possible day
    end: str  # ISO date, last possible day
    approximate: bool = False


@dataclass(frozen=True)
class IdDocument:
    kind: str  # curp, rfc, passport, cedula, national_id, tax_id, ssn, registration, imo … or other
    number: str
    country: str | None = None
    label: str | None = None  # the list's own wording, e.g. "C.U.R.P."


@dataclass(frozen=True)
class Address:
    full: str
    city: str | None = None
    country: str | None = None


@dataclass
class ListEntry:
    """One listed party as the list publishes it."""

    entity_id: str  # the list's own identifier: OFAC ent_num / uid, UN reference number, FtM id
    schema: str
    names: list[ListedName]
    programs: list[str] = field(default_factory=list)
    birth_dates: list[BirthDate] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # other countries: addresses, registration
    addresses: list[Address] = field(default_factory=list)
    ids: list[IdDocument] = field(default_factory=list)
    gender: str | None = None
    linked_to: list[str] = field(default_factory=list)
    title: str | None = None
    remarks: str | None = None
    listed_on: str | None = None

    @property
    def caption(self) -> str:
        return next((n.name for n in self.names if n.kind == "primary"), self.names[0].name if self.names else "")

    def all_countries(self) -> set[str]:
        """Every country the entry is tied to (folded), for country agreement."""
        found = {*self.nationalities, *self.citizenships, *self.countries}
        found |= {a.country for a in self.addresses if a.country}
        found |= {p.rsplit(",", 1)[-1].strip() for p in self.birth_places if p}
        return {c.strip().lower() for c in found if c and c.strip()}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def fingerprint(self) -> str:
        """Content hash: two versions of a list changed this entry iff the fingerprints differ."""
        payload = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ListEntry:
        return cls(
            entity_id=data["entity_id"],
            schema=data["schema"],
            names=[ListedName(**n) for n in data["names"]],
            programs=list(data.get("programs", [])),
            birth_dates=[BirthDate(**b) for b in data.get("birth_dates", [])],
            birth_places=list(data.get("birth_places", [])),
            nationalities=list(data.get("nationalities", [])),
            citizenships=list(data.get("citizenships", [])),
            countries=list(data.get("countries", [])),
            addresses=[Address(**a) for a in data.get("addresses", [])],
            ids=[IdDocument(**i) for i in data.get("ids", [])],
            gender=data.get("gender"),
            linked_to=list(data.get("linked_to", [])),
            title=data.get("title"),
            remarks=data.get("remarks"),
            listed_on=data.get("listed_on"),
        )


class ListFormatError(ValueError):
    """A list file is malformed or truncated; the message names the file and the place."""


@dataclass
class ParsedList:
    """A whole list file (or file set) read into entries, before it becomes a workspace version."""

    list_name: str
    format: str
    entries: list[ListEntry]
    source_files: list[str]
    published: str | None = None  # ISO date the publisher gives, when it gives one
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
