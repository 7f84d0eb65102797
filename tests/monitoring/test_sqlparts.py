"""The SQL building blocks the rule templates share."""

from __future__ import annotations

import duckdb
import pytest

from puente.monitoring.sqlparts import lit, name_pattern

FORMS = ["LLC", "INC.", "S.A.", "S.A. DE C.V.", "S. DE R.L. DE C.V."]


@pytest.mark.parametrize(
    ("name", "business"),
    [
        ("Transportes del Norte, S.A. de C.V.", True),
        ("TRANSPORTES DEL NORTE SA DE CV", True),
        ("Agroindustrias León, S. de R.L. de C.V.", True),
        ("BORDER FREIGHT LLC", True),
        ("Border Freight, Inc.", True),
        ("GRUPO SA", True),
        ("SAUL SALAZAR", False),
        ("JUAN PEREZ LLCA", False),
        ("INCA GARCIA", False),
        ("", False),
    ],
)
def test_name_pattern_recognises_legal_forms_at_the_end_of_a_name(name: str, business: bool) -> None:
    con = duckdb.connect()
    row = con.execute(f"SELECT regexp_matches(upper({lit(name)}), {lit(name_pattern(FORMS))})").fetchone()
    assert row is not None
    assert row[0] is business
