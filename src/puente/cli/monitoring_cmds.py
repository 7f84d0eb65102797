"""``puente monitor run|alerts|evaluate``: thin shells over :mod:`puente.monitoring`."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pyarrow.parquet as pq
from rich.table import Table

from puente.cli.common import console, open_workspace, workspace_option
from puente.engine import ENGINES


@click.group(
    epilog="""\b
Examples:
  puente monitor run -w ws                       # typology rules on the workspace's transactions
  puente monitor alerts -w ws --typology funnel_account
  puente monitor alerts -w ws --show ALERT_ID    # evidence of one alert
  puente monitor alerts -w ws --set-status ALERT_ID closed --reason "known payroll agent"
  puente monitor evaluate amlworld HI-Small_Trans.csv
"""
)
def monitor() -> None:
    """Transaction monitoring: typology rules, learned risk score, explained alerts."""


@monitor.command(
    "run",
    epilog=(
        "\b\nExamples:\n  puente monitor run -w ws\n  puente monitor run -w ws --engine spark --rules my_rules.yaml"
    ),
)
@workspace_option
@click.option("--engine", type=click.Choice(ENGINES), default=None, help="Engine (default: $PUENTE_ENGINE or duckdb).")
@click.option(
    "--rules",
    "rules_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A rules YAML file (default: the shipped library).",
)
@click.option(
    "--labels",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Parquet of transaction_id,label: train the learned score and attach it to alerts.",
)
@click.pass_context
def run_cmd(
    ctx: click.Context, workspace: Path | None, engine: str | None, rules_path: Path | None, labels: Path | None
) -> None:
    """Run the typology library and store alerts in the workspace."""
    from puente.monitoring import run_monitoring  # noqa: PLC0415 - keep `puente --help` fast

    with open_workspace(ctx, workspace) as ws:
        summary = run_monitoring(
            ws, engine=engine, rules_path=rules_path, labels=pq.read_table(labels) if labels else None
        )
    console.print(
        f"{summary.n_alerts:,} alerts on {summary.n_transactions:,} transactions in {summary.seconds:.1f} s "
        f"({summary.engine}, run {summary.run_id})"
    )
    for typology, n in summary.by_typology.items():
        console.print(f"  {typology:<22} {n:>6,}")


@monitor.command(
    "alerts",
    epilog=(
        "\b\n"
        "Examples:\n"
        "  puente monitor alerts -w ws --typology structuring\n"
        "  puente monitor alerts -w ws --show ALERT_ID"
    ),
)
@workspace_option
@click.option("--typology", default=None, help="Only alerts of this typology.")
@click.option("--status", default=None, help="Only alerts with this status (new, in_review, escalated, closed).")
@click.option("--limit", default=30, show_default=True)
@click.option("--show", "show_id", default=None, help="Print one alert's explanation and evidence.")
@click.option("--set-status", nargs=2, default=None, metavar="ALERT_ID STATUS", help="Change an alert's status.")
@click.option("--reason", default=None, help="Reason for the status (required to close).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
@click.pass_context
def alerts_cmd(
    ctx: click.Context,
    workspace: Path | None,
    typology: str | None,
    status: str | None,
    limit: int,
    show_id: str | None,
    set_status: tuple[str, str] | None,
    reason: str | None,
    as_json: bool,
) -> None:
    """List alerts, show one with its evidence, or move one through review."""
    from puente.monitoring import alert_evidence, list_alerts  # noqa: PLC0415 - keep `puente --help` fast
    from puente.monitoring import set_status as set_alert_status  # noqa: PLC0415 - same

    with open_workspace(ctx, workspace) as ws:
        if set_status:
            try:
                set_alert_status(ws, set_status[0], set_status[1], reason)
            except (ValueError, KeyError) as exc:
                raise click.ClickException(str(exc)) from exc
            console.print(f"alert {set_status[0]}: {set_status[1]}")
            return
        if show_id:
            rows = ws.query("SELECT * FROM monitoring_alerts WHERE alert_id = ?", [show_id]).to_pylist()
            if not rows:
                raise click.ClickException(f"no alert {show_id}")
            console.print(rows[0]["explanation"])
            evidence = alert_evidence(ws, show_id).to_pylist()
            table = Table(title=f"Evidence ({len(evidence)} rows)")
            for col in ("rule", "role", "transaction", "date", "amount", "channel", "from", "to"):
                table.add_column(col, overflow="fold")
            for e in evidence:
                table.add_row(
                    e["rule_id"],
                    e["role"],
                    e["transaction_id"],
                    str(e["value_date"]),
                    f"{e['amount']:,.2f} {e['currency']}",
                    e["channel"],
                    e["debtor_name"] or e["debtor_account"] or "",
                    e["creditor_name"] or e["creditor_account"] or "",
                )
            console.print(table)
            return
        found = list_alerts(ws, typology=typology, status=status, limit=limit).to_pylist()
    if as_json:
        for row in found:
            click.echo(json.dumps(row, default=str))
        return
    table = Table(title=f"{len(found)} alerts")
    for col in ("alert", "typology", "subject", "name", "period", "tx", "USD", "score", "status"):
        table.add_column(col, overflow="fold")
    for a in found:
        table.add_row(
            a["alert_id"][:12],
            a["typology"],
            a["subject"],
            a["subject_name"] or "",
            f"{a['period_start']}..{a['period_end']}",
            str(a["n_transactions"]),
            f"{a['amount_usd']:,.0f}",
            f"{a['score']:.2f}",
            a["status"],
        )
    console.print(table)


@monitor.command(
    "evaluate",
    epilog=(
        "\b\n"
        "Examples:\n"
        "  puente monitor evaluate amlsim ../shared/data/amlsim-20K_fanin200\n"
        "  puente monitor evaluate amlworld HI-Small_Trans.csv"
    ),
)
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["amlworld", "amlsim", "samld"]))
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--max-rows", type=int, default=None, help="Read at most this many transactions.")
def evaluate_cmd(fmt: str, path: Path, max_rows: int | None) -> None:
    """Run the AMLworld protocol on a public benchmark file: temporal 60/20/20 split, threshold chosen on
    validation, precision, recall and minority-class F1 on test."""
    from puente.monitoring.benchmark import evaluate_benchmark  # noqa: PLC0415 - lightgbm loads only here

    try:
        result = evaluate_benchmark(fmt, path, max_rows=max_rows)
    except (ValueError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from exc
    for line in result.lines():
        console.print(line)
