"""Analysis parameters as versioned YAML, validated with pydantic on load.

Edge weights, community resolution and membership thresholds decide who an investigator is shown; they belong in a
file an analyst can read, diff and version (``network.yaml``), not in code. Unknown keys and wrong types are
refused on load.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

CONFIG_VERSION = 2


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GraphConfig(_Strict):
    edge_weights: dict[str, float]
    repeat_log_base: float = Field(gt=1)
    hub_degree: int = Field(ge=1)
    max_degree: int = Field(ge=2)
    # Edge types kept in the graph (for infrastructure and explanations) but left out of community detection and
    # of the degrees that damp hubs: derived links that would otherwise join distinct networks.
    context_only: list[str] = Field(default_factory=list)


class CommunityConfig(_Strict):
    algorithm: Literal["leiden"] = "leiden"
    resolution: float = Field(gt=0)
    iterations: int = Field(ge=-1)
    seed: int = 7


class MembershipConfig(_Strict):
    min_network_risk: float = Field(ge=0)
    min_signal_kinds: int = Field(ge=1)
    risk_signals: dict[str, float]
    min_member_score: float = Field(ge=0)
    member_evidence: dict[str, float]
    min_shared_by: int = Field(ge=1)
    min_flow_records: int = Field(ge=1)


class KeyPlayerConfig(_Strict):
    """Weights of the key-player score (each centrality is scaled to [0, 1] within its network)."""

    brokerage: float = Field(ge=0)
    influence: float = Field(ge=0)
    reach: float = Field(ge=0)
    member_score: float = Field(ge=0)


class NetworkConfig(_Strict):
    version: Literal[1, 2]  # 2: monitoring alerts as evidence (alert_subject); version 1 files still load
    graph: GraphConfig
    communities: CommunityConfig
    membership: MembershipConfig
    key_players: KeyPlayerConfig

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()


def load_network_config(path: Path | None = None) -> NetworkConfig:
    """The shipped ``network.yaml``, or a user's file."""
    text = (
        path.read_text(encoding="utf-8")
        if path
        else resources.files("puente.network").joinpath("network.yaml").read_text(encoding="utf-8")
    )
    return NetworkConfig.model_validate(yaml.safe_load(text))
