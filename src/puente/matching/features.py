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
from puente.matching.normalize import column_name_tokens, company_key, fold_column, fold_unique, spelling_key


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
    """Name features from token lists (:func:`column_name_tokens`): every distinct token is resolved once and
    the per-record bags are sorted and joined by NumPy and Arrow, with no Python call per record or per name."""
    given = pc.fill_null(_as_text(t[c.columns[0]]), "")
    surnames = pc.fill_null(_as_text(t[c.columns[1]]), "")
    given_tokens, surname_tokens = column_name_tokens(given), column_name_tokens(surnames)
    full = given_tokens + surname_tokens  # the tokens of f"{given} {surnames}"
    g = given_tokens.first(spelling_key)
    s = surname_tokens.first(spelling_key)
    lo = np.where(g < s, g, s)
    hi = np.where(g < s, s, g)
    return {
        "bag": _null_empty(full.sorted_bag()),
        "phon": _null_empty(full.sorted_bag(spelling_key)),
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


def _date(d: np.ndarray) -> dict[str, pa.Array]:
    """``d`` (YYYYMMDD), ``year`` and ``dm``: the date with day and month in ascending order, so a date and its
    day/month swap share a ``dm`` key (blocking on it catches the swap with no wider block)."""
    text = _null_empty(d)
    year = pc.utf8_slice_codeunits(text, 0, 4)
    month = pc.utf8_slice_codeunits(text, 4, 6)
    day = pc.utf8_slice_codeunits(text, 6, 8)
    first = pc.if_else(pc.less(month, day), month, day)
    second = pc.if_else(pc.less(month, day), day, month)
    return {"d": text, "year": year, "dm": pc.binary_join_element_wise(year, first, second, "")}


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
        folded = fold_column(_as_text(pa.chunked_array([flat])))
        values.append(pc.replace_substring(pa.array(folded, pa.string()), " ", "").to_numpy(zero_copy_only=False))
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
            feats = _date(d)
        else:
            feats = {"s": _null_empty(fold_column(_as_text(records[c.columns[0]])))}
        cols.update({f"{c.name}__{k}": v for k, v in feats.items()})
    return pa.table(cols)
