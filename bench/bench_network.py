"""Benchmark of network analysis: quality against truth per scenario size, and graph speed at scale.

Usage::

    .venv/bin/python bench/bench_network.py --sizes small,medium            # quality + timings per scenario
    .venv/bin/python bench/bench_network.py --workspaces ws-small,ws-medium # same, on prepared workspaces
    .venv/bin/python bench/bench_network.py --synthetic 1000000,10000000    # graph scale: nodes,edges

Scenario mode simulates, ingests, runs the analyses the demo runs before the network step (matching, crossings,
screening, monitoring; ``--prior screening`` for screening only) and the whole network analysis, then scores it
against truth/. Workspace mode runs the network analysis on a workspace that already holds a scenario's records
and analyses (its scenario folder, with truth/, inside it as ``scenario/``; its network tables are replaced), and
scores it the same way
(per-network member F1, leader in top 3, infrastructure recall, smuggling crossings in the top 5%). Synthetic mode
builds a graph of planted communities (edges columnar in DuckDB), loads it into igraph and times Leiden, PageRank
and harmonic/betweenness on a network-sized subgraph; the peer is networkx (Louvain + PageRank) on a sample of the
same graph, run in the same process. Each job runs in a child process that reports its peak RSS (ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from puente.store import Workspace


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scenario_job(size: str, seed: int, prior: str, engine: str) -> dict[str, Any]:
    from puente.demo import ANALYSES, scenario_files
    from puente.ingest import ingest_file
    from puente.simulate import simulate
    from puente.store import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        simulate(size, seed, root / "scenario")
        with Workspace(root / "ws") as ws:
            for kind, path in scenario_files(root / "scenario"):
                ingest_file(ws, kind, path)
            for name, _, step in ANALYSES:
                if name != "network" and prior in {"all", name}:
                    step(ws, root / "scenario")
            return {
                "size": size,
                "seed": seed,
                "prior": prior,
                **_network_job(ws, root / "scenario", engine),
            }


def workspace_job(path: Path, engine: str, memory_limit: str | None) -> dict[str, Any]:
    from puente.settings import Settings
    from puente.store import Workspace

    with Workspace(path, Settings.from_env().with_overrides(memory_limit=memory_limit)) as ws:
        return {"workspace": str(path), **_network_job(ws, path / "scenario", engine)}


def _network_job(ws: Workspace, scenario: Path, engine: str) -> dict[str, Any]:
    from puente.network import evaluate, run_network_analysis

    started = time.perf_counter()
    run = run_network_analysis(ws, engine=engine)
    seconds = time.perf_counter() - started
    ev = evaluate(ws, scenario / "truth")
    return {
        "engine": engine,
        "nodes": run.discovery.graph.nodes,
        "edges": run.discovery.graph.edges,
        "seconds_total": round(seconds, 2),
        "timings": {k: round(v, 2) for k, v in run.discovery.timings.items()},
        "networks_found": len(run.discovery.networks),
        "per_network": [
            {
                "truth": s.truth_id,
                "found": s.found_id,
                "f1": round(s.f1, 3),
                "leader_rank": s.leader_rank,
                "infra_recall": round(s.infra_recall, 3),
            }
            for s in ev.networks
        ],
        "min_f1": round(ev.min_f1, 3),
        "f1_at_least_0_9": f"{sum(s.f1 >= 0.9 for s in ev.networks)}/{len(ev.networks)}",
        "leader_top3_rate": round(ev.leader_top3_rate, 3),
        "infra_recall": round(ev.infra_recall, 3),
        "smuggling_in_top5pct": f"{ev.smuggling_in_top5pct}/{ev.smuggling_crossings}",
        "peak_rss_mb": round(_peak_mb()),
    }


def synthetic_job(n_nodes: int, n_edges: int, sample_edges: int) -> dict[str, Any]:
    import duckdb
    import networkx as nx
    import numpy as np

    from puente.network import algorithms as alg

    con = duckdb.connect()
    block = 200  # planted communities of ~200 nodes; 90% of edges inside a community
    started = time.perf_counter()
    cols = con.execute(
        f"""SELECT s, CASE WHEN random() < 0.9 THEN (s // {block}) * {block} + CAST(random() * {block} AS BIGINT)
                          ELSE CAST(random() * {n_nodes} AS BIGINT) END % {n_nodes} AS d, 0.5 + random() AS w
            FROM (SELECT CAST(random() * {n_nodes} AS BIGINT) AS s FROM range({n_edges}))"""
    ).fetchnumpy()
    build_edges = time.perf_counter() - started
    t = time.perf_counter()
    graph = alg.make_graph(n_nodes, cols["s"], cols["d"], cols["w"])
    load = time.perf_counter() - t
    t = time.perf_counter()
    labels = alg.communities(graph, iterations=2)
    leiden = time.perf_counter() - t
    t = time.perf_counter()
    graph.pagerank(weights="weight")
    pagerank = time.perf_counter() - t
    t = time.perf_counter()
    biggest = np.bincount(labels).argmax()
    sub = graph.induced_subgraph(np.flatnonzero(labels == biggest).tolist())
    alg.centralities(sub)
    network_centrality = time.perf_counter() - t
    result: dict[str, Any] = {
        "nodes": n_nodes,
        "edges": n_edges,
        "edge_build_s": round(build_edges, 2),
        "igraph_load_s": round(load, 2),
        "leiden_s": round(leiden, 2),
        "communities": int(labels.max() + 1),
        "pagerank_s": round(pagerank, 2),
        "network_centrality_s": round(network_centrality, 2),
        "total_s": round(build_edges + load + leiden + pagerank + network_centrality, 2),
        "peak_rss_mb_after_igraph": round(_peak_mb()),
    }
    # peer: networkx on a sample of the same edges, timed the same way, then scaled linearly (optimistic for nx)
    k = min(sample_edges, n_edges)
    t = time.perf_counter()
    nxg = nx.Graph()
    nxg.add_weighted_edges_from(
        zip(cols["s"][:k].tolist(), cols["d"][:k].tolist(), cols["w"][:k].tolist(), strict=True)
    )
    nx.community.louvain_communities(nxg, weight="weight", seed=7)
    nx.pagerank(nxg, weight="weight")
    nx_s = time.perf_counter() - t
    t = time.perf_counter()
    sample = alg.make_graph(n_nodes, cols["s"][:k], cols["d"][:k], cols["w"][:k])
    alg.communities(sample, iterations=2)
    sample.pagerank(weights="weight")
    ig_s = time.perf_counter() - t
    result["peer"] = {
        "sample_edges": k,
        "networkx_louvain_pagerank_s": round(nx_s, 2),
        "igraph_leiden_pagerank_s": round(ig_s, 2),
        "speedup": round(nx_s / ig_s, 1) if ig_s else None,
    }
    result["peak_rss_mb"] = round(_peak_mb())
    return result


def _child(args: list[str], options: list[str] | None = None) -> dict[str, Any]:
    command = [sys.executable, __file__, *(options or []), "--child", *args]
    out = subprocess.run(command, capture_output=True, text=True, check=False)
    if out.returncode:
        return {"args": args, "error": out.stderr[-2000:]}
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--prior", default="all", choices=["all", "screening"], help="analyses run before network")
    parser.add_argument("--workspaces", default="", help="prepared workspaces, comma-separated")
    parser.add_argument("--synthetic", default="", help="NODES,EDGES")
    parser.add_argument("--sample-edges", type=int, default=1_000_000)
    parser.add_argument("--engine", default="duckdb", choices=["duckdb", "spark"], help="engine for the graph build")
    parser.add_argument("--memory-limit", default=None, help="DuckDB memory limit of workspace runs (large: 4GB)")
    parser.add_argument("--out", type=Path, default=Path("bench/results/network.json"))
    parser.add_argument("--child", nargs="*")
    args = parser.parse_args()
    if args.child is not None:
        kind, *rest = args.child
        if kind == "scenario":
            print(json.dumps(scenario_job(rest[0], int(rest[1]), rest[2], args.engine)))
        elif kind == "workspace":
            print(json.dumps(workspace_job(Path(rest[0]), args.engine, args.memory_limit)))
        else:
            print(json.dumps(synthetic_job(int(rest[0]), int(rest[1]), int(rest[2]))))
        return
    options = ["--engine", args.engine] + (["--memory-limit", args.memory_limit] if args.memory_limit else [])
    results: dict[str, Any] = {"machine": platform.platform(), "python": platform.python_version(), "runs": []}
    for size in filter(None, args.sizes.split(",")):
        results["runs"].append({"scenario": _child(["scenario", size, str(args.seed), args.prior], options)})
        print(json.dumps(results["runs"][-1]), flush=True)
    for path in filter(None, args.workspaces.split(",")):
        results["runs"].append({"workspace": _child(["workspace", path], options)})
        print(json.dumps(results["runs"][-1]), flush=True)
    if args.synthetic:
        nodes, edges = (int(x) for x in args.synthetic.split(","))
        results["runs"].append({"synthetic": _child(["synthetic", str(nodes), str(edges), str(args.sample_edges)])})
        print(json.dumps(results["runs"][-1]), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
