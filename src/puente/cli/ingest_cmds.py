"""``puente ingest``, ``puente quarantine`` and ``puente runs``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.table import Table

from puente.cli.common import byte_progress, console, err_console, open_workspace, workspace_option
from puente.ingest import INGEST_KINDS, IngestResult, MappingError, ReadError, ingest_file


def _summary(results: list[IngestResult]) -> Table:
    table = Table(title="Ingest summary")
    for col in (
        "file",
        "kind",
        "status",
        "read",
        "loaded",
        "already stored",
        "quarantined",
        "issues",
        "seconds",
    ):
        table.add_column(col, justify="right" if col not in ("file", "kind", "status") else "left")
    for r in results:
        table.add_row(
            Path(r.source_file).name,
            r.kind,
            r.status,
            f"{r.rows_read:,}",
            f"{r.rows_loaded:,}",
            f"{r.rows_existing:,}",
            f"{r.rows_quarantined:,}",
            f"{r.issues:,}",
            f"{r.elapsed_s:.1f}",
        )
    return table


@click.command(
    epilog="""\b
Examples:
  puente ingest transaction bank_export.csv
  puente ingest cmir cmir_2024.parquet -w cases/laredo
  puente ingest transaction banco.csv --mapping mappings/banco_mx.yaml
  puente ingest entity opensanctions_mx.ftm.json
"""
)
@click.argument("kind", type=click.Choice(INGEST_KINDS))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--mapping", type=click.Path(dir_okay=False, path_type=Path), help="YAML column mapping.")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "jsonl"]), help="Override format.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@workspace_option
@click.pass_context
def ingest(
    ctx: click.Context,
    kind: str,
    files: tuple[Path, ...],
    mapping: Path | None,
    fmt: str | None,
    quiet: bool,
    workspace: Path | None,
) -> None:
    """Validate FILES as records of KIND and load them into the workspace.

    Good rows land; bad rows go to quarantine with file, row, field and reason (see `puente quarantine`).
    Re-ingesting a file adds nothing. Exits non-zero only when a file could not be read at all.
    """
    failed = False
    results = []
    with open_workspace(ctx, workspace) as ws:
        for path in files:
            try:
                with byte_progress(f"{path.name}", enabled=not quiet and sys.stderr.isatty()) as progress:
                    results.append(ingest_file(ws, kind, path, mapping=mapping, fmt=fmt, progress=progress))
            except (ReadError, MappingError) as exc:
                err_console.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
                failed = True
    if results:
        console.print(_summary(results))
        for r in results:
            if r.message:
                console.print(f"  {Path(r.source_file).name}: {r.message}", highlight=False)
        if any(r.rows_quarantined for r in results):
            console.print("Quarantined rows: [bold]puente quarantine[/bold]")
    if failed:
        sys.exit(1)


@click.command(
    epilog="""\b
Examples:
  puente quarantine
  puente quarantine --kind cmir --limit 50
  puente quarantine --run 20261125T083442-0e369c4f --csv bad_rows.csv
"""
)
@click.option("--kind", help="Only this record kind.")
@click.option("--run", "run_id", help="Only this ingest run.")
@click.option("--limit", default=100, show_default=True, help="Rows to show (0: all).")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), help="Write all matches here.")
@workspace_option
@click.pass_context
def quarantine(
    ctx: click.Context,
    kind: str | None,
    run_id: str | None,
    limit: int,
    csv_path: Path | None,
    workspace: Path | None,
) -> None:
    """List quarantined rows: file, row, field, value and reason."""
    where, params = [], []
    if kind:
        where.append("kind = ?")
        params.append(kind)
    if run_id:
        where.append("run_id = ?")
        params.append(run_id)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    sql = (
        "SELECT source_file, source_row, kind, field, value, reason, run_id, raw FROM quarantine "
        f"{clause} ORDER BY run_id, source_file, source_row, field"
    )
    with open_workspace(ctx, workspace) as ws:
        if csv_path:
            ws.con.execute(f"COPY ({sql}) TO '{csv_path.as_posix()}' (HEADER)", params)
            console.print(f"wrote {csv_path}")
            return
        total = ws.con.execute(f"SELECT count(*) FROM quarantine {clause}", params).fetchall()[0][0]
        rows = ws.con.execute(sql + (f" LIMIT {int(limit)}" if limit else ""), params).fetchall()
    table = Table(title=f"Quarantine: {total:,} issue(s)")
    for col in ("file", "row", "kind", "field", "value", "reason"):
        table.add_column(col, overflow="fold")
    for file, row, k, field, value, reason, _run, _raw in rows:
        table.add_row(Path(file).name, str(row or "?"), k, field or "(row)", value or "", reason)
    console.print(table)
    if total > len(rows):
        console.print(f"… {total - len(rows):,} more; use --limit 0 or --csv FILE")


@click.command(epilog="Example:\n  puente runs -w workspace")
@workspace_option
@click.pass_context
def runs(ctx: click.Context, workspace: Path | None) -> None:
    """List ingest runs with their counts."""
    with open_workspace(ctx, workspace) as ws:
        rows = ws.con.execute(
            "SELECT run_id, kind, source_file, status, rows_read, rows_loaded, rows_existing, rows_quarantined, "
            "message FROM ingest_runs ORDER BY started_at"
        ).fetchall()
    table = Table(title="Ingest runs")
    for col in (
        "run",
        "kind",
        "file",
        "status",
        "read",
        "loaded",
        "already stored",
        "quarantined",
        "message",
    ):
        table.add_column(col, overflow="fold")
    for run_id, kind, file, status, *counts, message in rows:
        table.add_row(run_id, kind, Path(file).name, status, *(f"{c:,}" for c in counts), message or "")
    console.print(table)
