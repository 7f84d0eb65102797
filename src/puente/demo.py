"""The main job: a simulated US–Mexico scenario, end to end, on the embedded default.

Creates a fresh workspace, generates a scenario with known answers, ingests every file through the same
validated path users' own data takes, runs every analysis that exists, and writes an HTML report. Each later
capability adds its step here, so ``make demo`` stays the one obvious entry point.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from puente.crossings import demo_step as crossings_step
from puente.ingest import IngestResult, ingest_file
from puente.matching import demo_step as matching_step
from puente.model.records import RECORD_KINDS
from puente.monitoring import demo_step as monitoring_step
from puente.network import demo_step as network_step
from puente.report import Report, Section, workspace_sections, write_report
from puente.screening import demo_step as screening_step
from puente.settings import Settings
from puente.simulate import SimulationSummary, simulate
from puente.store.workspace import DB_FILE, Workspace

StepFn = Callable[[str], None]
AnalysisFn = Callable[[Workspace, Path], tuple[Section, list[str]]]
#: Entity files the scenario writes, loaded as FtM entities.
ENTITY_FILES = ("entities.ftm.json",)

#: Every analysis the demo runs, in order: (name, what it does, step). Each reads the workspace (and the
#: scenario's truth/ only to score itself), writes its results to the workspace, and returns a report section and
#: the lines to print.
ANALYSES: tuple[tuple[str, str, AnalysisFn], ...] = (
    ("matching", "linking US and Mexican records of the same people", matching_step),
    ("crossings", "reconciling CMIRs with Mexican cash declarations", crossings_step),
    ("screening", "screening stored people and companies against the scenario watchlist", screening_step),
    ("monitoring", "running the typology rules over every transaction", monitoring_step),
    ("network", "finding networks, leaders and infrastructure; ranking southbound crossings", network_step),
)


@dataclass
class DemoResult:
    workspace: Path
    scenario: SimulationSummary
    ingests: list[IngestResult] = field(default_factory=list)
    report: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)
    findings: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "workspace": str(self.workspace),
            "scenario": self.scenario.to_dict(),
            "ingests": [r.to_dict() for r in self.ingests],
            "report": str(self.report) if self.report else None,
            "timings": self.timings,
            "findings": self.findings,
        }


def fresh_workspace_dir(path: Path) -> None:
    """Empty ``path`` for a new demo run, refusing to delete a folder that is not a Puente workspace."""
    if path.exists():
        if not (path / DB_FILE).exists() and any(path.iterdir()):
            raise FileExistsError(f"{path}: exists and is not a Puente workspace; choose another folder")
        shutil.rmtree(path)


def scenario_files(scenario_dir: Path) -> list[tuple[str, Path]]:
    """(kind, file) pairs for everything a scenario folder holds that Puente ingests."""
    files = [
        (kind.name, scenario_dir / f"{kind.table}.parquet")
        for kind in RECORD_KINDS.values()
        if (scenario_dir / f"{kind.table}.parquet").exists()
    ]
    files += [("entity", scenario_dir / name) for name in ENTITY_FILES if (scenario_dir / name).exists()]
    return files


def run_demo(
    workspace: Path,
    *,
    size: str = "small",
    seed: int = 7,
    list_file: Path | None = None,
    settings: Settings | None = None,
    step: StepFn | None = None,
    sim_progress: Callable[[str, float], None] | None = None,
) -> DemoResult:
    """Run the whole scenario; ``step`` is told each stage's name as it starts."""
    say = step or (lambda _: None)
    timings: dict[str, float] = {}
    fresh_workspace_dir(workspace)
    scenario_dir = workspace / "scenario"

    started = time.perf_counter()
    say(f"simulating a {size} US–Mexico scenario (seed {seed})")
    summary = simulate(size, seed, scenario_dir, list_file=list_file, progress=sim_progress)
    timings["simulate"] = time.perf_counter() - started

    result = DemoResult(workspace=workspace, scenario=summary)
    with Workspace(workspace, settings or Settings()) as ws:
        started = time.perf_counter()
        for kind, path in scenario_files(scenario_dir):
            say(f"ingesting {path.name} as {kind}")
            result.ingests.append(ingest_file(ws, kind, path))
        timings["ingest"] = time.perf_counter() - started

        sections = [scenario_section(summary)]
        for name, what, analysis in ANALYSES:
            started = time.perf_counter()
            say(what)
            section, lines = analysis(ws, scenario_dir)
            sections.append(section)
            result.findings[name] = lines
            timings[name] = time.perf_counter() - started

        started = time.perf_counter()
        say("writing the report")
        report = Report(
            title="Puente demo: simulated US–Mexico scenario",
            subtitle=f"size {size}, seed {seed}; workspace {workspace}",
            sections=[*sections, *workspace_sections(ws)],
        )
        result.report = write_report(report, ws.reports_dir)
        timings["report"] = time.perf_counter() - started
    result.timings = timings
    return result


def scenario_section(summary: SimulationSummary) -> Section:
    """What the generator planted: the ground truth every analysis is measured against."""
    return Section(
        title="Scenario (ground truth)",
        lead="A synthetic world with known answers: the networks and typology instances below were planted by "
        "the generator, and its truth/ folder says which records belong to which.",
        facts={"networks": f"{summary.networks:,}", **{k: f"{v:,}" for k, v in summary.counts.items()}},
        tables=[
            (
                "Typology instances planted",
                ["typology", "instances"],
                sorted(summary.typology_instances.items()),
            )
        ],
    )
