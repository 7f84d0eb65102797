"""Columnar buffers of generated transactions, before they become Arrow records.

A transaction is held as integers (day, seconds, cents, indices of accounts, persons, branches and purpose
texts) so that background and typology generators can append whole NumPy arrays; names, account numbers and
institutions are attached only when a batch is materialised (see :mod:`puente.simulate.arrowize`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from puente.model.records import CHANNELS

I64 = npt.NDArray[np.int64]

CHANNEL = {name: i for i, name in enumerate(CHANNELS)}
CURRENCIES = ("USD", "MXN")
USD, MXN = 0, 1
NONE = -1


@dataclass
class TxnColumns:
    """Transactions as parallel integer arrays; ``-1`` means absent."""

    day: I64
    secs: I64
    cents: I64
    currency: I64
    channel: I64
    debtor: I64  # account index
    creditor: I64  # account index
    conductor: I64  # person index (cash handled by someone other than the owner)
    branch: I64
    purpose: I64  # index into the run's purpose texts
    instance: I64  # typology instance, -1 for background

    def __len__(self) -> int:
        return len(self.day)

    def take(self, idx: I64) -> TxnColumns:
        return TxnColumns(**{f.name: getattr(self, f.name)[idx] for f in fields(self)})

    @staticmethod
    def concat(parts: list[TxnColumns]) -> TxnColumns:
        if not parts:
            return TxnColumns(**{f.name: np.zeros(0, np.int64) for f in fields(TxnColumns)})
        return TxnColumns(**{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(TxnColumns)})

    def sort_key(self) -> I64:
        """Stable chronological order (day, then time of day)."""
        return np.lexsort((self.secs, self.day))


class Purposes:
    """The texts of the ``purpose`` column, interned so that rows carry an index."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self._index: dict[str, int] = {}

    def intern(self, text: str) -> int:
        if text not in self._index:
            self._index[text] = len(self.texts)
            self.texts.append(text)
        return self._index[text]


class TxnBuilder:
    """Collects transaction arrays from many generators."""

    def __init__(self, rng: np.random.Generator, purposes: Purposes) -> None:
        self.rng = rng
        self.purposes = purposes
        self.parts: list[TxnColumns] = []

    def add(
        self,
        *,
        day: I64,
        cents: I64,
        channel: str | I64,
        currency: int | I64 = USD,
        debtor: int | I64 = NONE,
        creditor: int | I64 = NONE,
        conductor: int | I64 = NONE,
        branch: int | I64 = NONE,
        purpose: str | list[str] | I64 | None = None,
        instance: int = NONE,
        business_hours: bool = True,
    ) -> None:
        n = len(day)
        if n == 0:
            return

        def full(value: int | I64) -> I64:
            return np.broadcast_to(np.asarray(value, dtype=np.int64), (n,)).copy()

        if purpose is None:
            purpose_idx = full(NONE)
        elif isinstance(purpose, str):
            purpose_idx = full(self.purposes.intern(purpose))
        elif isinstance(purpose, list):
            purpose_idx = np.asarray([self.purposes.intern(p) for p in purpose], dtype=np.int64)
        else:
            purpose_idx = full(purpose)
        low, high = (8 * 3600, 18 * 3600) if business_hours else (0, 86400)
        self.parts.append(
            TxnColumns(
                day=np.asarray(day, dtype=np.int64),
                secs=self.rng.integers(low, high, n),
                cents=np.maximum(np.asarray(cents, dtype=np.int64), 1),
                currency=full(currency),
                channel=full(CHANNEL[channel]) if isinstance(channel, str) else full(channel),
                debtor=full(debtor),
                creditor=full(creditor),
                conductor=full(conductor),
                branch=full(branch),
                purpose=purpose_idx,
                instance=full(instance),
            )
        )

    def build(self) -> TxnColumns:
        cols = TxnColumns.concat(self.parts)
        return cols.take(cols.sort_key())


def lognormal_cents(
    rng: np.random.Generator, n: int, median: float, sigma: float, low: float, high: float, scale: float = 1.0
) -> I64:
    """Log-normal amounts in cents, clipped to ``[low, high]`` (then multiplied by ``scale``, e.g. an FX rate)."""
    values = np.clip(rng.lognormal(np.log(median), sigma, n), low, high) * scale
    return np.round(values * 100).astype(np.int64)


def uniform_cents(rng: np.random.Generator, n: int, low: float, high: float) -> I64:
    """Uniform amounts in cents; cash is counted in whole dollars, so amounts are rounded to the dollar."""
    return (np.round(rng.uniform(low, high, n)) * 100).astype(np.int64)
