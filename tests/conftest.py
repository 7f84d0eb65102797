"""Shared fixtures: a fresh workspace, and rows of every record kind made by code."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from puente.engine import Engine, open_engine
from puente.model.records import Check, RecordKind
from puente.settings import Settings
from puente.store import Workspace

#: A valid sample value for every check, chosen to pass every row rule together.
VALID = {
    Check.TEXT: "x",
    Check.DATE: "2024-03-01",
    Check.TIMESTAMP: "2024-03-01T10:15:00",
    Check.AMOUNT: "12500.50",
    Check.NON_NEGATIVE: "0",
    Check.INTEGER: "3",
    Check.CURRENCY: "USD",
    Check.COUNTRY: "MX",
    Check.CURP: "BOXW310820HNERXN09",
    Check.RFC: "GODE561231GR8",
    Check.SSN: "536-90-4399",
    Check.EIN: "04-2103594",
    Check.VIN: "1HGCM82633A004352",
    Check.TEXT_LIST: "a;b",
}
#: Per kind overrides so that cross-field rules hold.
OVERRIDES = {"ctr": {"cash_in": "15000"}}

#: A wrong value for every check, with the reason validation must give.
INVALID = {
    Check.DATE: ("2024-02-30", "not a date"),
    Check.TIMESTAMP: ("yesterday", "not a timestamp"),
    Check.AMOUNT: ("-10", "amount must be positive"),
    Check.NON_NEGATIVE: ("-1", "must not be negative"),
    Check.INTEGER: ("1.5x", "not an integer"),
    Check.CURRENCY: ("ZZZ", "ISO 4217"),
    Check.COUNTRY: ("ZZ", "ISO 3166"),
    Check.ENUM: ("nonsense", "not one of"),
    Check.CURP: ("BOXW310820HNERXN08", "checksum CURP"),
    Check.RFC: ("GODE561331GR8", "component RFC"),
    Check.SSN: ("666-12-3456", "SSN"),
    Check.EIN: ("00-2103594", "EIN"),
    Check.VIN: ("1HGCM82643A004352", "checksum VIN"),
}


def good_row(kind: RecordKind, key: str = "K1") -> dict[str, str]:
    row = {}
    for spec in kind.fields:
        row[spec.name] = spec.choices[0] if spec.choices else VALID[spec.check]
    row.update(OVERRIDES.get(kind.name, {}))
    row[kind.key] = key
    return row


def write_csv(path: Path, rows: list[dict[str, str]], *, delimiter: str = ",") -> Path:
    fields = list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace(tmp_path / "ws", Settings(memory_limit="512MB", threads=2)) as ws:
        yield ws


@pytest.fixture(scope="module")
def spark(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A Spark local-mode engine for one test module; skipped where there is no JVM. A module that sets
    ``SPARK_SHUFFLE_PARTITIONS`` gets that many (small test tables: fewer partitions save seconds per join)."""
    if shutil.which("java") is None:
        pytest.skip("Java is not installed: Spark needs a JVM")
    engine = open_engine("spark", Settings(spark_master="local[2]", spark_driver_memory="1g"))
    partitions = getattr(request.module, "SPARK_SHUFFLE_PARTITIONS", None)
    if partitions is not None:
        engine.session.conf.set("spark.sql.shuffle.partitions", str(partitions))  # type: ignore[attr-defined]  # SparkEngine attribute
    yield engine
    engine.close()
