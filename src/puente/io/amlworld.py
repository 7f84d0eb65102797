"""Reader of IBM AMLworld transaction files (Altman et al., NeurIPS 2023: HI/LI-Small/Medium/Large_Trans.csv).

Header: ``Timestamp, From Bank, Account, To Bank, Account, Amount Received, Receiving Currency, Amount Paid,
Payment Currency, Payment Format, Is Laundering`` (the account column name repeats, so columns are read by
position). Rows become Puente transactions (amount paid, ISO currency, Puente channel, the format kept in
``purpose``) plus transaction-level labels. Parsing runs in DuckDB: millions of rows, no Python row loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from puente.model.records import TRANSACTION, arrow_schema

#: Approximate USD value of one unit of each currency (2022 averages): enough for amount bands, not accounting.
USD_RATES = {
    "USD": 1.0,
    "EUR": 1.05,
    "GBP": 1.24,
    "CNY": 0.149,
    "JPY": 0.0076,
    "INR": 0.0127,
    "RUB": 0.0145,
    "CAD": 0.77,
    "AUD": 0.69,
    "CHF": 1.05,
    "BRL": 0.19,
    "MXN": 0.05714,
    "ILS": 0.30,
    "SAR": 0.27,
    "XBT": 20000.0,
    "TRY": 0.06,
    "AED": 0.27,
    "MAD": 0.097,
    "NGN": 0.0023,
    "PKR": 0.0048,
    "ALL": 0.0089,
}

#: Currency names used by AMLworld and SAML-D, mapped to ISO 4217 (XBT for bitcoin, as exchanges write it).
CURRENCY_NAMES = {
    "us dollar": "USD",
    "euro": "EUR",
    "uk pound": "GBP",
    "uk pounds": "GBP",
    "yuan": "CNY",
    "yen": "JPY",
    "rupee": "INR",
    "indian rupee": "INR",
    "ruble": "RUB",
    "canadian dollar": "CAD",
    "australian dollar": "AUD",
    "swiss franc": "CHF",
    "brazil real": "BRL",
    "mexican peso": "MXN",
    "shekel": "ILS",
    "saudi riyal": "SAR",
    "bitcoin": "XBT",
    "turkish lira": "TRY",
    "dirham": "AED",
    "moroccan dirham": "MAD",
    "naira": "NGN",
    "pakistani rupee": "PKR",
    "albanian lek": "ALL",
}

#: AMLworld payment formats as Puente channels (the original stays in ``purpose``).
FORMATS = {
    "ACH": "ach",
    "Wire": "wire",
    "Cheque": "check",
    "Cash": "cash_deposit",
    "Credit Card": "card",
    "Reinvestment": "book_transfer",
    "Bitcoin": "wire",
}

COLUMNS = (
    "ts",
    "from_bank",
    "from_account",
    "to_bank",
    "to_account",
    "amount_received",
    "receiving_currency",
    "amount_paid",
    "payment_currency",
    "payment_format",
    "is_laundering",
)


@dataclass(frozen=True)
class Labelled:
    """Transactions in Puente's schema with the labels a benchmark ships (transaction or account level)."""

    transactions: pa.Table
    labels: pa.Table | None  # transaction_id, label
    account_labels: pa.Table | None = None  # account, label


def case_map(column: str, mapping: dict[str, str], default: str) -> str:
    """A SQL ``CASE`` mapping a column's values (lower-cased when the keys are)."""
    lower = all(k == k.lower() for k in mapping)
    expr = f"lower(trim({column}))" if lower else f"trim({column})"
    whens = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in mapping.items())
    return f"(CASE {expr} {whens} ELSE {default} END)"


def to_transactions(table: pa.Table) -> pa.Table:
    """Fill the columns a benchmark lacks with nulls and cast to the ``transactions`` schema."""
    schema = arrow_schema(TRANSACTION)
    cols = [
        table[f.name].cast(f.type) if f.name in table.column_names else pa.nulls(table.num_rows, f.type) for f in schema
    ]
    return pa.Table.from_arrays(cols, schema=schema)


def read_amlworld(path: Path, max_rows: int | None = None) -> Labelled:
    """Read an AMLworld ``*_Trans.csv``; transaction ids are ``AW`` and the row number (file order)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    con = duckdb.connect()
    columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in COLUMNS) + "}"
    limit = f"LIMIT {int(max_rows)}" if max_rows else ""
    rel = con.sql(f"""
SELECT 'AW' || lpad(CAST(row_number() OVER () AS VARCHAR), 10, '0') AS transaction_id,
       CAST(strptime(ts, '%Y/%m/%d %H:%M') AS DATE) AS value_date, strptime(ts, '%Y/%m/%d %H:%M') AS booked_at,
       CAST(amount_paid AS DECIMAL(18, 2)) AS amount,
       {case_map("payment_currency", CURRENCY_NAMES, "upper(payment_currency)")} AS currency,
       {case_map("payment_format", FORMATS, "'wire'")} AS channel,
       from_bank || ':' || from_account AS debtor_account, from_bank AS debtor_agent,
       to_bank || ':' || to_account AS creditor_account, to_bank AS creditor_agent,
       payment_format AS purpose, CAST(is_laundering AS INTEGER) AS label
FROM (SELECT * FROM read_csv('{path.as_posix()}', header = true, columns = {columns}) {limit})""")
    data = rel.to_arrow_table()
    con.close()
    return Labelled(to_transactions(data), data.select(["transaction_id"]).append_column("label", data["label"]))
