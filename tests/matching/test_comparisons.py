"""Every comparison's edge cases: naming conventions, dates, ids, strings, exact values and missing data."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from puente.matching.comparisons import gamma
from puente.matching.config import BlockingRule, Comparison, MatchConfig
from puente.matching.features import derive
from puente.matching.normalize import company_key, fold, person_key

CFG = MatchConfig(
    version=1,
    name="t",
    id_column="id",
    blocking=[BlockingRule(name="b", keys=["dob__d"])],
    comparisons=[
        Comparison(name="name", kind="person_name", columns=["given", "surnames"], thresholds=[90, 75]),
        Comparison(name="dob", kind="date", columns=["dob"]),
        Comparison(name="ids", kind="id_set", columns=["ids"]),
        Comparison(name="city", kind="string", columns=["city"], thresholds=[0.95, 0.85]),
        Comparison(name="zip", kind="string", columns=["zip"], thresholds=[1, 2], measure="levenshtein"),
        Comparison(name="country", kind="exact", columns=["country"]),
        Comparison(name="firm", kind="company_name", columns=["firm"]),
    ],
)
COLS = ["given", "surnames", "dob", "ids", "city", "zip", "country", "firm"]


def levels(a: dict[str, object], b: dict[str, object]) -> dict[str, str]:
    rows = [{"id": "a", **{c: a.get(c) for c in COLS}}, {"id": "b", **{c: b.get(c) for c in COLS}}]
    t = pa.Table.from_pylist(
        rows,
        schema=pa.schema(
            [("id", pa.string()), *[(c, pa.list_(pa.string()) if c == "ids" else pa.string()) for c in COLS]]
        ),
    )
    g = gamma(CFG, derive(t, CFG), np.array([0]), np.array([1]))[0]
    return {c.name: c.levels[int(g[j])] for j, c in enumerate(CFG.comparisons)}


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("José", "Pérez Soto"), ("JOSE", "PEREZ SOTO"), "exact"),  # accents, case
        (("Stephanie", "Williams"), ("Williams", "Stephanie"), "exact"),  # name order
        (("María Guadalupe", "Hernández Núñez"), ("MARIA GUADALUPE", "HERNANDEZ"), "strong"),  # maternal missing
        (("Pepe", "Pérez"), ("José", "Pérez"), "exact"),  # nickname
        (("Jose", "Sanches"), ("José", "Sánchez"), "strong"),  # spelling by ear
        (("Adriana", "Lopfez Morales"), ("Adriana", "López Morales"), "strong"),  # typo
        (("Juan", "Ruiz"), ("Ana", "Torres Vega"), "differs"),
        ((None, None), ("Ana", "Torres"), "missing"),
    ],
)
def test_person_name_levels(a: tuple[str | None, str | None], b: tuple[str | None, str | None], expected: str) -> None:
    got = levels({"given": a[0], "surnames": a[1]}, {"given": b[0], "surnames": b[1]})
    assert got["name"] == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("1980-05-17", "1980-05-17", "exact"),
        ("2002-04-10", "2002-10-04", "one_edit_or_swapped"),  # day and month swapped
        ("1980-05-17", "1981-05-17", "one_edit_or_swapped"),  # year typo (one digit)
        ("1980-05-17", "1980-11-02", "same_year"),
        ("1980-05-17", "1975-12-30", "differs"),
        ("1980-05-17", None, "missing"),
        ("not a date", "1980-05-17", "missing"),
    ],
)
def test_date_levels(a: str | None, b: str | None, expected: str) -> None:
    assert levels({"dob": a}, {"dob": b})["dob"] == expected


def test_id_city_zip_country_company_levels() -> None:
    got = levels(
        {
            "ids": ["CURP-1", "X 2"],
            "city": "El Paso",
            "zip": "79901",
            "country": "US",
            "firm": "Comercial Norte, S.A. de C.V.",
        },
        {"ids": ["x2"], "city": "El Pasco", "zip": "79910", "country": "US", "firm": "COMERCIAL NORTE SA DE CV"},
    )
    assert got == {
        "name": "missing",
        "dob": "missing",
        "ids": "shared",
        "city": "jaro_winkler@0.95",
        "zip": "levenshtein@2",
        "country": "exact",
        "firm": "exact",
    }
    got = levels(
        {"ids": ["A"], "city": "Tijuana", "zip": "79901", "country": "US", "firm": "Alfa Logistics LLC"},
        {"ids": ["B"], "city": "Mexicali", "zip": "79901", "country": "MX", "firm": "Omega Foods Inc"},
    )
    assert (got["ids"], got["city"], got["zip"], got["country"], got["firm"]) == (
        "differs",
        "differs",
        "exact",
        "differs",
        "differs",
    )
    assert levels({"ids": []}, {"ids": ["A"]})["ids"] == "missing"


def test_normalisation() -> None:
    assert fold("Núñez-Pérez, Ma.") == "NUNEZ PEREZ MA"
    assert person_key("Ma. Guadalupe", "de la Cruz") == "CRUZ GUADALUPE MARIA"
    assert company_key("Los Angeles Distribution Limited Liability Company") == company_key(
        "LOS ANGELES DISTRIBUTION LLC"
    )
