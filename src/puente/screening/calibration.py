"""The calibrated name score: a logistic model over the features of a name pair, and how it is fitted.

The alignment score of :mod:`puente.screening.score` ranks candidates well but is not a probability: a two-part
name whose rare surname matches exactly and whose given name is missing scores as low as two common names that
merely resemble each other. The calibrated score combines the alignment score with features that tell the two
apart (how much rare evidence aligned, coverage of each side, inexact parts …) in a logistic model, so that the
score reads as a probability of a true match and one threshold holds for every kind of name.

The model's parameters live in ``calibration.yaml`` (versioned, with the provenance of its training data); they
are fitted by ``bench/bench_screening.py --fit-calibration`` on entities of the SDN list disjoint from the
entities the benchmark evaluates. Each hit's explanation lists every feature's contribution to the log-odds
relative to a typical true match (the model's ``reference``), so an analyst sees what raised or lowered it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

#: Features of a (query name, listed name) pair, in the order :meth:`QueryScorer.features` returns them.
FEATURES = (
    "name_score",  # the weighted F-measure of the alignment
    "query_coverage",  # share of the query's rarity-weighted parts aligned (times similarity)
    "listed_coverage",  # same for the listed name
    "evidence",  # log(1 + aligned rarity mass): many rare aligned parts are strong evidence, one common part weak
    "inexact_parts",  # aligned parts that are not identical (fuzzy, phonetic, initial, nickname, translation)
    "min_similarity",  # the weakest aligned pair
    "unmatched_query_parts",
    "unmatched_listed_parts",
    "single_part_name",  # the listed name has one part ("PHOENIX")
    "person",  # the listed party is a person
    "weak_alias",  # the listed name is a weak a.k.a. (OFAC: low quality; alone, not a match)
    "unmatched_listed_role_cost",  # unaligned listed rarity by role (a missing maternal surname costs little)
)


@dataclass(frozen=True)
class Calibration:
    """Logistic model: ``score = 1 / (1 + exp(-(intercept + sum(coef * feature))))``."""

    version: int
    intercept: float
    coefficients: tuple[float, ...]
    reference: tuple[float, ...]  # feature values of a typical true match, for explanations
    provenance: dict[str, Any]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Calibration:
        feats = data["features"]
        missing = [f for f in FEATURES if f not in feats]
        unknown = [f for f in feats if f not in FEATURES]
        if missing or unknown:
            raise ValueError(f"calibration features: missing {missing}, unknown {unknown}")
        return cls(
            version=int(data["version"]),
            intercept=float(data["intercept"]),
            coefficients=tuple(float(feats[f]["coef"]) for f in FEATURES),
            reference=tuple(float(feats[f]["reference"]) for f in FEATURES),
            provenance=dict(data.get("provenance", {})),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "intercept": round(self.intercept, 6),
            "features": {
                f: {"coef": round(c, 6), "reference": round(r, 6)}
                for f, c, r in zip(FEATURES, self.coefficients, self.reference, strict=True)
            },
            "provenance": self.provenance,
        }

    def score(self, x: Sequence[float]) -> float:
        z = self.intercept
        for c, v in zip(self.coefficients, x, strict=True):
            z += c * v
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def explain(self, x: Sequence[float]) -> list[dict[str, Any]]:
        """Each feature's value and its effect on the log-odds against a typical true match, largest first."""
        effects = sorted(
            ((f, v, c * (v - r)) for f, c, v, r in zip(FEATURES, self.coefficients, x, self.reference, strict=True)),
            key=lambda t: -abs(t[2]),
        )
        return [{"feature": f, "value": round(v, 4), "log_odds": round(e, 3)} for f, v, e in effects]


def fit_logistic(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], *, l2: float = 1.0, iterations: int = 50
) -> tuple[float, npt.NDArray[np.float64]]:
    """Intercept and coefficients of an L2-regularised logistic regression (Newton's method on standardised
    features, mapped back to the raw scale)."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ beta, -30, 30)))
        grad = z.T @ (p - y) + penalty * beta
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    coefs = beta[1:] / scale
    intercept = float(beta[0] - (coefs * mean).sum())
    return intercept, coefs
