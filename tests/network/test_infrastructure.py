"""Infrastructure rules and alert evidence on small handmade graphs (no simulation)."""

from __future__ import annotations

from pathlib import Path

from puente.network.config import load_network_config
from puente.network.graph import build_graph
from puente.network.roles import infra_sql
from puente.network.scope import scoped_graph
from puente.store import Workspace
from tests.network.handmade import write_graph

RUN = "NWR-test"


def _member(ws: Workspace, node: str) -> None:
    ws.con.execute(
        "INSERT INTO network_members VALUES (?, 'N001', ?, ?, 'member', 1, 2.0, 1.0, 0.0, 0.0, 0.0, 'associate x1')",
        [RUN, node, node],
    )


def _infra(ws: Workspace) -> set[str]:
    ws.con.execute(infra_sql(max_degree=400, min_flow_records=2), [RUN, RUN, 2])
    return {str(r[0]) for r in ws.con.execute("SELECT node FROM network_infrastructure").fetchall()}


def test_accounts_in_an_alert_with_a_network_account_are_infrastructure(tmp_path: Path) -> None:
    nodes = {
        "boss": "Person",
        "acct-boss": "BankAccount",  # the member's own account
        "alert:1": "Alert",  # a monitoring alert (e.g. fan-in) over transfers into the member's account
        "mule-1": "BankAccount",
        "mule-2": "BankAccount",
        "alert:2": "Alert",  # an alert that touches no account of the network
        "stranger-1": "BankAccount",
        "stranger-2": "BankAccount",
        "shop": "BankAccount",  # paid once by the member: not infrastructure
    }
    edges = [
        ("boss", "acct-boss", "account_holder", 1),
        ("mule-1", "alert:1", "alert_subject", 1),
        ("mule-2", "alert:1", "alert_subject", 1),
        ("acct-boss", "alert:1", "alert_subject", 2),
        ("stranger-1", "alert:2", "alert_subject", 1),
        ("stranger-2", "alert:2", "alert_subject", 1),
        ("acct-boss", "shop", "money_flow", 1),
    ]
    with Workspace(tmp_path / "ws") as ws:
        write_graph(ws, nodes, edges)
        _member(ws, "boss")
        found = _infra(ws)
    assert {"acct-boss", "mule-1", "mule-2"} <= found
    assert not found & {"stranger-1", "stranger-2", "shop", "alert:1", "alert:2"}


def test_without_alerts_only_held_and_repeatedly_paid_accounts_are_infrastructure(tmp_path: Path) -> None:
    nodes = {"boss": "Person", "acct-boss": "BankAccount", "partner": "BankAccount", "shop": "BankAccount"}
    edges = [
        ("boss", "acct-boss", "account_holder", 1),
        ("acct-boss", "partner", "money_flow", 3),
        ("acct-boss", "shop", "money_flow", 1),
    ]
    with Workspace(tmp_path / "ws") as ws:
        write_graph(ws, nodes, edges)
        _member(ws, "boss")
        found = _infra(ws)
    assert found == {"acct-boss", "partner"}


def _alert(ws: Workspace, run_id: str, alert_id: str, started: str, txns: list[str]) -> None:
    ws.con.execute(
        """INSERT INTO monitoring_runs BY NAME SELECT ? AS run_id, CAST(? AS TIMESTAMP) AS started_at,
           'duckdb' AS engine, 1 AS rules_version, 'x' AS rules_sha256""",
        [run_id, started],
    )
    ws.con.execute(
        """INSERT INTO monitoring_alerts BY NAME SELECT ? AS alert_id, ? AS run_id, 'acct' AS subject,
           'fan_in' AS typology, ['fan_in'] AS typologies, ['FI-01'] AS rules, DATE '2024-01-01' AS period_start,
           DATE '2024-01-02' AS period_end, 2 AS n_transactions, 1.0 AS amount_usd, 1.0 AS rule_score,
           1.0 AS score, 'x' AS explanation, '{}' AS parameters, 'new' AS status,
           TIMESTAMP '2024-01-03' AS created_at""",
        [alert_id, run_id],
    )
    for tx in txns:
        ws.con.execute("INSERT INTO monitoring_evidence VALUES (?, 'FI-01', ?, 'incoming')", [alert_id, tx])


def test_alert_edges_come_from_the_latest_monitoring_run(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        for tx, debtor, creditor in [("T1", "111", "999"), ("T2", "222", "999"), ("T3", "333", "888")]:
            ws.con.execute(
                """INSERT INTO transactions BY NAME SELECT ? AS transaction_id, DATE '2024-01-01' AS value_date,
                   6000 AS amount, 'USD' AS currency, 'wire' AS channel, ? AS debtor_account,
                   ? AS creditor_account, 'f' AS _source_file, 0 AS _source_row, 'r' AS _run_id,
                   TIMESTAMP '2024-01-01' AS _ingested_at""",
                [tx, debtor, creditor],
            )
        _alert(ws, "old", "A-old", "2024-01-01", ["T3"])
        _alert(ws, "new", "A-new", "2024-02-01", ["T1", "T2"])
        build_graph(ws, load_network_config().graph)
        rows = ws.con.execute(
            "SELECT src, dst FROM network_edges WHERE etype = 'alert_subject' ORDER BY src"
        ).fetchall()
        kinds = dict(ws.con.execute("SELECT node, kind FROM network_nodes").fetchall())
        shipped = load_network_config()
        whole = shipped.communities.model_copy(update={"scope": "whole_graph"})
        config = shipped.model_copy(update={"communities": whole})
        every_type = config.model_copy(update={"graph": config.graph.model_copy(update={"context_only": []})})
        src_all = scoped_graph(ws, every_type).src
        src_comm = scoped_graph(ws, config).src
    assert rows == [("acct:111", "alert:A-new"), ("acct:222", "alert:A-new"), ("acct:999", "alert:A-new")]
    assert kinds["alert:A-new"] == "Alert"
    # alert edges explain infrastructure but stay out of community detection (context_only): 3 transfers remain
    assert len(src_all) == 6 and len(src_comm) == 3
    assert "alert_subject" in load_network_config().graph.context_only
