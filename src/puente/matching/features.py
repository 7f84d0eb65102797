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
    person_phonetic_key,
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
    return {
        "bag": _null_empty(fold_unique(full, lambda v: person_key(*(v or "|").split("|", 1)))),
        "phon": _null_empty(fold_unique(full, lambda v: person_phonetic_key(*(v or "|").split("|", 1)))),
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
    lists = [t[name] for name in c.columns]
    flat_rows: list[list[str]] = [[] for _ in range(t.num_rows)]
    for col in lists:
        values = col.to_pylist()
        for i, v in enumerate(values):  # per record (not per pair): ids are few per record
            items = v if isinstance(v, list) else [v]
            flat_rows[i].extend(k for k in (fold(x).replace(" ", "") for x in items if x) if k)
    return {"ids": pa.array([sorted(set(r)) for r in flat_rows], pa.list_(pa.string()))}


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
