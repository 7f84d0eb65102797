"""Vectorised minting of national identifiers that pass :mod:`puente.model.identifiers`.

Identifiers are built as ``(n, width)`` byte matrices and viewed as fixed-width strings, so a million CURPs cost
a few NumPy operations rather than a million Python calls. Name-derived letters (the first internal vowel of a
surname …) depend only on the name, so they are computed once per name-table entry and gathered.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from puente.simulate.tables import strip_accents

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]

_VOWELS = set("AEIOU")
_PARTICLES = {"DE", "LA", "DEL", "LAS", "LOS", "Y", "MC", "MAC", "VON", "VAN", "DA", "DI"}
_SKIP_GIVEN = {"JOSE", "MARIA", "J", "MA", "MA.", "J."}
#: RENAPO's list of inconvenient four-letter words; the second letter is replaced by X (as stdnum rejects them).
_BLACKLIST = frozenset(
    (  # noqa: SIM905 - a word list reads better as one string
        "BACA BAKA BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COGI COJA COJE COJI COJO COLA CULO FALO FETO "
        "GETA GUEI GUEY JETA JOTO KACA KACO KAGA KAGO KAKA KAKO KOGE KOGI KOJA KOJE KOJI KOJO KOLA KULO LILO "
        "LOCA LOCO LOKA LOKO MAME MAMO MEAR MEAS MEON MIAR MION MOCO MOKO MULA MULO NACA NACO PEDA PEDO PENE "
        "PIPI PITO POPO PUTA PUTO QULO RATA ROBA ROBE ROBO RUIN SENO TETA VACA VAGA VAGO VAKA VUEI VUEY WUEI "
        "WUEY "
    ).split()
)
_CURP_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ"
_RFC_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ"
_LETTERS = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", dtype=np.uint8)
_HOMOCLAVE1 = np.frombuffer(b"123456789ABCDEFGHIJKLMNOPQRSTUV", dtype=np.uint8)
_HOMOCLAVE2 = np.frombuffer(b"123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", dtype=np.uint8)
_VIN_CHARS = np.frombuffer(b"0123456789ABCDEFGHJKLMNPRSTUVWXYZ", dtype=np.uint8)
_VIN_WEIGHTS = np.asarray((8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2), dtype=np.int64)
_VIN_YEARS = np.frombuffer(b"ABCDEFGHJKLMNPRSTVWXY123456789", dtype=np.uint8)  # 2010 .. 2039, A=2010


def _lookup(alphabet: str) -> I64:
    table = np.zeros(256, dtype=np.int64)
    for i, ch in enumerate(alphabet.encode("latin-1")):
        table[ch] = i
    return table


_CURP_VALUE = _lookup(_CURP_ALPHABET)
_RFC_VALUE = _lookup(_RFC_ALPHABET)
_VIN_VALUE = np.zeros(256, dtype=np.int64)
for _ch, _val in {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}.items():
    _VIN_VALUE[ord(_ch)] = _val


def _clean_word(name: str, *, given: bool = False) -> str:
    """The part of a name the identifier rules look at, in plain upper-case letters (Ñ becomes X)."""
    words = strip_accents(name.replace("ñ", "x").replace("Ñ", "X")).upper().replace(".", " ").split()
    words = [w for w in words if w not in _PARTICLES] or words
    if given and len(words) > 1 and words[0] in _SKIP_GIVEN:
        words = words[1:]
    word = "".join(c for c in (words[0] if words else "X") if "A" <= c <= "Z")
    return word or "X"


def name_letters(names: tuple[str, ...] | list[str], *, given: bool = False) -> U8:
    """Per name: first letter, first internal vowel, first internal consonant (``X`` when absent)."""
    out = np.full((len(names), 3), ord("X"), dtype=np.uint8)
    for i, name in enumerate(names):
        word = _clean_word(name, given=given)
        out[i, 0] = ord(word[0])
        out[i, 1] = ord(next((c for c in word[1:] if c in _VOWELS), "X"))
        out[i, 2] = ord(next((c for c in word[1:] if c not in _VOWELS), "X"))
    return out


def digits(values: I64, width: int) -> U8:
    """Zero-padded decimal digits of non-negative integers as an ``(n, width)`` byte matrix."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((values[:, None] // powers[None, :]) % 10 + ord("0")).astype(np.uint8)


def to_str(matrix: U8) -> list[str]:
    """Rows of a byte matrix as Python strings."""
    width = matrix.shape[1]
    return np.ascontiguousarray(matrix).view(f"S{width}").ravel().astype(f"U{width}").tolist()


def _date_parts(days: I64) -> tuple[I64, I64, I64]:
    d = days.astype("datetime64[D]")
    years = d.astype("datetime64[Y]").astype(np.int64) + 1970
    months = (d.astype("datetime64[M]").astype(np.int64) % 12) + 1
    mday = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    return years, months, mday


def _yymmdd(days: I64) -> U8:
    y, m, d = _date_parts(days)
    return np.hstack([digits(y % 100, 2), digits(m, 2), digits(d, 2)])


def _fix_blacklist(first4: U8) -> U8:
    words = np.ascontiguousarray(first4).view("S4").ravel()
    bad = np.isin(words, np.asarray(sorted(_BLACKLIST), dtype="S4"))
    fixed = first4.copy()
    fixed[bad, 1] = ord("X")
    return fixed


def curp(
    rng: np.random.Generator,
    paternal: U8,
    maternal: U8 | None,
    given: U8,
    dob_days: I64,
    female: npt.NDArray[np.bool_],
    state: list[str],
) -> list[str]:
    """CURPs for people: ``paternal``/``maternal``/``given`` are per-person rows of :func:`name_letters`.

    ``maternal`` rows that are all zero mean "no maternal surname" (the rule writes X).
    """
    n = len(dob_days)
    m = np.zeros((n, 18), dtype=np.uint8)
    mat_first = np.full(n, ord("X"), dtype=np.uint8) if maternal is None else maternal[:, 0]
    mat_cons = np.full(n, ord("X"), dtype=np.uint8) if maternal is None else maternal[:, 2]
    m[:, 0:4] = _fix_blacklist(np.stack([paternal[:, 0], paternal[:, 1], mat_first, given[:, 0]], axis=1))
    m[:, 4:10] = _yymmdd(dob_days)
    m[:, 10] = np.where(female, ord("M"), ord("H"))
    m[:, 11:13] = np.frombuffer("".join(state).encode("ascii"), dtype=np.uint8).reshape(n, 2)
    m[:, 13] = paternal[:, 2]
    m[:, 14] = mat_cons
    m[:, 15] = given[:, 2]
    years = _date_parts(dob_days)[0]
    m[:, 16] = np.where(years < 2000, ord("0") + rng.integers(0, 10, n), _LETTERS[rng.integers(0, 26, n)]).astype(
        np.uint8
    )
    weights = np.arange(18, 1, -1, dtype=np.int64)
    check = (_CURP_VALUE[m[:, :17]] * weights).sum(axis=1)
    m[:, 17] = ord("0") + (10 - check % 10) % 10
    return to_str(m)


def _rfc_check(body: U8) -> npt.NDArray[np.uint8]:
    """Check character of RFC bodies of 12 characters (companies are left-padded with a space)."""
    weights = np.arange(13, 1, -1, dtype=np.int64)
    total = (_RFC_VALUE[body] * weights).sum(axis=1)
    alphabet = np.frombuffer(b"0123456789A", dtype=np.uint8)
    check: npt.NDArray[np.uint8] = alphabet[(11 - total) % 11]
    return check


def _homoclave(rng: np.random.Generator, n: int) -> U8:
    return np.stack(
        [_HOMOCLAVE1[rng.integers(0, len(_HOMOCLAVE1), n)], _HOMOCLAVE2[rng.integers(0, len(_HOMOCLAVE2), n)]], axis=1
    )


def rfc_person(rng: np.random.Generator, paternal: U8, maternal: U8 | None, given: U8, dob_days: I64) -> list[str]:
    """13-character RFCs of persons (four name letters, birth date, homoclave, check character)."""
    n = len(dob_days)
    m = np.zeros((n, 13), dtype=np.uint8)
    mat_first = np.full(n, ord("X"), dtype=np.uint8) if maternal is None else maternal[:, 0]
    m[:, 0:4] = _fix_blacklist(np.stack([paternal[:, 0], paternal[:, 1], mat_first, given[:, 0]], axis=1))
    m[:, 4:10] = _yymmdd(dob_days)
    m[:, 10:12] = _homoclave(rng, n)
    m[:, 12] = _rfc_check(m[:, :12])
    return to_str(m)


def rfc_company(rng: np.random.Generator, initials: U8, founded_days: I64) -> list[str]:
    """12-character RFCs of companies: three initials of the name, incorporation date, homoclave, check."""
    n = len(founded_days)
    m = np.zeros((n, 12), dtype=np.uint8)
    m[:, 0:3] = initials
    m[:, 3:9] = _yymmdd(founded_days)
    m[:, 9:11] = _homoclave(rng, n)
    padded = np.hstack([np.full((n, 1), ord(" "), dtype=np.uint8), m[:, :11]])
    m[:, 11] = _rfc_check(padded)
    return to_str(m)


def ssn(rng: np.random.Generator, n: int) -> list[str]:
    """SSNs in ``AAA-GG-SSSS`` form with issuable area, group and serial (no 000, 666, 9xx)."""
    area = rng.integers(1, 899, n)
    area = np.where((area == 666) | (area == 78) | (area == 219), area + 1, area)
    m = np.hstack(
        [
            digits(area, 3),
            np.full((n, 1), ord("-"), np.uint8),
            digits(rng.integers(1, 100, n), 2),
            np.full((n, 1), ord("-"), np.uint8),
            digits(rng.integers(1, 10000, n), 4),
        ]
    )
    return to_str(m)


_EIN_PREFIXES = np.asarray([20, 26, 27, 45, 46, 47, 74, 75, 81, 82, 83, 84, 85, 86, 88, 91, 92, 93, 98], np.int64)


def ein(rng: np.random.Generator, n: int) -> list[str]:
    """EINs ``PP-NNNNNNN`` with IRS campus prefixes."""
    prefix = _EIN_PREFIXES[rng.integers(0, len(_EIN_PREFIXES), n)]
    m = np.hstack([digits(prefix, 2), np.full((n, 1), ord("-"), np.uint8), digits(rng.integers(0, 10**7, n), 7)])
    return to_str(m)


def numbered(rng: np.random.Generator, n: int, prefix: bytes, width: int) -> list[str]:
    """Random numbers with a fixed letter prefix: passports (``G12345678``), licences, customer numbers."""
    pre = np.tile(np.frombuffer(prefix, dtype=np.uint8), (n, 1))
    return to_str(np.hstack([pre, digits(rng.integers(0, 10**width, n), width)]))


def clabe(rng: np.random.Generator, bank_codes: I64, serial: I64) -> list[str]:
    """18-digit CLABEs: bank (3), plaza (3), account (11) and the weighted (3, 7, 1) check digit."""
    n = len(serial)
    m = np.zeros((n, 18), dtype=np.uint8)
    m[:, 0:3] = digits(bank_codes, 3)
    m[:, 3:6] = digits(rng.integers(10, 999, n), 3)
    m[:, 6:17] = digits(serial, 11)
    weights = np.tile(np.asarray([3, 7, 1], np.int64), 6)[:17]
    total = (((m[:, :17] - ord("0")).astype(np.int64) * weights) % 10).sum(axis=1)
    m[:, 17] = ord("0") + (10 - total % 10) % 10
    return to_str(m)


def vin(rng: np.random.Generator, n: int) -> list[str]:
    """North American VINs (WMI starting 1, 3 or 5) with a valid position-9 check digit."""
    m = _VIN_CHARS[rng.integers(0, len(_VIN_CHARS), (n, 17))]
    m[:, 0] = np.frombuffer(b"135", dtype=np.uint8)[rng.integers(0, 3, n)]
    m[:, 9] = _VIN_YEARS[rng.integers(0, 15, n)]
    m[:, 8] = ord("0")
    total = (_VIN_VALUE[m] * _VIN_WEIGHTS).sum(axis=1) % 11
    m[:, 8] = np.where(total == 10, ord("X"), ord("0") + total).astype(np.uint8)
    return to_str(m)


def plates(rng: np.random.Generator, n: int, mexican: npt.NDArray[np.bool_]) -> list[str]:
    """Licence plates: US ``ABC1234`` style, Mexican ``ABC-123-A`` style."""
    letters = _LETTERS[rng.integers(0, 26, (n, 4))]
    nums = digits(rng.integers(0, 10000, n), 4)
    dash = np.full((n, 1), ord("-"), np.uint8)
    us = np.hstack([letters[:, :3], nums, np.full((n, 2), ord(" "), np.uint8)])
    mx = np.hstack([letters[:, :3], dash, nums[:, :3], dash, letters[:, 3:4]])
    out = to_str(np.where(mexican[:, None], mx, us))
    return [p.rstrip() for p in out]
