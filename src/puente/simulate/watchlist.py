"""The scenario watchlist, and names borrowed from a real OFAC SDN list to exercise screening.

Watch-listed network members are written to ``watchlist.csv`` in OFAC's legacy ``sdn.csv`` layout (no header,
``-0- `` for empty), so the same loader reads the scenario list and the real one. With ``--list FILE`` (a real
``sdn.csv``), some watch-listed members are renamed after real individual entries of drug-related programs,
so screening hits can be checked against ground truth.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from puente.simulate import ids
from puente.simulate.declarations import party_id, to_date
from puente.simulate.networks import Network
from puente.simulate.tables import cities, strip_accents
from puente.simulate.world import World

EMPTY = "-0- "
DRUG_PROGRAMS = ("SDNTK", "ILLICIT-DRUGS", "TCO", "SDNT")
SCENARIO_PROGRAM = "PUENTE-SIM"
FIRST_ENT_NUM = 900001


@dataclass(frozen=True)
class SdnName:
    ent_num: str
    name: str
    program: str


def read_sdn_individuals(path: Path) -> list[SdnName]:
    """Mexico-linked individuals of drug programs in an OFAC legacy ``sdn.csv`` (falling back to wider sets)."""
    with path.open(encoding="latin-1", newline="") as handle:
        rows = [r for r in csv.reader(handle) if len(r) >= 4 and r[2].strip() == "individual"]
    people = [SdnName(r[0].strip(), r[1].strip(), r[3].strip()) for r in rows if "," in r[1]]
    mexican = {r[0].strip() for r in rows if len(r) > 11 and "Mexico" in r[11]}
    drugs = [s for s in people if any(p in s.program for p in DRUG_PROGRAMS)]
    return [s for s in drugs if s.ent_num in mexican] or drugs or people


def split_sdn_name(name: str) -> tuple[str, str, str | None]:
    """``GUZMAN LOERA, Joaquin`` -> (``Joaquin``, ``Guzman``, ``Loera``)."""
    last, _, first = name.partition(",")
    parts = last.strip().split()
    paternal = parts[0].title() if parts else last.title()
    maternal = " ".join(parts[1:]).title() or None
    return first.strip().title(), paternal, maternal


def choose_watchlisted(world: World, networks: list[Network]) -> None:
    """Leaders always, other members with ``network.watchlist_share``."""
    rng = world.rng(12)
    for net in networks:
        others = [m for m in net.people() if m != net.leader]
        chosen = [m for m in others if rng.random() < world.cfg.network.watchlist_share]
        net.watchlisted = [net.leader, *chosen]


def borrow_names(world: World, networks: list[Network], list_file: Path) -> list[tuple[str, str, str]]:
    """Rename some watch-listed members after real SDN individuals; returns (party, ent_num, sdn name)."""
    sdn = read_sdn_individuals(list_file)
    if not sdn:
        return []
    rng = world.rng(13)
    p = world.persons
    out: list[tuple[str, str, str]] = []
    renamed: list[int] = []
    for net in networks:
        for person in net.watchlisted:
            if rng.random() >= world.cfg.network.ofac_name_share:
                continue
            entry = sdn[int(rng.integers(0, len(sdn)))]
            given, paternal, maternal = split_sdn_name(entry.name)
            p.given[person], p.paternal[person], p.maternal[person] = given, paternal, maternal
            p.nickname[person] = None
            renamed.append(person)
            out.append((party_id(person), entry.ent_num, entry.name))
    _refresh_identifiers(world, renamed)
    return out


def _refresh_identifiers(world: World, renamed: list[int]) -> None:
    """Recompute CURP/RFC and account holder names of renamed people so that they stay consistent."""
    if not renamed:
        return
    p = world.persons
    idx = np.asarray(renamed, dtype=np.int64)
    rng = world.rng(14)
    pat = ids.name_letters([p.paternal[i] for i in renamed])
    mat = ids.name_letters([p.maternal[i] or "X" for i in renamed])
    giv = ids.name_letters([p.given[i] for i in renamed], given=True)
    states = [cities().curp_state[p.city[i]] for i in renamed]
    curps = ids.curp(rng, pat, mat, giv, p.dob[idx], p.female[idx], states)
    rfcs = ids.rfc_person(rng, pat, mat, giv, p.dob[idx])
    for i, c, r in zip(renamed, curps, rfcs, strict=True):
        if p.curp[i] is not None:
            p.curp[i] = c
        if p.rfc[i] is not None:
            p.rfc[i] = r
    acc = world.accounts
    for a in np.flatnonzero(~acc.owner_is_company & np.isin(acc.owner, idx)).tolist():
        name = p.full_name(int(acc.owner[a])).upper()
        acc.holder_name[a] = name if acc.mexican[a] else strip_accents(name)


def write_watchlist(path: Path, world: World, networks: list[Network]) -> list[tuple[str, str, str]]:
    """Write the scenario watchlist (OFAC legacy layout); returns (party, ent_num, listed name) rows."""
    p = world.persons
    rows: list[tuple[str, str, str]] = []
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL)
        ent = FIRST_ENT_NUM
        for net in networks:
            for person in net.watchlisted:
                last = f"{p.paternal[person]} {p.maternal[person] or ''}".strip()
                name = f"{strip_accents(last).upper()}, {strip_accents(p.given[person])}"
                dob = to_date(int(p.dob[person]))
                remarks = [f"DOB {dob:%d %b %Y}" if dob else "", f"nationality {p.nationality[person]}"]
                if p.curp[person]:
                    remarks.append(f"C.U.R.P. {p.curp[person]} (Mexico)")
                if p.passport[person]:
                    remarks.append(f"Passport {p.passport[person]} ({p.nationality[person]})")
                remarks.append(f"Linked To: {net.network_id}")
                writer.writerow(
                    [
                        str(ent),
                        name,
                        "individual",
                        f"[{SCENARIO_PROGRAM}]",
                        EMPTY,
                        EMPTY,
                        EMPTY,
                        EMPTY,
                        EMPTY,
                        EMPTY,
                        EMPTY,
                        "; ".join(r for r in remarks if r) + ".",
                    ]
                )
                rows.append((party_id(person), str(ent), name))
                ent += 1
    return rows
