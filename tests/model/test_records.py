from __future__ import annotations

import pyarrow as pa
import pytest

from puente.model import RECORD_KINDS, arrow_schema, get_kind
from puente.model.records import PROVENANCE_FIELDS, Check


@pytest.mark.parametrize("kind", RECORD_KINDS.values(), ids=lambda k: k.name)
def test_every_field_is_documented_in_the_arrow_schema(kind) -> None:  # type: ignore[no-untyped-def]
    schema = arrow_schema(kind)
    assert schema.metadata[b"kind"] == kind.name.encode()
    for field in schema:
        assert field.metadata and len(field.metadata[b"doc"]) > 10, field.name
    assert kind.key in schema.names
    assert not schema.field(kind.key).nullable


@pytest.mark.parametrize("kind", RECORD_KINDS.values(), ids=lambda k: k.name)
def test_enums_have_choices_and_keys_are_required(kind) -> None:  # type: ignore[no-untyped-def]
    for spec in kind.fields:
        assert (spec.check is Check.ENUM) == bool(spec.choices), spec.name
    assert kind.field(kind.key).required


def test_money_is_exact_decimal() -> None:
    assert arrow_schema(get_kind("transaction")).field("amount").type == pa.decimal128(18, 2)


def test_provenance_columns() -> None:
    names = arrow_schema(get_kind("cmir"), provenance=True).names
    assert names[-4:] == [f.name for f in PROVENANCE_FIELDS]


def test_get_kind_by_table_and_unknown() -> None:
    assert get_kind("mx_declarations").name == "mx_declaration"
    with pytest.raises(KeyError, match="unknown record kind"):
        get_kind("wire_fraud")


def test_the_six_kinds_of_the_foundation_exist() -> None:
    assert set(RECORD_KINDS) == {"transaction", "ctr", "cmir", "mx_declaration", "crossing", "sar"}
