"""The synthetic population: persons on both sides of the border, with names, birth dates, homes and IDs.

Persons are generated in bulk as NumPy arrays (one row per real person); strings are built once per person.
Mexican residents and Hispanic US residents carry a Spanish given name and two surnames (paternal, maternal);
other US residents an English given and family name. Homes are drawn from city populations with border cities
boosted, because Puente's subject is the border economy. Identifiers follow each country's rules: CURP and RFC
for Mexicans, SSN for US residents, passports for a share of both, a driver licence or INE voter card as the
everyday ID.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from puente.simulate import ids
from puente.simulate.config import ScenarioConfig
from puente.simulate.tables import Cities, NameTable, cities, given_names, read_rows, surnames

I64 = npt.NDArray[np.int64]
BOOL = npt.NDArray[np.bool_]

EPOCH = dt.date(1970, 1, 1)


def day_number(date: dt.date) -> int:
    """Days since 1970-01-01 (Arrow's date32)."""
    return (date - EPOCH).days


@dataclass
class Persons:
    """One row per real person; index = person number."""

    mexican: BOOL  # lives in Mexico
    hispanic: BOOL  # Spanish naming (given name + paternal + maternal surname)
    female: BOOL
    nationality: list[str]
    given: list[str]
    paternal: list[str]
    maternal: list[str | None]
    nickname: list[str | None]
    dob: I64  # days since epoch
    city: I64  # index into tables.cities()
    street: list[str]
    curp: list[str | None]
    rfc: list[str | None]
    ssn: list[str | None]
    passport: list[str | None]
    local_id: list[str]  # driver licence (US) or INE voter card (MX)
    cross_border: BOOL  # known to registries of both countries

    def __len__(self) -> int:
        return len(self.dob)

    def full_name(self, i: int) -> str:
        mat = self.maternal[i]
        return f"{self.given[i]} {self.paternal[i]}" + (f" {mat}" if mat else "")

    def country(self, i: int) -> str:
        return "MX" if self.mexican[i] else "US"


def _weighted_cities(table: Cities, country: str, boost: float) -> tuple[I64, npt.NDArray[np.float64]]:
    idx = table.where(country)
    weights = table.population[idx] * np.where(table.border[idx], boost, 1.0)
    return idx, weights / weights.sum()


def sample_cities(rng: np.random.Generator, cfg: ScenarioConfig, mexican: BOOL) -> I64:
    """Home cities, by population with border cities boosted."""
    table = cities()
    out = np.empty(len(mexican), dtype=np.int64)
    for country, mask in (("MX", mexican), ("US", ~mexican)):
        idx, prob = _weighted_cities(table, country, cfg.population.border_city_boost)
        out[mask] = idx[rng.choice(len(idx), size=int(mask.sum()), p=prob)]
    return out


def _pick(rng: np.random.Generator, table: NameTable, n: int) -> I64:
    return rng.choice(len(table.names), size=n, p=table.prob)


def _given(rng: np.random.Generator, hispanic: BOOL, female: BOOL) -> tuple[I64, BOOL]:
    """Given-name indices into the MX or US table by culture and sex (returned with the culture mask)."""
    idx = np.empty(len(hispanic), dtype=np.int64)
    for culture, cmask in (("MX", hispanic), ("US", ~hispanic)):
        table = given_names(culture)
        for sex, smask in (("F", female), ("M", ~female)):
            sub = table.by_sex(sex)
            mask = cmask & smask
            positions = np.flatnonzero(np.isin(np.asarray(table.sex), [sex]))
            idx[mask] = positions[_pick(rng, sub, int(mask.sum()))]
    return idx, hispanic


def street_addresses(rng: np.random.Generator, mexican: BOOL) -> list[str]:
    """Street addresses in each country's usual form."""
    rows = read_rows("streets.csv")
    by_kind: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        by_kind.setdefault((row["country"], row["kind"]), []).append(row["name"])
    n = len(mexican)
    number = rng.integers(1, 9999, n)
    us_street = by_kind[("US", "street")]
    us_suffix = by_kind[("US", "suffix")]
    mx_street = by_kind[("MX", "street")]
    colonia = by_kind[("MX", "colonia")]
    a = rng.integers(0, 1 << 30, n)
    b = rng.integers(0, 1 << 30, n)
    out: list[str] = []
    for i in range(n):
        if mexican[i]:
            out.append(f"Calle {mx_street[a[i] % len(mx_street)]} {number[i]}, Col. {colonia[b[i] % len(colonia)]}")
        else:
            out.append(f"{number[i]} {us_street[a[i] % len(us_street)]} {us_suffix[b[i] % len(us_suffix)]}")
    return out


def make_persons(rng: np.random.Generator, cfg: ScenarioConfig, n: int) -> Persons:
    """Generate ``n`` persons (vectorised, with one string pass per person)."""
    pop = cfg.population
    mexican = rng.random(n) < pop.mx_resident_share
    hispanic = mexican | (rng.random(n) < pop.us_hispanic_share)
    female = rng.random(n) < 0.5
    given_idx, _ = _given(rng, hispanic, female)
    mx_sur, us_sur = surnames("MX"), surnames("US")
    pat_mx = _pick(rng, mx_sur, n)
    mat_mx = _pick(rng, mx_sur, n)
    pat_us = _pick(rng, us_sur, n)
    gm, gu = given_names("MX"), given_names("US")

    given = [gm.names[g] if h else gu.names[g] for g, h in zip(given_idx.tolist(), hispanic.tolist(), strict=True)]
    nick = [
        (gm.nickname[g] if h else gu.nickname[g]) or None
        for g, h in zip(given_idx.tolist(), hispanic.tolist(), strict=True)
    ]
    paternal = [
        mx_sur.names[p] if h else us_sur.names[u]
        for p, u, h in zip(pat_mx.tolist(), pat_us.tolist(), hispanic.tolist(), strict=True)
    ]
    maternal: list[str | None] = [
        mx_sur.names[m] if h else None for m, h in zip(mat_mx.tolist(), hispanic.tolist(), strict=True)
    ]

    start = day_number(cfg.calendar.start_date)
    # Ages spread over [age_min, age_max], skewed towards working ages. (Clamping a product that could fall below
    # age_min put ~8% of people on one birth date, which real registries never show and blocking on dates feels.)
    share = rng.uniform(0.0, 1.0, n) * rng.beta(2.0, 1.6, n) ** 0.35
    age_days = (pop.age_min + (pop.age_max - pop.age_min) * share) * 365.25
    dob = (start - age_days).astype(np.int64)

    city = sample_cities(rng, cfg, mexican)
    immigrant = ~mexican & hispanic & (rng.random(n) < 0.35)
    nationality = ["MX" if m or im else "US" for m, im in zip(mexican.tolist(), immigrant.tolist(), strict=True)]

    # Identifiers: letters per name-table entry, gathered per person.
    sur_letters = ids.name_letters(mx_sur.names)
    giv_letters = ids.name_letters(gm.names, given=True)
    table = cities()
    mx_states = [table.curp_state[i] for i in table.where("MX")]
    is_mx_nat = np.asarray([c == "MX" for c in nationality])
    birth_state = [
        table.curp_state[c] if m and r < 0.8 else mx_states[k % len(mx_states)]
        for c, m, r, k in zip(
            city.tolist(), mexican.tolist(), rng.random(n).tolist(), rng.integers(0, 1000, n).tolist(), strict=True
        )
    ]
    sel = np.flatnonzero(is_mx_nat)
    curps = ids.curp(
        rng,
        sur_letters[pat_mx[sel]],
        sur_letters[mat_mx[sel]],
        giv_letters[given_idx[sel]],
        dob[sel],
        female[sel],
        [birth_state[i] for i in sel.tolist()],
    )
    curp: list[str | None] = [None] * n
    for i, value in zip(sel.tolist(), curps, strict=True):
        curp[i] = value
    sel_mx = np.flatnonzero(mexican)
    rfcs = ids.rfc_person(
        rng, sur_letters[pat_mx[sel_mx]], sur_letters[mat_mx[sel_mx]], giv_letters[given_idx[sel_mx]], dob[sel_mx]
    )
    rfc: list[str | None] = [None] * n
    for i, value in zip(sel_mx.tolist(), rfcs, strict=True):
        rfc[i] = value
    ssn_values = ids.ssn(rng, n)
    ssn: list[str | None] = [None if m else s for s, m in zip(ssn_values, mexican.tolist(), strict=True)]

    share = np.where(is_mx_nat, pop.passport_share["MX"], pop.passport_share["US"])
    has_pass = rng.random(n) < share
    us_pass = ids.numbered(rng, n, b"5", 8)
    mx_pass = ids.numbered(rng, n, b"G", 8)
    passport: list[str | None] = [
        (mp if mx else up) if hp else None
        for up, mp, mx, hp in zip(us_pass, mx_pass, is_mx_nat.tolist(), has_pass.tolist(), strict=True)
    ]
    dl = ids.numbered(rng, n, b"DL", 8)
    ine = ids.numbered(rng, n, b"IDMEX", 10)
    local_id = [i if m else d for d, i, m in zip(dl, ine, mexican.tolist(), strict=True)]
    border_home = table.border[city]
    cross = (rng.random(n) < pop.cross_border_share * np.where(border_home, 2.0, 0.5)) | immigrant
    return Persons(
        mexican=mexican,
        hispanic=hispanic,
        female=female,
        nationality=nationality,
        given=given,
        paternal=paternal,
        maternal=maternal,
        nickname=nick,
        dob=dob,
        city=city,
        street=street_addresses(rng, mexican),
        curp=curp,
        rfc=rfc,
        ssn=ssn,
        passport=passport,
        local_id=local_id,
        cross_border=cross,
    )
