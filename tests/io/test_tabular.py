from __future__ import annotations

import gzip
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from puente.io import ReadError, TabularOptions, detect_format, iter_batches, read_columns


def _rows(path: Path, options: TabularOptions | None = None) -> tuple[list[int], list[tuple[int | None, str]]]:
    numbers, bad = [], []
    for batch in iter_batches(path, options or TabularOptions(batch_rows=4)):
        numbers += batch.table.column("_row").to_pylist()
        bad += [(b.row, b.reason) for b in batch.bad_rows]
    return numbers, bad


def test_csv_row_numbers_survive_rows_with_wrong_column_counts(tmp_path: Path) -> None:
    lines = ["a,b"] + [f"{i},x" for i in range(1, 11)]
    lines[3] = "3,x,extra"
    lines[8] = "8"
    path = tmp_path / "f.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    numbers, bad = _rows(path)
    assert numbers == [1, 2, 4, 5, 6, 7, 9, 10]
    assert bad == [(3, "expected 2 columns, found 3"), (8, "expected 2 columns, found 1")]
    values = [v for b in iter_batches(path, TabularOptions(batch_rows=4)) for v in b.table.column("a").to_pylist()]
    assert values == ["1", "2", "4", "5", "6", "7", "9", "10"]  # text, leading zeros and all, never guessed


def test_gzip_csv_and_other_delimiters(tmp_path: Path) -> None:
    path = tmp_path / "f.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("a\tb\n007\tx\n")
    batch = next(iter_batches(path, TabularOptions(delimiter="\t")))
    assert batch.table.column("a").to_pylist() == ["007"]


def test_parquet_streams_in_bounded_batches(tmp_path: Path) -> None:
    path = tmp_path / "f.parquet"
    pq.write_table(pa.table({"a": list(range(10))}), path)
    sizes = [b.table.num_rows for b in iter_batches(path, TabularOptions(batch_rows=3))]
    assert sizes == [3, 3, 3, 1]
    assert _rows(path)[0] == list(range(1, 11))


def test_jsonl_bad_lines_are_reported_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    path.write_text('{"a": 1}\n[1, 2]\n{"a": "x", "b": [1, 2]}\n{oops\n', encoding="utf-8")
    batches = list(iter_batches(path, TabularOptions()))
    table = batches[0].table
    assert table.column("a").to_pylist() == ["1", "x"]
    assert table.column("b").to_pylist() == [None, "1;2"]
    assert [(b.row, b.reason.split(":")[0]) for b in batches[0].bad_rows] == [
        (2, "JSON value is not an object"),
        (4, "invalid JSON"),
    ]


def test_format_detection_and_errors(tmp_path: Path) -> None:
    assert detect_format(Path("x.CSV.gz")) == "csv"
    assert detect_format(Path("x.pq")) == "parquet"
    assert detect_format(Path("x.ndjson")) == "jsonl"
    assert detect_format(Path("x.bin"), "csv") == "csv"
    with pytest.raises(ReadError, match="cannot tell"):
        detect_format(Path("x.bin"))
    with pytest.raises(ReadError, match="file not found"):
        read_columns(tmp_path / "missing.csv", TabularOptions())
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ReadError, match="empty file"):
        read_columns(empty, TabularOptions())
