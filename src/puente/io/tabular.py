"""Streaming readers for tabular files: CSV (plain or gzip), Parquet and JSON lines.

Every reader yields Arrow batches of bounded size with a ``_row`` column (the 1-based record number in the file,
header excluded) so that any value can be traced back to its row, and reports rows it could not even parse
(wrong column count, broken JSON) as :class:`BadRow` instead of failing the file: nothing is lost.
CSV and JSON values arrive as text; validation and typing happen in :mod:`puente.ingest`.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

FORMATS = ("csv", "parquet", "jsonl")
#: CSV is parsed in small blocks (pyarrow's parser needs several times a block in memory) and the blocks are
#: gathered into batches of ``batch_rows``, so parse memory stays small while inserts stay large.
_CSV_BLOCK = 8 << 20
ROW = "_row"

Progress = Callable[[int], None]
"""Called with the number of bytes consumed so far."""


class ReadError(Exception):
    """The file cannot be read at all (missing, unreadable, not the format claimed). One line, names the file."""


@dataclass(frozen=True)
class TabularOptions:
    """How to read a tabular file; mapping files set these for non-default layouts."""

    format: str | None = None  # csv | parquet | jsonl; None: from the file name
    delimiter: str = ","
    encoding: str = "utf-8"
    batch_rows: int = 262_144


@dataclass(frozen=True)
class BadRow:
    """A row that could not be parsed into columns."""

    row: int | None
    reason: str
    raw: str


@dataclass
class RawBatch:
    """A batch of parsed rows (with ``_row``) and the unparseable rows met while reading it."""

    table: pa.Table
    bad_rows: list[BadRow] = field(default_factory=list)


def detect_format(path: Path, declared: str | None = None) -> str:
    """The format of a file from its declared format or its name (``.csv``, ``.tsv``, ``.csv.gz``, …)."""
    if declared:
        if declared not in FORMATS:
            raise ReadError(f"{path}: unknown format {declared!r} (expected one of {', '.join(FORMATS)})")
        return declared
    name = path.name.lower().removesuffix(".gz")
    for suffixes, fmt in (
        ((".csv", ".tsv", ".txt"), "csv"),
        ((".parquet", ".pq"), "parquet"),
        ((".jsonl", ".ndjson", ".json"), "jsonl"),
    ):
        if name.endswith(suffixes):
            return fmt
    raise ReadError(f"{path}: cannot tell the format from the file name; pass --format csv|parquet|jsonl")


def _check_file(path: Path) -> None:
    if not path.exists():
        raise ReadError(f"{path}: file not found")
    if not path.is_file():
        raise ReadError(f"{path}: not a file")


def _open_text(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


class _CountingReader:
    """A binary file wrapper that reports bytes consumed, for progress bars on streamed reads."""

    def __init__(self, raw: IO[bytes], progress: Progress | None) -> None:
        self._raw = raw
        self._progress = progress
        self.consumed = 0
        self.closed = False

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.consumed += len(data)
        if self._progress:
            self._progress(self.consumed)
        return data

    def close(self) -> None:
        self.closed = True
        self._raw.close()


def read_columns(path: Path, options: TabularOptions) -> list[str]:
    """The column names of a file, without reading its body."""
    _check_file(path)
    fmt = detect_format(path, options.format)
    try:
        if fmt == "parquet":
            return list(pq.read_schema(path).names)
        if fmt == "csv":
            with _open_text(path) as raw:
                first = raw.readline().decode(options.encoding).lstrip("\ufeff")
            if not first.strip():
                raise ReadError(f"{path}: empty file (no header row)")
            return next(csv.reader([first], delimiter=options.delimiter))
        with _open_text(path) as raw:
            keys: dict[str, None] = {}
            for _, line in zip(range(1000), raw, strict=False):
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(obj, dict):
                    keys.update(dict.fromkeys(obj))
            return list(keys)
    except (OSError, UnicodeDecodeError, pa.ArrowInvalid) as exc:
        raise ReadError(f"{path}: cannot read as {fmt}: {_one_line(exc)}") from exc


def _one_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def iter_batches(path: Path, options: TabularOptions, progress: Progress | None = None) -> Iterator[RawBatch]:
    """Stream a file as batches of at most ``options.batch_rows`` rows."""
    _check_file(path)
    fmt = detect_format(path, options.format)
    readers = {"csv": _iter_csv, "parquet": _iter_parquet, "jsonl": _iter_jsonl}
    try:
        yield from readers[fmt](path, options, progress)
    except (OSError, pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise ReadError(f"{path}: cannot read as {fmt}: {_one_line(exc)}") from exc


def _row_numbers(start: int, count: int, skipped: set[int]) -> tuple[np.ndarray, int]:
    """Record numbers of ``count`` good rows starting at ``start``, stepping over rows known to be bad."""
    if not skipped:
        return np.arange(start, start + count, dtype=np.int64), start + count
    ahead = sorted(s for s in skipped if s >= start)
    candidates = np.arange(start, start + count + len(ahead), dtype=np.int64)
    numbers = candidates[~np.isin(candidates, ahead)][:count]
    nxt = int(numbers[-1]) + 1 if count else start
    return numbers, nxt


def _iter_csv(path: Path, options: TabularOptions, progress: Progress | None) -> Iterator[RawBatch]:
    columns = read_columns(path, options)
    if len(set(columns)) != len(columns):
        raise ReadError(f"{path}: duplicate column names in header: {columns}")
    bad: list[BadRow] = []
    skipped: set[int] = set()

    def on_invalid(row: Any) -> str:
        # pyarrow counts physical lines from 1 including the header; records are numbered after the header.
        number = row.number - 1 if row.number is not None else None
        if number is not None:
            skipped.add(number)
        bad.append(BadRow(number, f"expected {row.expected_columns} columns, found {row.actual_columns}", row.text))
        return "skip"

    reader = _CountingReader(_open_text(path), progress)
    stream = pacsv.open_csv(
        reader,
        read_options=pacsv.ReadOptions(use_threads=False, block_size=_CSV_BLOCK, encoding=options.encoding),
        parse_options=pacsv.ParseOptions(delimiter=options.delimiter, invalid_row_handler=on_invalid),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(columns, pa.string()),
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )
    next_row = 1
    pending: list[pa.RecordBatch] = []
    pending_rows = 0

    def flush() -> RawBatch:
        nonlocal next_row, bad, pending, pending_rows
        numbers, next_row = _row_numbers(next_row, pending_rows, skipped)
        table = pa.Table.from_batches(pending, schema=stream.schema).append_column(ROW, pa.array(numbers))
        out = RawBatch(table, bad)
        bad, pending, pending_rows = [], [], 0
        return out

    try:
        for batch in stream:
            pending.append(batch)
            pending_rows += batch.num_rows
            if pending_rows >= options.batch_rows:
                yield flush()
        if pending or bad:
            yield flush()
    finally:
        reader.close()


def _iter_parquet(path: Path, options: TabularOptions, progress: Progress | None) -> Iterator[RawBatch]:
    try:
        file = pq.ParquetFile(path)
    except pa.ArrowInvalid as exc:
        raise ReadError(f"{path}: not a Parquet file: {_one_line(exc)}") from exc
    total_rows = max(file.metadata.num_rows, 1)
    size = path.stat().st_size
    start = 1
    for batch in file.iter_batches(batch_size=options.batch_rows):
        numbers = np.arange(start, start + batch.num_rows, dtype=np.int64)
        start += batch.num_rows
        if progress:
            progress(int(size * (start - 1) / total_rows))
        yield RawBatch(pa.Table.from_batches([batch]).append_column(ROW, pa.array(numbers)))


def _jsonl_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ";".join("" if v is None else str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _iter_jsonl(path: Path, options: TabularOptions, progress: Progress | None) -> Iterator[RawBatch]:
    """JSON lines: one object per line; lines that are not objects become bad rows with the parser's reason."""
    reader = _CountingReader(_open_text(path), progress)
    columns: dict[str, None] = {}
    rows: list[dict[str, str | None]] = []
    numbers: list[int] = []
    bad: list[BadRow] = []

    def flush() -> RawBatch:
        names = list(columns)
        data = {name: pa.array([r.get(name) for r in rows], pa.string()) for name in names}
        data[ROW] = pa.array(numbers, pa.int64())
        return RawBatch(pa.table(data), list(bad))

    try:
        for number, raw_line in enumerate(iter(reader._raw.readline, b""), start=1):
            reader.consumed += len(raw_line)
            line = raw_line.decode(options.encoding).strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                bad.append(BadRow(number, f"invalid JSON: {exc.msg} at column {exc.colno}", line))
                continue
            if not isinstance(obj, dict):
                bad.append(BadRow(number, "JSON value is not an object", line))
                continue
            columns.update(dict.fromkeys(obj))
            rows.append({k: _jsonl_value(v) for k, v in obj.items()})
            numbers.append(number)
            if len(rows) >= options.batch_rows:
                if progress:
                    progress(reader.consumed)
                yield flush()
                rows, numbers, bad = [], [], []
        if rows or bad:
            yield flush()
        if progress:
            progress(reader.consumed)
    finally:
        reader.close()
