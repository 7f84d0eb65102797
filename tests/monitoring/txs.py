"""Hand-built transaction sets for the monitoring tests: a few rows each, made by code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pyarrow as pa

from puente.model.records import TRANSACTION, arrow_schema

D0 = dt.date(2024, 3, 1)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


class Txs:
    """Accumulates transactions; ``table()`` gives them in the workspace's ``transactions`` schema."""

    def __init__(self, prefix: str = "T") -> None:
        self.rows: list[dict[str, Any]] = []
        self.prefix = prefix

    def add(
        self, d: int, amount: float, channel: str, src: str | None = None, dst: str | None = None, **kw: Any
    ) -> str:
        tid = f"{self.prefix}{len(self.rows) + 1:05d}"
        self.rows.append(
            {
                "transaction_id": tid,
                "value_date": day(d),
                "amount": Decimal(f"{amount:.2f}"),
                "currency": kw.pop("currency", "USD"),
                "channel": channel,
                "debtor_account": src,
                "creditor_account": dst,
                "debtor_name": f"NAME {src}" if src else None,
                "creditor_name": f"NAME {dst}" if dst else None,
                "debtor_country": kw.pop("src_country", "US" if src else None),
                "creditor_country": kw.pop("dst_country", "US" if dst else None),
                **kw,
            }
        )
        return tid

    def table(self) -> pa.Table:
        schema = arrow_schema(TRANSACTION)
        cols = {f.name: [r.get(f.name) for r in self.rows] for f in schema}
        return pa.table(cols, schema=schema)
