"""``puente status``, ``puente schema`` and ``puente sql``."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from puente.cli.common import console, open_workspace, settings_from, workspace_option
from puente.engine import ENGINES, workspace_engine
from puente.model.records import RECORD_KINDS, get_kind


@click.command(epilog="Example:\n  puente status -w workspace")
@workspace_option
@click.pass_context
def status(ctx: click.Context, workspace: Path | None) -> None:
    """Show the workspace: schema version, rows per table, quarantine size."""
    with open_workspace(ctx, workspace) as ws:
        table = Table(title=f"Workspace {ws.path} (schema v{ws.schema_version()})")
        table.add_column("table")
        table.add_column("rows", justify="right")
        for name in ws.tables():
            table.add_row(name, f"{ws.count(name):,}")
    console.print(table)


@click.command(
    epilog="""\b
Examples:
  puente schema             # list record kinds
  puente schema cmir        # fields of FinCEN Form 105 reports
"""
)
@click.argument("kind", required=False)
def schema(kind: str | None) -> None:
    """Document the record kinds and their fields."""
    if kind is None:
        table = Table(title="Record kinds")
        for col in ("kind", "table", "key", "what"):
            table.add_column(col, overflow="fold")
        for k in RECORD_KINDS.values():
            table.add_row(k.name, k.table, k.key, k.doc)
        console.print(table)
        console.print("FtM entities load as kind [bold]entity[/bold] (FollowTheMoney JSON lines).")
        return
    try:
        spec = get_kind(kind)
    except KeyError as exc:
        raise click.BadParameter(str(exc.args[0]), param_hint="KIND") from exc
    table = Table(title=f"{spec.name}: {spec.doc}")
    for col in ("field", "type", "required", "meaning"):
        table.add_column(col, overflow="fold")
    for f in spec.fields:
        kind_text = f.check.value + (f" ({', '.join(f.choices)})" if f.choices else "")
        table.add_row(f.name, kind_text, "yes" if f.required else "", f.doc)
    console.print(table)


@click.command(
    epilog="""\b
Examples:
  puente sql "SELECT channel, count(*) FROM transactions GROUP BY channel"
  puente sql --engine spark "SELECT currency, sum(amount) FROM transactions GROUP BY 1"
"""
)
@click.argument("query")
@click.option("--engine", type=click.Choice(ENGINES), help="Engine (default: settings).")
@click.option("--limit", default=50, show_default=True, help="Rows to print.")
@workspace_option
@click.pass_context
def sql(ctx: click.Context, query: str, engine: str | None, limit: int, workspace: Path | None) -> None:
    """Run a SQL query (DuckDB dialect) over the workspace through the engine seam."""
    with open_workspace(ctx, workspace) as ws:
        eng = workspace_engine(ws, engine or settings_from(ctx).engine)
        try:
            result = eng.sql(query)
        finally:
            eng.close()
    table = Table(title=f"{result.num_rows:,} row(s) on {eng.name}")
    for name in result.column_names:
        table.add_column(name, overflow="fold")
    for row in result.slice(0, limit).to_pylist():
        table.add_row(*("" if v is None else str(v) for v in row.values()))
    console.print(table)
