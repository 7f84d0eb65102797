from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from puente.cli.main import cli
from puente.model.records import RECORD_KINDS
from tests.conftest import good_row, write_csv

TX = RECORD_KINDS["transaction"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = []
    for name, command in group.commands.items():
        paths.append((*prefix, name))
        if isinstance(command, click.Group):
            paths += _command_paths(command, (*prefix, name))
    return paths


def test_help_lists_commands_each_with_examples(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert isinstance(cli, click.Group)
    for name in cli.commands:
        assert name in result.output
    for path in _command_paths(cli):
        sub = runner.invoke(cli, [*path, "--help"])
        assert sub.exit_code == 0 and "Example" in sub.output, " ".join(path)


def test_ingest_summary_then_quarantine_listing(runner: CliRunner, tmp_path: Path) -> None:
    data = write_csv(tmp_path / "t.csv", [good_row(TX, "T1"), good_row(TX, "T2") | {"currency": "ZZZ"}])
    ws = str(tmp_path / "ws")
    result = runner.invoke(cli, ["ingest", "transaction", str(data), "-w", ws, "--quiet"])
    assert result.exit_code == 0, result.output
    assert "loaded" in result.output and "Quarantined rows" in result.output
    listing = runner.invoke(cli, ["quarantine", "-w", ws])
    assert listing.exit_code == 0
    assert "ISO 4217" in listing.output and "currency" in listing.output and "t.csv" in listing.output
    out_csv = tmp_path / "q.csv"
    assert runner.invoke(cli, ["quarantine", "-w", ws, "--csv", str(out_csv)]).exit_code == 0
    assert "ZZZ" in out_csv.read_text(encoding="utf-8")


def test_ingest_exits_non_zero_only_when_a_file_cannot_be_read(runner: CliRunner, tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    all_bad = write_csv(tmp_path / "bad.csv", [good_row(TX) | {"amount": "-1"}])
    result = runner.invoke(cli, ["ingest", "transaction", str(all_bad), "-w", ws, "--quiet"])
    assert result.exit_code == 0  # read fine; every row quarantined
    missing = runner.invoke(cli, ["ingest", "transaction", str(tmp_path / "gone.csv"), "-w", ws, "--quiet"])
    assert missing.exit_code == 1
    assert "gone.csv: file not found" in missing.output


def test_status_schema_runs_and_sql(runner: CliRunner, tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    data = write_csv(tmp_path / "t.csv", [good_row(TX, "T1")])
    runner.invoke(cli, ["ingest", "transaction", str(data), "-w", ws, "--quiet"])
    status = runner.invoke(cli, ["status", "-w", ws])
    assert status.exit_code == 0 and "transactions" in status.output
    assert "cmir" in runner.invoke(cli, ["schema"]).output
    assert "traveler_last_name" in runner.invoke(cli, ["schema", "cmir"]).output
    assert "loaded" in runner.invoke(cli, ["runs", "-w", ws]).output
    sql = runner.invoke(cli, ["sql", "SELECT count(*) AS n FROM transactions", "-w", ws])
    assert sql.exit_code == 0 and "1" in sql.output
