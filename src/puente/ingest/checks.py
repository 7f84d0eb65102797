"""Vectorised validation of a batch of raw rows against a record kind, as one DuckDB query.

Validating row by row in Python would cap ingest at a few thousand rows per second; instead each field's
check (:class:`puente.model.records.Check`) becomes a SQL expression that parses the value and, when it is wrong,
yields ``{field, value, reason}``. The query returns the typed fields, ``_row`` and an ``_errors`` list, so good
and bad rows separate with one filter and every bad value keeps its reason. Identifier check digits (CURP, RFC,
SSN, EIN, VIN) go through a vectorised Python UDF over distinct values, because ``python-stdnum`` already knows
the rules.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import duckdb
import pyarrow as pa
import yaml
from pydantic import BaseModel, ConfigDict

from puente.ingest.mapping import ColumnMapping, Mapping
from puente.ingest.reference import register_reference_tables
from puente.model.identifiers import IDENTIFIER_CHECKS
from puente.model.records import Check, FieldSpec, RecordKind
from puente.store.ddl import duckdb_type

ID_UDF = "puente_id_error"
_ID_CHECKS = {Check.CURP: "curp", Check.RFC: "rfc", Check.SSN: "ssn", Check.EIN: "ein", Check.VIN: "vin"}
_MIN_YEAR, _MAX_YEAR = 1900, 2100


class _RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    class Rule(BaseModel):
        model_config = ConfigDict(extra="forbid")
        field: str
        when_wrong: str
        reason: str

    version: int
    ctr_threshold_usd: int
    rules: dict[str, list[Rule]]


@dataclass(frozen=True)
class RowRule:
    """A rule across fields of one row: ``when_wrong`` is a SQL predicate over the parsed fields."""

    field: str
    when_wrong: str
    reason: str


@cache
def row_rules() -> dict[str, tuple[RowRule, ...]]:
    """The row rules of ``rules.yaml``, with its parameters substituted."""
    text = resources.files("puente.ingest").joinpath("rules.yaml").read_text(encoding="utf-8")
    parsed = _RuleFile.model_validate(yaml.safe_load(text))
    params = {"ctr_threshold_usd": parsed.ctr_threshold_usd}
    return {
        kind: tuple(RowRule(r.field, r.when_wrong.format(**params), r.reason.format(**params)) for r in rules)
        for kind, rules in parsed.rules.items()
    }


def _id_errors(kinds: pa.Array, values: pa.Array) -> pa.Array:
    """Arrow UDF: the error of each identifier, computed once per distinct (kind, value)."""
    cache: dict[tuple[str, str], str | None] = {}
    out: list[str | None] = []
    for kind, value in zip(kinds.to_pylist(), values.to_pylist(), strict=True):
        if value is None or kind is None:
            out.append(None)
            continue
        key = (kind, value)
        if key not in cache:
            cache[key] = IDENTIFIER_CHECKS[kind](value)
        out.append(cache[key])
    return pa.array(out, pa.string())


def prepare_connection(con: duckdb.DuckDBPyConnection) -> None:
    """Register what validation queries need on a connection: reference tables and the identifier UDF."""
    register_reference_tables(con)
    with contextlib.suppress(duckdb.InvalidInputException):  # not registered yet on this connection
        con.remove_function(ID_UDF)
    con.create_function(  # type: ignore[call-overload]  # the stubs do not model type="arrow" UDF signatures
        ID_UDF,
        _id_errors,
        [duckdb.sqltype("VARCHAR"), duckdb.sqltype("VARCHAR")],
        duckdb.sqltype("VARCHAR"),
        type="arrow",
        null_handling="special",
        side_effects=False,
    )


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _is_numeric(t: pa.DataType) -> bool:
    return bool(pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t))


def _is_temporal(t: pa.DataType) -> bool:
    return bool(pa.types.is_date(t) or pa.types.is_timestamp(t))


def _raw_expr(spec: FieldSpec, cm: ColumnMapping | None, source_types: dict[str, pa.DataType]) -> str:
    """The pre-parse value: typed where the source already has a usable type, else trimmed text."""
    if cm is None:
        return "NULL"
    if cm.value is not None:
        return literal(cm.value)
    assert cm.column is not None  # the mapping validator guarantees one of column/value
    src = f"_b.{quote(cm.column)}"
    src_type = source_types[cm.column]
    passthrough = (
        (_is_numeric(src_type) and spec.check in (Check.AMOUNT, Check.NON_NEGATIVE, Check.INTEGER))
        or (_is_temporal(src_type) and spec.check in (Check.DATE, Check.TIMESTAMP))
        or (pa.types.is_list(src_type) and spec.check is Check.TEXT_LIST)
    )
    if passthrough and not cm.values:
        return src
    text = f"NULLIF(trim(CAST({src} AS VARCHAR)), '')"
    if cm.values:
        cases = " ".join(f"WHEN {literal(k)} THEN {literal(v)}" for k, v in cm.values.items())
        text = f"(CASE {text} {cases} ELSE {text} END)"
    if spec.check in (Check.AMOUNT, Check.NON_NEGATIVE):
        if cm.decimal_comma:
            text = f"replace(replace({text}, '.', ''), ',', '.')"
        elif cm.thousands:
            text = f"replace({text}, {literal(cm.thousands)}, '')"
    return text


def _parse_expr(spec: FieldSpec, raw: str, cm: ColumnMapping | None, *, typed: bool) -> str:
    """The typed value of a field from its raw value (NULL when it does not parse)."""
    target = duckdb_type(spec.arrow_type)
    fmt = cm.date_format if cm else None
    match spec.check:
        case Check.DATE | Check.TIMESTAMP:
            if fmt:
                return f"CAST(try_strptime(CAST({raw} AS VARCHAR), {literal(fmt)}) AS {target})"
            return f"TRY_CAST({raw} AS {target})"
        case Check.AMOUNT | Check.NON_NEGATIVE | Check.INTEGER:
            return f"TRY_CAST({raw} AS {target})"
        case Check.CURRENCY:
            return f"upper({raw})"
        case Check.COUNTRY:
            return f"(SELECT alpha2 FROM _ref_countries WHERE code = upper({raw}))"
        case Check.ENUM:
            return f"lower(regexp_replace({raw}, '[\\s\\-/]+', '_', 'g'))"
        case Check.CURP | Check.RFC | Check.VIN:
            return f"regexp_replace(upper({raw}), '[^A-Z0-9Ñ&]', '', 'g')"
        case Check.SSN | Check.EIN:
            return f"regexp_replace({raw}, '[^0-9]', '', 'g')"
        case Check.TEXT_LIST:
            if typed:
                return f"CAST({raw} AS VARCHAR[])"
            return f"list_filter(list_transform(string_split({raw}, ';'), lambda x: trim(x)), lambda x: x <> '')"
        case _:
            return raw


def _error_cases(spec: FieldSpec, raw: str, value: str) -> list[tuple[str, str]]:
    """(condition, reason) pairs, most basic first; the first that holds is the field's error."""
    cases: list[tuple[str, str]] = []
    if spec.required:
        cases.append((f"{raw} IS NULL", literal("missing required value")))
    present = f"{raw} IS NOT NULL AND "
    match spec.check:
        case Check.DATE | Check.TIMESTAMP:
            what = "date (expected YYYY-MM-DD)" if spec.check is Check.DATE else "timestamp (expected ISO 8601)"
            cases.append((f"{present}{value} IS NULL", literal(f"not a {what}")))
            cases.append((f"year({value}) NOT BETWEEN {_MIN_YEAR} AND {_MAX_YEAR}", literal("date out of range")))
        case Check.AMOUNT:
            cases.append((f"{present}{value} IS NULL", literal("not a number (or out of range)")))
            cases.append((f"{value} <= 0", literal("amount must be positive")))
        case Check.NON_NEGATIVE:
            cases.append((f"{present}{value} IS NULL", literal("not a number (or out of range)")))
            cases.append((f"{value} < 0", literal("amount must not be negative")))
        case Check.INTEGER:
            cases.append((f"{present}{value} IS NULL", literal("not an integer")))
        case Check.CURRENCY:
            cases.append(
                (
                    f"{present}{value} NOT IN (SELECT code FROM _ref_currencies)",
                    literal("not an ISO 4217 currency code"),
                )
            )
        case Check.COUNTRY:
            cases.append((f"{present}{value} IS NULL", literal("not an ISO 3166 country code")))
        case Check.ENUM:
            choices = ", ".join(literal(c) for c in spec.choices)
            cases.append((f"{present}{value} NOT IN ({choices})", literal(f"not one of: {', '.join(spec.choices)}")))
        case Check.CURP | Check.RFC | Check.SSN | Check.EIN | Check.VIN:
            error = f"{ID_UDF}({literal(_ID_CHECKS[spec.check])}, {value})"
            cases.append((f"{present}{error} IS NOT NULL", error))
        case _:
            pass
    return cases


def _error_struct(field: str, raw: str, reason: str) -> str:
    return f"{{'field': {literal(field)}, 'value': CAST({raw} AS VARCHAR), 'reason': {reason}}}"


def validation_sql(
    kind: RecordKind, mapping: Mapping, source_types: dict[str, pa.DataType], batch: str = "_batch"
) -> str:
    """A query over ``batch`` returning the kind's typed fields, ``_row`` and ``_errors``."""
    available = set(source_types)
    raws, parses, errors = [], [], []
    for i, spec in enumerate(kind.fields):
        cm = mapping.source_for(spec.name, available)
        raw_col = f"__r{i}"
        raw_expr = _raw_expr(spec, cm, source_types)
        raws.append(f"{raw_expr} AS {raw_col}")
        if spec.name == kind.key and cm is None and mapping.derive_key:
            continue  # derived below from all other raw values
        typed = raw_expr.startswith("_b.")  # the source column already has a usable type
        parses.append(f"{_parse_expr(spec, raw_col, cm, typed=typed)} AS {quote(spec.name)}")
        cases = _error_cases(spec, raw_col, quote(spec.name))
        if cases:
            whens = " ".join(f"WHEN {cond} THEN {_error_struct(spec.name, raw_col, reason)}" for cond, reason in cases)
            errors.append(f"CASE {whens} END")
    key_index = kind.field_names.index(kind.key)
    if mapping.derive_key and mapping.source_for(kind.key, available) is None:
        parts = ", ".join(f"coalesce(CAST(__r{i} AS VARCHAR), '')" for i in range(len(kind.fields)) if i != key_index)
        parses.insert(key_index, f"'h-' || md5(concat_ws(chr(31), {parts})) AS {quote(kind.key)}")
    rule_errors = []
    for rule in row_rules().get(kind.name, ()):
        raw = f"__r{kind.field_names.index(rule.field)}"
        rule_errors.append(
            f"CASE WHEN ({rule.when_wrong}) THEN {_error_struct(rule.field, raw, literal(rule.reason))} END"
        )
    fields = ", ".join(quote(name) for name in kind.field_names)
    # Rules across fields only mean something once every field is valid on its own.
    return (
        f"WITH _n AS (SELECT _b._row AS _row, {', '.join(raws)} FROM {batch} _b),\n"
        f"_p AS (SELECT _n.*, {', '.join(parses)} FROM _n),\n"
        f"_e AS (SELECT _p.*, {_non_null_list(errors)} AS _fe, {_non_null_list(rule_errors)} AS _re FROM _p)\n"
        f"SELECT {fields}, _row, CASE WHEN len(_fe) > 0 THEN _fe ELSE _re END AS _errors FROM _e"
    )


def _non_null_list(items: list[str]) -> str:
    if not items:
        return "CAST([] AS STRUCT(field VARCHAR, value VARCHAR, reason VARCHAR)[])"
    return f"list_filter([{', '.join(items)}], lambda x: x IS NOT NULL)"


def missing_required(kind: RecordKind, mapping: Mapping, columns: list[str]) -> list[str]:
    """Required fields with no source at all: a file lacking them is in the wrong layout, not a bad row."""
    available = set(columns)
    missing = []
    for spec in kind.fields:
        if not spec.required or mapping.source_for(spec.name, available) is not None:
            continue
        if spec.name == kind.key and mapping.derive_key:
            continue
        missing.append(spec.name)
    return missing
