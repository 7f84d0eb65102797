"""Run the typology library on an engine and group its hits into alert periods, all in SQL.

The same text runs on DuckDB and on Spark (transpiled by the engine seam); what comes back is one Arrow row per
(alert, rule, evidence transaction). Alert ids are content hashes (subject and period start), so the same data
gives the same ids on either engine and on every re-run, which is what lets an analyst's status survive a re-run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pyarrow as pa

from puente.engine import Engine
from puente.monitoring import rules_cash, rules_graph
from puente.monitoring.config import Rule, RuleSet
from puente.monitoring.sqlparts import RuleSql, lit, mon_edges_sql, mon_payers_sql, mon_tx_sql

_TEMPLATES: dict[str, Callable[[Any], RuleSql]] = {
    "structuring": rules_cash.structuring,
    "funnel_account": rules_cash.funnel_account,
    "rapid_movement": rules_cash.rapid_movement,
    "repatriation": rules_cash.repatriation,
    "tbml_invoice": rules_cash.tbml_invoice,
    "mirror_swap": rules_cash.mirror_swap,
    "income_inconsistent": rules_cash.income_inconsistent,
    "special_measures": rules_cash.special_measures,
    "fan_in": rules_graph.fan_in,
    "fan_out": rules_graph.fan_out,
    "scatter_gather": rules_graph.scatter_gather,
    "gather_scatter": rules_graph.gather_scatter,
    "stack": rules_graph.stack,
    "bipartite": rules_graph.bipartite,
}

#: Columns of the evidence rows :func:`detect` returns.
EVIDENCE_COLUMNS = (
    "alert_id",
    "subject",
    "subject_name",
    "period_start",
    "period_end",
    "rule_id",
    "typology",
    "transaction_id",
    "role",
    "value_date",
    "usd",
    "counterparty",
)


def table_prefix(rule: Rule) -> str:
    return "mon_" + re.sub(r"[^a-z0-9]", "_", rule.id.lower())


def rule_sql(rule: Rule) -> RuleSql:
    """The SQL of one rule with its parameters bound."""
    params = rule.typed_params()
    if rule.template == "cycle":
        return rules_graph.cycle(params, table_prefix(rule))
    return _TEMPLATES[rule.template](params)


def materialise(engine: Engine, name: str, query: str) -> None:
    """Create a table and compute it now (the engine seam materialises eagerly on every engine)."""
    engine.create_table(name, query)


def prepare(engine: Engine, rules: RuleSet, source: str = "transactions") -> None:
    """Materialise the normalised views every rule reads."""
    materialise(engine, "mon_tx", mon_tx_sql(rules, source))
    materialise(engine, "mon_edges", mon_edges_sql(rules))
    materialise(engine, "mon_payers", mon_payers_sql())


def run_rule(engine: Engine, rule: Rule) -> str:
    """Materialise one rule's hits as a table; returns its name."""
    sql = rule_sql(rule)
    for name, query in sql.steps:
        materialise(engine, name, query)
    name = f"{table_prefix(rule)}_hits"
    materialise(
        engine,
        name,
        f"SELECT {lit(rule.id)} AS rule_id, {lit(rule.typology)} AS typology, h.subject, h.transaction_id, h.role "
        f"FROM ({sql.query}) h WHERE h.subject IS NOT NULL",
    )
    return name


def alert_periods_sql(hit_tables: list[str], gap_days: int) -> str:
    """Group hits per subject into periods (gaps of more than ``gap_days`` start a new one): one alert each."""
    union = "\nUNION ALL\n".join(
        f"SELECT rule_id, typology, subject, transaction_id, role FROM {t}" for t in hit_tables
    )
    return f"""
WITH h AS (SELECT DISTINCT u.rule_id, u.typology, u.subject, u.transaction_id, u.role, t.d, t.usd,
                  CASE WHEN t.src = u.subject THEN t.dst ELSE t.src END AS counterparty,
                  CASE WHEN t.src = u.subject THEN t.src_name WHEN t.dst = u.subject THEN t.dst_name END AS name
           FROM ({union}) u JOIN mon_tx t ON t.tx_id = u.transaction_id),
subject_days AS (SELECT DISTINCT subject, d FROM h),
g AS (SELECT subject, d,
             CASE WHEN date_diff('day', lag(d) OVER (PARTITION BY subject ORDER BY d), d) <= {int(gap_days)}
                  THEN 0 ELSE 1 END AS brk
      FROM subject_days),
p AS (SELECT subject, d, sum(brk) OVER (PARTITION BY subject ORDER BY d ROWS BETWEEN UNBOUNDED PRECEDING
    AND CURRENT ROW)
             AS period FROM g),
hp AS (SELECT h.*, p.period FROM h JOIN p ON p.subject = h.subject AND p.d = h.d),
a AS (SELECT subject, period, min(d) AS period_start, max(d) AS period_end, max(name) AS subject_name
      FROM hp GROUP BY subject, period)
SELECT md5(a.subject || '|' || CAST(a.period_start AS VARCHAR)) AS alert_id, a.subject, a.subject_name,
       a.period_start, a.period_end, hp.rule_id, hp.typology, hp.transaction_id, hp.role, hp.d AS value_date, hp.usd,
       hp.counterparty
FROM hp JOIN a ON a.subject = hp.subject AND a.period = hp.period"""


def detect_hits(engine: Engine, rules: RuleSet, source: str = "transactions") -> None:
    """Run every enabled rule over ``source``; their hits land in the engine table ``mon_hits_all``."""
    prepare(engine, rules, source)
    tables = [run_rule(engine, rule) for rule in rules.enabled]
    if not tables:
        raise ValueError("no rule is enabled")
    materialise(
        engine,
        "mon_hits_all",
        "\nUNION ALL\n".join(f"SELECT rule_id, typology, subject, transaction_id, role FROM {t}" for t in tables),
    )


def group_evidence(engine: Engine, rules: RuleSet, hit_tables: list[str]) -> pa.Table:
    """The evidence rows of the alerts that the hits in ``hit_tables`` raise (grouped per subject and period)."""
    materialise(engine, "mon_evidence", alert_periods_sql(hit_tables, rules.alert_gap_days))
    return engine.sql(f"SELECT {', '.join(EVIDENCE_COLUMNS)} FROM mon_evidence")


def detect(engine: Engine, rules: RuleSet, source: str = "transactions") -> pa.Table:
    """Run every enabled rule over ``source`` and return the evidence rows of the alerts they raise."""
    detect_hits(engine, rules, source)
    return group_evidence(engine, rules, ["mon_hits_all"])
