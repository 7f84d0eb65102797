"""Shared state of the typology generators: the transaction builder, crossing events and instance registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from puente.simulate.events import Purposes, TxnBuilder
from puente.simulate.networks import Network
from puente.simulate.tables import cities
from puente.simulate.world import World

I64 = npt.NDArray[np.int64]

BORDER_STATES = ("TX", "AZ", "CA", "NM")


@dataclass
class Instance:
    """One run of a typology by one network: the unit of ground truth."""

    iid: int
    typology: str
    network: int
    start_day: int
    end_day: int
    amount_cents: int = 0
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def instance_id(self) -> str:
        return f"TYP{self.iid:05d}"


@dataclass
class CrossingEvent:
    """A border crossing made by a network member (or a legit declarer), before it becomes records."""

    at: int  # epoch seconds
    port: int  # index into tables.ports()
    southbound: bool
    conveyance: str
    driver: int  # person index
    vehicle: int = -1
    carrier: int = -1  # company index
    manifest_cents: int = -1
    carried_cents: int = 0  # currency actually carried (USD)
    cmir_cents: int = -1  # amount on the US form 105, -1 when not filed
    mx_cents: int = -1  # amount on the Mexican declaration, -1 when not filed
    on_behalf: int = -1  # company index
    inspected: str = "none"
    seized: bool = False
    weapons: int = 0
    ammunition: int = 0
    instance: int = -1
    network: int = -1
    role: str = "crossing"


class Context:
    """What typology generators write into."""

    def __init__(self, world: World, purposes: Purposes) -> None:
        self.world = world
        self.rng = world.rng(4)
        self.txns = TxnBuilder(world.rng(5), purposes)
        self.crossings: list[CrossingEvent] = []
        self.instances: list[Instance] = []
        self.invoices: list[dict[str, Any]] = []
        table = cities()
        self._state = np.asarray(table.state)
        self._name = np.asarray(table.name)

    def new_instance(self, typology: str, net: Network, start: int, end: int, **details: Any) -> Instance:
        inst = Instance(len(self.instances), typology, net.nid, start, end, details=details)
        self.instances.append(inst)
        return inst

    def start_day(self, window: int) -> int:
        w = self.world
        return int(w.start_day + self.rng.integers(0, max(1, w.days - window - 1)))

    def branches_where(self, inst: int, *, states: tuple[str, ...] = (), names: tuple[str, ...] = ()) -> I64:
        """Branches of an institution in cities of the given states or with the given names."""
        br = self.world.branches
        mine = np.flatnonzero(br.institution == inst)
        city = br.city[mine]
        keep = np.isin(self._state[city], list(states)) | np.isin(self._name[city], list(names))
        return mine[keep]

    def pick(self, items: list[int], k: int | None = None) -> list[int]:
        if k is None:
            return [int(items[int(self.rng.integers(0, len(items)))])]
        idx = self.rng.choice(len(items), size=min(k, len(items)), replace=False)
        return [int(items[i]) for i in idx]

    def count(self, bounds: tuple[int, int]) -> int:
        return int(self.rng.integers(bounds[0], bounds[1] + 1))

    def mule_accounts(self, net: Network, k: int) -> list[int]:
        """Background personal accounts recruited as mules (recorded as network infrastructure)."""
        pool = self.world.person_account
        chosen = pool[self.rng.integers(0, len(pool), k * 3)]
        chosen = chosen[chosen >= 0][:k].tolist()
        net.mule_accounts.extend(int(c) for c in chosen)
        return [int(c) for c in chosen]
