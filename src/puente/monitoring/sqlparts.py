"""Shared SQL pieces of the rule templates: the normalised transaction view, edges, and literal quoting.

Every template reads ``mon_tx`` (one row per transaction, amounts in USD as DOUBLE so both engines add them the
same way) or ``mon_edges`` (transfers between two accounts), and writes rows ``(subject, transaction_id, role)``:
the account the alert is about and each transaction that is evidence for it. Parameters reach SQL only as
validated numbers or quoted literals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from puente.monitoring.config import RuleSet


@dataclass(frozen=True)
class RuleSql:
    """A rule as SQL: tables to materialise first (name, query), then the query returning the evidence rows."""

    query: str
    steps: list[tuple[str, str]] = field(default_factory=list)


def lit(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def in_list(values: Iterable[str]) -> str:
    """``('a', 'b')`` for an ``IN`` predicate (never empty: an empty list matches nothing)."""
    items = [lit(v) for v in values]
    return "(" + ", ".join(items or ["NULL"]) + ")"


def name_pattern(forms: Iterable[str]) -> str:
    """A regular expression matching a name that ends in one of ``forms`` (legal forms such as ``S.A. de C.V.``).

    Dots become optional and spaces flexible, so ``SA DE CV`` and ``S.A. de C.V.`` both match (on an upper-cased
    name). The pattern avoids backslashes, which the two SQL dialects escape differently.
    """
    alternatives = []
    for form in forms:
        parts = []
        for ch in form.upper():
            if ch == ".":
                parts.append("[.]?")
            elif ch == " ":
                parts.append(" *")
            elif ch.isalnum():
                parts.append(ch)
            else:
                parts.append(f"[{ch}]")
        alternatives.append("".join(parts))
    return f"(^|[ ,])({'|'.join(alternatives)})[.]? *$"


def num(value: float) -> str:
    """A numeric literal that both dialects read as a DOUBLE (``repr`` keeps full precision)."""
    return repr(float(value)) if not float(value).is_integer() else f"{float(value):.1f}"


def days(n: int) -> str:
    return f"INTERVAL {int(n)} DAY"


def mon_tx_sql(rules: RuleSet, source: str = "transactions") -> str:
    """The normalised view every rule reads: short names, USD amounts, one row per transaction."""
    fx = " ".join(f"WHEN {lit(cur)} THEN {num(rate)}" for cur, rate in sorted(rules.fx_to_usd.items()))
    return f"""
SELECT transaction_id AS tx_id, value_date AS d, CAST(amount AS DOUBLE) * (CASE currency {fx} END) AS usd,
       currency, channel, debtor_account AS src, creditor_account AS dst, debtor_name AS src_name,
       creditor_name AS dst_name, debtor_country AS src_country, creditor_country AS dst_country,
       upper(debtor_agent) AS src_agent, upper(creditor_agent) AS dst_agent, conductor_id, branch_id,
       branch_state, branch_country, purpose
FROM {source}
WHERE value_date IS NOT NULL AND amount IS NOT NULL AND currency IN {in_list(rules.fx_to_usd)}"""


def mon_edges_sql(rules: RuleSet) -> str:
    """Transfers between two different accounts: the edges of the transaction graph."""
    return f"""
SELECT tx_id, d, usd, src, dst, channel FROM mon_tx
WHERE channel IN {in_list(rules.edge_channels)} AND src IS NOT NULL AND dst IS NOT NULL AND src <> dst"""


def mon_payers_sql() -> str:
    """Each receiving account's history: its distinct payers over every channel, card customers included.

    A merchant or supplier paid by a hundred card customers is established even if few of them wire it money;
    a mule is paid by few accounts however they pay. Materialised once as ``mon_payers`` for every rule.
    """
    return (
        "SELECT dst AS acct, count(DISTINCT src) AS partners FROM mon_tx "
        "WHERE src IS NOT NULL AND dst IS NOT NULL GROUP BY dst"
    )


def band(lo: float, hi: float | None = None) -> str:
    """Edges in an amount band (``hi`` exclusive)."""
    upper = f" AND usd < {num(hi)}" if hi is not None else ""
    return f"SELECT tx_id, d, usd, src, dst FROM mon_edges WHERE usd >= {num(lo)}{upper}"
