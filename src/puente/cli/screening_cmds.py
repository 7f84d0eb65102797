"""``puente lists``, ``puente screen`` and ``puente hits``: list loading, screening and analysts' decisions."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from puente.cli.common import console, err_console, open_workspace, workspace_option
from puente.screening import (
    FORMATS,
    MODES,
    InputError,
    ListFormatError,
    Matcher,
    apply_suppressions,
    open_alerts,
    read_lists,
    read_queries,
    screen_workspace,
    store_list,
    suppress_hit,
    suppression_decisions,
    workspace_index,
)
from puente.screening.alerts import has_subjects
from puente.screening.lists import list_versions
from puente.screening.matcher import iter_screen_batch
from puente.screening.subjects import HitsWriter
from puente.store.workspace import Workspace


@contextmanager
def _count_progress(label: str, *, enabled: bool) -> Iterator[Callable[[int, int], None]]:
    if not enabled:
        yield lambda done, total: None
        return
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task(label, total=None)
        yield lambda done, total: progress.update(task, completed=done, total=total)


def _rescreen(ws: Workspace, quiet: bool) -> None:
    if not has_subjects(ws):
        return
    matcher = Matcher(workspace_index(ws))
    with _count_progress("re-screening", enabled=not quiet and sys.stderr.isatty()) as progress:
        run = screen_workspace(ws, matcher, trigger="list-update", progress=progress)
    console.print(
        f"re-screened {run.subjects:,} stored subjects: {run.matches:,} hits at threshold, "
        f"[bold]{run.new_alerts:,} new alerts[/bold] ({run.suppressed} suppressed); see `puente hits list`"
    )


@click.group(
    epilog="""\b
Examples:
  puente lists load sdn.csv alt.csv add.csv --published 2024-05-03
  puente lists show
"""
)
def lists() -> None:
    """Load sanctions and watch lists (versioned) and see what each version changed."""


@lists.command(
    "load",
    epilog="""\b
Examples:
  puente lists load sdn.csv alt.csv add.csv --published 2024-05-03
  puente lists load SDN.XML
  puente lists load sdn_advanced.xml
  puente lists load consolidated.xml                       # UN Security Council
  puente lists load opensanctions.ftm.json --name OS-DEFAULT
  puente lists load uif_lpb.csv --mapping uif.yaml         # any other list, mapped
""",
)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Override format detection.")
@click.option("--name", "list_name", help="List name (default: from the format, e.g. OFAC-SDN, UN-SC).")
@click.option("--published", type=click.DateTime(["%Y-%m-%d"]), help="Publish date when the file carries none.")
@click.option("--mapping", type=click.Path(dir_okay=False, path_type=Path), help="YAML mapping for other CSV lists.")
@click.option("--force", is_flag=True, help="Accept a version that removes an implausible share of entries.")
@click.option("--no-rescreen", is_flag=True, help="Do not re-screen stored subjects after loading.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@workspace_option
@click.pass_context
def load_cmd(
    ctx: click.Context,
    files: tuple[Path, ...],
    fmt: str | None,
    list_name: str | None,
    published: object,
    mapping: Path | None,
    force: bool,
    no_rescreen: bool,
    quiet: bool,
    workspace: Path | None,
) -> None:
    """Load list FILES as a new version: additions, removals and changes are recorded.

    A malformed or truncated file is refused with the reason and the previous version stays active. After a
    load, the workspace's stored people and companies are re-screened and alerts raised for new hits only.
    """
    try:
        parsed_lists = read_lists(list(files), fmt, list_name, mapping)
    except ListFormatError as exc:
        raise click.ClickException(f"{exc}; nothing loaded, the previous version stays active") from exc
    with open_workspace(ctx, workspace) as ws:
        table = Table(title="Lists loaded")
        for col in ("list", "version", "status", "entries", "names", "added", "removed", "changed"):
            table.add_column(col, justify="left" if col in ("list", "version", "status") else "right")
        for one in parsed_lists:
            if published is not None and isinstance(published, date):
                one = dataclasses.replace(one, published=published.strftime("%Y-%m-%d"))  # noqa: PLW2901  # the override
            try:
                result = store_list(ws, one, force=force)
            except ListFormatError as exc:
                raise click.ClickException(str(exc)) from exc
            table.add_row(
                result.list_name,
                result.version_id,
                result.status,
                f"{result.entries:,}",
                f"{result.names:,}",
                f"{result.added:,}",
                f"{result.removed:,}",
                f"{result.changed:,}",
            )
            for warning in result.warnings:
                err_console.print(f"[yellow]warning:[/yellow] {warning}")
        console.print(table)
        if not no_rescreen:
            _rescreen(ws, quiet)


@lists.command("show", epilog="Example:\n  puente lists show -w workspace")
@workspace_option
@click.pass_context
def show_cmd(ctx: click.Context, workspace: Path | None) -> None:
    """Every loaded version of every list; the active one is marked."""
    with open_workspace(ctx, workspace, read_only=True) as ws:
        rows = list_versions(ws).to_pylist()
    table = Table(title="List versions")
    for col in ("list", "version", "active", "published", "entries", "added", "removed", "changed"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["list_name"],
            r["version_id"],
            "yes" if r["active"] else "",
            str(r["published"] or "-"),
            f"{r['entries']:,}",
            f"{r['added']:,}",
            f"{r['removed']:,}",
            f"{r['changed']:,}",
        )
    console.print(table)


@click.command(
    epilog="""\b
Examples:
  puente screen customers.csv --output hits.csv
  puente screen customers.parquet --output hits.csv --top 3 --threshold 0.85
  puente screen customers.csv --output parity.csv --mode ofac-parity
  puente screen --workspace-entities                      # every stored person and company, alerts for new hits
""",
)
@click.argument("input_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Hits file (.csv or .parquet).")
@click.option("--top", default=5, show_default=True, type=click.IntRange(1, 100), help="Hits kept per query.")
@click.option("--threshold", type=click.FloatRange(0, 1), help="Match threshold (default from screening.yaml).")
@click.option("--mode", type=click.Choice(MODES), default="puente", show_default=True)
@click.option("--list", "only_lists", multiple=True, help="Screen against these lists only (repeatable).")
@click.option("--workers", type=int, help="Processes (default: every core).")
@click.option("--workspace-entities", is_flag=True, help="Screen every stored person and company.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@workspace_option
@click.pass_context
def screen(
    ctx: click.Context,
    input_file: Path | None,
    output: Path | None,
    top: int,
    threshold: float | None,
    mode: str,
    only_lists: tuple[str, ...],
    workers: int | None,
    workspace_entities: bool,
    quiet: bool,
    workspace: Path | None,
) -> None:
    """Screen people and organisations in INPUT_FILE (columns id,name[,schema,birth_date,country,id_number,address])
    against every active list; one output row per hit with its score and explanation (JSON)."""
    if not workspace_entities and (input_file is None or output is None):
        raise click.UsageError("give INPUT_FILE and --output, or --workspace-entities")
    with open_workspace(ctx, workspace) as ws:
        try:
            matcher = Matcher(workspace_index(ws, list(only_lists) or None), mode=mode, threshold=threshold)
        except LookupError as exc:
            raise click.ClickException(str(exc)) from exc
        show = not quiet and sys.stderr.isatty()
        if workspace_entities:
            with _count_progress("screening stored subjects", enabled=show) as progress:
                run = screen_workspace(ws, matcher, top=top, workers=workers, progress=progress)
            console.print(
                f"screened {run.subjects:,} subjects: {run.matches:,} hits at threshold, "
                f"{run.new_alerts:,} new alerts, {run.suppressed:,} suppressed (run {run.run_id})"
            )
        if input_file is not None and output is not None:
            try:
                queries = read_queries(input_file)
            except InputError as exc:
                raise click.ClickException(str(exc)) from exc
            decisions = suppression_decisions(ws)
            matches = n_suppressed = 0
            with (
                _count_progress(f"screening {input_file.name}", enabled=show) as progress,
                HitsWriter(output) as writer,
            ):
                for batch in iter_screen_batch(matcher, queries, top=top, workers=workers, progress=progress):
                    hits, suppressed = apply_suppressions(batch, decisions)
                    writer.write(hits)
                    matches += sum(1 for h in hits if h.match)
                    n_suppressed += suppressed
            console.print(
                f"screened {len(queries):,} names: {writer.rows:,} hits, {matches:,} at threshold "
                f"({n_suppressed:,} suppressed by analysts) -> {output}"
            )


@click.group(
    epilog="""\b
Examples:
  puente hits list
  puente hits suppress pte-1a2b OFAC-SDN 12345 --analyst jdoe --reason "different DOB and nationality"
"""
)
def hits() -> None:
    """Screening alerts and analysts' decisions on them."""


@hits.command("list", epilog="Example:\n  puente hits list -w workspace")
@workspace_option
@click.pass_context
def hits_list(ctx: click.Context, workspace: Path | None) -> None:
    """Open screening alerts, best score first."""
    with open_workspace(ctx, workspace, read_only=True) as ws:
        rows = open_alerts(ws).to_pylist()
    table = Table(title=f"Open screening alerts ({len(rows)})")
    for col in ("alert", "subject", "name", "list", "entry", "listed name", "score"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["alert_id"],
            r["subject_id"],
            r["subject_name"] or "",
            r["list_name"],
            r["entity_id"],
            r["matched_name"],
            f"{r['score']:.3f}",
        )
    console.print(table)


@hits.command(
    "suppress",
    epilog="Example:\n  puente hits suppress pte-1a2b OFAC-SDN 12345 --analyst jdoe --reason 'different DOB'",
)
@click.argument("subject_id")
@click.argument("list_name")
@click.argument("entity_id")
@click.option("--analyst", required=True, help="Who decides (recorded in the audit trail).")
@click.option("--reason", required=True, help="Why this is a false positive.")
@workspace_option
@click.pass_context
def hits_suppress(
    ctx: click.Context,
    subject_id: str,
    list_name: str,
    entity_id: str,
    analyst: str,
    reason: str,
    workspace: Path | None,
) -> None:
    """Mark the hit of SUBJECT_ID on LIST_NAME entry ENTITY_ID a false positive; it stays suppressed."""
    with open_workspace(ctx, workspace) as ws:
        closed = suppress_hit(ws, subject_id, list_name, entity_id, analyst=analyst, reason=reason)
    console.print(f"suppressed {subject_id} / {list_name} {entity_id}; {closed} open alert(s) closed; audited")
