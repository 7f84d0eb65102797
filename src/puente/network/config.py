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
from pydantic import BaseModel, ConfigDict, Field, model_validator

CONFIG_VERSION = 4


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
    # Where communities are sought (puente.network.scope): the whole graph, or the nodes within `hops` ties of a
    # risk signal, expanding past the first hop only through nodes of at most `expand_max_degree` ties.
    scope: Literal["whole_graph", "risk_neighbourhood"] = "whole_graph"
    hops: int = Field(default=3, ge=1)
    expand_max_degree: int = Field(default=20, ge=1)
    resolution: float = Field(gt=0)
    iterations: int = Field(ge=-1)
    seed: int = 7
    # Resolution at which a network community is partitioned again to find two networks joined by a shared
    # member (puente.network.algorithms.split_joined); 0 leaves communities as found.
    split_resolution: float = Field(default=0.0, ge=0)
    # ... and each part must hold at least this many members (by the member score inside the part).
    split_min_members: int = Field(default=5, ge=1)


class MembershipConfig(_Strict):
    min_network_risk: float = Field(ge=0)
    min_signal_kinds: int = Field(ge=1)
    risk_signals: dict[str, float]
    min_member_score: float = Field(ge=0)
    member_evidence: dict[str, float]
    # Evidence types that count toward no one's membership (the others must reach min_member_score by themselves);
    # they add to a member's score, which ranks key players.
    corroborating_only: list[str] = Field(default_factory=list)
    min_shared_by: int = Field(ge=1)
    min_flow_records: int = Field(ge=1)

    @model_validator(mode="after")
    def _corroborating_are_evidence(self) -> MembershipConfig:
        unknown = sorted(set(self.corroborating_only) - set(self.member_evidence))
        if unknown:
            raise ValueError(f"corroborating_only names types that are not member_evidence: {unknown}")
        return self


class KeyPlayerConfig(_Strict):
    """Weights of the key-player score (each centrality is scaled to [0, 1] within its network)."""

    brokerage: float = Field(ge=0)
    influence: float = Field(ge=0)
    reach: float = Field(ge=0)
    member_score: float = Field(ge=0)
    # Command reach: members within two personal ties (command_ties edges between members).
    command: float = Field(default=0.0, ge=0)
    command_ties: list[str] = Field(default_factory=list)


class NetworkConfig(_Strict):
    # 2: monitoring alerts as evidence (alert_subject); 3: member evidence per resolved person, corroborating-only
    # evidence, split of joined networks, command reach in the key-player score; 4: communities in the risk
    # neighbourhood (communities.scope). Older files still load.
    version: Literal[1, 2, 3, 4]
    graph: GraphConfig
    communities: CommunityConfig
    membership: MembershipConfig
    key_players: KeyPlayerConfig

    @model_validator(mode="after")
    def _scope_needs_v4(self) -> NetworkConfig:
        if self.communities.scope != "whole_graph" and self.version < 4:
            raise ValueError(f"communities.scope {self.communities.scope!r} needs version 4, not {self.version}")
        return self

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
