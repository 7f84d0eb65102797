from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from puente.model.identifiers import (
    curp_check_digit,
    curp_error,
    ein_error,
    rfc_check_digit,
    rfc_error,
    ssn_error,
    vin_check_digit,
    vin_error,
)


@pytest.mark.parametrize(
    ("check", "good", "bad", "reason"),
    [
        (curp_error, "BOXW310820HNERXN09", "BOXW310820HNERXN08", "checksum"),
        (curp_error, "BOXW310820HNERXN09", "BOXW311320HNERXN09", "component"),
        (rfc_error, "GODE561231GR8", "GODE561331GR8", "component"),
        (rfc_error, "ABC680524P76", "ABC68052", "length"),
        (ssn_error, "536-90-4399", "666-90-4399", "component"),
        (ein_error, "04-2103594", "00-2103594", "component"),
        (vin_error, "1HGCM82633A004352", "1HGCM82643A004352", "checksum"),
        (vin_error, "1HGCM82633A004352", "1HGCM82633A00435I", "format"),
    ],
)
def test_identifier_checks(check, good, bad, reason) -> None:  # type: ignore[no-untyped-def]
    assert check(good) is None
    error = check(bad)
    assert error is not None and reason in error


def test_check_digits_match_the_validators() -> None:
    assert curp_check_digit("BOXW310820HNERXN0") == "9"
    assert rfc_check_digit("GODE561231GR") == "8"


_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


@given(st.text(alphabet=_VIN_CHARS, min_size=16, max_size=16), st.sampled_from("12345"))
def test_north_american_vin_with_computed_check_digit_validates(body: str, wmi: str) -> None:
    draft = wmi + body
    vin = draft[:8] + vin_check_digit(draft[:8] + "0" + draft[9:]) + draft[9:]
    assert vin_error(vin) is None


@given(st.dates(), st.sampled_from(["H", "M"]), st.sampled_from(["NE", "BC", "CH", "DF", "JC"]))
def test_curp_with_computed_check_digit_validates(birth, sex, state) -> None:  # type: ignore[no-untyped-def]
    first17 = f"GOLJ{birth:%y%m%d}{sex}{state}NRN" + ("0" if birth.year < 2000 else "A")
    assert curp_error(first17 + curp_check_digit(first17)) is None
