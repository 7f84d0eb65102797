"""Reference code lists (ISO 3166 countries, ISO 4217 currencies) as DuckDB tables for vectorised checks."""

from __future__ import annotations

from functools import cache

import duckdb
import pyarrow as pa
import pycountry

#: Codes in everyday use that ISO 3166-1 does not assign (Kosovo is used by OFAC, the EU and banks).
_EXTRA_COUNTRIES = {"XK": "XK", "XKX": "XK"}
#: ISO 4217 codes that denote no money (testing, "no currency"): never a valid transaction currency.
_NOT_MONEY = frozenset({"XXX", "XTS"})


@cache
def country_codes() -> dict[str, str]:
    """Alpha-2 and alpha-3 codes, each mapped to its alpha-2 code."""
    codes = dict(_EXTRA_COUNTRIES)
    for country in pycountry.countries:
        codes[country.alpha_2] = country.alpha_2
        codes[country.alpha_3] = country.alpha_2
    return codes


@cache
def currency_codes() -> frozenset[str]:
    """Active ISO 4217 alphabetic codes."""
    return frozenset(c.alpha_3 for c in pycountry.currencies) - _NOT_MONEY


def register_reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the temp tables ``_ref_countries(code, alpha2)`` and ``_ref_currencies(code)``."""
    countries = country_codes()
    con.register(
        "_ref_countries_arrow",
        pa.table({"code": list(countries), "alpha2": list(countries.values())}),
    )
    con.execute("CREATE OR REPLACE TEMP TABLE _ref_countries AS SELECT * FROM _ref_countries_arrow")
    con.register("_ref_currencies_arrow", pa.table({"code": sorted(currency_codes())}))
    con.execute("CREATE OR REPLACE TEMP TABLE _ref_currencies AS SELECT * FROM _ref_currencies_arrow")
    con.unregister("_ref_countries_arrow")
    con.unregister("_ref_currencies_arrow")
