"""The scenario configuration: a versioned YAML file validated by pydantic.

All domain numbers (size presets, amount distributions, typology parameters, noise rates) live in
``scenario.yaml`` beside this module, so that the simulated world can be read and reviewed in one place and
changed without touching code. Ranges are written ``[low, high]`` (inclusive for counts).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

CONFIG_VERSION = 1
DEFAULT_CONFIG = Path(__file__).with_name("scenario.yaml")

IntRange = tuple[int, int]
FloatRange = tuple[float, float]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Calendar(_Model):
    start_date: dt.date
    days: int = Field(gt=0)
    period_days: int = Field(gt=0)


class SizePreset(_Model):
    persons: int = Field(gt=0)
    companies: int = Field(gt=0)
    transactions: int = Field(gt=0)
    crossings: int = Field(gt=0)
    networks: int = Field(gt=0)


class Population(_Model):
    mx_resident_share: float
    us_hispanic_share: float
    us_both_surnames_share: float
    border_city_boost: float
    age_min: int
    age_max: int
    passport_share: dict[str, float]
    cross_border_share: float
    second_account_share: float
    account_share: dict[str, float]
    vehicle_share: float
    family_share: float
    company_mx_share: float
    legal_forms: dict[str, dict[str, float]]
    company_words: dict[str, list[str]]
    sectors: list[str]
    sector_weights: list[float]


class LogNormal(_Model):
    """A log-normal amount: ``median`` and log-scale ``sigma``, clipped to ``[min, max]``."""

    median: float = Field(gt=0)
    sigma: float = Field(ge=0)
    min: float = Field(gt=0)
    max: float = Field(gt=0)


class Background(_Model):
    shares: dict[str, float]
    wage: LogNormal
    retail: LogNormal
    business: LogNormal
    remittance: LogNormal
    cash_personal: LogNormal
    cash_business: LogNormal
    mx_domestic: LogNormal
    trade_wire: LogNormal
    cash_deposit_share: float
    remittance_pair_share: float
    wage_earner_share: float
    mx_income_factor: float
    ctr_threshold: float
    legit_declared_per_1000_persons: float
    legit_declared: LogNormal

    @model_validator(mode="after")
    def _shares_sum_to_one(self) -> Self:
        total = sum(self.shares.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"background.shares must sum to 1, not {total}")
        return self


class Crossings(_Model):
    shares: dict[str, float]
    southbound_share: float
    commuter_share: float
    inspection_rate_southbound: dict[str, float]
    inspection_rate_northbound: dict[str, float]
    manifest: LogNormal


class NetworkShape(_Model):
    lieutenants: IntRange
    couriers: IntRange
    brokers: IntRange
    straw_owners: IntRange
    front_companies: IntRange
    transport_companies: IntRange
    vehicles: IntRange
    shared_address_share: float
    us_member_share: float
    watchlist_share: float
    ofac_name_share: float
    associate_decoys: int


class Structuring(_Model):
    instances: IntRange
    deposits: IntRange
    amount: FloatRange
    days: IntRange
    branches: IntRange


class FunnelAccount(_Model):
    instances: IntRange
    deposits: IntRange
    amount: FloatRange
    withdraw_within_days: IntRange
    withdraw_mx_share: float
    interior_cities: list[str]


class BulkCash(_Model):
    instances: IntRange
    amount: FloatRange
    trips: IntRange
    declared_share: float
    cmir_only_share: float
    mx_only_share: float
    mismatch_share: float
    mismatch_factor: FloatRange
    inspection_rate: float
    seizure_given_inspection: float
    weapons_share: float
    weapons: IntRange
    ammo_per_weapon: IntRange
    deposit_before_days: IntRange
    return_after_hours: IntRange


class Repatriation(_Model):
    instances: IntRange
    amount: FloatRange
    pickups: IntRange
    wires: IntRange
    armored_share: float


class Tbml(_Model):
    instances: IntRange
    shipments: IntRange
    invoice: FloatRange
    over_share: float
    over_factor: FloatRange
    under_factor: FloatRange
    funnel_payers: IntRange


class MirrorSwap(_Model):
    instances: IntRange
    legs: IntRange
    amount: FloatRange
    lag_days: IntRange
    spread: FloatRange


class Fan(_Model):
    instances: IntRange
    degree: IntRange
    amount: FloatRange
    days: IntRange


class Cycle(_Model):
    instances: IntRange
    length: IntRange
    amount: FloatRange
    decay: FloatRange
    hop_days: IntRange


class ScatterGather(_Model):
    instances: IntRange
    width: IntRange
    amount: FloatRange
    days: IntRange


class Stack(_Model):
    instances: IntRange
    width: IntRange
    layers: int = Field(ge=2)
    amount: FloatRange
    days: IntRange


class Bipartite(_Model):
    instances: IntRange
    left: IntRange
    right: IntRange
    density: float
    amount: FloatRange
    days: IntRange


class Typologies(_Model):
    structuring: Structuring
    funnel_account: FunnelAccount
    bulk_cash: BulkCash
    repatriation: Repatriation
    tbml: Tbml
    mirror_swap: MirrorSwap
    fan_in: Fan
    fan_out: Fan
    cycle: Cycle
    scatter_gather: ScatterGather
    gather_scatter: ScatterGather
    stack: Stack
    bipartite: Bipartite
    expected_prevalence: FloatRange


class Noise(_Model):
    name_order: float
    maternal_missing: float
    accents_dropped: float
    typo: float
    abbreviation: float
    transliteration: float
    nickname: float
    dob_swapped: float
    missing_fields: float
    id_differs: float
    single_side_share: float
    home_side_factor: float


class SarParams(_Model):
    detection_rate: float
    false_positive_per_100k_txn: float
    filing_lag_days: IntRange


class ScenarioConfig(_Model):
    """The whole scenario file."""

    version: int
    calendar: Calendar
    fx_mxn_per_usd: float = Field(gt=0)
    sizes: dict[str, SizePreset]
    population: Population
    background: Background
    crossings: Crossings
    network: NetworkShape
    typologies: Typologies
    noise: Noise
    sar: SarParams

    @model_validator(mode="after")
    def _known_version(self) -> Self:
        if self.version != CONFIG_VERSION:
            raise ValueError(f"scenario version {self.version} is not supported (expected {CONFIG_VERSION})")
        return self

    def size(self, name: str) -> SizePreset:
        """The preset of a size, with a helpful error for an unknown one."""
        if name not in self.sizes:
            raise ValueError(f"unknown size {name!r}; known sizes: {', '.join(self.sizes)}")
        return self.sizes[name]


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_config(path: Path | None = None, overrides: dict[str, Any] | None = None) -> ScenarioConfig:
    """Load and validate a scenario file (the packaged one by default), optionally deep-merging overrides."""
    raw = yaml.safe_load((path or DEFAULT_CONFIG).read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise ValueError("scenario file must be a mapping")
    if overrides:
        raw = _deep_merge(raw, overrides)
    return ScenarioConfig.model_validate(raw)
