"""The learned risk score: gradient boosting (LightGBM) on transaction and graph features.

Evaluation follows the AMLworld protocol (Altman et al., 2023): transactions ordered in time and split 60/20/20
into train, validation and test; the decision threshold is the one that maximises F1 on validation; reported
are precision, recall and minority-class F1 on test. Per-alert explanations are LightGBM's exact TreeSHAP
contributions (``pred_contrib``) of the alert's riskiest transaction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import lightgbm as lgb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from puente.engine import Engine
from puente.monitoring.alerts import MODEL_RULE_ID, MODEL_TYPOLOGY
from puente.monitoring.features import FEATURES, features_sql

F64 = npt.NDArray[np.float64]
MODEL_NAME = "lightgbm-gbdt-v1"
PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "verbose": -1,
    "num_threads": 2,
    "seed": 7,
    "deterministic": True,
}


@dataclass(frozen=True)
class ProtocolResult:
    """Scores of one temporal train/validation/test evaluation."""

    n_train: int
    n_val: int
    n_test: int
    positives_test: int
    threshold: float
    precision: float
    recall: float
    f1: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def matrix(features: pa.Table) -> F64:
    """The feature matrix in :data:`FEATURES` order (nulls as NaN, which LightGBM treats as missing)."""
    cols = [pc.cast(features[name], pa.float64()).to_numpy(zero_copy_only=False) for name in FEATURES]
    return np.column_stack(cols).astype(np.float64)


def temporal_split(order_key: npt.NDArray[Any], fractions: tuple[float, float] = (0.6, 0.8)) -> npt.NDArray[np.int8]:
    """0 (train), 1 (validation) or 2 (test) for each row, by rank of ``order_key`` (time)."""
    rank = np.empty(len(order_key), dtype=np.int64)
    rank[np.argsort(order_key, kind="stable")] = np.arange(len(order_key))
    part = np.zeros(len(order_key), dtype=np.int8)
    part[rank >= int(fractions[0] * len(order_key))] = 1
    part[rank >= int(fractions[1] * len(order_key))] = 2
    return part


def train(x: F64, y: npt.NDArray[Any], rounds: int = 300) -> lgb.Booster:
    """A gradient-boosting model; positives are re-weighted because laundering is rare."""
    pos = max(int(y.sum()), 1)
    params = {**PARAMS, "scale_pos_weight": min(50.0, (len(y) - pos) / pos)}
    data = (
        lgb.Dataset(x, label=y, feature_name=list(FEATURES)) if x.shape[1] == len(FEATURES) else lgb.Dataset(x, label=y)
    )
    return lgb.train(params, data, num_boost_round=rounds)


def prf(y: npt.NDArray[Any], pred: npt.NDArray[np.bool_]) -> tuple[float, float, float]:
    """Precision, recall and F1 of the positive (minority) class."""
    tp = float(np.sum(pred & (y == 1)))
    p = tp / max(float(pred.sum()), 1.0)
    r = tp / max(float((y == 1).sum()), 1.0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def best_threshold(scores: F64, y: npt.NDArray[Any]) -> float:
    """The threshold maximising F1 on validation (searched over score quantiles)."""
    candidates = np.unique(np.quantile(scores, np.linspace(0.5, 0.9999, 400)))
    best, best_f1 = 0.5, -1.0
    for th in candidates:
        f1 = prf(y, scores >= th)[2]
        if f1 > best_f1:
            best, best_f1 = float(th), f1
    return best


def run_protocol(x: F64, y: npt.NDArray[Any], order_key: npt.NDArray[Any]) -> ProtocolResult:
    """Temporal 60/20/20 split, threshold on validation, minority-class F1 on test."""
    return protocol_on_parts(x, y, temporal_split(order_key))[0]


def protocol_on_parts(x: F64, y: npt.NDArray[Any], part: npt.NDArray[np.int8]) -> tuple[ProtocolResult, F64, float]:
    """Train on part 0, choose the threshold on part 1, report on part 2; also the test scores and the exact
    threshold, for account-level figures from the same model."""
    model = train(x[part == 0], y[part == 0])
    th = best_threshold(np.asarray(model.predict(x[part == 1]), dtype=np.float64), y[part == 1])
    test_scores = np.asarray(model.predict(x[part == 2]), dtype=np.float64)
    p, r, f1 = prf(y[part == 2], test_scores >= th)
    result = ProtocolResult(
        n_train=int((part == 0).sum()),
        n_val=int((part == 1).sum()),
        n_test=int((part == 2).sum()),
        positives_test=int(y[part == 2].sum()),
        threshold=round(th, 6),
        precision=round(p, 4),
        recall=round(r, 4),
        f1=round(f1, 4),
    )
    return result, test_scores, th


def labelled_features(engine: Engine, labels: pa.Table) -> tuple[pa.Table, npt.NDArray[np.int8]]:
    """Features of every transaction and its label (0 where the labels do not name it)."""
    engine.register("mon_labels", labels.select(["transaction_id", "label"]))
    feats = engine.sql(
        f"SELECT f.*, coalesce(CAST(l.label AS INTEGER), 0) AS label FROM ({features_sql()}) f "
        "LEFT JOIN mon_labels l ON l.transaction_id = f.tx_id ORDER BY f.d, f.tx_id"
    )
    return feats, np.asarray(feats["label"].to_numpy(zero_copy_only=False), dtype=np.int8)


@dataclass(frozen=True)
class LearnedScore:
    """A model trained on the labelled transactions, its alert threshold, and the score of every transaction.

    The model is fitted on the earliest 60% of the transactions and the threshold is the one maximising F1 on the
    next 20% (the AMLworld protocol's train and validation parts), so the threshold an alert quotes was chosen on
    data the model did not see.
    """

    booster: lgb.Booster
    x: F64
    tx_ids: pa.Array
    scores: F64
    threshold: float
    validation: tuple[float, float, float]
    n_train: int
    n_val: int

    def describe(self) -> dict[str, Any]:
        p, r, f1 = self.validation
        return {
            "model": MODEL_NAME,
            "threshold": round(self.threshold, 6),
            "validation_precision": round(p, 4),
            "validation_recall": round(r, 4),
            "validation_f1": round(f1, 4),
            "n_train": self.n_train,
            "n_validation": self.n_val,
        }


def learn(engine: Engine, labels: pa.Table) -> LearnedScore:
    """Train on the labelled transactions of ``mon_tx`` (rules must have run: their hits are features)."""
    feats, y = labelled_features(engine, labels)
    x = matrix(feats)
    part = temporal_split(np.asarray(feats["d"].cast(pa.int32()).to_numpy(zero_copy_only=False)))
    if not y[part == 0].any() or not y[part == 1].any():
        raise ValueError(
            "the labels name no laundering transaction in the earliest 60% (training) or the next 20% (validation) "
            "of the transactions: the learned score needs positives in both"
        )
    model = train(x[part == 0], y[part == 0])
    val = np.asarray(model.predict(x[part == 1]), dtype=np.float64)
    th = best_threshold(val, y[part == 1])
    return LearnedScore(
        booster=model,
        x=x,
        tx_ids=feats["tx_id"].combine_chunks() if isinstance(feats["tx_id"], pa.ChunkedArray) else feats["tx_id"],
        scores=np.asarray(model.predict(x), dtype=np.float64),
        threshold=th,
        validation=prf(y[part == 1], val >= th),
        n_train=int((part == 0).sum()),
        n_val=int((part == 1).sum()),
    )


def model_hits(engine: Engine, learned: LearnedScore) -> str:
    """Transactions scored at or above the threshold, as hits of the sending account (the receiving one for cash
    deposits): materialised as ``mon_model_hits`` so that they merge into alerts with the rule hits."""
    flagged = learned.tx_ids.filter(pa.array(learned.scores >= learned.threshold))
    engine.register("mon_model_flags", pa.table({"tx_id": flagged}))
    engine.create_table(
        "mon_model_hits",
        f"SELECT '{MODEL_RULE_ID}' AS rule_id, '{MODEL_TYPOLOGY}' AS typology, coalesce(t.src, t.dst) AS subject, "
        "t.tx_id AS transaction_id, 'model_score' AS role FROM mon_model_flags f JOIN mon_tx t ON t.tx_id = f.tx_id",
    )
    return "mon_model_hits"


def alert_scores(learned: LearnedScore, evidence: pa.Table, top: int = 8) -> dict[str, tuple[float, dict[str, float]]]:
    """Each alert's learned score (that of its riskiest evidence transaction) and that transaction's exact
    TreeSHAP feature contributions (LightGBM ``pred_contrib``), the ``top`` largest by magnitude."""
    ev = evidence.group_by(["alert_id", "transaction_id"]).aggregate([])
    rows = pa.table({"transaction_id": learned.tx_ids, "row": pa.array(np.arange(len(learned.scores)))})
    joined = ev.join(rows, keys="transaction_id", join_type="inner")
    if joined.num_rows == 0:
        return {}
    alert = np.asarray(joined["alert_id"].to_pylist())
    row = np.asarray(joined["row"].to_numpy(), dtype=np.int64)
    score = learned.scores[row]
    order = np.lexsort((-score, alert))  # by alert, riskiest first
    first = order[np.r_[True, alert[order][1:] != alert[order][:-1]]]
    picked = row[first]
    contrib = np.asarray(learned.booster.predict(learned.x[picked], pred_contrib=True), dtype=np.float64)[:, :-1]
    out: dict[str, tuple[float, dict[str, float]]] = {}
    for i, k in enumerate(first):
        c = contrib[i]
        best = np.argsort(-np.abs(c))[:top]
        out[str(alert[k])] = (round(float(score[k]), 6), {FEATURES[j]: round(float(c[j]), 4) for j in best})
    return out
