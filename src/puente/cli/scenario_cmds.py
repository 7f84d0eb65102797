"""``puente simulate`` and ``puente demo``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from puente.cli.common import console, err_console, settings_from
from puente.demo import DemoResult, run_demo
from puente.simulate import SIZES, simulate


@contextmanager
def _step_progress(enabled: bool) -> Iterator[Callable[[str, float], None]]:
    if not enabled:
        yield lambda step, fraction: None
        return
    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), TimeElapsedColumn(), console=err_console, transient=True
    ) as progress:
        task = progress.add_task("simulating", total=1.0)

        def update(step: str, fraction: float) -> None:
            progress.update(task, description=step, completed=fraction)

        yield update


@click.command(
    epilog="""\b
Examples:
  puente simulate scenario/
  puente simulate --size medium --seed 42 scenario-medium/
  puente simulate --list ../shared/data/ofac-sdn/sdn.csv scenario/
"""
)
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--size", type=click.Choice(SIZES), default="small", show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
@click.option(
    "--list",
    "list_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="OFAC sdn.csv: some synthetic people then share names with real SDN individuals.",
)
def simulate_cmd(outdir: Path, size: str, seed: int, list_file: Path | None) -> None:
    """Generate a realistic US–Mexico scenario with ground truth into OUTDIR.

    Writes the record kinds as Parquet, people and companies as FtM JSON lines, and truth/ with the answers.
    The same size and seed always give the same data.
    """
    with _step_progress(sys.stderr.isatty()) as progress:
        summary = simulate(size, seed, outdir, list_file=list_file, progress=progress)
    table = Table(title=f"Scenario {size}, seed {seed} → {outdir} ({summary.elapsed_seconds:.1f} s)")
    table.add_column("output")
    table.add_column("rows", justify="right")
    for name, count in summary.counts.items():
        table.add_row(name, f"{count:,}")
    console.print(table)
    console.print(f"{summary.networks} networks; typology instances: {json.dumps(summary.typology_instances)}")


def _print_demo(result: DemoResult) -> None:
    scenario = result.scenario
    console.rule("[bold]Puente demo")
    console.print(
        f"Scenario: {scenario.networks} TCO networks planted, "
        f"{sum(scenario.typology_instances.values()):,} typology instances, "
        f"generated in {result.timings.get('simulate', 0):.1f} s"
    )
    table = Table(title="Ingested into the workspace")
    for col in ("file", "kind", "loaded", "quarantined", "seconds"):
        table.add_column(col, justify="left" if col in ("file", "kind") else "right")
    for r in result.ingests:
        table.add_row(
            Path(r.source_file).name, r.kind, f"{r.rows_loaded:,}", f"{r.rows_quarantined:,}", f"{r.elapsed_s:.1f}"
        )
    console.print(table)
    for name, lines in result.findings.items():
        console.rule(f"[bold]{name}")
        for line in lines:
            console.print(line, highlight=False)
    console.print(f"Report: [bold]{result.report}[/bold]")


@click.command(
    epilog="""\b
Examples:
  puente demo
  puente demo --workspace /tmp/demo --size medium --seed 3
"""
)
@click.option(
    "-w",
    "--workspace",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-workspace"),
    show_default=True,
    help="Workspace folder, recreated on each run.",
)
@click.option("--size", type=click.Choice(SIZES), default="small", show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--list", "list_file", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="OFAC sdn.csv.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON instead of tables.")
@click.pass_context
def demo(ctx: click.Context, workspace: Path, size: str, seed: int, list_file: Path | None, as_json: bool) -> None:
    """Run the main job: simulate a US–Mexico scenario, ingest it, analyse it, and write an HTML report."""
    settings = settings_from(ctx)
    show = not as_json

    def step(message: str) -> None:
        if show:
            err_console.print(f"[dim]→ {message}[/dim]")

    try:
        with _step_progress(show and sys.stderr.isatty()) as progress:
            result = run_demo(
                workspace,
                size=size,
                seed=seed,
                list_file=list_file,
                settings=settings,
                step=step,
                sim_progress=progress,
            )
    except FileExistsError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, default=str))
    else:
        _print_demo(result)
