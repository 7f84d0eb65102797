"""The network step of ``puente demo``: find the networks, rank outbound crossings, score both against truth/."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from puente.network.evaluate import Evaluation, evaluate
from puente.network.run import run_network_analysis
from puente.report import Section
from puente.store.workspace import Workspace


def demo_step(ws: Workspace, scenario_dir: Path) -> tuple[Section, list[str]]:
    """Run network analysis and targeting on the workspace; print networks, leaders, infrastructure, top crossings."""
    run = run_network_analysis(ws)
    networks = ws.con.execute(
        "SELECT network_id, n_members, risk, leader_name, reasons FROM networks ORDER BY network_id"
    ).fetchall()
    members = ws.con.execute(
        "SELECT network_id, rank, name, role, round(key_score, 2), evidence FROM network_members "
        "WHERE rank <= 3 ORDER BY network_id, rank"
    ).fetchall()
    infra = ws.con.execute(
        "SELECT network_id, role, count(*) FROM network_infrastructure GROUP BY ALL ORDER BY 1, 3 DESC"
    ).fetchall()
    top = ws.con.execute(
        "SELECT rank, crossing_id, port_code, conveyance_type, driver_name, network_id, score, reasons "
        "FROM crossing_risk ORDER BY rank LIMIT 10"
    ).fetchall()
    lines = [
        f"network: evidence graph {run.discovery.graph.nodes:,} nodes, {run.discovery.graph.edges:,} edges, "
        f"{run.discovery.n_communities:,} communities among {run.discovery.scope_nodes:,} nodes (scope "
        f"{run.discovery.scope}); {len(networks)} networks found in {run.seconds:.1f} s",
    ]
    infra_by: dict[str, list[str]] = {}
    for net, role, n in infra:
        infra_by.setdefault(str(net), []).append(f"{n} {role}")
    for net, n, risk, leader, reasons in networks:
        lines.append(f"  {net}: {n} members, risk {risk:.1f} ({reasons}); presumed leader {leader}")
        lines.append(f"    infrastructure: {', '.join(infra_by.get(str(net), [])) or 'none'}")
    lines.append(f"targeting: {run.crossings_scored:,} southbound crossings ranked (rules {run.rules_version}); top 5:")
    lines += [f"  #{r[0]} {r[1]} port {r[2]} {r[3]} {r[4]} [{r[5] or '-'}] score {r[6]:.0f}: {r[7]}" for r in top[:5]]
    facts = {
        "graph": f"{run.discovery.graph.nodes:,} nodes, {run.discovery.graph.edges:,} edges",
        "communities": f"{run.discovery.n_communities:,}",
        "networks": f"{len(networks)}",
        "crossings ranked": f"{run.crossings_scored:,}",
    }
    truth = scenario_dir / "truth"
    tables: list[tuple[str, list[str], Sequence[Sequence[Any]]]] = []
    if (truth / "network_members.parquet").exists():
        ev = evaluate(ws, truth)
        lines += _truth_lines(ev)
        facts.update(_truth_facts(ev))
        tables.append(
            (
                "Against the ground truth",
                ["planted", "found", "members (truth / found / both)", "F1", "leader rank", "infrastructure recall"],
                [
                    (
                        s.truth_id,
                        s.found_id or "-",
                        f"{s.truth_members} / {s.found_members} / {s.true_positives}",
                        f"{s.f1:.3f}",
                        s.leader_rank or "-",
                        f"{s.infra_recall:.2f}",
                    )
                    for s in ev.networks
                ],
            )
        )
    tables.append(("Networks", ["network", "members", "risk", "presumed leader", "signals"], networks))
    tables.append(
        ("Key players (top 3 per network)", ["network", "rank", "name", "role", "key score", "evidence"], members)
    )
    tables.append(
        (
            "Inspection list (top 10)",
            ["rank", "crossing", "port", "conveyance", "driver", "network", "score", "reasons"],
            top,
        )
    )
    section = Section(
        title="Networks and outbound targeting",
        lead="Communities of the evidence graph (money flows, ownership, family and associates, shared identifiers, "
        "crossings, CTRs, CMIRs, SARs, screening hits) that risk signals mark as networks; members ranked by "
        "key-player centrality with inferred roles; the accounts, companies and vehicles they use; and southbound "
        "crossings "
        "ranked for inspection by versioned rules, each with its reasons.",
        facts=facts,
        tables=tables,
    )
    return section, lines


def _truth_facts(ev: Evaluation) -> dict[str, str]:
    return {
        "member F1 per network (truth)": ", ".join(f"{s.truth_id} {s.f1:.2f}" for s in ev.networks),
        "leader in top 3 (truth)": f"{ev.leader_top3_rate:.0%}",
        "infrastructure recall (truth)": f"{ev.infra_recall:.2f}",
        "smuggling crossings in top 5% (truth)": f"{ev.smuggling_in_top5pct} of {ev.smuggling_crossings}",
    }


def _truth_lines(ev: Evaluation) -> list[str]:
    lines = ["network vs truth:"]
    for s in ev.networks:
        lines.append(
            f"  {s.truth_id} -> {s.found_id or 'not found'}: F1 {s.f1:.3f} ({s.true_positives}/{s.truth_members} "
            f"members, {s.found_members} reported), leader rank {s.leader_rank or '-'}, "
            f"infrastructure recall {s.infra_recall:.2f}"
        )
    lines.append(
        f"  leader in top 3: {ev.leader_top3_rate:.0%}; infrastructure recall {ev.infra_recall:.2f}; smuggling "
        f"crossings in top 5% of the inspection list: {ev.smuggling_in_top5pct}/{ev.smuggling_crossings} "
        f"({ev.smuggling_top5_rate:.0%})"
    )
    return lines
