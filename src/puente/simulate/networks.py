"""TCO networks: members with roles, front and transport companies, accounts, vehicles and stash addresses.

Members are recruited from the background population (they keep their legitimate activity, which is what
makes them hard to find): the leader and lieutenants in Mexico, couriers in border cities who own a vehicle,
straw owners in the US whose accounts become funnel accounts, money brokers with accounts on both sides.
Front companies are trading companies with accounts in both countries; transport companies own trucks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from puente.simulate.firms import institutions_of
from puente.simulate.tables import cities, institutions, ports
from puente.simulate.world import World

I64 = npt.NDArray[np.int64]

ROLES = ("leader", "lieutenant", "courier", "broker", "straw_owner")


@dataclass
class Network:
    nid: int
    members: dict[str, list[int]]  # role -> person indices
    front_companies: list[int]
    transport_companies: list[int]
    vehicles: list[int]
    trucks: list[int]
    home_ports: list[int]  # indices into tables.ports(): the network's plazas
    funnel_accounts: list[int]
    member_accounts: list[int]
    front_us_accounts: list[int]
    front_mx_accounts: list[int]
    broker_us_accounts: list[int]
    broker_mx_accounts: list[int]  # at a casa de cambio
    msb_accounts: list[int]  # border MSB accounts used for repatriation
    mule_accounts: list[int] = field(default_factory=list)
    stash_address: str | None = None
    watchlisted: list[int] = field(default_factory=list)

    @property
    def leader(self) -> int:
        return self.members["leader"][0]

    def people(self) -> list[int]:
        return [p for role in ROLES for p in self.members[role]]

    def role_of(self) -> dict[int, str]:
        return {p: role for role in ROLES for p in self.members[role]}

    @property
    def network_id(self) -> str:
        return f"NET{self.nid:03d}"


class _Pool:
    """Draws distinct items from a shuffled candidate list, never giving one to two networks."""

    def __init__(self, rng: np.random.Generator, candidates: I64) -> None:
        self.items = rng.permutation(candidates).tolist()
        self.pos = 0

    def take(self, k: int) -> list[int]:
        out = self.items[self.pos : self.pos + k]
        self.pos += len(out)
        return [int(x) for x in out]


def _count(rng: np.random.Generator, bounds: tuple[int, int]) -> int:
    return int(rng.integers(bounds[0], bounds[1] + 1))


def form_networks(world: World) -> list[Network]:
    """Recruit the configured number of networks from the population (deterministic for the seed)."""
    cfg = world.cfg
    shape = cfg.network
    rng = world.rng(3)
    p = world.persons
    table = cities()
    border = table.border[p.city]
    has_acct = world.person_account >= 0
    owns_vehicle = np.zeros(len(p), dtype=bool)
    veh = world.vehicles
    person_vehicles = np.flatnonzero(~veh.owner_is_company)
    owns_vehicle[veh.owner[person_vehicles]] = True
    vehicle_of = np.full(len(p), -1, dtype=np.int64)
    vehicle_of[veh.owner[person_vehicles]] = person_vehicles
    us_border_state = np.isin(np.asarray(table.state)[p.city], ["TX", "AZ", "CA", "NM"])

    leaders = _Pool(rng, np.flatnonzero(p.mexican & has_acct & ~border))
    mx_members = _Pool(rng, np.flatnonzero(p.mexican & has_acct & border))
    couriers = _Pool(rng, np.flatnonzero(p.hispanic & border & owns_vehicle))
    straw = _Pool(rng, np.flatnonzero(~p.mexican & has_acct & us_border_state & ~owns_vehicle))
    sectors = np.asarray(world.companies.sector)
    fronts = _Pool(rng, np.flatnonzero((sectors == "trade") & (world.company_foreign_account >= 0)))
    transports = _Pool(rng, np.flatnonzero(sectors == "transport"))
    port_weights = np.asarray([pt.weight + pt.truck_weight for pt in ports()])
    us_bank, us_prob = institutions_of("US", "bank")
    cdc, cdc_prob = institutions_of("MX", "casa_de_cambio")
    msb, msb_prob = institutions_of("US", "msb")

    networks: list[Network] = []
    for nid in range(world.size.networks):
        members = {
            "leader": leaders.take(1),
            "lieutenant": mx_members.take(_count(rng, shape.lieutenants)),
            "courier": couriers.take(_count(rng, shape.couriers)),
            "broker": mx_members.take(_count(rng, shape.brokers)),
            "straw_owner": straw.take(_count(rng, shape.straw_owners)),
        }
        if not members["leader"] or not members["courier"] or not members["straw_owner"]:
            break  # population too small for more networks
        front = fronts.take(_count(rng, shape.front_companies))
        transport = transports.take(_count(rng, shape.transport_companies))
        vehicles = [int(vehicle_of[c]) for c in members["courier"]]
        trucks = np.flatnonzero(veh.owner_is_company & np.isin(veh.owner, transport)).tolist()
        home = rng.choice(len(port_weights), size=2, replace=False, p=port_weights / port_weights.sum()).tolist()
        brokers = np.asarray(members["broker"], dtype=np.int64)
        nb = len(brokers)
        port_city = [table.index(ports()[h].us_city) if ports()[h].us_city in table.name else 0 for h in home]
        broker_us = world.add_accounts(
            np.zeros(nb, bool), brokers, us_bank[rng.choice(len(us_bank), nb, p=us_prob)], np.full(nb, port_city[0])
        )
        broker_mx = world.add_accounts(
            np.zeros(nb, bool), brokers, cdc[rng.choice(len(cdc), nb, p=cdc_prob)], p.city[brokers]
        )
        # A border MSB account held by a front company (or the first broker when there is none).
        holder = np.asarray(front[:1] or members["broker"][:1], dtype=np.int64)
        msb_acc = world.add_accounts(
            np.asarray([bool(front)]), holder, msb[rng.choice(len(msb), 1, p=msb_prob)], np.full(1, port_city[0])
        )
        front_us, front_mx = _front_accounts(world, front)
        net = Network(
            nid=nid,
            members=members,
            front_companies=front,
            transport_companies=transport,
            vehicles=[v for v in vehicles if v >= 0],
            trucks=[int(t) for t in trucks],
            home_ports=[int(h) for h in home],
            funnel_accounts=[int(world.person_account[s]) for s in members["straw_owner"]],
            member_accounts=[int(world.person_account[m]) for m in members["lieutenant"] + members["leader"]],
            front_us_accounts=[a for a in front_us if a >= 0],
            front_mx_accounts=[a for a in front_mx if a >= 0],
            broker_us_accounts=broker_us.tolist(),
            broker_mx_accounts=broker_mx.tolist(),
            msb_accounts=msb_acc.tolist(),
        )
        _share_addresses(world, net, rng)
        networks.append(net)
    world.reindex()
    return networks


def _front_accounts(world: World, front: list[int]) -> tuple[list[int], list[int]]:
    """The US-side and Mexico-side accounts of front companies."""
    comp_acct = world.company_account
    foreign = world.company_foreign_account
    cm = world.companies.mexican
    front_us = [int(comp_acct[c] if not cm[c] else foreign[c]) for c in front]
    front_mx = [int(foreign[c] if not cm[c] else comp_acct[c]) for c in front]
    return front_us, front_mx


def _share_addresses(world: World, net: Network, rng: np.random.Generator) -> None:
    """Some members live at the network's stash house (same street address and city as a lieutenant)."""
    p = world.persons
    anchor = (net.members["lieutenant"] or net.members["leader"])[0]
    net.stash_address = p.street[anchor]
    for person in net.members["courier"] + net.members["lieutenant"][1:]:
        if rng.random() < world.cfg.network.shared_address_share and p.mexican[person] == p.mexican[anchor]:
            p.street[person] = p.street[anchor]
            p.city[person] = p.city[anchor]


def infrastructure(net: Network) -> list[dict[str, Any]]:
    """The network's assets as (kind, index, role) rows for the truth files."""
    rows: list[dict[str, Any]] = []
    for kind, role, items in (
        ("company", "front_company", net.front_companies),
        ("company", "transport_company", net.transport_companies),
        ("vehicle", "courier_vehicle", net.vehicles),
        ("vehicle", "truck", net.trucks),
        ("account", "funnel_account", net.funnel_accounts),
        ("account", "member_account", net.member_accounts),
        ("account", "front_us_account", net.front_us_accounts),
        ("account", "front_mx_account", net.front_mx_accounts),
        ("account", "broker_us_account", net.broker_us_accounts),
        ("account", "broker_mx_account", net.broker_mx_accounts),
        ("account", "msb_account", net.msb_accounts),
        ("account", "mule_account", net.mule_accounts),
    ):
        rows.extend({"kind": kind, "index": int(i), "role": role} for i in items)
    return rows


def institution_name(i: int) -> str:
    return institutions()[i].name
