"""Encoding files: Parquet holding bit vectors, keyed blocking keys and metadata (fields, bits, key check)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def write_encodings(table: pa.Table, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return path


def read_encodings(path: Path) -> pa.Table:
    return pq.read_table(path)
