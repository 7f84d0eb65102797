"""The learned score: the temporal protocol, per-alert contributions, and `monitor evaluate` on a benchmark."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from click.testing import CliRunner

from puente.cli.monitoring_cmds import monitor
from puente.engine import DuckDBEngine
from puente.monitoring import alerts_on_engine, load_rules
from puente.monitoring.detect import detect_hits
from puente.monitoring.features import FEATURES, features_sql
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


def _mules_and_fans() -> tuple[pa.Table, pa.Table]:
    """Labelled laundering no rule catches (round cross-border remittances by mules, spread over four months, so
    every split has some) plus fan-outs the rules catch, among ordinary card spending."""
    t = Txs()
    positives = []
    for k in range(60):
        positives.append(t.add(k * 2, 3000, "msb_transfer", src=f"MULE{k}", dst=f"MXR{k}", dst_country="MX"))
    for i in range(600):
        t.add(i % 120, 40 + i % 37, "card", src=f"P{i % 23}", dst=f"SHOP{i % 5}")
    for k in range(12):
        cases.fan_out(t, acct=f"FAN{k}")
    table = t.table()
    positives += [r["transaction_id"] for r in table.to_pylist() if (r["debtor_account"] or "").startswith("FAN")]
    return table, pa.table({"transaction_id": positives, "label": [1] * len(positives)})


def test_the_learned_score_raises_alerts_of_its_own_and_joins_rule_alerts() -> None:
    table, labels = _mules_and_fans()
    engine = DuckDBEngine()
    engine.register("transactions", table)
    alerts, evidence, model = alerts_on_engine(engine, load_rules(), "m", labels=labels)
    engine.close()
    rows = alerts.to_pylist()
    model_only = [a for a in rows if a["rules"] == ["MODEL"]]
    # the model alone flags the mules (no rule fires on a single USD 3,000 remittance) and nobody else
    assert model and len({a["subject"] for a in model_only}) >= 40
    assert all(a["subject"].startswith("MULE") and a["typology"] == "learned_risk" for a in model_only)
    assert not [a for a in rows if a["subject"].startswith(("P", "SHOP"))]
    alert = model_only[0]
    params = json.loads(alert["parameters"])["MODEL"]
    assert alert["model_score"] >= params["threshold"] == pytest.approx(params["threshold"])
    assert "chosen on validation" in alert["explanation"] and f"{params['threshold']:.4f}" in alert["explanation"]
    assert set(evidence.filter(pa.compute.equal(evidence["alert_id"], alert["alert_id"]))["role"].to_pylist()) == {
        "model_score"
    }
    # a fan-out the rules catch and the model flags is one alert naming both, led by the rule's typology
    fans = [a for a in rows if a["subject"].startswith("FAN")]
    assert len(fans) == 12 and len({a["subject"] for a in fans}) == 12
    merged = [a for a in fans if "MODEL" in a["rules"]]
    assert merged and all(a["typology"] == "fan_out" and "GRF-FO" in a["rules"] for a in merged)
    assert all(a["score"] >= a["model_score"] for a in merged)


def test_the_learned_score_needs_positives_in_training_and_validation() -> None:
    table, labels = _mules_and_fans()
    late = labels.slice(55, 5)  # only the last mules: nothing to learn from in the training period
    engine = DuckDBEngine()
    engine.register("transactions", table)
    with pytest.raises(ValueError, match="no laundering transaction"):
        alerts_on_engine(engine, load_rules(), "m", labels=late)
    engine.close()


def test_features_mark_transactions_on_a_temporal_cycle() -> None:
    t = Txs()
    cases.cycle(t)
    other = t.add(3, 12000, "wire", src="ELSEWHERE", dst="SOMEONE")
    engine = DuckDBEngine()
    engine.register("transactions", t.table())
    detect_hits(engine, load_rules())
    feats = engine.sql(f"SELECT tx_id, in_cycle FROM ({features_sql()}) f").to_pylist()
    engine.close()
    assert "in_cycle" in FEATURES
    flags = {r["tx_id"]: r["in_cycle"] for r in feats}
    assert flags.pop(other) == 0
    assert flags and set(flags.values()) == {1}
