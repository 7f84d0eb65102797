"""Blocking on the engine seam: candidate pairs from equi-join rules, and their counts before any run.

Rules are equi-joins on feature columns, written once as SQL in Puente's dialect, so DuckDB and Spark produce
the same pairs. Rule *i* keeps only pairs that no earlier rule produced (``NOT coalesce(rule_j, FALSE)``), so
the union has no duplicates and each pair remembers the first rule that found it.

A rule with ``max_block`` skips blocks larger than that: the blocking table carries a flag per such rule
(``_big_<i>``, computed once with Arrow, the same on every engine) and the rule's join condition requires it
false, so the exclusion of earlier rules' pairs stays exact.
"""

from __future__ import annotations

from typing import TypedDict

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from puente.engine.base import Engine
from puente.matching.config import BlockingRule, MatchConfig

TABLE = "er_blocking"


class RuleCount(TypedDict):
    rule: str
    keys: list[str]
    pairs_alone: int  # pairs the rule generates on its own
    new_pairs: int  # pairs it adds beyond the earlier rules


def _big(i: int) -> str:
    return f"_big_{i}"


def _cond(rule: BlockingRule, i: int) -> str:
    cond = " AND ".join(f'l."{k}" = r."{k}"' for k in rule.keys)
    return f"{cond} AND NOT l.{_big(i)}" if rule.max_block is not None else cond


def _pair_filter(link: bool) -> str:
    return "l.rn < r.rn" + (" AND l.source <> r.source" if link else "")


def rule_sql(cfg: MatchConfig, i: int, link: bool) -> str:
    """Pairs found by rule ``i`` and by no earlier rule."""
    rule = cfg.blocking[i]
    where = [_pair_filter(link), *(f"NOT coalesce({_cond(p, j)}, FALSE)" for j, p in enumerate(cfg.blocking[:i]))]
    return (
        f"SELECT l.rn AS li, r.rn AS ri, {i} AS rule FROM {TABLE} l JOIN {TABLE} r ON {_cond(rule, i)} "
        f"WHERE {' AND '.join(where)}"
    )


def blocking_table(feats: pa.Table, cfg: MatchConfig) -> pa.Table:
    keys = sorted({k for r in cfg.blocking for k in r.keys})
    missing = [k for k in keys if k not in feats.column_names]
    if missing:
        raise ValueError(f"blocking keys not among the features: {', '.join(missing)}")
    table = feats.select(["rn", "source", *keys])
    for i, rule in enumerate(cfg.blocking):
        if rule.max_block is not None:
            table = table.append_column(_big(i), pa.array(_block_sizes(feats, rule.keys) > rule.max_block))
    return table


def _block_sizes(feats: pa.Table, keys: list[str]) -> npt.NDArray[np.int64]:
    """Per record, how many records share its values of ``keys`` (0 where a key is null: it never blocks)."""
    combined = np.zeros(feats.num_rows, np.int64)
    null = np.zeros(feats.num_rows, bool)
    for k in keys:
        enc = feats[k].combine_chunks().dictionary_encode()
        codes = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        null |= codes < 0
        # re-densify after each key so that the combined code never overflows
        _, combined = np.unique(combined * (len(enc.dictionary) + 1) + codes + 1, return_inverse=True)
    sizes = np.bincount(combined)[combined]
    return np.where(null, 0, sizes).astype(np.int64)


def candidate_pairs(
    engine: Engine, feats: pa.Table, cfg: MatchConfig, *, link: bool
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(left rn, right rn, rule index) of every candidate pair, sorted, on the given engine."""
    engine.register(TABLE, blocking_table(feats, cfg))
    sql = " UNION ALL ".join(rule_sql(cfg, i, link) for i in range(len(cfg.blocking)))
    pairs = engine.sql(sql)
    li = pairs["li"].to_numpy().astype(np.int64)
    ri = pairs["ri"].to_numpy().astype(np.int64)
    rule = pairs["rule"].to_numpy().astype(np.int64)
    order = np.lexsort((ri, li))
    return li[order], ri[order], rule[order]


def count_comparisons(engine: Engine, feats: pa.Table, cfg: MatchConfig, *, link: bool) -> list[RuleCount]:
    """Per rule: pairs it generates on its own (from group sizes, no join) and new pairs beyond earlier rules."""
    engine.register(TABLE, blocking_table(feats, cfg))
    out: list[RuleCount] = []
    for i, rule in enumerate(cfg.blocking):
        keys = ", ".join(f'"{k}"' for k in rule.keys)
        not_null = " AND ".join(f'"{k}" IS NOT NULL' for k in rule.keys)
        if rule.max_block is not None:
            not_null += f" AND NOT {_big(i)}"
        if link:
            sql = (
                f"SELECT CAST(coalesce(sum((s * s - s2) / 2), 0) AS BIGINT) AS n FROM (SELECT {keys}, sum(n) AS s, "
                f"sum(n * n) AS s2 FROM (SELECT {keys}, source, count(*) AS n FROM {TABLE} WHERE {not_null} "
                f"GROUP BY {keys}, source) g GROUP BY {keys}) h"
            )
        else:
            sql = (
                f"SELECT CAST(coalesce(sum(n * (n - 1) / 2), 0) AS BIGINT) AS n FROM (SELECT count(*) AS n "
                f"FROM {TABLE} WHERE {not_null} GROUP BY {keys}) g"
            )
        alone = int(engine.sql(sql)["n"][0].as_py())
        new = int(engine.sql(f"SELECT count(*) AS n FROM ({rule_sql(cfg, i, link)}) q")["n"][0].as_py())
        out.append(RuleCount(rule=rule.name, keys=list(rule.keys), pairs_alone=alone, new_pairs=new))
    return out
