"""The ``puente network`` command group (invoked directly until it is registered in cli/main.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from puente.cli.network_cmds import network
from puente.store import Workspace


def test_list_show_targets_export(analysed: tuple[Workspace, Path], tmp_path: Path) -> None:
    ws, _ = analysed
    ws.con.execute("CHECKPOINT")
    copy = tmp_path / "ws"
    copy.mkdir()
    shutil.copy(ws.db_path, copy / ws.db_path.name)  # the session fixture holds the original open
    ws_dir = str(copy)
    runner = CliRunner()
    listed = runner.invoke(network, ["list", "-w", ws_dir])
    assert listed.exit_code == 0, listed.output
    assert "N001" in listed.output
    shown = runner.invoke(network, ["show", "N001", "-w", ws_dir])
    assert shown.exit_code == 0 and "leader" in shown.output
    assert runner.invoke(network, ["show", "N999", "-w", ws_dir]).exit_code != 0
    targets = runner.invoke(network, ["targets", "--top", "3", "-w", ws_dir])
    assert targets.exit_code == 0 and "score" in targets.output
    out = tmp_path / "n.graphml"
    exported = runner.invoke(network, ["export", "N001", "--format", "graphml", "-o", str(out), "-w", ws_dir])
    assert exported.exit_code == 0 and out.stat().st_size > 0
