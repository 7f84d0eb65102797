"""The simulated world: population, companies, institutions, accounts and vehicles, plus lookups.

Generators of background activity and typologies read the world and may open new accounts in it (remitters
at MSBs, brokers at casas de cambio); everything is indexed by integer position so that records can be
materialised with vectorised ``take``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from puente.simulate import ids
from puente.simulate.config import ScenarioConfig, SizePreset
from puente.simulate.firms import (
    Accounts,
    Branches,
    Companies,
    Vehicles,
    make_accounts,
    make_branches,
    make_companies,
    make_vehicles,
)
from puente.simulate.population import Persons, day_number, make_persons
from puente.simulate.tables import cities, institutions, strip_accents

I64 = npt.NDArray[np.int64]


@dataclass
class World:
    cfg: ScenarioConfig
    size: SizePreset
    seed: int
    persons: Persons
    companies: Companies
    branches: Branches
    accounts: Accounts
    vehicles: Vehicles
    start_day: int
    days: int
    person_account: I64 = field(init=False)
    company_account: I64 = field(init=False)
    company_foreign_account: I64 = field(init=False)

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        """Recompute the first account of each person and company (after accounts are added)."""
        acc = self.accounts
        self.person_account = np.full(len(self.persons), -1, dtype=np.int64)
        self.company_account = np.full(len(self.companies), -1, dtype=np.int64)
        self.company_foreign_account = np.full(len(self.companies), -1, dtype=np.int64)
        order = np.arange(len(acc))[::-1]  # reversed so that the first account wins the assignment
        bank = np.asarray([institutions()[i].kind == "bank" for i in range(len(institutions()))])[acc.institution]
        pers = order[~acc.owner_is_company[order] & bank[order]]
        self.person_account[acc.owner[pers]] = pers
        comp = order[acc.owner_is_company[order] & bank[order]]
        home = acc.mexican[comp] == self.companies.mexican[acc.owner[comp]]
        self.company_account[acc.owner[comp[home]]] = comp[home]
        self.company_foreign_account[acc.owner[comp[~home]]] = comp[~home]

    def rng(self, *stream: int) -> np.random.Generator:
        """An independent, reproducible generator for one stream of work (e.g. one background period)."""
        return np.random.default_rng([self.seed, *stream])

    def branch_in(self, inst: int | I64, city: int | I64) -> I64:
        return self.branches.lookup(np.asarray(inst, np.int64), np.asarray(city, np.int64))

    def account_city(self, acct: I64) -> I64:
        return self.branches.city[self.accounts.branch[acct]]

    def add_accounts(self, owner_is_company: npt.NDArray[np.bool_], owner: I64, inst: I64, city: I64) -> I64:
        """Open accounts (at any institution kind) and return their indices."""
        acc = self.accounts
        rng = self.rng(90, len(acc))
        n = len(owner)
        mexican = np.asarray([institutions()[i].country == "MX" for i in inst.tolist()], dtype=bool)
        country = np.asarray(cities().country)
        same = (country[city] == "MX") == mexican
        fallback = np.asarray([cities().where("MX" if m else "US")[0] for m in mexican.tolist()], dtype=np.int64)
        city = np.where(same, city, fallback)
        branch = self.branch_in(inst, city)
        branch = np.where(branch < 0, self.branch_in(inst, fallback), branch)
        numbers = ids.numbered(rng, n, b"", 12)
        signatory = np.where(
            owner_is_company, self.companies.director[np.minimum(owner, len(self.companies) - 1)], owner
        )
        names = [
            (self.companies.name[o] if c else self.persons.full_name(o)).upper()
            for o, c in zip(owner.tolist(), owner_is_company.tolist(), strict=True)
        ]
        names = [n_ if m else strip_accents(n_) for n_, m in zip(names, mexican.tolist(), strict=True)]
        first = len(acc)
        acc.owner_is_company = np.concatenate([acc.owner_is_company, owner_is_company])
        acc.owner = np.concatenate([acc.owner, owner])
        acc.institution = np.concatenate([acc.institution, inst])
        acc.branch = np.concatenate([acc.branch, branch])
        acc.number.extend(numbers)
        acc.mexican = np.concatenate([acc.mexican, mexican])
        acc.signatory = np.concatenate([acc.signatory, signatory])
        acc.holder_name.extend(names)
        acc.party_id.extend(ids.numbered(rng, n, b"C", 9))
        return np.arange(first, first + n, dtype=np.int64)


def build_world(cfg: ScenarioConfig, size: SizePreset, seed: int) -> World:
    """Generate the population and its institutions (deterministic for the seed)."""
    rng = np.random.default_rng([seed, 0])
    persons = make_persons(rng, cfg, size.persons)
    companies = make_companies(rng, cfg, persons, size.companies)
    branches = make_branches()
    accounts = make_accounts(rng, cfg, persons, companies, branches)
    vehicles = make_vehicles(rng, cfg, persons, companies)
    return World(
        cfg=cfg,
        size=size,
        seed=seed,
        persons=persons,
        companies=companies,
        branches=branches,
        accounts=accounts,
        vehicles=vehicles,
        start_day=day_number(cfg.calendar.start_date),
        days=cfg.calendar.days,
    )
