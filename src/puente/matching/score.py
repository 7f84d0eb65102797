"""Precision, recall and F1 of a set of found items against a set of true ones (pairs, records …)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Score:
    true_pos: int
    false_pos: int
    false_neg: int

    @property
    def precision(self) -> float:
        return self.true_pos / (self.true_pos + self.false_pos) if self.true_pos + self.false_pos else 1.0

    @property
    def recall(self) -> float:
        return self.true_pos / (self.true_pos + self.false_neg) if self.true_pos + self.false_neg else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @classmethod
    def of(cls, found: set[Any], truth: set[Any]) -> Score:
        return cls(len(found & truth), len(found - truth), len(truth - found))

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self) | {"precision": self.precision, "recall": self.recall, "f1": self.f1}
