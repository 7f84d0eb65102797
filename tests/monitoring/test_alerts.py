"""Alerts: merging per subject and period, explanation content, stored status surviving a re-run, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest
from click.testing import CliRunner

from puente.cli.monitoring_cmds import monitor
from puente.monitoring import list_alerts, run_monitoring, set_status
from puente.store import Workspace
from tests.monitoring import cases
from tests.monitoring.conftest import Runner
from tests.monitoring.txs import Txs


def _all_cases() -> pa.Table:
    t = Txs()
    for build in (
        cases.structuring,
        cases.funnel,
        cases.repatriation,
        cases.tbml,
        cases.mirror,
        cases.fan_in,
        cases.fan_out,
        cases.cycle,
        cases.scatter_gather,
        cases.gather_scatter,
        cases.stack,
        cases.bipartite,
        cases.special,
        cases.income,
        cases.rapid,
        # a business: silent under the business inflow level, firing over it (the legal-form regex on both engines)
        lambda t: cases.rapid(t, acct="R2", name="BORDER FREIGHT LLC"),
        lambda t: cases.rapid(t, acct="R3", name="Transportes del Norte, S.A. de C.V.", inflow=1_000_002),
    ):
        build(t)
    return t.table()


def test_explanation_carries_rule_parameters_evidence_and_counterparties(run_rules: Runner) -> None:
    t = Txs()
    cases.structuring(t)
    alerts, evidence = run_rules(t.table())
    [alert] = alerts.to_pylist()
    assert alert["typology"] == "structuring" and alert["rules"] == ["STR-01"]
    assert alert["n_transactions"] == 3 and alert["amount_usd"] == pytest.approx(28500)
    assert "STR-01" in alert["explanation"] and "max_amount=10000" in alert["explanation"]
    assert "USD 28,500.00" in alert["explanation"]
    assert json.loads(alert["parameters"])["STR-01"]["window_days"] == 21
    assert set(evidence["role"].to_pylist()) == {"cash_deposit"}
    assert evidence.num_rows == 3 and alert["status"] == "new"


def test_hits_on_one_subject_merge_into_one_alert_led_by_the_most_specific_rule(run_rules: Runner) -> None:
    t = Txs()
    cases.gather_scatter(t, n_in=5)  # the hub is also a fan-in of 5
    alerts, _ = run_rules(t.table())
    hub = [a for a in alerts.to_pylist() if a["subject"] == "GS"]
    assert len(hub) == 1
    assert hub[0]["typology"] == "gather_scatter" and set(hub[0]["rules"]) == {"GRF-FI", "GRF-GS"}
    assert hub[0]["rule_score"] > 0.8  # noisy-or of two rules


def test_counterparties_are_listed(run_rules: Runner) -> None:
    t = Txs()
    cases.fan_out(t)
    alerts, _ = run_rules(t.table())
    assert set(alerts.to_pylist()[0]["top_counterparties"]) <= {f"FAN-FO{i}" for i in range(5)}


def test_status_survives_a_rerun_and_closing_needs_a_reason(workspace: Workspace) -> None:
    workspace.con.register("_t", _all_cases())
    workspace.con.execute(
        "INSERT INTO transactions SELECT *, 'test.csv' AS _source_file, 1 AS _source_row, 'r' AS _run_id, "
        "now()::TIMESTAMP AS _ingested_at FROM _t"
    )
    summary = run_monitoring(workspace)
    assert summary.n_alerts >= 14 and "cycle" in summary.by_typology
    first = list_alerts(workspace, limit=1).to_pylist()[0]
    with pytest.raises(ValueError, match="reason"):
        set_status(workspace, first["alert_id"], "closed")
    set_status(workspace, first["alert_id"], "closed", "known customer")
    run_monitoring(workspace)
    again = workspace.query(
        "SELECT status, status_reason FROM monitoring_alerts WHERE alert_id = ?", [first["alert_id"]]
    )
    assert again.to_pylist() == [{"status": "closed", "status_reason": "known customer"}]
    assert workspace.count("monitoring_runs") == 2


def test_cli_run_and_alerts(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        ws.con.register("_t", _all_cases())
        ws.con.execute(
            "INSERT INTO transactions SELECT *, 'f' AS _source_file, 1 AS _source_row, 'r' AS _run_id, "
            "now()::TIMESTAMP AS _ingested_at FROM _t"
        )
    runner = CliRunner()
    out = runner.invoke(monitor, ["run", "-w", str(tmp_path / "ws")])
    assert out.exit_code == 0, out.output
    assert "alerts on 7" in out.output or "alerts on" in out.output
    listed = runner.invoke(monitor, ["alerts", "-w", str(tmp_path / "ws"), "--json", "--typology", "cycle"])
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert [r["subject"] for r in rows] == ["CY0"]
    shown = runner.invoke(monitor, ["alerts", "-w", str(tmp_path / "ws"), "--show", rows[0]["alert_id"]])
    assert "GRF-CY" in shown.output and "Evidence (3 rows)" in shown.output
    bad = runner.invoke(monitor, ["alerts", "-w", str(tmp_path / "ws"), "--set-status", rows[0]["alert_id"], "closed"])
    assert bad.exit_code != 0 and "reason" in bad.output
