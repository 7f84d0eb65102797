"""Monitoring results in the workspace: runs, alerts with status, evidence rows.

Re-running monitoring replaces alerts but keeps what analysts decided: an alert id is a hash of subject and
period start, so an alert that fires again keeps its status and reason.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa

from puente.monitoring.alerts import STATUSES
from puente.store.sql import registered, transaction
from puente.store.workspace import Workspace


def save_run(ws: Workspace, run: dict[str, object]) -> None:
    cols = ", ".join(run)
    ws.con.execute(f"INSERT INTO monitoring_runs ({cols}) VALUES ({', '.join('?' for _ in run)})", list(run.values()))


def save_alerts(ws: Workspace, alerts: pa.Table, evidence: pa.Table) -> None:
    """Replace alerts and evidence, carrying over the status of alerts that fire again."""
    con = ws.con
    with registered(con, _new_alerts=alerts, _new_evidence=evidence), transaction(con):
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _kept AS SELECT alert_id, status, status_reason, status_updated_at "
            "FROM monitoring_alerts WHERE status <> 'new'"
        )
        con.execute("DELETE FROM monitoring_alerts")
        con.execute("DELETE FROM monitoring_evidence")
        con.execute(
            "INSERT INTO monitoring_alerts SELECT n.* REPLACE (coalesce(k.status, n.status) AS status, "
            "coalesce(k.status_reason, n.status_reason) AS status_reason, "
            "coalesce(k.status_updated_at, n.status_updated_at) AS status_updated_at) "
            "FROM _new_alerts n LEFT JOIN _kept k USING (alert_id)"
        )
        con.execute("INSERT INTO monitoring_evidence SELECT * FROM _new_evidence")


def set_status(ws: Workspace, alert_id: str, status: str, reason: str | None = None) -> None:
    """Move an alert through review; closing needs a reason (the audit trail of a disposition)."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; choose one of {', '.join(STATUSES)}")
    if status == "closed" and not reason:
        raise ValueError("closing an alert needs a reason")
    found = ws.con.execute("SELECT count(*) FROM monitoring_alerts WHERE alert_id = ?", [alert_id]).fetchall()
    if not found[0][0]:
        raise KeyError(f"no alert {alert_id}")
    ws.con.execute(
        "UPDATE monitoring_alerts SET status = ?, status_reason = ?, status_updated_at = ? WHERE alert_id = ?",
        [status, reason, datetime.now(UTC).replace(tzinfo=None), alert_id],
    )


def list_alerts(ws: Workspace, *, typology: str | None = None, status: str | None = None, limit: int = 50) -> pa.Table:
    """Alerts, riskiest first."""
    where: list[str] = []
    params: list[object] = []
    if typology:
        where.append("typology = ?")
        params.append(typology)
    if status:
        where.append("status = ?")
        params.append(status)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    return ws.query(
        f"SELECT * FROM monitoring_alerts {clause} ORDER BY score DESC, amount_usd DESC, alert_id LIMIT {int(limit)}",
        params,
    )


def alert_evidence(ws: Workspace, alert_id: str) -> pa.Table:
    """An alert's evidence transactions with their counterparties: the drill-down."""
    return ws.query(
        "SELECT e.rule_id, e.role, t.transaction_id, t.value_date, t.amount, t.currency, t.channel, "
        "t.debtor_account, t.debtor_name, t.creditor_account, t.creditor_name, t.conductor_name, t.branch_city, "
        "t.branch_state, t.branch_country, t.purpose FROM monitoring_evidence e "
        "JOIN transactions t ON t.transaction_id = e.transaction_id WHERE e.alert_id = ? "
        "ORDER BY t.value_date, t.transaction_id, e.rule_id",
        [alert_id],
    )
