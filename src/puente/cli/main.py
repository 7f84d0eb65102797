"""The ``puente`` command."""

from __future__ import annotations

import click

from puente import __version__
from puente.cli.ingest_cmds import ingest, quarantine, runs
from puente.cli.matching_cmds import crossings, match, pprl
from puente.cli.monitoring_cmds import monitor
from puente.cli.network_cmds import network
from puente.cli.scenario_cmds import demo, simulate_cmd
from puente.cli.screening_cmds import hits, lists, screen
from puente.cli.workspace_cmds import schema, sql, status
from puente.settings import Settings


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110},
    epilog="""\b
Start here:
  puente demo                      simulate a US–Mexico scenario, ingest it, analyse it, write a report
  puente ingest transaction f.csv  load your own records (see `puente schema` for the layouts)
""",
)
@click.version_option(__version__, prog_name="puente")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Puente: cross-border illicit-finance intelligence (US–Mexico).

    Settings come from PUENTE_* environment variables (PUENTE_WORKSPACE, PUENTE_ENGINE, PUENTE_MEMORY_LIMIT …).
    """
    ctx.obj = Settings.from_env()


COMMANDS = (
    # workspace and data
    demo, ingest, quarantine, runs, status, schema, sql,
    # analyses
    lists, screen, hits, match, pprl, crossings, monitor, network,
)  # fmt: skip
for command in COMMANDS:
    cli.add_command(command)
cli.add_command(simulate_cmd, name="simulate")
