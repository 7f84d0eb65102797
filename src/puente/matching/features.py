"""Comparable features derived once per record (never per pair): folded names, keys, dates, id lists.

Each comparison ``c`` adds columns named ``c__<feature>``; blocking rules may use any of them (for example
``name__lo`` and ``name__hi``, the alphabetically first and last of the given-name and surname keys, block two
renderings of a person together whichever field each form put the surnames in).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from puente.matching.config import Comparison, MatchConfig
from puente.matching.normalize import (
    company_key,
    fold,
    fold_unique,
    name_tokens,
    person_key,
    spelling_key,
)


def _first_phon(text: str | None) -> str:
    tokens = name_tokens(text)
    return spelling_key(tokens[0]) if tokens else ""


def _as_text(col: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_date(col.type) or pa.types.is_timestamp(col.type):
        return pc.strftime(col, "%Y%m%d")
    return pc.cast(col, pa.string())


def _date_text(v: str | None) -> str:
    digits = "".join(ch for ch in (v or "") if ch.isdigit())
    return digits if len(digits) == 8 else ""


def _null_empty(values: np.ndarray) -> pa.Array:
    return pa.array(values, pa.string(), mask=values == "")


def _person(c: Comparison, t: pa.Table) -> dict[str, pa.Array]:
    given = pc.fill_null(_as_text(t[c.columns[0]]), "")
    surnames = pc.fill_null(_as_text(t[c.columns[1]]), "")
    full = pc.binary_join_element_wise(given, surnames, "|")
    g = fold_unique(given, _first_phon)
    s = fold_unique(surnames, _first_phon)
    lo = np.where(g < s, g, s)
    hi = np.where(g < s, s, g)
    bag = fold_unique(full, lambda v: person_key(*(v or "|").split("|", 1)))
    # person_phonetic_key is person_key's tokens spelling-folded and re-sorted: derived from the (fewer,
    # already folded) distinct bags instead of folding every full name a second time
    phon = fold_unique(
        pa.array(bag, pa.string()), lambda v: " ".join(sorted(spelling_key(t) for t in (v or "").split()))
    )
    return {
        "bag": _null_empty(bag),
        "phon": _null_empty(phon),
        "given": _null_empty(g),
        "surname": _null_empty(s),
        "lo": _null_empty(lo),
        "hi": _null_empty(hi),
    }


def _company(c: Comparison, t: pa.Table) -> dict[str, pa.Array]:
    key = fold_unique(_as_text(t[c.columns[0]]), company_key)
    return {
        "key": _null_empty(key),
        "phon": _null_empty(
            fold_unique(
                pa.array(key, pa.string()), lambda v: " ".join(sorted(spelling_key(x) for x in (v or "").split()))
            )
        ),
        "first": _null_empty(fold_unique(pa.array(key, pa.string()), lambda v: (v or "").split(" ")[0] if v else "")),
    }


def _ids(c: Comparison, t: pa.Table) -> dict[str, pa.Array]:
    """Every identifier of a record (list or scalar columns), folded, as one list per record.

    Columnar: the lists are flattened with their row numbers, each distinct identifier is folded once, and
    the lists are rebuilt from the row numbers; order and repeats within a list do not matter to ``id_set``.
    """
    rows: list[np.ndarray] = []
    values: list[np.ndarray] = []
    for name in c.columns:
        col = t[name].combine_chunks()
        if pa.types.is_list(col.type) or pa.types.is_large_list(col.type):
            rows.append(pc.list_parent_indices(col).to_numpy(zero_copy_only=False).astype(np.int64))
            flat = pc.list_flatten(col)
        else:
            rows.append(np.arange(t.num_rows, dtype=np.int64))
            flat = col
        values.append(fold_unique(_as_text(pa.chunked_array([flat])), lambda v: fold(v).replace(" ", "")))
    row = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    value = np.concatenate(values) if values else np.zeros(0, object)
    keep = value != ""
    row, value = row[keep], value[keep]
    order = np.argsort(row, kind="stable")
    offsets = np.concatenate([[0], np.cumsum(np.bincount(row, minlength=t.num_rows))]).astype(np.int32)
    return {"ids": pa.ListArray.from_arrays(pa.array(offsets), pa.array(value[order], pa.string()))}


def derive(records: pa.Table, cfg: MatchConfig) -> pa.Table:
    """The feature table: ``rn`` (row number), ``record_id``, ``source`` and every comparison's features."""
    cols: dict[str, pa.Array | pa.ChunkedArray] = {
        "rn": pa.array(np.arange(records.num_rows), pa.int64()),
        "record_id": pc.cast(records[cfg.id_column], pa.string()),
        "source": pc.cast(records[cfg.source_column], pa.string())
        if cfg.source_column
        else pa.array(["all"] * records.num_rows, pa.string()),
    }
    for c in cfg.comparisons:
        if c.kind == "person_name":
            feats = _person(c, records)
        elif c.kind == "company_name":
            feats = _company(c, records)
        elif c.kind == "id_set":
            feats = _ids(c, records)
        elif c.kind == "date":
            d = fold_unique(_as_text(records[c.columns[0]]), _date_text)
            feats = {"d": _null_empty(d), "year": _null_empty(np.array([x[:4] for x in d], dtype=object))}
        else:
            feats = {"s": _null_empty(fold_unique(_as_text(records[c.columns[0]]), fold))}
        cols.update({f"{c.name}__{k}": v for k, v in feats.items()})
    return pa.table(cols)
