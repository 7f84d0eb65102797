"""Alerts measured against a simulated scenario's ground truth (the answer key, never read by the rules).

Per planted typology: *recall* is the share of its instances that an alert naming that typology touches (at
least one of the instance's transactions is evidence); *precision* is the share of alerts led by that typology
whose evidence holds laundering of any planted instance, and *strict precision* the share whose evidence holds
a transaction of that same typology (a fan-in alert on the hub of a gather-scatter is right, not strictly right).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb

from puente.monitoring.sqlparts import lit

#: Planted typologies whose money moves in the crossings and declarations, not in bank transactions.
NOT_TRANSACTIONAL = ("bulk_cash",)


@dataclass(frozen=True)
class TypologyScore:
    typology: str
    planted: int
    detected: int
    alerts: int
    true_alerts: int
    strict_alerts: int

    @property
    def recall(self) -> float | None:
        return self.detected / self.planted if self.planted else None

    @property
    def precision(self) -> float | None:
        return self.true_alerts / self.alerts if self.alerts else None

    @property
    def strict_precision(self) -> float | None:
        return self.strict_alerts / self.alerts if self.alerts else None

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "recall": self.recall,
            "precision": self.precision,
            "strict_precision": self.strict_precision,
        }


def evaluate_against_truth(con: duckdb.DuckDBPyConnection, scenario_dir: Path) -> list[TypologyScore]:
    """Score the workspace's stored alerts against ``scenario_dir/truth``."""
    records = lit((Path(scenario_dir) / "truth" / "typology_records.parquet").as_posix())
    rows = con.execute(f"""
WITH tr AS (SELECT instance_id, typology, record_id FROM read_parquet({records}) WHERE record_table = 'transactions'),
ev AS (SELECT e.alert_id, e.transaction_id, a.typology, a.typologies FROM monitoring_evidence e
       JOIN monitoring_alerts a ON a.alert_id = e.alert_id),
inst AS (SELECT tr.typology, tr.instance_id,
                bool_or(ev.alert_id IS NOT NULL AND list_contains(ev.typologies, tr.typology)) AS hit
         FROM tr LEFT JOIN ev ON ev.transaction_id = tr.record_id GROUP BY tr.typology, tr.instance_id),
planted AS (SELECT typology, count(*) AS planted, count(*) FILTER (WHERE hit) AS detected FROM inst GROUP BY typology),
al AS (SELECT a.alert_id, a.typology, bool_or(tr.record_id IS NOT NULL) AS any_true,
              bool_or(tr.typology = a.typology) AS strict_true
       FROM monitoring_alerts a JOIN monitoring_evidence e ON e.alert_id = a.alert_id
       LEFT JOIN tr ON tr.record_id = e.transaction_id GROUP BY a.alert_id, a.typology),
alerted AS (SELECT typology, count(*) AS alerts, count(*) FILTER (WHERE any_true) AS true_alerts,
                   count(*) FILTER (WHERE strict_true) AS strict_alerts FROM al GROUP BY typology)
SELECT coalesce(p.typology, a.typology), coalesce(p.planted, 0), coalesce(p.detected, 0), coalesce(a.alerts, 0),
       coalesce(a.true_alerts, 0), coalesce(a.strict_alerts, 0)
FROM planted p FULL OUTER JOIN alerted a ON a.typology = p.typology ORDER BY 1""").fetchall()
    return [TypologyScore(*r) for r in rows]


def bulk_cash_coverage(con: duckdb.DuckDBPyConnection, scenario_dir: Path) -> float | None:
    """Share of bulk-cash instances whose bank-side cash deposits appear in some alert's evidence."""
    records = lit((Path(scenario_dir) / "truth" / "typology_records.parquet").as_posix())
    row = con.execute(f"""
SELECT count(DISTINCT tr.instance_id) FILTER (WHERE e.alert_id IS NOT NULL) / nullif(count(DISTINCT tr.instance_id), 0)
FROM read_parquet({records}) tr LEFT JOIN monitoring_evidence e ON e.transaction_id = tr.record_id
WHERE tr.record_table = 'transactions' AND tr.typology = 'bulk_cash'""").fetchall()
    return None if row[0][0] is None else float(row[0][0])
