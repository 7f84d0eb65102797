"""The network analysis on the engine seam: the evidence graph comes out the same on DuckDB and on Spark (local
mode)."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest

from puente.demo import scenario_files
from puente.engine import Engine, workspace_engine
from puente.ingest import ingest_file
from puente.network.config import load_network_config
from puente.network.graph import build_graph
from puente.screening import demo_step as screening_step
from puente.simulate import simulate
from puente.store import Workspace

#: A few hundred to a few thousand rows per table.
SPARK_SHUFFLE_PARTITIONS = 2


@pytest.fixture(scope="module")
def scenario_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    root = tmp_path_factory.mktemp("network-seam")
    simulate("small", 7, root / "scenario")
    with Workspace(root / "ws") as ws:
        for kind, path in scenario_files(root / "scenario"):
            ingest_file(ws, kind, path)
        screening_step(ws, root / "scenario")
        yield ws


def _graph_rows(ws: Workspace) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    edges = ws.con.execute("SELECT * FROM network_edges ORDER BY src, dst, etype").fetchall()
    nodes = ws.con.execute("SELECT * FROM network_nodes ORDER BY node").fetchall()
    return edges, nodes


@pytest.mark.spark
def test_same_evidence_graph_on_duckdb_and_spark(scenario_ws: Workspace, spark: Engine) -> None:
    config = load_network_config().graph
    duck_stats = build_graph(scenario_ws, config)
    duck_edges, duck_nodes = _graph_rows(scenario_ws)
    spark_engine = workspace_engine(scenario_ws, "spark")
    spark_stats = build_graph(scenario_ws, config, spark_engine)
    spark_edges, spark_nodes = _graph_rows(scenario_ws)

    assert duck_stats == spark_stats and duck_stats.edges > 10_000
    assert duck_nodes == spark_nodes
    assert len(duck_edges) == len(spark_edges)
    for a, b in zip(duck_edges, spark_edges, strict=True):
        # every column equal; the weight (a logarithm) and the summed amount to the last bits of a double, which
        # each engine's math library and summation order set
        assert a[:3] == b[:3] and a[4] == b[4] and a[6:] == b[6:], (a, b)
        for i in (3, 5):
            assert (a[i] is None and b[i] is None) or math.isclose(a[i], b[i], rel_tol=1e-9), (a, b)
    assert any(len(e[8]) > 1 for e in duck_edges)  # the record samples were compared, not just empty lists
