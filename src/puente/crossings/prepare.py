"""Both declaration forms in one shape: the columns reconciliation compares, in USD and canonical ports.

A CMIR says ``outbound`` at CBP port ``2301`` in one last-name field; the Mexican form says ``entrada`` at
*aduana* Matamoros with paternal and maternal surnames apart, possibly in pesos. Each side is mapped once here
(direction, port, currency, folded names), so the matcher compares like with like and never re-parses a form.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from puente.crossings.config import CrossingsConfig
from puente.matching.normalize import company_key, fold, fold_unique, person_key, person_phonetic_key

#: Columns of a prepared declaration table (one row per CMIR or Mexican declaration).
COLUMNS = (
    "side",  # us | mx
    "record_id",  # CMIR report_id or declaration folio
    "day",  # crossing date
    "southbound",  # True: into Mexico (CMIR outbound / declaración de entrada)
    "port_key",  # folded canonical aduana of the crossing
    "given",
    "surnames",
    "name_key",  # sorted token bag, nicknames resolved
    "name_phon",  # same with by-ear spelling folded
    "dob",
    "id_numbers",  # list of identifiers on the form (passport, licence, CURP, RFC, SSN), folded
    "vehicle",  # folded plate / conveyance id
    "amount",  # as declared
    "currency",
    "amount_usd",  # converted with the configured yearly rate; null when the rate is unknown
    "behalf_name",  # on behalf of / a nombre de, as written
    "behalf_key",  # folded, legal form dropped
)


def _ids(*columns: pa.ChunkedArray) -> pa.Array:
    """A list of the non-empty, folded identifiers across the given columns, per row."""
    folded = [fold_unique(c, lambda v: fold(v).replace(" ", "")) for c in columns]
    stacked = np.stack(folded, axis=1) if folded else np.empty((0, 0), dtype=object)
    return pa.array([[v for v in row if v] for row in stacked], pa.list_(pa.string()))


def _usd(amount: pa.ChunkedArray, currency: pa.ChunkedArray, day: pa.ChunkedArray, cfg: CrossingsConfig) -> pa.Array:
    amounts = pc.cast(amount, pa.float64()).to_numpy(zero_copy_only=False)
    years = pc.year(day).to_numpy(zero_copy_only=False)
    curr = currency.to_numpy(zero_copy_only=False)
    rates = np.full(len(amounts), np.nan)
    for code in np.unique(curr.astype(str)):  # one step per (currency, year), not per row
        for year in np.unique(years[curr == code]):
            rate = cfg.fx_rate(str(code), int(year))
            if rate is not None:
                rates[(curr == code) & (years == year)] = rate
    usd = np.round(amounts / rates, 2)
    return pa.array(usd, pa.float64(), mask=np.isnan(usd))


def _common(
    side: str,
    record_id: pa.ChunkedArray,
    day: pa.ChunkedArray,
    southbound: np.ndarray,
    port_key: np.ndarray,
    given: pa.ChunkedArray,
    surnames: pa.ChunkedArray,
    dob: pa.ChunkedArray,
    ids: pa.Array,
    vehicle: pa.ChunkedArray,
    amount: pa.ChunkedArray,
    currency: pa.ChunkedArray,
    behalf: pa.ChunkedArray,
    cfg: CrossingsConfig,
) -> pa.Table:
    given, surnames = pc.cast(given, pa.string()), pc.cast(surnames, pa.string())
    full = pc.binary_join_element_wise(pc.fill_null(given, ""), pc.fill_null(surnames, ""), "|")
    split = [v.split("|", 1) if v else ["", ""] for v in fold_unique(full, lambda v: v or "|")]
    given_s = [s[0] for s in split]
    surn_s = [s[1] for s in split]
    name_key = fold_unique(full, lambda v: person_key(*(v or "|").split("|", 1)))
    name_phon = fold_unique(full, lambda v: person_phonetic_key(*(v or "|").split("|", 1)))
    return pa.table(
        {
            "side": pa.array([side] * len(record_id), pa.string()),
            "record_id": record_id,
            "day": day,
            "southbound": pa.array(southbound, pa.bool_()),
            "port_key": pa.array(port_key, pa.string()),
            "given": pa.array(given_s, pa.string()),
            "surnames": pa.array(surn_s, pa.string()),
            "name_key": pa.array(name_key, pa.string()),
            "name_phon": pa.array(name_phon, pa.string()),
            "dob": dob,
            "id_numbers": ids,
            "vehicle": pa.array(fold_unique(vehicle, lambda v: fold(v).replace(" ", "")), pa.string()),
            "amount": pc.cast(amount, pa.float64()),
            "currency": currency,
            "amount_usd": _usd(amount, currency, day, cfg),
            "behalf_name": behalf,
            "behalf_key": pa.array(fold_unique(behalf, company_key), pa.string()),
        }
    )


def prepare_cmirs(cmirs: pa.Table, cfg: CrossingsConfig) -> pa.Table:
    """CMIR rows in the common shape (``outbound`` = southbound; CBP port code → aduana across the bridge)."""
    pairs = {code: fold(aduana) for code, aduana in cfg.port_pairs.items()}
    ports = fold_unique(cmirs["port_of_entry"], lambda v: pairs.get(v or "", f"CBP {v}"))
    south = pc.equal(pc.utf8_lower(cmirs["direction"]), "outbound").to_numpy(zero_copy_only=False)
    return _common(
        "us",
        cmirs["report_id"],
        cmirs["crossing_date"],
        south,
        ports,
        cmirs["traveler_first_name"],
        cmirs["traveler_last_name"],
        cmirs["traveler_dob"],
        _ids(cmirs["traveler_id_number"], cmirs["traveler_ssn"]),
        cmirs["conveyance_id"],
        cmirs["amount"],
        cmirs["currency"],
        cmirs["on_behalf_of_name"],
        cfg,
    )


def prepare_declarations(mx: pa.Table, cfg: CrossingsConfig) -> pa.Table:
    """Mexican declarations in the common shape (``entrada`` = southbound, into Mexico)."""
    surnames = pc.binary_join_element_wise(
        pc.fill_null(mx["apellido_paterno"], ""), pc.fill_null(mx["apellido_materno"], ""), " "
    )
    ports = fold_unique(mx["aduana"], cfg.aduana_key)
    south = pc.equal(pc.utf8_lower(mx["sentido"]), "entrada").to_numpy(zero_copy_only=False)
    return _common(
        "mx",
        mx["folio"],
        mx["fecha_cruce"],
        south,
        ports,
        mx["nombre"],
        pa.chunked_array([surnames], pa.string()),
        mx["fecha_nacimiento"],
        _ids(mx["numero_identificacion"], mx["curp"], mx["rfc"]),
        mx["identificador_transporte"],
        mx["monto"],
        mx["moneda"],
        mx["a_nombre_de"],
        cfg,
    )
