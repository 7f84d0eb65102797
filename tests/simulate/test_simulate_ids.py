"""Minted identifiers always pass the foundation's validators (property-based)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from puente.model.identifiers import curp_error, ein_error, rfc_error, ssn_error, vin_error
from puente.simulate import ids
from puente.simulate.tables import cities, given_names, surnames

EPOCH = dt.date(1970, 1, 1)
SPANISH = st.text(
    alphabet="abcdefghijklmnñopqrstuvwxyzáéíóúüABCDEFGHIJKLMNÑOPQRSTUVWXYZÁÉÍÓÚ .", min_size=1, max_size=20
)
BIRTH = st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2024, 12, 31))


@settings(max_examples=200, deadline=None)
@given(
    given_name=SPANISH,
    paternal=SPANISH,
    maternal=st.none() | SPANISH,
    birth=BIRTH,
    female=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_curp_and_rfc_validate_for_any_name_and_date(
    given_name: str, paternal: str, maternal: str | None, birth: dt.date, female: bool, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    pat = ids.name_letters([paternal])
    mat = None if maternal is None else ids.name_letters([maternal])
    giv = ids.name_letters([given_name], given=True)
    day = np.asarray([(birth - EPOCH).days], dtype=np.int64)
    state = cities().curp_state[int(rng.integers(0, len(cities())))]
    curp = ids.curp(rng, pat, mat, giv, day, np.asarray([female]), [state])[0]
    assert curp_error(curp) is None, curp
    rfc = ids.rfc_person(rng, pat, mat, giv, day)[0]
    assert rfc_error(rfc) is None, rfc
    from stdnum.mx import rfc as stdnum_rfc

    assert stdnum_rfc.is_valid(rfc, validate_check_digits=True), rfc


def test_name_table_letters_follow_renapo_rules() -> None:
    letters = ids.name_letters(["Hernández", "de la Cruz", "Ñúñez"])
    assert bytes(letters[0]).decode() == "HER"
    assert bytes(letters[1]).decode() == "CUR"
    assert bytes(letters[2]).decode() == "XUX"
    assert bytes(ids.name_letters(["José Luis"], given=True)[0]).decode() == "LUS"


def test_bulk_identifiers_validate() -> None:
    rng = np.random.default_rng(3)
    sur, giv = surnames("MX"), given_names("MX")
    n = 5000
    p = ids.name_letters(sur.names)[rng.integers(0, len(sur.names), n)]
    g = ids.name_letters(giv.names, given=True)[rng.integers(0, len(giv.names), n)]
    days = rng.integers(-20000, 15000, n)
    assert all(curp_error(c) is None for c in ids.curp(rng, p, p, g, days, rng.random(n) < 0.5, ["NL"] * n))
    assert all(rfc_error(r) is None for r in ids.rfc_company(rng, p, days))
    assert all(ssn_error(s) is None for s in ids.ssn(rng, n))
    assert all(ein_error(e) is None for e in ids.ein(rng, n))
    assert all(vin_error(v) is None for v in ids.vin(rng, n))
    clabes = ids.clabe(rng, np.full(n, 901), rng.integers(0, 10**11, n))
    assert all(len(c) == 18 and c.isdigit() for c in clabes)
