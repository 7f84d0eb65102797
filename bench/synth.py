"""Synthetic transaction files of any size for ingest benchmarks (vectorised: NumPy + Arrow, no row loop)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from puente.model.records import CHANNELS, TRANSACTION, arrow_schema

_CHUNK = 1_000_000


def _chunk(rng: np.random.Generator, start: int, n: int) -> pa.Table:
    ids = np.char.add("T", np.arange(start, start + n).astype(str))
    days = rng.integers(0, 730, n)
    dates = (np.datetime64("2023-01-01") + days.astype("timedelta64[D]")).astype("datetime64[D]")
    cents = np.round(rng.lognormal(6.0, 1.4, n) * 100).astype(np.int64) + 1
    accounts = rng.integers(0, max(n // 20, 1000), n)
    countries = np.array(["US", "MX"])[rng.integers(0, 2, n)]
    cols = {
        "transaction_id": pa.array(ids),
        "value_date": pa.array(dates, pa.date32()),
        "amount": pa.array(cents / 100).cast(pa.decimal128(18, 2), safe=False),
        "currency": pa.array(np.where(countries == "US", "USD", "MXN")),
        "channel": pa.array(np.array(CHANNELS)[rng.integers(0, len(CHANNELS), n)]),
        "debtor_account": pa.array(np.char.add("ACC", accounts.astype(str))),
        "debtor_country": pa.array(countries),
        "creditor_account": pa.array(np.char.add("ACC", rng.integers(0, 50_000, n).astype(str))),
        "creditor_country": pa.array(np.array(["US", "MX"])[rng.integers(0, 2, n)]),
        "branch_state": pa.array(np.array(["TX", "AZ", "CA", "NM", "BC", "CHH"])[rng.integers(0, 6, n)]),
    }
    table = pa.table(cols)
    schema = arrow_schema(TRANSACTION)
    return table.cast(pa.schema([schema.field(name) for name in table.column_names]))


def write_transactions(path: Path, rows: int, fmt: str, seed: int = 7) -> Path:
    """Write ``rows`` transactions as CSV or Parquet, chunk by chunk so memory stays flat."""
    rng = np.random.default_rng(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer: pq.ParquetWriter | pacsv.CSVWriter | None = None
    try:
        for start in range(0, rows, _CHUNK):
            table = _chunk(rng, start, min(_CHUNK, rows - start))
            if writer is None:
                writer = (
                    pq.ParquetWriter(path, table.schema) if fmt == "parquet" else pacsv.CSVWriter(path, table.schema)
                )
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    return path


def noisy_people(
    n: int, seed: int = 7, duplicate_share: float = 0.5, missing: str = "all"
) -> tuple[pa.Table, pa.Table]:
    """``n`` person records for deduplication at scale, with the scenario's cross-border noise, and their truth.

    People come from the scenario's own population model (:func:`puente.simulate.population.make_persons`:
    name frequencies of both countries, so common names collide more as ``n`` grows) and every record is
    rendered by the scenario's :class:`~puente.simulate.noise.Noiser`: a person's home-country record with the
    home-side noise rates, and — for ``duplicate_share`` of the people — a second record as the other country
    writes it, with the full cross-border rates (dropped maternal surname, cut compound names, nicknames,
    transliterations, typos, given/family swaps, day/month swaps, missing fields). As in the scenario the two
    countries never share a national ID; a passport, when the person has one, is on both records unless the
    record leaves its optional fields empty. Returns (records, truth) where truth maps ``record_id`` to
    ``person`` and the noise kinds applied.

    ``missing`` says what a record with ``missing_fields`` noise leaves empty: ``all`` (the scenario's own rule:
    birth date, identifiers and address, so only the name is left) or ``ids`` (identifiers and address: the
    "missing IDs" of cross-border forms that require a birth date, as FinCEN 105 does; the address goes too,
    because the generator writes it the same way on both records and it would give the pair away).
    """
    from puente.simulate.config import load_config
    from puente.simulate.declarations import to_date
    from puente.simulate.noise import Noiser
    from puente.simulate.population import make_persons

    cfg = load_config()
    rng = np.random.default_rng(seed)
    people = round(n / (1 + duplicate_share))
    p = make_persons(rng, cfg, people)
    noiser = Noiser(cfg.noise, np.random.default_rng(seed + 1), cfg.noise.home_side_factor)
    dup = np.flatnonzero(rng.random(people) < duplicate_share)[: n - people]
    cols: dict[str, list[object]] = {k: [] for k in ("record_id", "source", "given", "surnames", "dob", "ids")}
    cols |= {"address": [], "country": [], "gender": []}
    truth: dict[str, list[object]] = {"record_id": [], "person": [], "noise": []}

    def add(i: int, foreign: bool) -> None:
        mexican = bool(p.mexican[i])
        writes_mx = mexican != foreign  # the country whose form the record is
        r = noiser.render(p, i, us_form=not writes_mx, foreign=foreign)
        noise = list(r.noise)
        dob_days = r.dob
        keeps_rest = r.drop_optional and missing == "ids"
        if keeps_rest:  # the birth date stays; a date swap drawn before the fields were dropped is lost
            dob_days = int(p.dob[i])
            noise = [k for k in noise if k != "dob_swapped"]
        national = [p.curp[i], p.rfc[i]] if writes_mx else [p.ssn[i]]
        ids = [] if r.drop_optional else [x for x in ([] if foreign else national) + [p.passport[i]] if x]
        rid = f"r{len(cols['record_id'])}"
        dob = to_date(dob_days)
        for key, value in (
            ("record_id", rid),
            ("source", "mx" if writes_mx else "us"),
            ("given", r.given),
            ("surnames", r.last),
            ("dob", dob.isoformat() if dob else None),
            ("ids", ids),
            ("address", None if r.drop_optional else p.street[i]),
            ("country", "MX" if mexican else "US"),
            ("gender", "female" if p.female[i] else "male"),
        ):
            cols[key].append(value)
        truth["record_id"].append(rid)
        truth["person"].append(i)
        truth["noise"].append(noise)

    for i in range(people):
        add(i, foreign=False)
    for i in dup.tolist():
        add(i, foreign=True)
    order = rng.permutation(len(cols["record_id"]))  # duplicates are not next to their originals
    records = pa.table(
        {
            k: pa.array([v[j] for j in order.tolist()], pa.list_(pa.string()) if k == "ids" else pa.string())
            for k, v in cols.items()
        }
    )
    truth_table = pa.table(
        {
            "record_id": pa.array(truth["record_id"], pa.string()),
            "person": pa.array(truth["person"], pa.int64()),
            "noise": pa.array(truth["noise"], pa.list_(pa.string())),
        }
    )
    return records, truth_table
