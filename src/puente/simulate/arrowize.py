"""Turning integer-coded transactions into Arrow record batches of the ``transaction`` kind.

Names, account numbers, institutions and branch places are Arrow arrays built once; a batch is materialised
with ``take`` (C++), so the per-row cost stays in Arrow. Money is written straight into decimal128 buffers.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from puente.model.records import CHANNELS, TRANSACTION, arrow_schema
from puente.simulate.events import CURRENCIES, TxnColumns
from puente.simulate.ids import digits
from puente.simulate.tables import cities, institutions
from puente.simulate.world import World

I64 = npt.NDArray[np.int64]

TXN_SCHEMA = arrow_schema(TRANSACTION)


def money(cents: I64, valid: npt.NDArray[np.bool_] | None = None) -> pa.Array:
    """decimal128(18, 2) values from integer cents, without a Python object per value."""
    cents = np.ascontiguousarray(cents, dtype=np.int64)
    words = np.empty((len(cents), 2), dtype=np.int64)
    words[:, 0] = cents
    words[:, 1] = np.where(cents < 0, -1, 0)
    validity = None
    if valid is not None and not valid.all():
        validity = pa.array(valid).buffers()[1]
        null_count = int((~valid).sum())
    else:
        null_count = 0
    return pa.Array.from_buffers(
        pa.decimal128(18, 2), len(cents), [validity, pa.py_buffer(words.tobytes())], null_count=null_count
    )


def prefixed_ids(prefix: str, numbers: I64, width: int) -> pa.Array:
    """``TX0000000001``-style identifiers as an Arrow string array."""
    n = len(numbers)
    pre = np.tile(np.frombuffer(prefix.encode("ascii"), dtype=np.uint8), (n, 1))
    matrix = np.ascontiguousarray(np.hstack([pre, digits(numbers, width)]))
    fixed = matrix.view(f"S{matrix.shape[1]}").ravel()
    return pa.array(fixed, type=pa.binary()).cast(pa.string())


def take(values: pa.Array, idx: I64) -> pa.Array:
    """``values[idx]`` with ``-1`` giving null."""
    mask = idx < 0
    indices = pa.array(np.where(mask, 0, idx), mask=mask if mask.any() else None)
    return values.take(indices)


def dates(days: I64, valid: npt.NDArray[np.bool_] | None = None) -> pa.Array:
    return pa.array(days.astype(np.int32), type=pa.int32(), mask=None if valid is None else ~valid).cast(pa.date32())


class TxnMaterializer:
    """Builds transaction record batches for a world whose accounts are final."""

    def __init__(self, world: World) -> None:
        acc = world.accounts
        inst = institutions()
        table = cities()
        self.acct_name = pa.array(acc.holder_name, pa.string())
        self.acct_party = pa.array(acc.party_id, pa.string())
        self.acct_number = pa.array(acc.number, pa.string())
        self.acct_agent = pa.array([i.name for i in inst], pa.string()).take(pa.array(acc.institution))
        self.acct_country = pa.array(np.where(acc.mexican, "MX", "US").tolist(), pa.string())
        p = world.persons
        bank_names = pc.utf8_upper(
            pa.array(
                [f"{g} {s}" + (f" {m}" if m else "") for g, s, m in zip(p.given, p.paternal, p.maternal, strict=True)]
            )
        )
        self.person_name = pc.replace_substring_regex(pc.utf8_normalize(bank_names, "NFD"), r"\p{Mn}", "")
        self.person_id = pa.array([pp or lid for pp, lid in zip(p.passport, p.local_id, strict=True)], pa.string())
        br = world.branches
        self.branch_id = pa.array(br.branch_id, pa.string())
        self.branch_city = pa.array(table.name, pa.string()).take(pa.array(br.city))
        self.branch_state = pa.array(table.state, pa.string()).take(pa.array(br.city))
        self.branch_country = pa.array(table.country, pa.string()).take(pa.array(br.city))
        self.channels = pa.array(CHANNELS, pa.string())
        self.currencies = pa.array(CURRENCIES, pa.string())

    def table(self, cols: TxnColumns, first_number: int, purposes: list[str]) -> pa.Table:
        n = len(cols)
        numbers = np.arange(first_number, first_number + n, dtype=np.int64)
        micros = (cols.day * 86400 + cols.secs) * 1_000_000
        arrays = [
            prefixed_ids("TX", numbers, 11),
            dates(cols.day),
            pa.array(micros, type=pa.int64()).cast(pa.timestamp("us")),
            money(cols.cents),
            self.currencies.take(pa.array(cols.currency)),
            self.channels.take(pa.array(cols.channel)),
            take(self.acct_name, cols.debtor),
            take(self.acct_party, cols.debtor),
            take(self.acct_number, cols.debtor),
            take(self.acct_agent, cols.debtor),
            take(self.acct_country, cols.debtor),
            take(self.acct_name, cols.creditor),
            take(self.acct_party, cols.creditor),
            take(self.acct_number, cols.creditor),
            take(self.acct_agent, cols.creditor),
            take(self.acct_country, cols.creditor),
            take(self.person_name, cols.conductor),
            take(self.person_id, cols.conductor),
            take(self.branch_id, cols.branch),
            take(self.branch_city, cols.branch),
            take(self.branch_state, cols.branch),
            take(self.branch_country, cols.branch),
            take(pa.array(purposes, pa.string()), cols.purpose),
        ]
        return pa.Table.from_arrays(arrays, schema=TXN_SCHEMA)
