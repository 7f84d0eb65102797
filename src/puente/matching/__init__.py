"""Entity resolution (deduplication and linkage) across US and Mexican records, on the engine seam.

Public API:

* :func:`load_match_config` — versioned YAML (``persons``, ``companies``, ``febrl`` or a file);
* :func:`resolve` — records (Arrow) + config + engine → :class:`MatchResult` (pairs, per-field weights, model,
  clusters); :func:`count_comparisons` — how many pairs each blocking rule generates, before running;
* :func:`person_records` / :func:`company_records` — FtM entities of a workspace as records;
* :func:`judge`, :func:`latest_judgements`, :func:`store_result`, :func:`write_csv` — workspace edges;
* :func:`evaluate_clusters` and :func:`demo_step` — truth scores and the demo's step;
* :mod:`puente.matching.pprl` — privacy-preserving matching on keyed Bloom-filter encodings.
"""

from puente.matching.blocking import count_comparisons
from puente.matching.config import MatchConfig, load_match_config
from puente.matching.demo import demo_step
from puente.matching.evaluate import evaluate_clusters
from puente.matching.ftm import company_records, person_records
from puente.matching.pipeline import MatchResult, resolve
from puente.matching.store import judge, latest_judgements, store_result, write_csv

__all__ = [
    "MatchConfig",
    "MatchResult",
    "company_records",
    "count_comparisons",
    "demo_step",
    "evaluate_clusters",
    "judge",
    "latest_judgements",
    "load_match_config",
    "person_records",
    "resolve",
    "store_result",
    "write_csv",
]
