"""Report sections about the workspace itself: what was loaded, from where, and what was quarantined."""

from __future__ import annotations

import plotly.graph_objects as go

from puente.model.records import RECORD_KINDS
from puente.report.html import Figure, Section
from puente.store.workspace import Workspace


def workspace_sections(ws: Workspace) -> list[Section]:
    """Data-quality sections: records per kind, ingest runs, quarantine, and transaction volumes."""
    return [_loaded(ws), _quarantine(ws), *_transactions(ws)]


def _loaded(ws: Workspace) -> Section:
    counts = {kind.table: ws.count(kind.table) for kind in RECORD_KINDS.values()}
    counts["entities"] = ws.count("entities")
    runs = ws.con.execute(
        "SELECT kind, regexp_extract(source_file, '[^/]+$'), status, rows_read, rows_loaded, rows_existing, "
        "rows_quarantined FROM ingest_runs ORDER BY started_at"
    ).fetchall()
    fig = go.Figure(go.Bar(x=list(counts), y=list(counts.values()), marker_color="#2f6690"))
    fig.update_yaxes(type="log")  # tables differ by orders of magnitude; a linear axis hides the small ones
    return Section(
        title="Data loaded",
        lead="Every stored row keeps its source file, row number and ingest run; re-ingesting a file adds nothing.",
        facts={name: f"{n:,}" for name, n in counts.items() if n},
        tables=[("Ingest runs", ["kind", "file", "status", "read", "loaded", "already stored", "quarantined"], runs)],
        figures=[Figure("Rows per table", fig)],
    )


def _quarantine(ws: Workspace) -> Section:
    by_reason = ws.con.execute(
        "SELECT kind, coalesce(field, '(row)') AS field, reason, count(*) AS n FROM quarantine "
        "GROUP BY ALL ORDER BY n DESC LIMIT 25"
    ).fetchall()
    examples = ws.con.execute(
        "SELECT regexp_extract(source_file, '[^/]+$'), source_row, kind, field, value, reason FROM quarantine "
        "ORDER BY run_id, source_file, source_row LIMIT 15"
    ).fetchall()
    total = sum(r[3] for r in by_reason)
    figures = []
    if by_reason:
        labels = [f"{k}.{f}: {r[:40]}" for k, f, r, _ in by_reason[:12]]
        figures.append(
            Figure(
                "Quarantined values by reason",
                go.Figure(go.Bar(y=labels[::-1], x=[r[3] for r in by_reason[:12]][::-1], orientation="h")),
            )
        )
    return Section(
        title="Quarantine",
        lead="Rows that failed validation are kept whole with the file, row, field and reason: nothing is lost.",
        facts={"issues": f"{total:,}"},
        tables=[
            ("Issues by field and reason", ["kind", "field", "reason", "count"], by_reason),
            ("Examples", ["file", "row", "kind", "field", "value", "reason"], examples),
        ],
        figures=figures,
    )


def _transactions(ws: Workspace) -> list[Section]:
    if not ws.count("transactions"):
        return []
    by_channel = ws.con.execute(
        "SELECT channel, currency, count(*) AS n, sum(amount)::DOUBLE AS total FROM transactions "
        "GROUP BY ALL ORDER BY currency, total DESC"
    ).fetchall()
    monthly = ws.con.execute(
        "SELECT date_trunc('month', value_date) AS m, channel, count(*) AS n FROM transactions GROUP BY ALL ORDER BY 1"
    ).fetchall()
    fig = go.Figure()
    for channel in sorted({r[1] for r in monthly}):
        rows = [r for r in monthly if r[1] == channel]
        fig.add_trace(go.Bar(x=[r[0] for r in rows], y=[r[2] for r in rows], name=channel))
    fig.update_layout(barmode="stack")
    return [
        Section(
            title="Transactions",
            lead="Volumes by channel and currency (amounts are not converted).",
            tables=[
                (
                    "By channel and currency",
                    ["channel", "currency", "transactions", "amount"],
                    [[c, cur, f"{n:,}", f"{t:,.0f}"] for c, cur, n, t in by_channel],
                )
            ],
            figures=[Figure("Transactions per month by channel", fig)],
        )
    ]
