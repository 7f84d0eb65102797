"""Readers and writers of the external formats Puente speaks: CSV, Parquet, JSON lines, FtM entities."""

from puente.io.tabular import (
    FORMATS,
    BadRow,
    RawBatch,
    ReadError,
    TabularOptions,
    detect_format,
    iter_batches,
    read_columns,
)

__all__ = [
    "FORMATS",
    "BadRow",
    "RawBatch",
    "ReadError",
    "TabularOptions",
    "detect_format",
    "iter_batches",
    "read_columns",
]
