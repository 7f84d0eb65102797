"""What every command shares: settings, the workspace option, the console and progress bars."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from puente.settings import Settings
from puente.store.workspace import Workspace

console = Console()
err_console = Console(stderr=True)


def settings_from(ctx: click.Context) -> Settings:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Settings) else Settings.from_env()


def workspace_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-w",
        "--workspace",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Workspace folder (default: $PUENTE_WORKSPACE or ./workspace).",
    )(func)


def open_workspace(ctx: click.Context, path: Path | None, *, read_only: bool = False) -> Workspace:
    settings = settings_from(ctx)
    target = path or settings.workspace
    try:
        return Workspace(target, settings, read_only=read_only)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc


@contextmanager
def byte_progress(label: str, *, enabled: bool = True) -> Iterator[Callable[[int, int], None]]:
    """A progress bar over bytes, handed out as a ``(done, total)`` callback."""
    if not enabled:
        yield lambda done, total: None
        return
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update
