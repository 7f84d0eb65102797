"""Reader of SAML-D (Oztas et al., 2023): synthetic AML transactions with 28 typologies, Mexico among high-risk.

Columns ``Time,Date,Sender_account,Receiver_account,Amount,Payment_currency,Received_currency,
Sender_bank_location,Receiver_bank_location,Payment_type,Is_laundering,Laundering_type``; the typology name is
kept in ``purpose``.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from puente.io.amlworld import CURRENCY_NAMES, Labelled, case_map, to_transactions

PAYMENT_TYPES = {
    "cash deposit": "cash_deposit",
    "cash withdrawal": "cash_withdrawal",
    "cross-border": "wire",
    "credit card": "card",
    "debit card": "card",
    "ach": "ach",
    "cheque": "check",
}
COUNTRIES = {
    "uk": "GB",
    "mexico": "MX",
    "usa": "US",
    "italy": "IT",
    "austria": "AT",
    "spain": "ES",
    "france": "FR",
    "germany": "DE",
    "netherlands": "NL",
    "switzerland": "CH",
    "turkey": "TR",
    "uae": "AE",
    "morocco": "MA",
    "nigeria": "NG",
    "india": "IN",
    "japan": "JP",
    "pakistan": "PK",
    "albania": "AL",
}


def read_samld(path: Path, max_rows: int | None = None) -> Labelled:
    """Read a SAML-D CSV (the full file or a sample)."""
    path = Path(path)
    if path.is_dir():
        found = sorted(path.glob("*.csv"))
        if not found:
            raise FileNotFoundError(f"{path}: no CSV file")
        path = found[0]
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    limit = f"LIMIT {int(max_rows)}" if max_rows else ""
    con = duckdb.connect()
    data = con.sql(f"""
SELECT 'SD' || lpad(CAST(row_number() OVER () AS VARCHAR), 9, '0') AS transaction_id,
    CAST("Date" AS DATE) AS value_date,
       CAST("Date" AS DATE) + CAST("Time" AS TIME) AS booked_at, CAST(Amount AS DECIMAL(18, 2)) AS amount,
       {case_map("Payment_currency", CURRENCY_NAMES, "upper(Payment_currency)")} AS currency,
       {case_map("Payment_type", PAYMENT_TYPES, "'wire'")} AS channel,
       Sender_account AS debtor_account, Receiver_account AS creditor_account,
       {case_map("Sender_bank_location", COUNTRIES, "NULL")} AS debtor_country,
       {case_map("Receiver_bank_location", COUNTRIES, "NULL")} AS creditor_country,
       Laundering_type AS purpose, CAST(Is_laundering AS INTEGER) AS label
FROM (SELECT * FROM read_csv('{path.as_posix()}', header = true, all_varchar = true) {limit})""").to_arrow_table()
    con.close()
    return Labelled(to_transactions(data), data.select(["transaction_id", "label"]))
