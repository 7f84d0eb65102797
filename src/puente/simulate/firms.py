"""Companies, financial institutions and their branches, accounts and vehicles.

Companies carry a legal form of their country (S.A. de C.V., LLC …) and generic trade words (Grupo,
Comercializadora, Transportes, Logistics …). Every company has an owner and a director among the persons;
accounts have an owner (person or company) and a signatory, and are booked at a branch in the owner's city.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from puente.simulate import ids
from puente.simulate.config import ScenarioConfig
from puente.simulate.population import Persons, day_number, sample_cities, street_addresses
from puente.simulate.tables import Institution, cities, institutions, strip_accents, surnames

I64 = npt.NDArray[np.int64]
BOOL = npt.NDArray[np.bool_]

_TRANSPORT_WORDS = {"Transportes", "Logística", "Freight", "Logistics"}
_RETAIL_WORDS = {"Abarrotes", "Distribuidora", "Supply", "Produce", "Auto Parts"}


@dataclass
class Companies:
    mexican: BOOL
    name: list[str]
    legal_form: list[str]
    sector: list[str]
    city: I64
    street: list[str]
    tax_id: list[str]  # RFC (Mexico) or EIN (US)
    founded: I64
    owner: I64  # person index
    director: I64  # person index

    def __len__(self) -> int:
        return len(self.founded)


def _company_name(word: str, surname: str, place: str, style: int, mexican: bool) -> str:
    if mexican:
        return [f"{word} {surname}", f"{word} del Norte {surname}", f"{word} {place}", f"{word} {surname} Hermanos"][
            style
        ]
    return [f"{surname} {word}", f"{place} {word}", f"{surname} Brothers {word}", f"Border {word}"][style]


def _initials(name: str) -> str:
    words = [w for w in strip_accents(name).upper().replace("&", " ").split() if w not in {"DE", "DEL", "LA", "Y"}]
    letters = "".join(w[0] for w in words if w[0].isalpha())[:3]
    return (letters + "XXX")[:3]


def make_companies(rng: np.random.Generator, cfg: ScenarioConfig, persons: Persons, n: int) -> Companies:
    """Generate ``n`` companies with owners and directors drawn from adult residents of their country."""
    pop = cfg.population
    mexican = rng.random(n) < pop.company_mx_share
    sector_idx = rng.choice(len(pop.sectors), size=n, p=np.asarray(pop.sector_weights) / sum(pop.sector_weights))
    sectors = [pop.sectors[i] for i in sector_idx.tolist()]
    city = sample_cities(rng, cfg, mexican)
    table = cities()
    mx_sur = surnames("MX")
    sur = rng.choice(len(mx_sur.names), size=n, p=mx_sur.prob)
    us_sur = surnames("US")
    sur_us = rng.choice(len(us_sur.names), size=n, p=us_sur.prob)
    style = rng.integers(0, 4, n)
    picks = rng.integers(0, 1 << 30, n)
    names: list[str] = []
    forms: list[str] = []
    form_keys = {c: list(pop.legal_forms[c]) for c in ("MX", "US")}
    form_prob = {c: np.asarray(list(pop.legal_forms[c].values())) for c in ("MX", "US")}
    form_draw = {c: rng.choice(len(form_keys[c]), size=n, p=form_prob[c] / form_prob[c].sum()) for c in ("MX", "US")}
    for i in range(n):
        country = "MX" if mexican[i] else "US"
        words = pop.company_words[country]
        if sectors[i] == "transport":
            words = [w for w in words if w in _TRANSPORT_WORDS] or words
        elif sectors[i] == "retail":
            words = [w for w in words if w in _RETAIL_WORDS] or words
        word = words[picks[i] % len(words)]
        surname = mx_sur.names[sur[i]] if mexican[i] or picks[i] % 3 == 0 else us_sur.names[sur_us[i]]
        form = form_keys[country][form_draw[country][i]]
        base = _company_name(word, surname, table.name[city[i]], int(style[i]), bool(mexican[i]))
        names.append(f"{base} {form}" if country == "US" else f"{base}, {form}")
        forms.append(form)
    start = day_number(cfg.calendar.start_date)
    founded = start - rng.integers(200, 30 * 365, n)
    initials = np.frombuffer("".join(_initials(nm) for nm in names).encode("ascii"), dtype=np.uint8).reshape(n, 3)
    rfcs = ids.rfc_company(rng, initials, founded)
    eins = ids.ein(rng, n)
    tax_id = [r if m else e for r, e, m in zip(rfcs, eins, mexican.tolist(), strict=True)]
    mx_people = np.flatnonzero(persons.mexican)
    us_people = np.flatnonzero(~persons.mexican)
    owner = np.where(
        mexican, mx_people[rng.integers(0, len(mx_people), n)], us_people[rng.integers(0, len(us_people), n)]
    )
    other = np.where(
        mexican, mx_people[rng.integers(0, len(mx_people), n)], us_people[rng.integers(0, len(us_people), n)]
    )
    director = np.where(rng.random(n) < 0.6, owner, other)
    return Companies(
        mexican=mexican,
        name=names,
        legal_form=forms,
        sector=sectors,
        city=city,
        street=street_addresses(rng, mexican),
        tax_id=tax_id,
        founded=founded,
        owner=owner,
        director=director,
    )


@dataclass
class Branches:
    """Every (institution, city) pair of the institution's country is a branch or agent location."""

    institution: I64
    city: I64
    branch_id: list[str]

    def lookup(self, inst: I64, city: I64) -> I64:
        return self._index[inst, city]

    def __post_init__(self) -> None:
        n_inst = int(self.institution.max()) + 1
        self._index = np.full((n_inst, len(cities())), -1, dtype=np.int64)
        self._index[self.institution, self.city] = np.arange(len(self.institution))


def make_branches() -> Branches:
    table = cities()
    inst_rows: list[int] = []
    city_rows: list[int] = []
    ids_: list[str] = []
    for i, inst in enumerate(institutions()):
        if inst.kind == "armored":
            continue
        for c in table.where(inst.country).tolist():
            inst_rows.append(i)
            city_rows.append(c)
            ids_.append(f"{inst.id}-{c:03d}")
    return Branches(np.asarray(inst_rows, np.int64), np.asarray(city_rows, np.int64), ids_)


def institutions_of(country: str, kind: str) -> tuple[I64, npt.NDArray[np.float64]]:
    """Indices and normalised weights of institutions of a country and kind."""
    rows = [(i, inst.weight) for i, inst in enumerate(institutions()) if inst.country == country and inst.kind == kind]
    idx = np.asarray([r[0] for r in rows], dtype=np.int64)
    weights = np.asarray([r[1] for r in rows], dtype=np.float64)
    return idx, weights / weights.sum()


@dataclass
class Accounts:
    """Accounts at banks, MSBs and casas de cambio."""

    owner_is_company: BOOL
    owner: I64  # person or company index
    institution: I64
    branch: I64
    number: list[str]
    mexican: BOOL
    signatory: I64  # person index authorised on the account
    holder_name: list[str]  # the name as registered by the institution
    party_id: list[str]  # the institution's customer number

    def __len__(self) -> int:
        return len(self.owner)


def _holder_name(name: str, mexican: bool) -> str:
    """Institutions store names upper-case; US systems also drop accents."""
    return name.upper() if mexican else strip_accents(name).upper()


def make_accounts(
    rng: np.random.Generator, cfg: ScenarioConfig, persons: Persons, companies: Companies, branches: Branches
) -> Accounts:
    """Person accounts (primary and some secondary) and one or two accounts per company."""
    pop = cfg.population
    np_ = len(persons)
    share = np.where(persons.mexican, pop.account_share["MX"], pop.account_share["US"])
    has = rng.random(np_) < share
    second = has & (rng.random(np_) < pop.second_account_share)
    p_owner = np.concatenate([np.flatnonzero(has), np.flatnonzero(second)])
    p_owner.sort(kind="stable")
    nc = len(companies)
    foreign = np.asarray([s in ("trade", "transport") for s in companies.sector]) & (rng.random(nc) < 0.7)
    c_owner = np.concatenate([np.arange(nc), np.flatnonzero(foreign)])
    c_owner.sort(kind="stable")
    c_foreign = np.zeros(len(c_owner), dtype=bool)
    c_foreign[1:] = c_owner[1:] == c_owner[:-1]  # the second account of a trading company is across the border

    owner_is_company = np.concatenate([np.zeros(len(p_owner), bool), np.ones(len(c_owner), bool)])
    owner = np.concatenate([p_owner, c_owner])
    mexican = np.concatenate([persons.mexican[p_owner], companies.mexican[c_owner] ^ c_foreign])
    city = np.concatenate([persons.city[p_owner], companies.city[c_owner]])
    table = cities()
    # a cross-border account is booked in the paired border city of the other country
    n = len(owner)
    home_country = np.asarray(table.country)[city]
    wrong_side = (home_country == "MX") != mexican
    if wrong_side.any():
        alt = sample_cities(rng, cfg, mexican[wrong_side])
        city[wrong_side] = alt
    inst = np.empty(n, dtype=np.int64)
    for country, mask in (("MX", mexican), ("US", ~mexican)):
        idx, prob = institutions_of(country, "bank")
        inst[mask] = idx[rng.choice(len(idx), size=int(mask.sum()), p=prob)]
    branch = branches.lookup(inst, city)
    codes = np.asarray([int(institutions()[i].code) if institutions()[i].country == "MX" else 0 for i in inst])
    clabes = ids.clabe(rng, codes, rng.integers(0, 10**11, n))
    us_numbers = ids.numbered(rng, n, b"", 11)
    numbers = [c if m else u for c, u, m in zip(clabes, us_numbers, mexican.tolist(), strict=True)]
    signatory = np.where(owner_is_company, companies.director[np.minimum(owner, nc - 1)], owner)
    names = [
        _holder_name(companies.name[o] if ic else persons.full_name(o), bool(m))
        for o, ic, m in zip(owner.tolist(), owner_is_company.tolist(), mexican.tolist(), strict=True)
    ]
    party = ids.numbered(rng, n, b"C", 9)
    return Accounts(owner_is_company, owner, inst, branch, numbers, mexican, signatory, names, party)


@dataclass
class Vehicles:
    owner_is_company: BOOL
    owner: I64
    plate: list[str]
    plate_state: list[str]
    mexican: BOOL
    vin: list[str]
    truck: BOOL

    def __len__(self) -> int:
        return len(self.owner)


def make_vehicles(rng: np.random.Generator, cfg: ScenarioConfig, persons: Persons, companies: Companies) -> Vehicles:
    """Passenger vehicles of a share of persons and trucks of transport companies."""
    p_owner = np.flatnonzero(rng.random(len(persons)) < cfg.population.vehicle_share)
    transport = np.flatnonzero(np.asarray([s == "transport" for s in companies.sector]))
    trucks = rng.integers(1, 6, len(transport))
    c_owner = np.repeat(transport, trucks)
    owner_is_company = np.concatenate([np.zeros(len(p_owner), bool), np.ones(len(c_owner), bool)])
    owner = np.concatenate([p_owner, c_owner])
    mexican = np.concatenate([persons.mexican[p_owner], companies.mexican[c_owner]])
    city = np.concatenate([persons.city[p_owner], companies.city[c_owner]])
    n = len(owner)
    table = cities()
    return Vehicles(
        owner_is_company=owner_is_company,
        owner=owner,
        plate=ids.plates(rng, n, mexican),
        plate_state=[table.state[c] for c in city.tolist()],
        mexican=mexican,
        vin=ids.vin(rng, n),
        truck=owner_is_company,
    )


def institution(i: int) -> Institution:
    return institutions()[i]
