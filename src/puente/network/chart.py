"""An interactive HTML link chart and timeline of one network, with plotly.js served from a local file.

Layout is computed by igraph (Fruchterman-Reingold, seeded) so the chart is the same on every run; the page loads
``assets/plotly.min.js`` copied from the installed plotly wheel, never a CDN, so it opens on air-gapped machines.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import plotly.offline

from puente.network import algorithms as alg
from puente.network.export import network_edges, network_nodes
from puente.store.workspace import Workspace

#: Marker colour per node group (also what the screenshot test looks for).
COLORS = {"member": "#d62728", "infrastructure": "#1f77b4"}
ASSET = "plotly.min.js"


def link_chart(ws: Workspace, network_id: str, out_dir: Path) -> Path:
    """Write ``network-<id>.html`` (link chart + timeline) and its local plotly asset into ``out_dir``."""
    nodes, edges = network_nodes(ws, network_id), network_edges(ws, network_id)
    ids = np.asarray(nodes.column("node").to_pylist(), dtype=object)
    order = np.argsort(ids)
    src = order[np.searchsorted(ids[order], np.asarray(edges.column("src").to_pylist(), dtype=object))]
    dst = order[np.searchsorted(ids[order], np.asarray(edges.column("dst").to_pylist(), dtype=object))]
    graph = alg.make_graph(len(ids), src, dst, np.asarray(edges.column("weight").to_pylist(), dtype=np.float64))
    import random  # noqa: PLC0415 - only to seed igraph's layout for a stable picture

    rng = random.Random(7)
    seeds = [[rng.random(), rng.random()] for _ in ids]
    xy = np.asarray(graph.layout_fruchterman_reingold(seed=seeds, weights="weight").coords, dtype=np.float64)
    if len(xy) == 0:
        xy = np.zeros((0, 2))
    ex = np.column_stack([xy[src, 0], xy[dst, 0], np.full(len(src), np.nan)]).ravel()
    ey = np.column_stack([xy[src, 1], xy[dst, 1], np.full(len(src), np.nan)]).ravel()
    groups = nodes.column("group_kind").to_pylist()
    labels = [
        f"{lab} ({kind}, {role or '-'})"
        for lab, kind, role in zip(
            nodes.column("label").to_pylist(),
            nodes.column("kind").to_pylist(),
            nodes.column("role").to_pylist(),
            strict=True,
        )
    ]
    chart = go.Figure()
    chart.add_trace(
        go.Scatter(x=ex, y=ey, mode="lines", line={"width": 0.6, "color": "#bbbbbb"}, hoverinfo="skip", name="evidence")
    )
    for group, color in COLORS.items():
        mask = np.asarray([g == group for g in groups], dtype=bool)
        chart.add_trace(
            go.Scatter(
                x=xy[mask, 0] if len(xy) else [],
                y=xy[mask, 1] if len(xy) else [],
                mode="markers",
                name=group,
                marker={"size": 14 if group == "member" else 9, "color": color},
                text=[t for t, m in zip(labels, mask, strict=True) if m],
                hoverinfo="text",
            )
        )
    chart.update_layout(
        title=f"Network {network_id}: members and infrastructure",
        showlegend=True,
        height=640,
        xaxis={"visible": False},
        yaxis={"visible": False},
        plot_bgcolor="white",
    )
    dated = [(r["first_at"], r["etype"], r["n_records"]) for r in edges.to_pylist() if r["first_at"] is not None]
    timeline = go.Figure(
        go.Scatter(
            x=[d[0] for d in dated],
            y=[d[1] for d in dated],
            mode="markers",
            marker={"size": [4 + min(12, n) for _, _, n in dated], "color": "#ff7f0e"},
        )
    )
    timeline.update_layout(title="Timeline: first record of each link, by type", height=360)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "assets").mkdir(exist_ok=True)
    asset = out_dir / "assets" / ASSET
    if not asset.exists():
        asset.write_text(plotly.offline.get_plotlyjs(), encoding="utf-8")
    body = chart.to_html(full_html=False, include_plotlyjs=False, div_id="chart") + timeline.to_html(
        full_html=False, include_plotlyjs=False, div_id="timeline"
    )
    page = out_dir / f"network-{network_id}.html"
    page.write_text(
        f'<!doctype html><html><head><meta charset="utf-8"><title>Network {network_id}</title>'
        f'<script src="assets/{ASSET}"></script></head><body>{body}</body></html>',
        encoding="utf-8",
    )
    return page
