"""``puente monitor evaluate``: the AMLworld protocol on public AML benchmark files.

Load (AMLworld, AMLSim either layout, SAML-D) → run the typology rules (their hits become features) → graph and
transaction features → LightGBM on a temporal 60/20/20 split, threshold chosen on validation → precision, recall
and minority-class F1 on test; for AMLSim's sample layout, whose labels are per account, account-level scores too.

The split is by value date (the days holding the earliest 60% of the transactions train, the next 20% validate,
the rest test), and each part's features and rule hits are computed from the transactions up to that part's last
day only: a training transaction's degree, fan or cycle features never count transactions that came later, so
the test score is not flattered by looking into the future.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from puente.engine import DuckDBEngine
from puente.io.amlsim import read_amlsim
from puente.io.amlworld import USD_RATES, Labelled, read_amlworld
from puente.io.samld import read_samld
from puente.monitoring.config import RuleSet, load_rules
from puente.monitoring.detect import detect_hits
from puente.monitoring.model import (
    labelled_features,
    matrix,
    prf,
    protocol_on_parts,
)

READERS = {"amlworld": read_amlworld, "amlsim": read_amlsim, "samld": read_samld}


@dataclass
class BenchmarkResult:
    fmt: str
    path: str
    n_transactions: int
    positives: int
    transaction_level: dict[str, Any]
    account_level: dict[str, Any] | None = None
    seconds: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        t = self.transaction_level
        out = [
            f"{self.fmt} {self.path}: {self.n_transactions:,} transactions, {self.positives:,} labelled laundering",
            f"temporal split train/val/test {t['n_train']:,}/{t['n_val']:,}/{t['n_test']:,} "
            f"(test positives {t['positives_test']:,}), threshold {t['threshold']:.4f} chosen on validation",
            f"transaction level: precision {t['precision']:.3f}  recall {t['recall']:.3f}  "
            f"minority-class F1 {t['f1']:.3f}",
        ]
        if self.account_level:
            a = self.account_level
            out.append(f"account level:     precision {a['precision']:.3f}  recall {a['recall']:.3f}  F1 {a['f1']:.3f}")
        out.append("time: " + ", ".join(f"{k} {v:.1f} s" for k, v in self.seconds.items()))
        return out


def benchmark_rules(rules: RuleSet | None = None) -> RuleSet:
    """The library with every benchmark currency convertible (approximate rates)."""
    base = rules or load_rules()
    return RuleSet.model_validate({**base.model_dump(), "fx_to_usd": {**USD_RATES, **base.fx_to_usd}})


def date_cutoffs(dates: pa.Array | pa.ChunkedArray, fractions: tuple[float, float] = (0.6, 0.8)) -> list[int]:
    """The last day (days since 1970) of the training and of the validation part: the day of the last transaction
    within each fraction of the time order (a whole day goes to one part)."""
    days = np.sort(np.asarray(pc.cast(dates, pa.int32()).to_numpy(zero_copy_only=False)))
    if len(days) == 0:
        raise ValueError("no transactions to evaluate")
    cuts = [int(days[max(0, int(f * len(days)) - 1)]) for f in fractions]
    if cuts[0] >= cuts[1] or cuts[1] >= int(days[-1]):
        raise ValueError(
            "the transactions span too few days for a 60/20/20 split by date "
            f"(from {np.datetime64(int(days[0]), 'D')} to {np.datetime64(int(days[-1]), 'D')})"
        )
    return cuts


def prefix_features(
    engine: DuckDBEngine, rules: RuleSet, labels: pa.Table, cutoffs: list[int]
) -> tuple[pa.Table, np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Features, labels and part (0 train, 1 validation, 2 test) of every transaction, each part's features
    computed on the transactions up to its own last day (rules included, since their hits are features)."""
    pieces: list[pa.Table] = []
    labels_of: list[np.ndarray[Any, Any]] = []
    parts: list[np.ndarray[Any, Any]] = []
    bounds = [None, *cutoffs, None]
    for k in range(3):
        lo, hi = bounds[k], bounds[k + 1]
        source = (
            "transactions" if hi is None else f"(SELECT * FROM transactions WHERE value_date <= DATE '{_day(hi)}') p"
        )
        detect_hits(engine, rules, source)
        feats, y = labelled_features(engine, labels)
        if lo is not None:
            keep = pc.greater(pc.cast(feats["d"], pa.int32()), lo)
            feats, y = feats.filter(keep), y[np.asarray(keep.to_numpy(zero_copy_only=False), dtype=bool)]
        pieces.append(feats)
        labels_of.append(y)
        parts.append(np.full(feats.num_rows, k, dtype=np.int8))
    return pa.concat_tables(pieces), np.concatenate(labels_of), np.concatenate(parts)


def _day(days_since_epoch: int) -> str:
    return str(np.datetime64(days_since_epoch, "D"))


def evaluate_labelled(data: Labelled, fmt: str = "", path: str = "") -> BenchmarkResult:
    """Run rules, features and the protocol on already-loaded labelled transactions."""
    if data.labels is None:
        raise ValueError("these transactions carry no labels")
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    engine = DuckDBEngine()
    engine.register("transactions", data.transactions)
    cutoffs = date_cutoffs(data.transactions["value_date"])
    feats, y, part = prefix_features(engine, benchmark_rules(), data.labels, cutoffs)
    x = matrix(feats)
    seconds["rules_and_features"] = time.perf_counter() - started
    started = time.perf_counter()
    result, test_scores, threshold = protocol_on_parts(x, y, part)
    seconds["model"] = time.perf_counter() - started
    account = None
    if data.account_labels is not None:
        account = _account_level(engine, feats, test_scores >= threshold, part, data)
    engine.close()
    return BenchmarkResult(fmt, path, data.transactions.num_rows, int(y.sum()), result.to_dict(), account, seconds)


def _account_level(engine: DuckDBEngine, feats: Any, flags: Any, part: Any, data: Labelled) -> dict[str, Any]:
    """Accounts flagged when any of their test-period transactions scores above the validation threshold
    (``flags``: one per test-period transaction, from the protocol's model)."""
    ids = np.asarray(feats["tx_id"].to_pylist())[part == 2]
    engine.register("mon_test_scores", pa.table({"tx_id": ids, "flag": flags}))
    if data.account_labels is None:
        raise ValueError("no account labels")
    engine.register("mon_account_labels", data.account_labels)
    rows = engine.sql(
        "WITH f AS (SELECT acct, bool_or(flag) AS flag FROM (SELECT t.src AS acct, s.flag FROM mon_test_scores s "
        "JOIN mon_tx t ON t.tx_id = s.tx_id UNION ALL SELECT t.dst, s.flag FROM mon_test_scores s "
        "JOIN mon_tx t ON t.tx_id = s.tx_id) x GROUP BY acct) "
        "SELECT f.flag, coalesce(CAST(l.label AS INTEGER), 0) AS label FROM f "
        "LEFT JOIN mon_account_labels l ON l.account = f.acct"
    )
    pred = np.asarray(rows["flag"].to_pylist(), dtype=bool)
    truth = np.asarray(rows["label"].to_pylist(), dtype=np.int8)
    p, r, f1 = prf(truth, pred)
    return {
        "accounts": len(pred),
        "positives": int(truth.sum()),
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f1, 4),
    }


def evaluate_benchmark(fmt: str, path: Path, max_rows: int | None = None) -> BenchmarkResult:
    """Load a benchmark file in ``fmt`` and evaluate (see module docstring)."""
    if fmt not in READERS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(READERS)}")
    started = time.perf_counter()
    data = READERS[fmt](Path(path), max_rows)
    load = time.perf_counter() - started
    result = evaluate_labelled(data, fmt, str(path))
    result.seconds = {"load": load, **result.seconds}
    return result
