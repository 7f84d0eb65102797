"""``puente match``, ``puente pprl`` and ``puente crossings``: entity resolution, PPRL and cash crossings."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from rich.table import Table

from puente.cli.common import console, open_workspace, workspace_option
from puente.crossings import reconcile_workspace, section, write_csv
from puente.engine import ENGINES, workspace_engine
from puente.matching import (
    company_records,
    count_comparisons,
    judge,
    latest_judgements,
    load_match_config,
    person_records,
    resolve,
    store_result,
)
from puente.matching import write_csv as write_match_csv
from puente.matching.demo import section as match_section
from puente.matching.features import derive
from puente.matching.pprl import encode_people, match_encodings, read_encodings, write_encodings
from puente.report import Report, write_report

_F = TypeVar("_F", bound=Callable[..., Any])


def _secret(path: Path) -> bytes:
    secret = path.read_bytes().strip()
    if len(secret) < 16:
        raise click.ClickException(f"{path}: the shared secret must be at least 16 bytes")
    return secret


@click.group(
    epilog=(
        "\b\n"
        "Examples:\n"
        "  puente match link --dry-run\n"
        "  puente match dedupe --schema Company\n"
        "  puente match judge ID1 ID2 different --analyst ana"
    )
)
def match() -> None:
    """Entity resolution: deduplicate or link the workspace's people and companies."""


def _run(
    ctx: click.Context,
    workspace: Path | None,
    schema: str,
    config: str | None,
    engine: str | None,
    csv_dir: Path | None,
    dry_run: bool,
    link: bool,
) -> None:
    with open_workspace(ctx, workspace) as ws:
        cfg = load_match_config(config or ("persons" if schema == "Person" else "companies"))
        records = person_records(ws) if schema == "Person" else company_records(ws)
        eng = workspace_engine(ws, engine)
        if dry_run:
            table = Table("rule", "keys", "pairs alone", "new pairs")
            for row in count_comparisons(eng, derive(records, cfg), cfg, link=link):
                table.add_row(row["rule"], ", ".join(row["keys"]), f"{row['pairs_alone']:,}", f"{row['new_pairs']:,}")
            console.print(table)
            return
        started = time.perf_counter()
        result = resolve(records, cfg, eng, link=link, judgements=latest_judgements(ws))
        seconds = time.perf_counter() - started
        run_id = store_result(ws, result, "link" if link else "dedupe")
        if csv_dir:
            write_match_csv(result, csv_dir)
        page = write_report(
            Report("Puente entity resolution", sections=[match_section(result, seconds)]),
            ws.reports_dir,
            "matching.html",
        )
        console.print(
            f"run {run_id}: {result.features.num_rows:,} records, {len(result.li):,} candidate pairs, "
            f"{int(result.matched.sum()):,} matches in {seconds:.1f}s; report {page}"
        )


_common: list[Callable[[Any], Any]] = [
    click.option("--schema", type=click.Choice(["Person", "Company"]), default="Person", show_default=True),
    click.option("--config", help="Packaged config name (persons, companies, febrl) or a YAML file."),
    click.option("--engine", type=click.Choice(ENGINES), help="Engine (default: PUENTE_ENGINE or duckdb)."),
    click.option("--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path), help="Also write CSV here."),
    click.option("--dry-run", is_flag=True, help="Only report how many comparisons each blocking rule generates."),
    workspace_option,
]


def _with_common(f: _F) -> _F:
    out: Any = f
    for option in reversed(_common):
        out = option(out)
    decorated: _F = out
    return decorated


@match.command(
    "dedupe", epilog="Examples:\n\n  puente match dedupe --dry-run\n\n  puente match dedupe --schema Company --csv out/"
)
@_with_common
@click.pass_context
def dedupe_cmd(
    ctx: click.Context,
    workspace: Path | None,
    schema: str,
    config: str | None,
    engine: str | None,
    csv_dir: Path | None,
    dry_run: bool,
) -> None:
    """Find records of the same person or company within the workspace."""
    _run(ctx, workspace, schema, config, engine, csv_dir, dry_run, link=False)


@match.command("link", epilog="Examples:\n\n  puente match link --engine spark\n\n  puente match link --csv out/")
@_with_common
@click.pass_context
def link_cmd(
    ctx: click.Context,
    workspace: Path | None,
    schema: str,
    config: str | None,
    engine: str | None,
    csv_dir: Path | None,
    dry_run: bool,
) -> None:
    """Link records of the same person or company across sources (e.g. US and Mexican registries)."""
    _run(ctx, workspace, schema, config, engine, csv_dir, dry_run, link=True)


@match.command("judge", epilog="Example:\n\n  puente match judge ID1 ID2 different --analyst ana")
@click.argument("left_id")
@click.argument("right_id")
@click.argument("judgement", type=click.Choice(["same", "different"]))
@click.option("--analyst", required=True)
@click.option("--note")
@workspace_option
@click.pass_context
def judge_cmd(
    ctx: click.Context,
    left_id: str,
    right_id: str,
    judgement: str,
    analyst: str,
    note: str | None,
    workspace: Path | None,
) -> None:
    """Record that two records are the same or different; every later run honours it."""
    with open_workspace(ctx, workspace) as ws:
        judge(ws, left_id, right_id, judgement, analyst, note)
    console.print(f"recorded: {left_id} {judgement} {right_id}")


@click.group(
    epilog=(
        "\b\n"
        "Examples:\n"
        "  puente pprl encode --source 'US registry' --secret-file key.txt us.parquet\n"
        "  puente pprl match us.parquet mx.parquet pairs.csv"
    )
)
def pprl() -> None:
    """Privacy-preserving matching on keyed Bloom-filter encodings."""


@pprl.command(
    "encode",
    epilog="Example:\n\n  puente pprl encode --source 'US registry (synthetic)' --secret-file key.txt us.parquet",
)
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--secret-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True)
@click.option("--source", help="Only records of this source (publisher).")
@workspace_option
@click.pass_context
def encode_cmd(ctx: click.Context, out: Path, secret_file: Path, source: str | None, workspace: Path | None) -> None:
    """Encode the workspace's people locally into an encoding file to share."""
    with open_workspace(ctx, workspace, read_only=True) as ws:
        records = person_records(ws)
    if source:
        records = records.filter(pc.equal(records["source"], source))
    write_encodings(encode_people(records, _secret(secret_file)), out)
    console.print(f"encoded {records.num_rows:,} records into {out}")


@pprl.command(
    "match",
    epilog=(
        "\b\nExamples:\n  puente pprl match us.parquet mx.parquet pairs.csv\n"
        "  puente pprl match --config febrl --threshold 0.9 a.parquet b.parquet pairs.csv"
    ),
)
@click.argument("a", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("b", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--config",
    "config",
    default="persons",
    show_default=True,
    help="PPRL matching config: a shipped name (persons, febrl) or a YAML file of the same shape.",
)
@click.option("--threshold", type=float, default=None, help="Override the config's score threshold.")
def pprl_match_cmd(a: Path, b: Path, out: Path, config: str, threshold: float | None) -> None:
    """Match two encoding files; writes pairs of each side's own record ids with scores."""
    pairs = match_encodings(read_encodings(a), read_encodings(b), threshold=threshold, config=config)
    pacsv.write_csv(pairs, out)
    console.print(f"{pairs.num_rows:,} pairs written to {out}")


@click.group(
    epilog=(
        "\b\nExamples:\n  puente crossings reconcile --csv out/\n  puente crossings reconcile --secret-file key.txt"
    )
)
def crossings() -> None:
    """Cash crossings: reconcile US CMIRs with Mexican cash declarations."""


@crossings.command(
    "reconcile",
    epilog="Examples:\n\n  puente crossings reconcile --csv out/\n\n  puente crossings reconcile --secret-file key.txt",
)
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--secret-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Privacy-preserving mode: compare travellers on encodings keyed with this secret.",
)
@workspace_option
@click.pass_context
def reconcile_cmd(ctx: click.Context, csv_dir: Path | None, secret_file: Path | None, workspace: Path | None) -> None:
    """Pair CMIRs and declarations of the same crossing; report one-sided, discrepant and patterned ones."""
    with open_workspace(ctx, workspace) as ws:
        run = reconcile_workspace(ws, secret=_secret(secret_file) if secret_file else None)
        if csv_dir:
            write_csv(run, csv_dir)
        page = write_report(
            Report("Puente cash-crossing reconciliation", sections=[section(run)]), ws.reports_dir, "crossings.html"
        )
    table = Table("what", "count")
    for k, v in run.counts().items():
        table.add_row(k, f"{v:,}")
    console.print(table)
    console.print(f"report: {page}")
