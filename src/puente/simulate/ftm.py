"""The FollowTheMoney entity file: people, companies, addresses, accounts, vehicles, IDs and relations.

Each person is published by the registry of their home country; people known on both sides (cross-border
residents, immigrants, every network member) are published a second time by the other country's registry,
with that side's identifiers and the noise of :mod:`puente.simulate.noise`, so that entity resolution has real
work to do. Entities are written as FtM JSON dicts directly (no proxy objects) for speed; ids come from
:func:`puente.model.entities.entity_id` and are therefore deterministic.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from puente.model.entities import entity_id
from puente.simulate.declarations import company_party_id, party_id, to_date
from puente.simulate.networks import Network
from puente.simulate.noise import Noiser
from puente.simulate.tables import cities, institutions
from puente.simulate.world import World


@dataclass
class FtmResult:
    counts: dict[str, int] = field(default_factory=dict)
    # (entity id, party id, source, schema, noise) for every Person/Company record
    records: list[tuple[str, str, str, str, list[str]]] = field(default_factory=list)
    account_ids: list[str] = field(default_factory=list)
    vehicle_ids: list[str] = field(default_factory=list)


def _entity(schema: str, eid: str, props: dict[str, Any]) -> dict[str, Any]:
    clean = {
        k: [str(x) for x in (v if isinstance(v, list) else [v]) if x is not None and x != ""] for k, v in props.items()
    }
    return {"id": eid, "schema": schema, "properties": {k: v for k, v in clean.items() if v}}


def person_entity_id(person: int, source: str) -> str:
    return entity_id("Person", "puente-sim", source, party_id(person))


def company_entity_id(company: int) -> str:
    return entity_id("Company", "puente-sim", company_party_id(company))


def account_entity_id(number: str, institution: str) -> str:
    return entity_id("BankAccount", institution, number)


def _persons(world: World, networks: list[Network], noiser: Noiser, res: FtmResult) -> Iterator[dict[str, Any]]:
    p = world.persons
    table = cities()
    members = {m for net in networks for m in net.people()}
    both = p.cross_border.copy()
    both[list(members)] = True
    for i in range(len(p)):
        home = "mx" if p.mexican[i] else "us"
        sources = [home, "us" if home == "mx" else "mx"] if both[i] else [home]
        addr_id = entity_id("Address", p.street[i], table.name[p.city[i]], table.country[p.city[i]])
        yield _entity(
            "Address",
            addr_id,
            {
                "full": f"{p.street[i]}, {table.name[p.city[i]]}, {table.state[p.city[i]]}",
                "city": table.name[p.city[i]],
                "country": table.country[p.city[i]],
            },
        )
        for source in sources:
            eid = person_entity_id(i, source)
            foreign = source != home
            r = noiser.render(p, i, us_form=source == "us", foreign=foreign) if foreign else None
            given = r.given if r else p.given[i]
            last = r.last if r else (f"{p.paternal[i]} {p.maternal[i]}" if p.maternal[i] else p.paternal[i])
            dob = r.dob if r else int(p.dob[i])
            mx_ids = source == "mx"
            yield _entity(
                "Person",
                eid,
                {
                    "name": f"{given} {last}",
                    "firstName": given,
                    "lastName": last,
                    "birthDate": str(to_date(dob) or ""),
                    "gender": "female" if p.female[i] else "male",
                    "nationality": p.nationality[i].lower(),
                    "country": home,
                    "idNumber": p.curp[i] if mx_ids else None,
                    "taxNumber": p.rfc[i] if mx_ids else None,
                    "socialSecurityNumber": None if mx_ids else p.ssn[i],
                    "passportNumber": p.passport[i] if not foreign else None,
                    "address": None if r and r.drop_optional else p.street[i],
                    "addressEntity": addr_id,
                    "publisher": "US registry (synthetic)" if source == "us" else "Registro MX (sintético)",
                },
            )
            res.records.append((eid, party_id(i), source, "Person", r.noise if r else []))
            if foreign:
                ident = entity_id("Identification", source, p.local_id[i])
                yield _entity(
                    "Identification",
                    ident,
                    {
                        "holder": eid,
                        "number": p.local_id[i],
                        "country": home,
                        "type": "INE" if home == "mx" else "driver licence",
                    },
                )
        if p.passport[i]:
            yield _entity(
                "Passport",
                entity_id("Passport", p.nationality[i], p.passport[i]),
                {
                    "holder": person_entity_id(i, home),
                    "number": p.passport[i],
                    "country": p.nationality[i].lower(),
                    "type": "passport",
                },
            )


def _companies(world: World, res: FtmResult) -> Iterator[dict[str, Any]]:
    c = world.companies
    table = cities()
    for k in range(len(c)):
        eid = company_entity_id(k)
        country = "mx" if c.mexican[k] else "us"
        addr_id = entity_id("Address", c.street[k], table.name[c.city[k]], table.country[c.city[k]])
        yield _entity(
            "Address",
            addr_id,
            {"full": f"{c.street[k]}, {table.name[c.city[k]]}", "city": table.name[c.city[k]], "country": country},
        )
        yield _entity(
            "Company",
            eid,
            {
                "name": c.name[k],
                "legalForm": c.legal_form[k],
                "jurisdiction": country,
                "country": country,
                "taxNumber": c.tax_id[k],
                "incorporationDate": str(to_date(int(c.founded[k]))),
                "sector": c.sector[k],
                "addressEntity": addr_id,
            },
        )
        res.records.append((eid, company_party_id(k), country, "Company", []))
        owner, director = int(c.owner[k]), int(c.director[k])
        home = "mx" if world.persons.mexican[owner] else "us"
        yield _entity(
            "Ownership",
            entity_id("Ownership", eid, owner),
            {"owner": person_entity_id(owner, home), "asset": eid, "percentage": "100", "role": "shareholder"},
        )
        dhome = "mx" if world.persons.mexican[director] else "us"
        yield _entity(
            "Directorship",
            entity_id("Directorship", eid, director),
            {
                "director": person_entity_id(director, dhome),
                "organization": eid,
                "role": "administrador único" if c.mexican[k] else "managing member",
            },
        )


def _accounts(world: World, res: FtmResult) -> Iterator[dict[str, Any]]:
    acc = world.accounts
    inst = institutions()
    p = world.persons
    for a in range(len(acc)):
        institution = inst[int(acc.institution[a])]
        eid = account_entity_id(acc.number[a], institution.id)
        res.account_ids.append(eid)
        yield _entity(
            "BankAccount",
            eid,
            {
                "accountNumber": acc.number[a],
                "bankName": institution.name,
                "country": institution.country.lower(),
                "currency": "MXN" if acc.mexican[a] else "USD",
                "accountType": institution.kind,
            },
        )
        o = int(acc.owner[a])
        if acc.owner_is_company[a]:
            owner_id = company_entity_id(o)
        else:
            owner_id = person_entity_id(o, "mx" if p.mexican[o] else "us")
        yield _entity(
            "Ownership",
            entity_id("Ownership", eid, "holder"),
            {"owner": owner_id, "asset": eid, "role": "account holder"},
        )
        s = int(acc.signatory[a])
        if acc.owner_is_company[a] or s != o:
            yield _entity(
                "Ownership",
                entity_id("Ownership", eid, "signatory", s),
                {
                    "owner": person_entity_id(s, "mx" if p.mexican[s] else "us"),
                    "asset": eid,
                    "role": "authorized signatory",
                },
            )


def _vehicles(world: World, res: FtmResult) -> Iterator[dict[str, Any]]:
    v = world.vehicles
    p = world.persons
    for k in range(len(v)):
        eid = entity_id("Vehicle", v.vin[k])
        res.vehicle_ids.append(eid)
        o = int(v.owner[k])
        owner = company_entity_id(o) if v.owner_is_company[k] else person_entity_id(o, "mx" if p.mexican[o] else "us")
        yield _entity(
            "Vehicle",
            eid,
            {
                "registrationNumber": v.plate[k],
                "type": "truck" if v.truck[k] else "car",
                "country": "mx" if v.mexican[k] else "us",
                "owner": owner,
                "description": f"VIN {v.vin[k]}; plate state {v.plate_state[k]}",
            },
        )


def _relations(world: World, networks: list[Network], family: list[tuple[int, int]]) -> Iterator[dict[str, Any]]:
    p = world.persons
    rng = world.rng(11)

    def pid(i: int) -> str:
        return person_entity_id(i, "mx" if p.mexican[i] else "us")

    for a, b in family:
        yield _entity(
            "Family", entity_id("Family", a, b), {"person": pid(a), "relative": pid(b), "relationship": "relative"}
        )
    for net in networks:
        leader = net.leader
        pairs = [(leader, lt) for lt in net.members["lieutenant"]]
        lts = net.members["lieutenant"] or [leader]
        pairs += [(lts[i % len(lts)], c) for i, c in enumerate(net.members["courier"] + net.members["broker"])]
        decoys = rng.integers(0, len(p), world.cfg.network.associate_decoys * len(net.people()) // 4 + 1)
        pairs += [(net.people()[i % len(net.people())], int(d)) for i, d in enumerate(decoys.tolist())]
        for a, b in pairs:
            yield _entity(
                "Associate",
                entity_id("Associate", a, b),
                {"person": pid(a), "associate": pid(b), "relationship": "associate"},
            )


def write_ftm(
    path: Path, world: World, networks: list[Network], noiser: Noiser, family: list[tuple[int, int]]
) -> FtmResult:
    """Write ``entities.ftm.json``; duplicates (shared addresses) are written once."""
    res = FtmResult()
    seen: set[str] = set()
    with path.open("w", encoding="utf-8") as out:
        for gen in (
            _persons(world, networks, noiser, res),
            _companies(world, res),
            _accounts(world, res),
            _vehicles(world, res),
            _relations(world, networks, family),
        ):
            lines = []
            for ent in gen:
                if ent["id"] in seen:
                    continue
                seen.add(ent["id"])
                res.counts[ent["schema"]] = res.counts.get(ent["schema"], 0) + 1
                lines.append(json.dumps(ent, ensure_ascii=False, sort_keys=True))
                if len(lines) >= 50000:
                    out.write("\n".join(lines) + "\n")
                    lines = []
            if lines:
                out.write("\n".join(lines) + "\n")
    return res


def remittance_family(pairs: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in zip(pairs[0].tolist(), pairs[1].tolist(), strict=True)]
