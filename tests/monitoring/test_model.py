"""The learned score: the temporal protocol, per-alert contributions, and `monitor evaluate` on a benchmark."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from click.testing import CliRunner

from puente.cli.monitoring_cmds import monitor
from puente.engine import DuckDBEngine
from puente.monitoring import alerts_on_engine, load_rules
from puente.monitoring.model import run_protocol, temporal_split
from tests.monitoring import cases
from tests.monitoring.txs import Txs

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def test_temporal_split_is_60_20_20_in_time_order() -> None:
    order = np.arange(100)[::-1]
    part = temporal_split(order)
    assert (part == 0).sum() == 60 and (part == 1).sum() == 20 and (part == 2).sum() == 20
    assert part[0] == 2 and part[-1] == 0  # the latest rows are the test set


def test_protocol_learns_a_separable_signal_and_fails_on_noise() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(4000, 4))
    y = (x[:, 0] > 1.5).astype(np.int8)
    good = run_protocol(x, y, np.arange(4000))
    assert good.f1 > 0.9
    noise = run_protocol(x, rng.permutation(y), np.arange(4000))
    assert noise.f1 < 0.5


def test_alerts_carry_model_score_and_feature_contributions() -> None:
    t = Txs()
    for k in range(30):  # many fans so that the model has positives to learn from
        cases.fan_out(t, acct=f"FAN{k}")
    for d in range(200):
        t.add(d % 60, 50 + d, "card", src=f"P{d % 17}", dst="SHOP")
    table = t.table()
    fan_ids = [r["transaction_id"] for r in table.to_pylist() if (r["debtor_account"] or "").startswith("FAN")]
    labels = pa.table({"transaction_id": fan_ids, "label": [1] * len(fan_ids)})
    engine = DuckDBEngine()
    engine.register("transactions", table)
    alerts, _, model = alerts_on_engine(engine, load_rules(), "m", labels=labels)
    fans = [a for a in alerts.to_pylist() if "GRF-FO" in a["rules"]]
    assert model and len(fans) == 30
    alert = fans[0]
    assert alert["model_score"] is not None and alert["model_score"] > 0.5
    assert alert["contributions"] and "Model:" in alert["explanation"]


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "amlsim-20K_fanin200").exists(), reason="shared AMLSim sample not present")
def test_evaluate_command_on_the_amlsim_sample() -> None:
    result = CliRunner().invoke(
        monitor, ["evaluate", "amlsim", str(SHARED / "amlsim-20K_fanin200"), "--max-rows", "30000"]
    )
    assert result.exit_code == 0, result.output
    assert "minority-class F1" in result.output and "account level" in result.output
