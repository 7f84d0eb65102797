"""One call for the whole analysis: discover networks, then score outbound crossings against them."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from puente.engine import workspace_engine
from puente.network.config import load_network_config
from puente.network.discover import DiscoveryResult, discover
from puente.network.targeting import load_rules, score_crossings
from puente.store.workspace import Workspace


@dataclass(frozen=True)
class NetworkRun:
    discovery: DiscoveryResult
    crossings_scored: int
    rules_version: str
    seconds: float


def run_network_analysis(
    ws: Workspace, *, config_path: Path | None = None, rules_path: Path | None = None, engine: str | None = None
) -> NetworkRun:
    """Build the evidence graph, find networks, key players and infrastructure, and rank southbound crossings.

    ``engine`` (default: the workspace settings) builds the evidence graph from the records; the analyses on the
    graph run in this process (see :func:`puente.network.discover.discover`).
    """
    started = time.perf_counter()
    backend = workspace_engine(ws, engine)
    try:
        discovery = discover(ws, load_network_config(config_path), backend)
    finally:
        backend.close()
    rules = load_rules(rules_path)
    scored = score_crossings(ws, rules)
    return NetworkRun(discovery, scored, rules.version, time.perf_counter() - started)
