"""Who gets screened: rows of a user's CSV/Parquet file, or the workspace's own FtM people and companies."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from puente.screening.entry import SCHEMATA
from puente.screening.matcher import Hit, Query
from puente.store.workspace import Workspace

INPUT_COLUMNS = ("id", "name", "schema", "birth_date", "country", "id_number", "address")
SUBJECT_SCHEMATA = ("Person", "Company", "Organization", "LegalEntity", "Vessel", "Airplane")
_ID_PROPS = ("idNumber", "taxNumber", "passportNumber", "registrationNumber", "innCode", "imoNumber", "vatCode")


class InputError(ValueError):
    """The screening input file cannot be used; the message names the file and the problem."""


def _date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def read_queries(path: Path) -> list[Query]:
    """Queries from a CSV or Parquet file with columns ``id,name`` and optional ``schema, birth_date, country,
    id_number, address`` (several ID numbers separated by ``;``)."""
    try:
        if path.suffix.lower() == ".parquet":
            table = pq.read_table(path)
        else:
            table = pacsv.read_csv(
                path,
                convert_options=pacsv.ConvertOptions(
                    strings_can_be_null=True,
                    column_types={"id": pa.string(), "id_number": pa.string(), "birth_date": pa.string()},
                ),
            )
    except (OSError, pa.ArrowInvalid) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from exc
    missing = {"id", "name"} - set(table.column_names)
    if missing:
        raise InputError(f"{path}: missing required column(s) {', '.join(sorted(missing))}")
    cols = {
        c: table.column(c).to_pylist() if c in table.column_names else [None] * table.num_rows for c in INPUT_COLUMNS
    }
    out: list[Query] = []
    for i in range(table.num_rows):
        schema = cols["schema"][i]
        if schema and schema not in SCHEMATA:
            raise InputError(f"{path}: row {i + 1}: schema {schema!r} is not one of {', '.join(SCHEMATA)}")
        ids = tuple(s.strip() for s in str(cols["id_number"][i] or "").split(";") if s.strip())
        out.append(
            Query(
                id=str(cols["id"][i]),
                name=str(cols["name"][i] or ""),
                schema=schema or None,
                birth_date=_date(cols["birth_date"][i]),
                country=cols["country"][i] or None,
                id_numbers=ids,
                address=cols["address"][i] or None,
            )
        )
    return out


def _first(props: dict[str, list[str]], *names: str) -> str | None:
    """The first value of the first of ``names`` that the entity has."""
    for name in names:
        if props.get(name):
            return props[name][0]
    return None


def workspace_subjects(ws: Workspace) -> list[Query]:
    """Every stored person, company, organisation, vessel and aircraft as a query (id: the FtM entity id)."""
    rows = ws.con.execute(
        "SELECT id, schema, caption, properties FROM entities "
        "WHERE schema IN (SELECT unnest(?::VARCHAR[])) ORDER BY id",
        [list(SUBJECT_SCHEMATA)],
    ).fetchall()
    out: list[Query] = []
    for entity_id, schema, caption, props_json in rows:
        props: dict[str, list[str]] = json.loads(props_json)
        name = _first(props, "name") or caption or ""
        if not name:
            continue
        country = _first(props, "nationality", "country", "jurisdiction")
        ids = tuple(v for p in _ID_PROPS for v in props.get(p, []))
        out.append(
            Query(
                id=str(entity_id),
                name=name,
                schema="Person" if schema == "Person" else "Organization" if schema in ("LegalEntity",) else schema,
                birth_date=_date(_first(props, "birthDate")),
                country=country,
                id_numbers=ids,
                address=_first(props, "address"),
            )
        )
    return out


def hits_table(hits: list[Hit]) -> pa.Table:
    """The output layout of ``puente screen``: one row per hit."""
    return pa.table(
        {
            "query_id": pa.array([h.query_id for h in hits], pa.string()),
            "rank": pa.array([h.rank for h in hits], pa.int32()),
            "list": pa.array([h.list_name for h in hits], pa.string()),
            "entity_id": pa.array([h.entity_id for h in hits], pa.string()),
            "matched_name": pa.array([h.matched_name for h in hits], pa.string()),
            "score": pa.array([h.score for h in hits], pa.float64()),
            "match": pa.array([h.match for h in hits], pa.bool_()),
            "explanation": pa.array([json.dumps(h.explanation, ensure_ascii=False) for h in hits], pa.string()),
        }
    )


class HitsWriter:
    """Writes hits to a CSV or Parquet file batch by batch (``puente screen`` streams its output this way, so
    memory does not grow with the number of names screened)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows = 0
        schema = hits_table([]).schema
        self._writer: pq.ParquetWriter | pacsv.CSVWriter = (
            pq.ParquetWriter(path, schema) if path.suffix.lower() == ".parquet" else pacsv.CSVWriter(path, schema)
        )

    def write(self, hits: list[Hit]) -> None:
        if hits:
            self._writer.write_table(hits_table(hits))
            self.rows += len(hits)

    def close(self) -> None:
        self._writer.close()

    def __enter__(self) -> HitsWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_hits(hits: list[Hit], path: Path) -> None:
    table = hits_table(hits)
    if path.suffix.lower() == ".parquet":
        pq.write_table(table, path)
    else:
        pacsv.write_csv(table, path)
