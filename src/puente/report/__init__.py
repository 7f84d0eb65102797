"""HTML reports: self-contained pages with interactive plots whose assets are served locally (no CDN)."""

from puente.report.html import Figure, Report, Section, write_report
from puente.report.workspace import workspace_sections

__all__ = ["Figure", "Report", "Section", "workspace_sections", "write_report"]
