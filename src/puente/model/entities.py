"""FollowTheMoney entities: the model for people, companies and their relations.

Puente uses the ``followthemoney`` package for every entity so that what it reads and writes is what
OpenSanctions, Aleph and yente speak. Ids are deterministic (a hash of the identifying parts), so the same
real-world key always yields the same entity id across runs and machines; :func:`entity_id` is pinned by a test.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from followthemoney import EntityProxy, model
from followthemoney.util import make_entity_id

#: The schemata the foundation commits to; any FtM schema loads, these are the ones Puente produces.
CORE_SCHEMATA = (
    "Person",
    "Company",
    "Organization",
    "LegalEntity",
    "Address",
    "BankAccount",
    "Vehicle",
    "Identification",
    "Passport",
    "Ownership",
    "Directorship",
    "Family",
    "Associate",
    "Payment",
)

#: Prefix of every id Puente mints, so that its ids never collide with another dataset's.
ID_PREFIX = "pte"


def entity_id(*parts: str | int | None) -> str:
    """A deterministic entity id from identifying parts (e.g. ``("person", "CURP", curp)``).

    Parts that are ``None``, empty or blank are skipped, so optional keys do not change ids when absent.
    """
    key = make_entity_id(*(str(p) for p in parts if p is not None and str(p).strip()))
    if key is None:
        raise ValueError("entity_id needs at least one non-empty part")
    return f"{ID_PREFIX}-{key}"


def make_entity(schema: str, *id_parts: str | int | None, **properties: Any) -> EntityProxy:
    """Build an entity with a deterministic id from ``id_parts`` and the given properties.

    Property values may be single values or iterables; ``None`` values are ignored.
    """
    proxy = model.make_entity(schema)
    proxy.id = entity_id(schema, *id_parts)
    for prop, value in properties.items():
        if value is None:
            continue
        values = value if isinstance(value, list | tuple | set) else [value]
        for item in values:
            if item is not None:
                proxy.add(prop, item)
    return proxy


def parse_entity(data: dict[str, Any]) -> EntityProxy:
    """Turn one FtM JSON object into an entity, raising ``ValueError`` with the reason if it is not one."""
    schema = data.get("schema")
    if not schema:
        raise ValueError("missing 'schema'")
    if model.get(schema) is None:
        raise ValueError(f"unknown FtM schema {schema!r}")
    if not data.get("id"):
        raise ValueError("missing 'id'")
    properties = data.get("properties", {})
    if not isinstance(properties, dict):
        raise ValueError("'properties' must be an object")
    schema_obj = model.get(schema)
    assert schema_obj is not None  # checked above
    for prop in properties:
        if schema_obj.get(prop) is None:
            raise ValueError(f"schema {schema} has no property {prop!r}")
    return model.get_proxy(data, cleaned=False)


def write_entities(entities: Iterable[EntityProxy], out: IO[str]) -> int:
    """Write entities as FtM JSON lines; returns how many were written."""
    count = 0
    for entity in entities:
        out.write(json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True))
        out.write("\n")
        count += 1
    return count


def read_entities(path: Path) -> Iterator[EntityProxy]:
    """Read an FtM JSON-lines file (strict: the first bad line raises with its line number)."""
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield parse_entity(json.loads(line))
            except (ValueError, json.JSONDecodeError) as exc:
                raise ValueError(f"{path}: line {lineno}: {exc}") from exc
