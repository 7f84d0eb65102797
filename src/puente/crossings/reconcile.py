"""Pairing CMIRs with Mexican declarations of the same crossing, with every pair's evidence attached.

Candidates share direction and port pair and fall within the configured day window; each candidate is scored by
per-field match weights (log2 Bayes factors from ``crossings.yaml``): traveller name, birth date, identifiers,
vehicle, day, amount and principal. Amount agreement only adds evidence and never vetoes a pair, because a
discrepancy between the two forms is one of the things analysts are looking for. Accepted pairs obey a
one-to-one constraint (mutual best choice), so one declaration never explains two CMIRs.

In privacy-preserving mode the traveller's name, birth date and identifiers are never compared in clear: their
levels come from Dice similarities of keyed Bloom-filter encodings (:mod:`puente.matching.pprl`), while the
non-personal fields (day, port, direction, amount) are compared as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
from rapidfuzz import fuzz, process

from puente.crossings.config import CrossingsConfig
from puente.matching.graph import one_to_one

#: Fields scored for every candidate pair, in explanation order.
FIELDS = ("name", "dob", "id", "vehicle", "day", "amount", "behalf")
#: Fields that identify the traveller: the ones privacy-preserving mode compares on encodings only.
IDENTITY_FIELDS = ("name", "dob", "id")

Levels = dict[str, npt.NDArray[np.str_]]
#: Computes identity levels (name, dob, id) for candidate pairs (us row indices, mx row indices).
IdentityFn = Callable[[npt.NDArray[np.int64], npt.NDArray[np.int64]], Levels]

_CANDIDATES = """
SELECT u.rn AS li, m.rn AS ri,
  CASE WHEN u.dob IS NULL OR m.dob IS NULL THEN 'missing'
       WHEN u.dob = m.dob THEN 'exact'
       WHEN year(u.dob) = year(m.dob) AND month(u.dob) = day(m.dob) AND day(u.dob) = month(m.dob) THEN 'swapped'
       WHEN (year(u.dob) = year(m.dob))::INT + (month(u.dob) = month(m.dob))::INT
            + (day(u.dob) = day(m.dob))::INT >= 2 THEN 'close'
       ELSE 'differs' END AS dob,
  CASE WHEN len(u.id_numbers) = 0 OR len(m.id_numbers) = 0 THEN 'missing'
       WHEN len(list_intersect(u.id_numbers, m.id_numbers)) > 0 THEN 'shared' ELSE 'differs' END AS id,
  CASE WHEN u.vehicle = '' OR m.vehicle = '' THEN 'missing'
       WHEN u.vehicle = m.vehicle THEN 'same' ELSE 'differs' END AS vehicle,
  CASE WHEN u.day = m.day THEN 'same' ELSE 'adjacent' END AS day,
  CASE WHEN u.amount_usd IS NULL OR m.amount_usd IS NULL THEN 'differs'
       WHEN abs(u.amount_usd - m.amount_usd) < 0.005 THEN 'equal'
       WHEN abs(u.amount_usd - m.amount_usd) <= greatest({abs:f}, {rel:f} * greatest(u.amount_usd, m.amount_usd))
            THEN 'close'
       ELSE 'differs' END AS amount,
  CASE WHEN u.behalf_key = '' OR m.behalf_key = '' THEN 'missing'
       WHEN u.behalf_key = m.behalf_key THEN 'same' ELSE 'differs' END AS behalf
FROM us u JOIN mx m
  ON u.southbound = m.southbound AND u.port_key = m.port_key
 AND abs(date_diff('day', u.day, m.day)) <= {window:d}
ORDER BY li, ri
"""


@dataclass(frozen=True)
class Reconciliation:
    """Result of one reconciliation: prepared inputs, every scored candidate, and the accepted pairs."""

    us: pa.Table
    mx: pa.Table
    candidates: pa.Table  # li, ri, <field>_level, <field>_weight, total, matched
    mode: str

    @property
    def matches(self) -> pa.Table:
        return self.candidates.filter(self.candidates["matched"])

    def matched_indices(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        m = self.matches
        return m["li"].to_numpy(), m["ri"].to_numpy()

    def us_only(self) -> npt.NDArray[np.int64]:
        """Row indices of CMIRs with no Mexican declaration of the same crossing."""
        return np.setdiff1d(np.arange(self.us.num_rows), self.matched_indices()[0])

    def mx_only(self) -> npt.NDArray[np.int64]:
        """Row indices of Mexican declarations with no CMIR of the same crossing."""
        return np.setdiff1d(np.arange(self.mx.num_rows), self.matched_indices()[1])


def name_levels(
    us: pa.Table, mx: pa.Table, li: npt.NDArray[np.int64], ri: npt.NDArray[np.int64], cfg: CrossingsConfig
) -> npt.NDArray[np.str_]:
    """Traveller-name level per pair: exact bag, strong or partial token-set similarity, or differs."""
    if len(li) == 0:
        return np.array([], dtype=str)
    keys_u = np.asarray(us["name_key"].to_pylist(), dtype=object)[li]
    keys_m = np.asarray(mx["name_key"].to_pylist(), dtype=object)[ri]
    phon_u = np.asarray(us["name_phon"].to_pylist(), dtype=object)[li]
    phon_m = np.asarray(mx["name_phon"].to_pylist(), dtype=object)[ri]
    sim = np.maximum(
        process.cpdist(list(keys_u), list(keys_m), scorer=fuzz.token_set_ratio),
        process.cpdist(list(phon_u), list(phon_m), scorer=fuzz.token_set_ratio),
    )
    # typo + dropped surname ('JUAA RUIZ' / 'ESTRADA JUANA RUIZ'): aligned partial similarity keeps it partial
    aligned = process.cpdist(list(phon_u), list(phon_m), scorer=fuzz.partial_token_sort_ratio)
    partial = (sim >= cfg.match.name_partial) | (aligned >= cfg.match.name_strong - 5)
    return np.select(
        [keys_u == keys_m, sim >= cfg.match.name_strong, partial],
        ["exact", "strong", "partial"],
        "differs",
    )


def plaintext_identity(us: pa.Table, mx: pa.Table, cfg: CrossingsConfig) -> IdentityFn:
    """Identity levels from the records themselves (names compared here; dob and ids come from SQL)."""

    def levels(li: npt.NDArray[np.int64], ri: npt.NDArray[np.int64]) -> Levels:
        return {"name": name_levels(us, mx, li, ri, cfg)}

    return levels


def reconcile(
    us: pa.Table, mx: pa.Table, cfg: CrossingsConfig, identity: IdentityFn | None = None, mode: str = "plaintext"
) -> Reconciliation:
    """Score every candidate pair of prepared CMIRs (``us``) and declarations (``mx``) and pick the matches."""
    con = duckdb.connect()
    try:
        con.register("us", us.append_column("rn", pa.array(np.arange(us.num_rows), pa.int64())))
        con.register("mx", mx.append_column("rn", pa.array(np.arange(mx.num_rows), pa.int64())))
        tol = cfg.amount_tolerance  # validated numbers, formatted as literals
        query = _CANDIDATES.format(abs=tol.absolute_usd, rel=tol.relative, window=cfg.window_days)
        cand = con.sql(query).to_arrow_table()
    finally:
        con.close()
    li = cand["li"].to_numpy()
    ri = cand["ri"].to_numpy()
    levels: Levels = {f: np.asarray(cand[f].to_pylist(), dtype=str) for f in FIELDS if f in cand.column_names}
    levels.update((identity or plaintext_identity(us, mx, cfg))(li, ri))
    weights = cfg.match.weights.model_dump()
    columns: dict[str, pa.Array] = {"li": pa.array(li, pa.int64()), "ri": pa.array(ri, pa.int64())}
    total = np.zeros(len(li))
    for f in FIELDS:
        lv = levels[f]
        w = np.array([weights[f][v] for v in lv.tolist()], dtype=np.float64) if len(lv) else np.zeros(0)
        columns[f"{f}_level"] = pa.array(lv, pa.string())
        columns[f"{f}_weight"] = pa.array(w, pa.float64())
        total += w
    matched = one_to_one(li, ri, total, total >= cfg.match.threshold)
    columns["total"] = pa.array(total, pa.float64())
    columns["matched"] = pa.array(matched, pa.bool_())
    return Reconciliation(us=us, mx=mx, candidates=pa.table(columns), mode=mode)
