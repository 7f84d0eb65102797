"""``puente network run|list|show|export|chart|targets``: thin shells over :mod:`puente.network`."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from puente.cli.common import console, open_workspace, workspace_option
from puente.engine import ENGINES
from puente.network import FORMATS, export_network, link_chart, run_network_analysis

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group(
    epilog="""\b
Examples:
  puente network run -w ws                        # evidence graph, networks, key players, crossing risk
  puente network list -w ws
  puente network show N001 -w ws                  # members with roles, infrastructure
  puente network targets -w ws --top 20           # ranked southbound inspection list with reasons
  puente network export N001 --format gexf -o n1.gexf -w ws
  puente network chart N001 -o charts/ -w ws      # interactive HTML link chart + timeline (local assets)
"""
)
def network() -> None:
    """Network analysis and outbound crossing targeting."""


@network.command(
    "run",
    epilog=(
        "\b\nExamples:\n  puente network run -w ws\n"
        "  puente network run -w ws --engine spark   # the evidence graph built on Spark"
    ),
)
@workspace_option
@click.option("--config", "config_path", type=_FILE, default=None, help="network.yaml (default: shipped).")
@click.option("--rules", "rules_path", type=_FILE, default=None, help="targeting.yaml (default: shipped).")
@click.option(
    "--engine", type=click.Choice(ENGINES), default=None, help="Engine for the graph build (default: settings)."
)
@click.pass_context
def run_cmd(
    ctx: click.Context, workspace: Path | None, config_path: Path | None, rules_path: Path | None, engine: str | None
) -> None:
    """Build the evidence graph, discover networks and rank southbound crossings."""
    with open_workspace(ctx, workspace) as ws:
        run = run_network_analysis(ws, config_path=config_path, rules_path=rules_path, engine=engine)
    d = run.discovery
    console.print(
        f"{d.graph.nodes:,} nodes, {d.graph.edges:,} edges, {d.n_communities:,} communities "
        f"(among {d.scope_nodes:,} nodes), "
        f"{len(d.networks)} networks; {run.crossings_scored:,} crossings ranked (rules {run.rules_version}) "
        f"in {run.seconds:.1f} s"
    )


@network.command("list", epilog="\b\nExamples:\n  puente network list -w ws")
@workspace_option
@click.pass_context
def list_cmd(ctx: click.Context, workspace: Path | None) -> None:
    """Networks of the latest run."""
    with open_workspace(ctx, workspace, read_only=True) as ws:
        rows = ws.con.execute(
            "SELECT network_id, n_members, round(risk, 1), leader_name, reasons FROM networks ORDER BY 1"
        ).fetchall()
    table = Table("network", "member entities", "risk", "presumed leader", "signals")
    for row in rows:
        table.add_row(*(str(v) for v in row))
    console.print(table)


@network.command("show", epilog="\b\nExamples:\n  puente network show N001 -w ws")
@click.argument("network_id")
@workspace_option
@click.pass_context
def show_cmd(ctx: click.Context, network_id: str, workspace: Path | None) -> None:
    """Members (ranked, with inferred roles and evidence) and infrastructure of one network."""
    with open_workspace(ctx, workspace, read_only=True) as ws:
        members = ws.con.execute(
            "SELECT rank, name, role, round(key_score, 2), evidence FROM network_members WHERE network_id = ? "
            "ORDER BY rank",
            [network_id],
        ).fetchall()
        infra = ws.con.execute(
            "SELECT kind, label, role, used_by FROM network_infrastructure WHERE network_id = ? "
            "ORDER BY used_by DESC, role LIMIT 50",
            [network_id],
        ).fetchall()
    if not members:
        raise click.ClickException(f"no network {network_id!r}; see `puente network list`")
    table = Table("rank", "name", "role", "key score", "evidence", title=f"{network_id} members")
    for row in members:
        table.add_row(*(str(v) for v in row))
    console.print(table)
    table = Table("kind", "label", "role", "used by", title=f"{network_id} infrastructure (top 50)")
    for row in infra:
        table.add_row(*(str(v) for v in row))
    console.print(table)


@network.command("targets", epilog="\b\nExamples:\n  puente network targets -w ws --top 50")
@workspace_option
@click.option("--top", type=int, default=20, show_default=True)
@click.pass_context
def targets_cmd(ctx: click.Context, workspace: Path | None, top: int) -> None:
    """The ranked southbound inspection list with the reasons for each score."""
    with open_workspace(ctx, workspace, read_only=True) as ws:
        rows = ws.con.execute(
            "SELECT rank, crossing_id, crossed_at, port_code, conveyance_type, driver_name, network_id, score, "
            "reasons FROM crossing_risk ORDER BY rank LIMIT ?",
            [top],
        ).fetchall()
    table = Table("rank", "crossing", "at", "port", "conveyance", "driver", "network", "score", "reasons")
    for row in rows:
        table.add_row(*(str(v) for v in row))
    console.print(table)


@network.command(
    "export",
    epilog=(
        "\b\n"
        "Examples:\n"
        "  puente network export N001 --format gexf -o n001.gexf -w ws\n"
        "  puente network export N001 --format csv -o n001/ -w ws"
    ),
)
@click.argument("network_id")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="File (folder for csv).")
@workspace_option
@click.pass_context
def export_cmd(ctx: click.Context, network_id: str, fmt: str, output: Path, workspace: Path | None) -> None:
    """Export one network as GEXF, GraphML, FtM JSON lines or CSV."""
    with open_workspace(ctx, workspace) as ws:
        try:
            path = export_network(ws, network_id, fmt, output)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    console.print(f"wrote {path}")


@network.command("chart", epilog="\b\nExamples:\n  puente network chart N001 -o charts/ -w ws")
@click.argument("network_id")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True)
@workspace_option
@click.pass_context
def chart_cmd(ctx: click.Context, network_id: str, output: Path, workspace: Path | None) -> None:
    """Write an interactive HTML link chart and timeline of one network (assets local, no CDN)."""
    with open_workspace(ctx, workspace) as ws:
        path = link_chart(ws, network_id, output)
    console.print(f"wrote {path}")
