"""OFAC's legacy CSV files: SDN.CSV + ALT.CSV + ADD.CSV (and the consolidated non-SDN CONS_PRIM/ALT/ADD).

The files have no header, use ``-0- `` for empty and end with a DOS end-of-file byte. Much of what a screener
needs sits in the free-text Remarks column: several or approximate DOBs, places of birth, nationality,
citizenship, gender, ID documents (passport, C.U.R.P., R.F.C., cédula …), ``Linked To:`` relations and the
*weak* a.k.a.s (``a.k.a. 'EL MAYO'``) OFAC ships nowhere else. :func:`parse_remarks` turns them into fields;
what it does not recognise stays in ``remarks`` so nothing is lost.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from puente.screening.config import ScreeningConfig, default_config
from puente.screening.countries import country_code
from puente.screening.dates import parse_birth_date
from puente.screening.entry import (
    Address,
    BirthDate,
    IdDocument,
    ListedName,
    ListEntry,
    ListFormatError,
    ParsedList,
)

EMPTY = "-0-"
SDN_COLUMNS = 12
ALT_COLUMNS = 5
ADD_COLUMNS = 6
_TYPES = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane", "": "Organization"}
#: ``a.k.a. 'EL MAYO'``; the closing quote may be missing where OFAC cut a long Remarks text short.
_WEAK = re.compile(r"^([afn])\.k\.a\.,?\s+'(.+?)'?$", re.IGNORECASE)
_ID_TAIL = re.compile(r"^(?:No\.\s*|#\s*)?(?P<num>.+?)(?:\s+\((?P<country>[^)]*)\))?(?P<rest>;?\s.*)?$")


def _clean(value: str) -> str:
    value = value.strip()
    return "" if value == EMPTY else value


@dataclass
class RemarksInfo:
    """Fields found in a Remarks text."""

    weak_aliases: list[tuple[str, str]] = field(default_factory=list)  # (kind aka/fka/nka, name)
    birth_dates: list[BirthDate] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    ids: list[IdDocument] = field(default_factory=list)
    gender: str | None = None
    linked_to: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)


def _id_labels(cfg: ScreeningConfig) -> list[tuple[str, str]]:
    pairs = [(label, kind) for kind, labels in cfg.id_kinds.items() for label in labels]
    return sorted(pairs, key=lambda p: len(p[0]), reverse=True)


def _country(text: str) -> str:
    return country_code(text) or text.strip().lower()


def split_remarks(text: str) -> list[str]:
    """Remarks items: ``;``-separated, trailing full stop removed."""
    body = text.strip()
    if body.endswith("."):
        body = body[:-1]
    return [item.strip() for item in re.split(r";\s*", body) if item.strip()]


def parse_remarks(text: str, cfg: ScreeningConfig | None = None) -> RemarksInfo:
    """Structured fields of an OFAC Remarks text."""
    cfg = cfg or default_config()
    info = RemarksInfo()
    if not _clean(text):
        return info
    labels = _id_labels(cfg)
    for item in split_remarks(text):
        bare = item[5:] if item.lower().startswith("alt. ") else item
        low = bare.lower()
        if m := _WEAK.match(item):
            info.weak_aliases.append((f"{m.group(1).lower()}ka", m.group(2).strip()))
        elif low.startswith("dob "):
            bd = parse_birth_date(bare[4:])
            (info.birth_dates.append(bd) if bd else info.other.append(item))
        elif low.startswith("pob "):
            info.birth_places.append(bare[4:].strip())
        elif low.startswith("nationality "):
            info.nationalities.append(_country(bare[12:]))
        elif low.startswith("citizen "):
            info.citizenships.append(_country(bare[8:]))
        elif low.startswith("gender "):
            info.gender = bare[7:].strip().lower()
        elif low.startswith("linked to: "):
            info.linked_to.append(bare[11:].strip())
        elif doc := _id_document(bare, labels):
            info.ids.append(doc)
        else:
            info.other.append(item)
    return info


def _id_document(item: str, labels: list[tuple[str, str]]) -> IdDocument | None:
    low = item.lower()
    for label, kind in labels:
        if low.startswith(label + " ") or low.startswith(label + ":"):
            m = _ID_TAIL.match(item[len(label) :].lstrip(" :"))
            if not m:
                return None
            country = m.group("country")
            return IdDocument(kind, m.group("num").strip(), _country(country) if country else None, item[: len(label)])
    return None


def _read_rows(path: Path, columns: int) -> Iterator[tuple[int, list[str]]]:
    """Rows of a legacy file, checked: each must have ``columns`` fields (a short last row is a truncated file)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ListFormatError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    text = text.rstrip("\x1a\r\n \t")
    if not text:
        raise ListFormatError(f"{path}: empty file")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for number, row in enumerate(reader, start=1):
            if not row:
                continue
            if len(row) != columns:
                hint = " (truncated file?)" if reader.line_num >= text.count("\n") else ""
                raise ListFormatError(f"{path}: row {number} has {len(row)} fields, expected {columns}{hint}")
            if not row[0].strip().isdigit():
                raise ListFormatError(f"{path}: row {number}: entry number {row[0]!r} is not a number")
            yield number, row
    except csv.Error as exc:
        raise ListFormatError(f"{path}: row {reader.line_num}: {exc} (truncated or corrupt file?)") from exc


def _role(path: Path) -> str | None:
    name = path.name.lower()
    if name.startswith(("sdn", "cons_prim", "watchlist")) or "prim" in name:
        return "primary"
    if name.startswith(("alt", "cons_alt")):
        return "alt"
    if name.startswith(("add", "cons_add")):
        return "add"
    return None


def _sniff(path: Path) -> str:
    role = _role(path)
    if role:
        return role
    for _, row in _read_rows_any(path):
        return {SDN_COLUMNS: "primary", ALT_COLUMNS: "alt", ADD_COLUMNS: "add"}.get(len(row), "unknown")
    return "unknown"


def _read_rows_any(path: Path) -> Iterator[tuple[int, list[str]]]:
    with path.open(encoding="cp1252", errors="replace", newline="") as handle:
        yield from enumerate(csv.reader(handle), start=1)


def _primary_entry(row: list[str], cfg: ScreeningConfig) -> ListEntry:
    ent, name, kind, program, title, call_sign, vtype, _tonnage, _grt, flag, owner, remarks = (c for c in row)
    schema = _TYPES.get(_clean(kind).lower(), "Organization")
    person = schema == "Person"
    last, given = (s.strip() for s in name.split(",", 1)) if person and "," in name else (None, None)
    info = parse_remarks(remarks, cfg)
    names = [ListedName(name.strip(), "primary", last, given)]
    names += [ListedName(alias, "weak") for _, alias in info.weak_aliases]
    ids = list(info.ids)
    if _clean(call_sign):
        ids.append(IdDocument("call_sign", _clean(call_sign), None, "Call Sign"))
    countries = [_country(_clean(flag))] if _clean(flag) else []
    extra = [f"{label}: {_clean(v)}" for label, v in (("Vessel type", vtype), ("Vessel owner", owner)) if _clean(v)]
    return ListEntry(
        entity_id=ent.strip(),
        schema=schema,
        names=names,
        programs=[p.strip() for p in re.split(r"\]\s*\[", _clean(program).strip("[] ")) if p.strip()],
        birth_dates=info.birth_dates,
        birth_places=info.birth_places,
        nationalities=info.nationalities,
        citizenships=info.citizenships,
        countries=countries,
        ids=ids,
        gender=info.gender,
        linked_to=info.linked_to,
        title=_clean(title) or None,
        remarks="; ".join([*info.other, *extra]) or None,
    )


def _attach_aliases(entries: dict[str, ListEntry], path: Path) -> tuple[int, int]:
    """Add ALT.CSV names to their entries; returns (attached, orphans)."""
    loaded = orphans = 0
    for _, (ent, _num, kind, alias, _rem) in _read_rows(path, ALT_COLUMNS):
        target = entries.get(ent.strip())
        if target is None:
            orphans += 1
            continue
        person = target.schema == "Person"
        last, given = (s.strip() for s in alias.split(",", 1)) if person and "," in alias else (None, None)
        target.names.append(ListedName(alias.strip(), _clean(kind).lower() or "aka", last, given))
        loaded += 1
    return loaded, orphans


def _attach_addresses(entries: dict[str, ListEntry], path: Path) -> tuple[int, int]:
    """Add ADD.CSV addresses to their entries; returns (attached, orphans)."""
    loaded = orphans = 0
    for _, (ent, _num, street, city, country, _rem) in _read_rows(path, ADD_COLUMNS):
        target = entries.get(ent.strip())
        if target is None:
            orphans += 1
            continue
        full = ", ".join(p for p in (_clean(street), _clean(city), _clean(country)) if p)
        if full:
            target.addresses.append(Address(full, _clean(city) or None, _country(_clean(country)) or None))
            loaded += 1
    return loaded, orphans


def read_ofac_csv(paths: list[Path], list_name: str | None = None, cfg: ScreeningConfig | None = None) -> ParsedList:
    """Read a legacy OFAC file set (primary file required; alias and address files optional)."""
    cfg = cfg or default_config()
    roles: dict[str, Path] = {}
    for path in paths:
        role = _sniff(path)
        if role == "unknown" or role in roles:
            raise ListFormatError(f"{path}: not an OFAC legacy SDN/ALT/ADD file (or given twice)")
        roles[role] = path
    if "primary" not in roles:
        raise ListFormatError(f"{', '.join(map(str, paths))}: the primary file (SDN.CSV or CONS_PRIM.CSV) is missing")
    entries: dict[str, ListEntry] = {}
    for number, row in _read_rows(roles["primary"], SDN_COLUMNS):
        entry = _primary_entry(row, cfg)
        if entry.entity_id in entries:
            raise ListFormatError(f"{roles['primary']}: row {number}: entry {entry.entity_id} appears twice")
        entries[entry.entity_id] = entry
    stats = {
        "entries": len(entries),
        "weak_aliases": sum(1 for e in entries.values() for n in e.names if n.kind == "weak"),
    }
    warnings: list[str] = []
    for role, attach in (("alt", _attach_aliases), ("add", _attach_addresses)):
        if role in roles:
            loaded, orphans = attach(entries, roles[role])
            what = "aliases" if role == "alt" else "addresses"
            stats |= {what: loaded, f"{what[:-2]}_orphans": orphans}
            if orphans:
                warnings.append(f"{roles[role].name}: {orphans} {what} of entries absent from the primary file skipped")
    primary = roles["primary"].name.lower()
    default_name = "OFAC-CONS" if primary.startswith("cons") else "OFAC-SDN"
    return ParsedList(
        list_name=list_name or default_name,
        format="ofac-csv",
        entries=list(entries.values()),
        source_files=[str(p) for p in paths],
        warnings=warnings,
        stats=stats,
    )
