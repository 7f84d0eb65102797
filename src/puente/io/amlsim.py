"""Reader of IBM AMLSim outputs, in both layouts the project has published.

* the sample layout (``sample/*.tgz``): ``transactions.csv`` with ``sourceNodeId,targetNodeId,value,time``
  (time is a simulation step, read as days from 2017-01-01) and ``nodes.csv`` with ``nodeid,isFraud,...``:
  labels are per account; a transaction is labelled when both of its accounts are fraudulent (an approximation
  the AMLSim sample's own documentation suggests);
* the newer layout: ``transactions.csv`` with ``tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,
  is_sar,alert_id`` (transaction labels), plus ``accounts.csv`` and ``alert_*.csv`` (not needed for labels).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from puente.io.amlworld import Labelled, to_transactions

EPOCH = "2017-01-01"


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [c.strip() for c in handle.readline().split(",")]


def read_amlsim(folder: Path, max_rows: int | None = None) -> Labelled:
    """Read an AMLSim output folder (either layout, detected from ``transactions.csv``'s header)."""
    folder = Path(folder)
    tx = folder / "transactions.csv" if folder.is_dir() else folder
    if not tx.exists():
        raise FileNotFoundError(f"{tx}: no such file")
    header = _header(tx)
    limit = f"LIMIT {int(max_rows)}" if max_rows else ""
    con = duckdb.connect()
    src = f"read_csv('{tx.as_posix()}', header = true, all_varchar = true)"
    if "tran_id" in header:
        data = con.sql(f"""
SELECT 'AS' || tran_id AS transaction_id, CAST(CAST(tran_timestamp AS TIMESTAMPTZ) AS DATE) AS value_date,
       CAST(CAST(tran_timestamp AS TIMESTAMPTZ) AS TIMESTAMP) AS booked_at, CAST(base_amt AS DECIMAL(18, 2)) AS amount,
       'USD' AS currency, CASE upper(tx_type) WHEN 'CASH-IN' THEN 'cash_deposit' WHEN 'CASH-OUT' THEN 'cash_withdrawal'
       WHEN 'CHECK' THEN 'check' ELSE 'wire' END AS channel, orig_acct AS debtor_account, bene_acct AS creditor_account,
       tx_type AS purpose, CASE WHEN lower(is_sar) IN ('true', '1') THEN 1 ELSE 0 END AS label
FROM (SELECT * FROM {src} {limit})""").to_arrow_table()
        con.close()
        return Labelled(to_transactions(data), data.select(["transaction_id", "label"]))
    if "sourceNodeId" not in header:
        raise ValueError(f"{tx}: not an AMLSim transactions file (header {header})")
    nodes = tx.with_name("nodes.csv")
    if not nodes.exists():
        raise FileNotFoundError(f"{nodes}: the sample layout needs nodes.csv beside transactions.csv")
    con.execute(
        f"CREATE TABLE nodes AS SELECT nodeid, CAST(isFraud AS INTEGER) AS fraud FROM "
        f"read_csv('{nodes.as_posix()}', header = true, all_varchar = true)"
    )
    data = con.sql(f"""
SELECT 'AS' || lpad(CAST(t.rn AS VARCHAR), 9, '0') AS transaction_id,
       DATE '{EPOCH}' + CAST(t.time AS INTEGER) AS value_date, CAST(t.value AS DECIMAL(18, 2)) AS amount,
       'USD' AS currency, 'wire' AS channel, t.sourceNodeId AS debtor_account, t.targetNodeId AS creditor_account,
       CASE WHEN coalesce(s.fraud, 0) = 1 AND coalesce(d.fraud, 0) = 1 THEN 1 ELSE 0 END AS label
FROM (SELECT *, row_number() OVER () AS rn FROM {src} {limit}) t
LEFT JOIN nodes s ON s.nodeid = t.sourceNodeId LEFT JOIN nodes d ON d.nodeid = t.targetNodeId
ORDER BY t.rn""").to_arrow_table()
    accounts = con.sql("SELECT nodeid AS account, fraud AS label FROM nodes").to_arrow_table()
    con.close()
    return Labelled(to_transactions(data), data.select(["transaction_id", "label"]), accounts)
