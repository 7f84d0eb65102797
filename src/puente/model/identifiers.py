"""National identifiers of the two countries: validation with reasons, and check digits.

Wraps ``python-stdnum`` so that the ingest layer can say *why* an identifier is wrong (format, length, check
digit, impossible birth date) and the scenario generator can mint identifiers that pass the same validators.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from stdnum.exceptions import ValidationError
from stdnum.mx import curp as _curp
from stdnum.mx import rfc as _rfc
from stdnum.us import ein as _ein
from stdnum.us import ssn as _ssn

_VIN_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def _reason(exc: ValidationError) -> str:
    return type(exc).__name__.replace("Invalid", "invalid ").lower().strip()


def _stdnum_check(validate: Callable[[str], str], label: str) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        try:
            validate(value)
        except ValidationError as exc:
            return f"{_reason(exc)} {label}"
        return None

    return check


#: CURP: 18 characters, embedded birth date and sex, and a check digit (RENAPO).
curp_error = _stdnum_check(_curp.validate, "CURP")
#: RFC: 13 characters for persons, 12 for companies; the check digit is not enforced because SAT itself issued
#: RFCs whose homoclave fails it, and rejecting real identifiers would lose data.
rfc_error = _stdnum_check(_rfc.validate, "RFC")
#: SSN / ITIN: area, group and serial rules of the SSA (000, 666 and 9xx areas are not SSNs).
ssn_error = _stdnum_check(_ssn.validate, "SSN")
#: EIN: two-digit IRS campus prefix and seven digits.
ein_error = _stdnum_check(_ein.validate, "EIN")


def vin_check_digit(vin: str) -> str:
    """The ISO 3779 / 49 CFR 565 check character (position 9) of a 17-character VIN."""
    total = sum(_VIN_VALUES[c] * w for c, w in zip(vin.upper(), _VIN_WEIGHTS, strict=True))
    rem = total % 11
    return "X" if rem == 10 else str(rem)


def vin_error(value: str) -> str | None:
    """Check a VIN: 17 characters without I, O, Q; North American VINs (WMI 1-5) carry a check digit."""
    vin = value.strip().upper()
    if not _VIN_RE.match(vin):
        return "invalid format VIN (17 characters, no I, O or Q)"
    if vin[0] in "12345" and vin[8] != vin_check_digit(vin):
        return "invalid checksum VIN"
    return None


def curp_check_digit(first17: str) -> str:
    """The 18th character of a CURP given its first 17."""
    return str(_curp.calc_check_digit(first17))


def rfc_check_digit(first: str) -> str:
    """The check character of an RFC given all but its last character (11 for companies, 12 for persons)."""
    return str(_rfc.calc_check_digit(first))


IDENTIFIER_CHECKS: dict[str, Callable[[str], str | None]] = {
    "curp": curp_error,
    "rfc": rfc_error,
    "ssn": ssn_error,
    "ein": ein_error,
    "vin": vin_error,
}
