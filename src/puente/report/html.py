"""Render a report: sections of text, tables and Plotly figures, into one HTML page plus a local asset folder.

Analysts open reports on machines without internet access, so plotly.js is copied from the installed ``plotly``
wheel into ``assets/`` beside the page instead of being loaded from a CDN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.offline
from jinja2 import Environment, PackageLoader, select_autoescape

from puente import __version__

ASSET = "plotly.min.js"


@dataclass
class Figure:
    """A plot in a section."""

    title: str
    figure: go.Figure

    def html(self, div_id: str) -> str:
        self.figure.update_layout(title=self.title, margin={"l": 40, "r": 20, "t": 50, "b": 40}, height=360)
        return str(self.figure.to_html(full_html=False, include_plotlyjs=False, div_id=div_id))


@dataclass
class Section:
    """A titled part of a report: a lead paragraph, key figures, tables (header + rows) and plots."""

    title: str
    lead: str = ""
    facts: dict[str, str] = field(default_factory=dict)
    tables: list[tuple[str, list[str], Sequence[Sequence[Any]]]] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


@dataclass
class Report:
    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)


def write_report(report: Report, out_dir: Path, name: str = "report.html") -> Path:
    """Write the report and its assets into ``out_dir``; returns the page's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    assets = out_dir / "assets"
    assets.mkdir(exist_ok=True)
    asset = assets / ASSET
    if not asset.exists():
        asset.write_text(plotly.offline.get_plotlyjs(), encoding="utf-8")
    env = Environment(loader=PackageLoader("puente.report"), autoescape=select_autoescape(["html", "j2"]))
    rendered = [
        {
            "section": section,
            "figures": [fig.html(f"fig-{i}-{j}") for j, fig in enumerate(section.figures)],
        }
        for i, section in enumerate(report.sections)
    ]
    page = env.get_template("report.html.j2").render(
        report=report,
        sections=rendered,
        asset=f"assets/{ASSET}",
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        version=__version__,
    )
    path = out_dir / name
    path.write_text(page, encoding="utf-8")
    return path
