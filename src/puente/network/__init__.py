"""Network analysis and targeting: the evidence graph, TCO networks, key players, infrastructure, crossing risk.

Public API (everything else is internal):

- :func:`run_network_analysis` — build the graph, discover networks, rank southbound crossings (one call).
- :func:`discover`, :func:`build_graph`, :func:`score_crossings` — the steps, for callers that need one.
- :func:`load_network_config`, :func:`load_rules` — the versioned YAML (``network.yaml``, ``targeting.yaml``).
- :func:`export_network`, :func:`link_chart` — GEXF / GraphML / FtM / CSV exports and the HTML link chart.
- :func:`evaluate` — score results against a simulated scenario's ``truth/``.
- :func:`demo_step` — the ``puente demo`` step.
"""

from puente.network.chart import link_chart
from puente.network.config import NetworkConfig, load_network_config
from puente.network.demo import demo_step
from puente.network.discover import DiscoveryResult, discover
from puente.network.evaluate import Evaluation, evaluate
from puente.network.export import FORMATS, export_network
from puente.network.graph import GraphStats, build_graph
from puente.network.run import NetworkRun, run_network_analysis
from puente.network.targeting import TargetingRules, load_rules, score_crossings

__all__ = [
    "FORMATS",
    "DiscoveryResult",
    "Evaluation",
    "GraphStats",
    "NetworkConfig",
    "NetworkRun",
    "TargetingRules",
    "build_graph",
    "demo_step",
    "discover",
    "evaluate",
    "export_network",
    "link_chart",
    "load_network_config",
    "load_rules",
    "run_network_analysis",
    "score_crossings",
]
