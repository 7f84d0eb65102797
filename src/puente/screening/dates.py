"""Birth dates as lists publish them, and how a query date agrees with them.

OFAC writes ``25 Dec 1954``, ``Dec 1954``, ``1948``, ``circa 1960`` and ``1960 to 1962``, and often several
(``alt. DOB``); the UN writes exact dates, years, ranges and "approximately". All become a :class:`BirthDate`
span (first and last possible day) so agreement is one comparison whatever the precision.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from puente.screening.config import BirthDateConfig
from puente.screening.entry import BirthDate

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_DMY = re.compile(r"^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$")
_MY = re.compile(r"^([A-Za-z]{3})[a-z]* (\d{4})$")
_Y = re.compile(r"^(\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_RANGE = re.compile(r"^(.+?)\s+(?:to|-)\s+(.+)$")


def _span(text: str) -> tuple[date, date] | None:
    text = text.strip()
    if m := _DMY.match(text):
        month = _MONTHS.get(m.group(2).lower())
        if month:
            day = date(int(m.group(3)), month, int(m.group(1)))
            return day, day
    if m := _MY.match(text):
        month = _MONTHS.get(m.group(1).lower())
        if month:
            year = int(m.group(2))
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    if m := _Y.match(text):
        year = int(m.group(1))
        return date(year, 1, 1), date(year, 12, 31)
    if m := _ISO.match(text):
        year = int(m.group(1))
        if m.group(3):
            day = date(year, int(m.group(2)), int(m.group(3)))
            return day, day
        if m.group(2):
            month = int(m.group(2))
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 1, 1), date(year, 12, 31)
    return None


def parse_birth_date(text: str) -> BirthDate | None:
    """A :class:`BirthDate` from a list's wording, or None when it is not a date."""
    raw = text.strip().rstrip(".")
    approx = False
    lowered = raw.lower()
    for prefix in ("circa ", "approximately ", "approx. ", "about ", "ca. "):
        if lowered.startswith(prefix):
            raw, approx = raw[len(prefix) :], True
            break
    try:
        if m := _RANGE.match(raw):
            first, last = _span(m.group(1)), _span(m.group(2))
            if first and last:
                return BirthDate(text.strip(), first[0].isoformat(), last[1].isoformat(), approx)
        span = _span(raw)
    except ValueError:
        return None
    if span is None:
        return None
    return BirthDate(text.strip(), span[0].isoformat(), span[1].isoformat(), approx)


def birth_date_effect(query: date, listed: list[BirthDate], cfg: BirthDateConfig) -> tuple[float, str]:
    """(score change, reason) of a query birth date against an entry's birth dates; the best one counts."""
    best: tuple[float, str] | None = None
    for bd in listed:
        start, end = date.fromisoformat(bd.start), date.fromisoformat(bd.end)
        if start <= query <= end:
            effect = cfg.exact if start == end else cfg.year
            if bd.approximate:
                effect = cfg.approximate
            what = "equals" if start == end else "falls within"
            candidate = (effect, f"{query.isoformat()} {what} listed DOB '{bd.text}'")
        elif start == end and query.day <= 12 and _swap(query) == start:
            candidate = (
                cfg.swapped_day_month,
                f"{query.isoformat()} is listed DOB '{bd.text}' with day and month swapped",
            )
        elif bd.approximate and start.year - cfg.approx_years <= query.year <= end.year + cfg.approx_years:
            candidate = (cfg.approximate, f"{query.isoformat()} is near approximate listed DOB '{bd.text}'")
        elif start.year <= query.year <= end.year:
            candidate = (cfg.same_year_other_day, f"{query.isoformat()} is another day of listed DOB year '{bd.text}'")
        else:
            candidate = (cfg.mismatch, f"{query.isoformat()} differs from listed DOB '{bd.text}'")
        if best is None or candidate[0] > best[0]:
            best = candidate
    return best if best is not None else (0.0, "")


def _swap(day: date) -> date | None:
    try:
        return date(day.year, day.day, day.month)
    except ValueError:
        return None
