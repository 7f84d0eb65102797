"""The evaluation protocol: a date split whose parts never see features computed from later transactions."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest

from puente.engine import DuckDBEngine
from puente.io.amlworld import Labelled
from puente.monitoring.benchmark import benchmark_rules, date_cutoffs, evaluate_labelled, prefix_features
from tests.monitoring.test_model import _mules_and_fans
from tests.monitoring.txs import D0, Txs, day


def _epoch_day(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def test_date_cutoffs_put_whole_days_into_parts() -> None:
    dates = pa.array([day(0)] * 6 + [day(1)] * 2 + [day(2)] * 2, type=pa.date32())
    assert date_cutoffs(dates) == [_epoch_day(D0), _epoch_day(day(1))]
    with pytest.raises(ValueError, match="too few days"):
        date_cutoffs(pa.array([day(0)] * 10, type=pa.date32()))


def test_each_part_sees_only_transactions_up_to_its_last_day() -> None:
    t = Txs()
    first = t.add(0, 5000, "wire", src="A", dst="B0")  # training part
    later = [t.add(40, 5000, "wire", src="A", dst=f"B{i}") for i in range(1, 8)]  # test part
    labels = pa.table({"transaction_id": [first, *later], "label": [0] * 8})
    engine = DuckDBEngine()
    engine.register("transactions", t.table())
    cutoffs = [_epoch_day(day(0)), _epoch_day(day(20))]
    feats, y, part = prefix_features(engine, benchmark_rules(), labels, cutoffs)
    engine.close()
    by_id = dict(zip(feats["tx_id"].to_pylist(), feats["src_deg_out"].to_pylist(), strict=True))
    assert by_id[first] == 1  # A's later payees are in the future of the training part
    assert all(by_id[tx] == 8 for tx in later)
    assert list(part) == [0] + [2] * 7 and len(y) == 8
    assert np.asarray(part).dtype == np.int8


def test_evaluate_labelled_reports_transaction_and_account_levels() -> None:
    table, labels = _mules_and_fans()
    accounts = sorted({r["debtor_account"] for r in table.to_pylist() if r["debtor_account"]})
    account_labels = pa.table({"account": accounts, "label": [int(a.startswith(("MULE", "FAN"))) for a in accounts]})
    result = evaluate_labelled(Labelled(table, labels, account_labels), "test", "memory")
    t = result.transaction_level
    assert t["n_train"] + t["n_val"] + t["n_test"] == table.num_rows
    assert t["positives_test"] > 0 and t["f1"] > 0.8  # round cross-border remittances are easy to learn
    assert result.account_level is not None and result.account_level["positives"] > 0
    assert result.account_level["recall"] > 0.5
    assert any("minority-class F1" in line for line in result.lines())
