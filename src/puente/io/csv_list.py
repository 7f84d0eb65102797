"""Other lists as CSV (or XLSX) with a YAML mapping, e.g. Mexico's UIF *Lista de Personas Bloqueadas*.

The mapping names the list and says which column holds what::

    version: 1
    list: UIF-LPB
    format: csv            # csv | xlsx
    delimiter: ","
    encoding: utf-8
    schema: {column: Tipo, values: {Persona Fisica: Person, Persona Moral: Company}, default: Person}
    columns:
      id: Folio
      name: Nombre
      aliases: {column: Alias, separator: ";"}
      birth_date: Fecha de nacimiento
      nationality: Nacionalidad
      rfc: RFC
      curp: CURP
      programs: Motivo
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from puente.screening.countries import country_code
from puente.screening.dates import parse_birth_date
from puente.screening.entry import IdDocument, ListedName, ListEntry, ListFormatError, ParsedList

_ID_FIELDS = ("rfc", "curp", "passport", "national_id", "tax_id")


class Multi(BaseModel):
    model_config = ConfigDict(extra="forbid")
    column: str
    separator: str = ";"


class SchemaMap(BaseModel):
    model_config = ConfigDict(extra="forbid")
    column: str | None = None
    values: dict[str, str] = Field(default_factory=dict)
    default: str = "Person"


class ListMapping(BaseModel):
    """A validated list mapping."""

    model_config = ConfigDict(extra="forbid")
    version: int = 1
    list: str
    format: str = "csv"
    delimiter: str = ","
    encoding: str = "utf-8"
    schema_: SchemaMap = Field(default_factory=SchemaMap, alias="schema")
    columns: dict[str, str | Multi]


def load_mapping(path: Path) -> ListMapping:
    try:
        return ListMapping.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ListFormatError(f"{path}: invalid list mapping: {exc}") from exc


def _rows(path: Path, m: ListMapping) -> list[dict[str, str]]:
    if m.format == "xlsx":
        from openpyxl import load_workbook  # type: ignore[import-untyped]  # noqa: PLC0415  # no stubs; optional, spreadsheets only

        sheet = load_workbook(path, read_only=True).active
        if sheet is None:
            raise ListFormatError(f"{path}: workbook has no sheet")
        values = [[("" if c is None else str(c)) for c in row] for row in sheet.iter_rows(values_only=True)]
        header, body = values[0], values[1:]
        return [dict(zip(header, r, strict=False)) for r in body]
    with path.open(encoding=m.encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=m.delimiter))


def _get(row: dict[str, str], spec: str | Multi | None) -> list[str]:
    if spec is None:
        return []
    if isinstance(spec, Multi):
        return [v.strip() for v in (row.get(spec.column) or "").split(spec.separator) if v.strip()]
    value = (row.get(spec) or "").strip()
    return [value] if value else []


def read_mapped_list(path: Path, mapping_path: Path, list_name: str | None = None) -> ParsedList:
    """Read a list through its mapping; missing mapped columns and rows without id or name are errors."""
    m = load_mapping(mapping_path)
    for required in ("id", "name"):
        if required not in m.columns:
            raise ListFormatError(f"{mapping_path}: mapping needs a column for {required!r}")
    try:
        rows = _rows(path, m)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ListFormatError(f"{path}: cannot read ({exc})") from exc
    if not rows:
        raise ListFormatError(f"{path}: no rows")
    wanted = [s.column if isinstance(s, Multi) else s for s in m.columns.values()]
    missing = [c for c in wanted if c not in rows[0]]
    if missing:
        raise ListFormatError(f"{path}: columns {missing} named in {mapping_path.name} are missing")
    entries: list[ListEntry] = []
    cols: dict[str, Any] = dict(m.columns)
    for number, row in enumerate(rows, start=2):
        ident, name = _get(row, cols["id"]), _get(row, cols["name"])
        if not ident or not name:
            raise ListFormatError(f"{path}: row {number} has no id or no name")
        raw_schema = (row.get(m.schema_.column) or "").strip() if m.schema_.column else ""
        schema = m.schema_.values.get(raw_schema, m.schema_.default)
        names = [ListedName(name[0], "primary"), *(ListedName(a, "aka") for a in _get(row, cols.get("aliases")))]
        dobs = [parse_birth_date(v) for v in _get(row, cols.get("birth_date"))]
        ids = [IdDocument(kind, v, None, kind.upper()) for kind in _ID_FIELDS for v in _get(row, cols.get(kind))]
        entries.append(
            ListEntry(
                entity_id=ident[0],
                schema=schema,
                names=names,
                programs=_get(row, cols.get("programs")),
                birth_dates=[d for d in dobs if d is not None],
                nationalities=[country_code(v) or v.lower() for v in _get(row, cols.get("nationality"))],
                countries=[country_code(v) or v.lower() for v in _get(row, cols.get("country"))],
                ids=ids,
            )
        )
    return ParsedList(list_name or m.list, "csv-mapping", entries, [str(path)], stats={"entries": len(entries)})
