"""Privacy-preserving reconciliation: traveller identity compared on keyed Bloom-filter encodings only.

Each agency encodes its own travellers (name, birth date, identifiers) with the shared secret; the matcher sees
those encodings plus the non-personal fields of each declaration (date, port, direction, amount, vehicle,
principal) and turns per-field Dice coefficients into the same levels plaintext mode uses.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from puente.crossings.config import CrossingsConfig
from puente.crossings.reconcile import IdentityFn, Levels
from puente.matching.pprl import encode_people, field_dice


def encode_side(prepared: pa.Table, secret: bytes) -> pa.Table:
    """What one agency shares about its travellers: per-field encodings keyed by its own record ids."""
    people = pa.table(
        {
            "record_id": prepared["record_id"],
            "given": prepared["given"],
            "surnames": prepared["surnames"],
            "dob": prepared["dob"],
            "ids": prepared["id_numbers"],
        }
    )
    return encode_people(people, secret)


def _empty(enc: pa.Table, field: str, idx: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    col = enc[field].combine_chunks()
    width = col.type.byte_width
    raw = np.frombuffer(col.buffers()[1], dtype=np.uint8, count=len(col) * width).reshape(len(col), width)
    empty: npt.NDArray[np.bool_] = ~np.asarray(raw.any(axis=1), dtype=bool)
    return empty[idx]


def pprl_identity(us_enc: pa.Table, mx_enc: pa.Table, cfg: CrossingsConfig) -> IdentityFn:
    """Identity levels (name, dob, id) from Dice coefficients of the two agencies' encodings."""
    strong, partial = cfg.match.pprl_strong, cfg.match.pprl_partial

    def levels(li: npt.NDArray[np.int64], ri: npt.NDArray[np.int64]) -> Levels:
        name = field_dice(us_enc, mx_enc, li, ri, "name")
        dob = field_dice(us_enc, mx_enc, li, ri, "dob")
        ids = field_dice(us_enc, mx_enc, li, ri, "ids")
        dob_missing = _empty(us_enc, "dob", li) | _empty(mx_enc, "dob", ri)
        ids_missing = _empty(us_enc, "ids", li) | _empty(mx_enc, "ids", ri)
        return {
            "name": np.select(
                [name >= 0.999, name >= strong, name >= partial], ["exact", "strong", "partial"], "differs"
            ),
            "dob": np.select([dob_missing, dob >= 0.999, dob >= 0.75], ["missing", "exact", "close"], "differs"),
            "id": np.select([ids_missing, ids >= 0.5], ["missing", "shared"], "differs"),
        }

    return levels
