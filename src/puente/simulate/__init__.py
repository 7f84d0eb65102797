"""Synthetic US-Mexico illicit-finance scenarios with exact ground truth (``puente simulate``).

:func:`simulate` writes, for a size preset and a seed, the foundation's record kinds as Parquet
(transactions, CTRs, CMIRs, Mexican cash declarations, crossings, SARs), the people and companies as FtM JSON
lines, a scenario watchlist, and a ``truth/`` folder. The same size, seed and options give byte-identical
record contents. Domain parameters live in ``scenario.yaml`` (see :mod:`puente.simulate.config`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from puente.simulate.config import ScenarioConfig, load_config
from puente.simulate.runner import TYPOLOGIES, SimulationSummary, run

SIZES = ("small", "medium", "large")


def simulate(
    size: str,
    seed: int,
    outdir: Path,
    *,
    list_file: Path | None = None,
    progress: Callable[[str, float], None] | None = None,
    config: ScenarioConfig | None = None,
) -> SimulationSummary:
    """Generate a scenario of ``size`` (small, medium, large) for ``seed`` into ``outdir``.

    ``list_file`` is an OFAC legacy ``sdn.csv``: some watch-listed members then share names with real SDN
    individuals. ``progress`` is called with a step name and a fraction in ``[0, 1]``. ``config`` replaces the
    packaged scenario (e.g. a smaller world for tests).
    """
    return run(size, seed, Path(outdir), list_file=list_file, progress=progress, config=config)


__all__ = ["SIZES", "TYPOLOGIES", "ScenarioConfig", "SimulationSummary", "load_config", "simulate"]
