"""The commands: ``puente lists load``, ``puente screen`` (file and stored subjects), ``puente hits``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import click
import pyarrow.parquet as pq
from click.testing import CliRunner

from puente.cli.screening_cmds import hits, lists, screen
from puente.screening.matcher import Hit
from puente.screening.subjects import HitsWriter, write_hits
from tests.screening.conftest import FIXTURES, ofac_files


def cli() -> click.Group:
    group = click.Group()
    for command in (lists, screen, hits):
        group.add_command(command)
    return group


def test_load_screen_and_suppress(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    runner = CliRunner()
    result = runner.invoke(cli(), ["lists", "load", *map(str, ofac_files()), "--published", "2024-05-03", "-w", ws])
    assert result.exit_code == 0, result.output
    assert "OFAC-SDN" in result.output
    queries = tmp_path / "q.csv"
    queries.write_text(
        "id,name,schema,birth_date,country,id_number\n"
        "a,Joaquín Guzmán,Person,1954-12-25,MX,\n"
        "b,Jennifer Anderson,Person,,,\n"
        "c,Distribuidora Imperial de Baja California SA de CV,Company,,,DIB771110HQ1\n",
        encoding="utf-8",
    )
    out = tmp_path / "hits.csv"
    result = runner.invoke(
        cli(), ["screen", str(queries), "--output", str(out), "--top", "2", "--workers", "1", "-w", ws]
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["query_id", "rank", "list", "entity_id", "matched_name", "score", "match", "explanation"]
    matched = {(r["query_id"], r["entity_id"]) for r in rows if r["match"] == "true"}
    assert matched == {("a", "100"), ("c", "102")}
    expl = json.loads(rows[0]["explanation"])
    assert expl["list_published"] == "2024-05-03"
    strict = tmp_path / "strict.csv"
    runner.invoke(
        cli(), ["screen", str(queries), "--output", str(strict), "--threshold", "0.999", "--workers", "1", "-w", ws]
    )
    with strict.open(encoding="utf-8") as handle:
        strict_rows = {r["query_id"]: r for r in csv.DictReader(handle) if r["match"] == "true"}
    # c: the ID match lifts it to 1.0; a: the full name less the maternal surname (a small cost), corroborated by
    # the exact birth date and the country, reaches the cap too
    assert set(strict_rows) == {"a", "c"}
    assert "id_number" in {f["feature"] for f in json.loads(strict_rows["c"]["explanation"])["features"]}
    assert {f["feature"] for f in json.loads(strict_rows["a"]["explanation"])["features"]} == {"birth_date", "country"}
    # an analyst's false-positive decision on (query a, entry 100) holds when the same file is screened again
    result = runner.invoke(
        cli(), ["hits", "suppress", "a", "OFAC-SDN", "100", "--analyst", "ana", "--reason", "other DOB", "-w", ws]
    )
    assert result.exit_code == 0, result.output
    again = tmp_path / "again.csv"
    result = runner.invoke(cli(), ["screen", str(queries), "--output", str(again), "--workers", "1", "-w", ws])
    assert result.exit_code == 0 and "1 suppressed by analysts" in result.output
    with again.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["query_id"], r["entity_id"]) for r in rows if r["match"] == "true"} == {("c", "102")}
    [kept] = [r for r in rows if (r["query_id"], r["entity_id"]) == ("a", "100")]
    decision = json.loads(kept["explanation"])["suppressed"]
    assert decision["analyst"] == "ana" and decision["reason"] == "other DOB"


def test_bad_list_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli(), ["lists", "load", str(FIXTURES / "sdn_truncated.csv"), "-w", str(tmp_path / "ws")]
    )
    assert result.exit_code != 0
    assert "truncated" in result.output and "previous version stays active" in result.output


def test_screen_needs_input_or_workspace_entities(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli(), ["screen", "-w", str(tmp_path / "ws")])
    assert result.exit_code != 0 and "--workspace-entities" in result.output


def test_hits_writer_streams_batches_into_one_file(tmp_path: Path) -> None:
    hits = [
        Hit(f"q{i}", 1, "OFAC-SDN", str(100 + i), f"NAME {i}", 0.5 + i / 10, i % 2 == 0, {"i": i}) for i in range(5)
    ]
    for suffix in (".csv", ".parquet"):
        whole, streamed = tmp_path / f"whole{suffix}", tmp_path / f"streamed{suffix}"
        write_hits(hits, whole)
        with HitsWriter(streamed) as writer:
            writer.write(hits[:2])
            writer.write([])
            writer.write(hits[2:])
        assert writer.rows == 5
        if suffix == ".csv":
            assert streamed.read_bytes() == whole.read_bytes()
        else:
            assert pq.read_table(streamed).equals(pq.read_table(whole))
