"""Column-mapping files: adapt a source layout (another bank's export, a spreadsheet) to a record kind.

A mapping is YAML, versioned and validated on load, so a typo in a mapping fails loudly before any row is read::

    version: 1
    kind: transaction
    format: csv
    delimiter: ";"
    encoding: latin-1
    columns:
      transaction_id: Referencia               # shorthand: the source column
      value_date: {column: Fecha, date_format: "%d/%m/%Y"}
      amount: {column: Importe, decimal_comma: true}
      currency: {value: MXN}                   # a constant
      channel: {column: Tipo, values: {DEP: cash_deposit, SPEI: wire}}

Fields a mapping does not name are read from a source column of the same name, when there is one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from puente.model.records import RecordKind, get_kind


class MappingError(ValueError):
    """A mapping file that cannot be used; the message names the file and the problem."""


class ColumnMapping(BaseModel):
    """Where one field's value comes from and how to read it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    column: str | None = None
    value: str | None = None
    date_format: str | None = None  # strptime format for dates and timestamps, e.g. "%d/%m/%Y"
    decimal_comma: bool = False  # "1.234,56" style numbers
    thousands: str | None = None  # a thousands separator to drop, e.g. ","
    values: dict[str, str] = {}  # source value -> Puente value (codes, enums)

    @model_validator(mode="after")
    def _one_source(self) -> ColumnMapping:
        if (self.column is None) == (self.value is None):
            raise ValueError("give exactly one of 'column' or 'value'")
        return self


class Mapping(BaseModel):
    """A validated mapping file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    kind: str
    format: Literal["csv", "parquet", "jsonl"] | None = None
    delimiter: str = ","
    encoding: str = "utf-8"
    #: Derive the record key from the row's content when the source has no identifier column.
    derive_key: bool = False
    columns: dict[str, ColumnMapping] = {}

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        return get_kind(value).name

    @field_validator("columns", mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        if isinstance(value, dict):
            return {k: {"column": v} if isinstance(v, str) else v for k, v in value.items()}
        return value

    @model_validator(mode="after")
    def _known_fields(self) -> Mapping:
        kind = get_kind(self.kind)
        unknown = sorted(set(self.columns) - set(kind.field_names))
        if unknown:
            raise ValueError(f"{kind.name} has no field(s) {', '.join(unknown)}")
        return self

    @property
    def record_kind(self) -> RecordKind:
        return get_kind(self.kind)

    def source_for(self, field_name: str, available: set[str]) -> ColumnMapping | None:
        """The mapping of a field, falling back to a same-named source column."""
        if field_name in self.columns:
            return self.columns[field_name]
        if field_name in available:
            return ColumnMapping(column=field_name)
        return None


def identity_mapping(kind: RecordKind) -> Mapping:
    """The mapping of a file already in Puente's own layout for ``kind``."""
    return Mapping(version=1, kind=kind.name)


def load_mapping(path: Path) -> Mapping:
    """Read and validate a mapping file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MappingError(f"{path}: cannot read mapping: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise MappingError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise MappingError(f"{path}: a mapping file must be a YAML object")
    try:
        return Mapping.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'mapping'}: {e['msg']}" for e in exc.errors())
        raise MappingError(f"{path}: invalid mapping: {problems}") from exc
    except KeyError as exc:
        raise MappingError(f"{path}: invalid mapping: {exc.args[0]}") from exc
