"""Puente's data model: FollowTheMoney entities and the typed columnar record kinds."""

from puente.model.entities import (
    CORE_SCHEMATA,
    entity_id,
    make_entity,
    parse_entity,
    read_entities,
    write_entities,
)
from puente.model.records import (
    CMIR,
    CROSSING,
    CTR,
    MX_DECLARATION,
    PROVENANCE_FIELDS,
    RECORD_KINDS,
    SAR,
    TRANSACTION,
    Check,
    FieldSpec,
    RecordKind,
    arrow_schema,
    get_kind,
)

__all__ = [
    "CMIR",
    "CORE_SCHEMATA",
    "CROSSING",
    "CTR",
    "MX_DECLARATION",
    "PROVENANCE_FIELDS",
    "RECORD_KINDS",
    "SAR",
    "TRANSACTION",
    "Check",
    "FieldSpec",
    "RecordKind",
    "arrow_schema",
    "entity_id",
    "get_kind",
    "make_entity",
    "parse_entity",
    "read_entities",
    "write_entities",
]
