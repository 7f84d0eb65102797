"""The main job end to end on the small scenario: every file ingests cleanly and the report is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from puente.demo import fresh_workspace_dir, run_demo
from puente.settings import Settings
from puente.store import Workspace


@pytest.mark.slow
def test_demo_runs_end_to_end(tmp_path: Path) -> None:
    steps: list[str] = []
    result = run_demo(tmp_path / "demo", size="small", seed=3, settings=Settings(memory_limit="1GB"), step=steps.append)
    kinds = {r.kind for r in result.ingests}
    assert kinds == {"transaction", "ctr", "cmir", "mx_declaration", "crossing", "sar", "entity"}
    # The generator writes what the validators accept: a quarantined row here is a bug on one side or the other.
    assert all(r.rows_quarantined == 0 for r in result.ingests), [r.to_dict() for r in result.ingests]
    assert all(r.rows_loaded > 0 for r in result.ingests)
    assert result.report is not None and result.report.exists()
    html = result.report.read_text(encoding="utf-8")
    assert "Scenario (ground truth)" in html and "assets/plotly.min.js" in html
    assert (result.report.parent / "assets" / "plotly.min.js").stat().st_size > 1_000_000
    assert any("ingesting" in s for s in steps)
    with Workspace(tmp_path / "demo") as ws:
        assert ws.count("transactions") == next(r.rows_loaded for r in result.ingests if r.kind == "transaction")


def test_demo_refuses_to_wipe_a_folder_that_is_not_a_workspace(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("thesis", encoding="utf-8")
    with pytest.raises(FileExistsError, match="not a Puente workspace"):
        fresh_workspace_dir(tmp_path)
    assert (tmp_path / "precious.txt").exists()
