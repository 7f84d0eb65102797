"""Synthetic transaction files of any size for ingest benchmarks (vectorised: NumPy + Arrow, no row loop)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from puente.model.records import CHANNELS, TRANSACTION, arrow_schema

_CHUNK = 1_000_000


def _chunk(rng: np.random.Generator, start: int, n: int) -> pa.Table:
    ids = np.char.add("T", np.arange(start, start + n).astype(str))
    days = rng.integers(0, 730, n)
    dates = (np.datetime64("2023-01-01") + days.astype("timedelta64[D]")).astype("datetime64[D]")
    cents = np.round(rng.lognormal(6.0, 1.4, n) * 100).astype(np.int64) + 1
    accounts = rng.integers(0, max(n // 20, 1000), n)
    countries = np.array(["US", "MX"])[rng.integers(0, 2, n)]
    cols = {
        "transaction_id": pa.array(ids),
        "value_date": pa.array(dates, pa.date32()),
        "amount": pa.array(cents / 100).cast(pa.decimal128(18, 2), safe=False),
        "currency": pa.array(np.where(countries == "US", "USD", "MXN")),
        "channel": pa.array(np.array(CHANNELS)[rng.integers(0, len(CHANNELS), n)]),
        "debtor_account": pa.array(np.char.add("ACC", accounts.astype(str))),
        "debtor_country": pa.array(countries),
        "creditor_account": pa.array(np.char.add("ACC", rng.integers(0, 50_000, n).astype(str))),
        "creditor_country": pa.array(np.array(["US", "MX"])[rng.integers(0, 2, n)]),
        "branch_state": pa.array(np.array(["TX", "AZ", "CA", "NM", "BC", "CHH"])[rng.integers(0, 6, n)]),
    }
    table = pa.table(cols)
    schema = arrow_schema(TRANSACTION)
    return table.cast(pa.schema([schema.field(name) for name in table.column_names]))


def write_transactions(path: Path, rows: int, fmt: str, seed: int = 7) -> Path:
    """Write ``rows`` transactions as CSV or Parquet, chunk by chunk so memory stays flat."""
    rng = np.random.default_rng(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer: pq.ParquetWriter | pacsv.CSVWriter | None = None
    try:
        for start in range(0, rows, _CHUNK):
            table = _chunk(rng, start, min(_CHUNK, rows - start))
            if writer is None:
                writer = (
                    pq.ParquetWriter(path, table.schema) if fmt == "parquet" else pacsv.CSVWriter(path, table.schema)
                )
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    return path
