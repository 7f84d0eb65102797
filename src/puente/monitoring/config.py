"""The typology library as versioned config: rules, parameters and time windows, validated on load.

Numbers that decide whether an alert fires belong to analysts, not to code: they live in ``rules.yaml`` (or a file
a user passes), are validated here with pydantic (unknown keys and wrong types are refused with the rule's id),
and every alert records the parameters that were in force when it fired.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

#: Version 2 (fan, gather-scatter and bipartite rules weigh the counterparties' history) needs new parameters, so a
#: version-1 library is refused rather than run with defaults nobody chose. Version 3 changes what the bipartite
#: rule's parameters mean (any shared receivers, not one K2,2 block), so a version-2 file is refused too; version 4
#: changes what the fan rules' min_low_history_share counts (new and low-history counterparties).
CONFIG_VERSION = 4


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Band(_Params):
    """Edges between ``min_amount`` (inclusive) and ``max_amount`` (exclusive) USD within ``window_days``."""

    min_amount: float = Field(ge=0)
    max_amount: float = Field(gt=0)
    window_days: int = Field(ge=0)


class StructuringParams(_Params):
    channels: list[str]
    min_amount: float = Field(ge=0)
    max_amount: float = Field(gt=0)
    window_days: int = Field(ge=0)
    min_deposits: int = Field(ge=2)
    min_branches: int = Field(ge=1)
    min_deposits_one_branch: int = Field(ge=2)
    min_total: float = Field(ge=0)


class FunnelParams(_Params):
    window_days: int = Field(ge=0)
    min_deposits: int = Field(ge=1)
    withdraw_within_days: int = Field(ge=0)
    min_withdrawn_share: float = Field(ge=0)


class RapidParams(_Params):
    window_days: int = Field(ge=0)
    min_inflow: float = Field(gt=0)
    #: Customer segments: a business (its name ends in one of ``business_legal_forms``) turns over far more than a
    #: person, so its money moving through in days is suspicious only from ``business_min_inflow`` on.
    business_min_inflow: float = Field(gt=0)
    business_legal_forms: list[str] = Field(min_length=1)
    min_out_ratio: float = Field(gt=0)
    max_out_ratio: float = Field(gt=0)
    min_credits: int = Field(ge=1)


class RepatriationParams(_Params):
    cash_channels: list[str]
    out_channels: list[str]
    window_days: int = Field(ge=0)
    min_cash: float = Field(gt=0)
    min_single: float = Field(ge=0)
    wire_within_days: int = Field(ge=0)
    min_out_share: float = Field(gt=0)
    countries: list[str]


class TbmlParams(_Params):
    max_over: float = Field(gt=1)
    min_under: float = Field(gt=0, lt=1)


class MirrorParams(_Params):
    min_amount: float = Field(gt=0)
    cash_lookback_days: int = Field(ge=0)
    min_cash_cover: float = Field(gt=0)
    mirror_currency: str
    max_lag_days: int = Field(ge=0)
    max_spread: float = Field(ge=0, lt=1)


class IncomeParams(_Params):
    income_purposes: list[str]
    min_volume: float = Field(gt=0)
    max_income_multiple: float = Field(gt=0)
    #: Credits below this are evidence of nothing: refunds and small transfers do not make a quarter's volume.
    min_credit: float = Field(ge=0)


class SpecialMeasuresParams(_Params):
    institutions: list[str] = Field(min_length=1)


class FanParams(Band):
    min_degree: int = Field(ge=2)
    #: Share of the hub's transfers in the window that fall in the band: a business paying suppliers of all
    #: sizes is not a fan; an account that exists to spread sub-threshold amounts is.
    min_band_share: float = Field(ge=0, le=1)
    #: Share of the fan's counterparties paid (or paying) only once: payroll and regular suppliers recur.
    min_one_off_share: float = Field(ge=0, le=1)
    #: A counterparty with at most this many distinct partners on its side (payers of a payee, payees of a payer)
    #: across the monitored data is low-history: a mule or a fresh account, not an established supplier or
    #: customer that many businesses deal with.
    max_cp_partners: int = Field(ge=1)
    #: Share of the fan's counterparties that must be low-history: an invoice run or a payroll pays established
    #: accounts, a laundering fan disperses to (or collects from) mules.
    min_low_history_share: float = Field(ge=0, le=1)


class CycleParams(_Params):
    min_amount: float = Field(ge=0)
    max_length: int = Field(ge=3, le=10)
    max_hop_days: int = Field(ge=0)
    max_decay: float = Field(ge=0, lt=1)


class ScatterGatherParams(Band):
    min_width: int = Field(ge=2)
    min_kept: float = Field(gt=0, le=1)


class GatherScatterParams(Band):
    min_in: int = Field(ge=2)
    min_out: int = Field(ge=2)
    #: Payments out of the hub count from this amount (the scatter splits what was gathered into shares of any
    #: size, so it has no upper bound and a lower floor than the gathered credits).
    min_out_amount: float = Field(ge=0)
    min_out_ratio: float = Field(gt=0)
    #: Share of the scatter's payees paid only once by the hub: payroll and regular suppliers recur.
    min_one_off_share: float = Field(ge=0, le=1)
    #: As for fans: the share of the scatter's payees that must be low-history accounts (at most
    #: ``max_cp_partners`` distinct payers each): a business that collects and then pays established suppliers
    #: is trading; a hub that disperses what it gathered to mules is layering.
    max_cp_partners: int = Field(ge=1)
    min_low_history_share: float = Field(ge=0, le=1)


class StackParams(Band):
    min_paths: int = Field(ge=2)
    min_sources: int = Field(ge=2)
    min_sinks: int = Field(ge=2)


class BipartiteParams(Band):
    min_targets: int = Field(ge=2)
    min_cosenders: int = Field(ge=1)
    #: Only receivers with at most this many distinct payers count as shared: two businesses paying the same
    #: popular suppliers share receivers by commerce, two senders paying the same mules by design.
    max_cp_partners: int = Field(ge=1)


#: Which parameter model each SQL template takes.
PARAMS: dict[str, type[_Params]] = {
    "structuring": StructuringParams,
    "funnel_account": FunnelParams,
    "rapid_movement": RapidParams,
    "repatriation": RepatriationParams,
    "tbml_invoice": TbmlParams,
    "mirror_swap": MirrorParams,
    "income_inconsistent": IncomeParams,
    "special_measures": SpecialMeasuresParams,
    "fan_in": FanParams,
    "fan_out": FanParams,
    "cycle": CycleParams,
    "scatter_gather": ScatterGatherParams,
    "gather_scatter": GatherScatterParams,
    "stack": StackParams,
    "bipartite": BipartiteParams,
}

Template = Literal[
    "structuring",
    "funnel_account",
    "rapid_movement",
    "repatriation",
    "tbml_invoice",
    "mirror_swap",
    "income_inconsistent",
    "special_measures",
    "fan_in",
    "fan_out",
    "cycle",
    "scatter_gather",
    "gather_scatter",
    "stack",
    "bipartite",
]


class Rule(BaseModel):
    """One typology rule: a template, its parameters, and how much an alert from it should weigh."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[A-Z0-9-]+$")]
    typology: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    template: Template
    description: str
    weight: float = Field(gt=0, le=1)
    priority: int = 0
    enabled: bool = True
    params: dict[str, Any]

    @model_validator(mode="after")
    def _check_params(self) -> Rule:
        try:
            PARAMS[self.template].model_validate(self.params)
        except ValueError as exc:
            raise ValueError(f"rule {self.id}: bad params for template {self.template}: {exc}") from exc
        return self

    def typed_params(self) -> Any:
        """The parameters as the template's validated model."""
        return PARAMS[self.template].model_validate(self.params)


class RuleSet(BaseModel):
    """A versioned typology library."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[4]
    fx_to_usd: dict[str, float]
    alert_gap_days: int = Field(ge=0)
    edge_channels: list[str]
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> RuleSet:
        ids = [r.id for r in self.rules]
        if len(set(ids)) != len(ids):
            raise ValueError(f"rule ids must be unique: {ids}")
        return self

    @property
    def enabled(self) -> list[Rule]:
        return [r for r in self.rules if r.enabled]

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def with_params(self, rule_id: str, **changes: Any) -> RuleSet:
        """A copy with one rule's parameters changed (validated): what tests and what-if analyses use."""
        rules = [
            Rule.model_validate({**r.model_dump(), "params": {**r.params, **changes}}) if r.id == rule_id else r
            for r in self.rules
        ]
        return RuleSet.model_validate({**self.model_dump(), "rules": [r.model_dump() for r in rules]})


def load_rules(path: Path | None = None) -> RuleSet:
    """The shipped library, or a user's YAML file of the same shape."""
    if path is None:
        text = resources.files("puente.monitoring").joinpath("rules.yaml").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return RuleSet.model_validate(data)
