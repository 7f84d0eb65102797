"""Cash declarations at the border: FinCEN Form 105 (CMIR, US side) and the Mexican declaración de dinero.

A declared crossing is written by two agencies in two languages: the CMIR puts all surnames in one field, drops
accents and identifies the traveller by passport or border-crossing card; the Mexican form keeps paternal and
maternal surnames apart and asks for the CURP. Amounts may differ between the two forms, and a crossing may be
declared on one side only; the truth files record all of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa

from puente.model.records import CMIR, MX_DECLARATION, arrow_schema
from puente.simulate.context import CrossingEvent
from puente.simulate.events import lognormal_cents
from puente.simulate.noise import Noiser
from puente.simulate.tables import cities, ports
from puente.simulate.world import World

EPOCH = dt.date(1970, 1, 1)


def to_date(day: int | None) -> dt.date | None:
    return None if day is None else EPOCH + dt.timedelta(days=int(day))


def dec(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


@dataclass
class PartyLink:
    """One appearance of a real party in a record (a row of ``truth/record_parties``)."""

    table: str
    record_key: int  # position before ids are assigned
    role: str
    party: str
    noise: list[str] = field(default_factory=list)


def party_id(person: int) -> str:
    return f"P{person:07d}"


def company_party_id(company: int) -> str:
    return f"C{company:07d}"


def legit_declared_events(world: World) -> list[CrossingEvent]:
    """Travellers and businesses declaring large cash legitimately (both directions)."""
    cfg = world.cfg.background
    rng = world.rng(7)
    n = max(4, int(len(world.persons) / 1000 * cfg.legit_declared_per_1000_persons))
    p = world.persons
    table = cities()
    pool = np.flatnonzero(p.cross_border | table.border[p.city])
    who = pool[rng.integers(0, len(pool), n)]
    cents = (
        lognormal_cents(
            rng, n, cfg.legit_declared.median, cfg.legit_declared.sigma, cfg.legit_declared.min, cfg.legit_declared.max
        )
        // 10000
        * 10000
    )
    pw = np.asarray([pt.weight for pt in ports()])
    port = rng.choice(len(pw), n, p=pw / pw.sum())
    at = world.start_day * 86400 + rng.integers(0, world.days * 86400, n)
    single = rng.random(n) < world.cfg.noise.single_side_share
    side = rng.random(n) < 0.5
    events = []
    for i in range(n):
        c = int(cents[i])
        events.append(
            CrossingEvent(
                at=int(at[i]),
                port=int(port[i]),
                southbound=bool(rng.random() < 0.5),
                conveyance="passenger_vehicle" if rng.random() < 0.6 else "pedestrian",
                driver=int(who[i]),
                carried_cents=c,
                cmir_cents=-1 if single[i] and side[i] else c,
                mx_cents=-1 if single[i] and not side[i] else c,
                inspected="primary",
                role="legit_declared",
            )
        )
    return events


class DeclarationWriter:
    """Builds CMIR and Mexican-declaration rows from crossing events with their crossing ids."""

    def __init__(self, world: World, noiser: Noiser) -> None:
        self.world = world
        self.noiser = noiser
        self.cmir_rows: list[dict[str, Any]] = []
        self.mx_rows: list[dict[str, Any]] = []
        self.links: list[PartyLink] = []
        self.cmir_event: list[int] = []  # event index of each CMIR row (before sorting)
        self.mx_event: list[int] = []  # event index of each declaration row

    def add(self, event_index: int, event: CrossingEvent) -> None:
        if event.cmir_cents >= 0:
            self._cmir(event_index, event)
        if event.mx_cents >= 0:
            self._mx(event_index, event)

    def _vehicle_plate(self, event: CrossingEvent) -> str | None:
        return self.world.vehicles.plate[event.vehicle] if event.vehicle >= 0 else None

    def _cmir(self, idx: int, e: CrossingEvent) -> None:
        w = self.world
        p = w.persons
        i = e.driver
        foreign = bool(p.mexican[i])
        r = self.noiser.render(p, i, us_form=True, foreign=foreign)
        table = cities()
        has_pass = p.passport[i] is not None
        noise = [*r.noise, "id_differs"] if foreign else list(r.noise)
        day = e.at // 86400
        behalf = None
        if e.on_behalf >= 0:
            behalf, cnoise = self.noiser.company(
                w.companies.name[e.on_behalf],
                w.companies.legal_form[e.on_behalf],
                foreign=not w.companies.mexican[e.on_behalf],
            )
            self.links.append(
                PartyLink("cmirs", len(self.cmir_rows), "on_behalf_of", company_party_id(e.on_behalf), cnoise)
            )
        self.cmir_rows.append(
            {
                "filed_date": to_date(day),
                "crossing_date": to_date(day),
                "direction": "outbound" if e.southbound else "inbound",
                "traveler_last_name": r.last.upper(),
                "traveler_first_name": r.given.upper(),
                "traveler_dob": to_date(r.dob),
                "traveler_nationality": p.nationality[i],
                "traveler_id_type": None
                if r.drop_optional
                else ("passport" if has_pass else "border crossing card" if foreign else "driver licence"),
                "traveler_id_number": None if r.drop_optional else (p.passport[i] or p.local_id[i]),
                "traveler_id_country": None if r.drop_optional else (p.nationality[i] if has_pass else p.country(i)),
                "traveler_ssn": p.ssn[i],
                "traveler_address": None if r.drop_optional else p.street[i],
                "traveler_city": table.name[p.city[i]],
                "traveler_state": table.state[p.city[i]],
                "traveler_country": p.country(i),
                "amount": dec(e.cmir_cents),
                "currency": "USD",
                "instrument_type": "currency",
                "port_of_entry": ports()[e.port].code,
                "conveyance": "passenger_vehicle"
                if e.conveyance == "passenger_vehicle"
                else "pedestrian"
                if e.conveyance == "pedestrian"
                else "commercial_truck",
                "conveyance_id": self._vehicle_plate(e),
                "on_behalf_of_name": behalf,
                "on_behalf_of_country": None
                if e.on_behalf < 0
                else ("MX" if w.companies.mexican[e.on_behalf] else "US"),
            }
        )
        self.links.append(PartyLink("cmirs", len(self.cmir_rows) - 1, "traveler", party_id(i), noise))
        self.cmir_event.append(idx)

    def _mx(self, idx: int, e: CrossingEvent) -> None:
        w = self.world
        p = w.persons
        i = e.driver
        foreign = not bool(p.mexican[i])
        r = self.noiser.render(p, i, us_form=False, foreign=foreign)
        table = cities()
        day = e.at // 86400
        mexican_national = p.curp[i] is not None
        noise = [*r.noise, "id_differs"] if mexican_national or foreign else list(r.noise)
        behalf = None
        if e.on_behalf >= 0:
            behalf, cnoise = self.noiser.company(
                w.companies.name[e.on_behalf],
                w.companies.legal_form[e.on_behalf],
                foreign=not w.companies.mexican[e.on_behalf],
            )
            self.links.append(
                PartyLink("mx_declarations", len(self.mx_rows), "a_nombre_de", company_party_id(e.on_behalf), cnoise)
            )
        self.mx_rows.append(
            {
                "fecha_declaracion": to_date(day),
                "fecha_cruce": to_date(day),
                "sentido": "entrada" if e.southbound else "salida",
                "nombre": r.given,
                "apellido_paterno": r.paternal,
                "apellido_materno": r.maternal,
                "fecha_nacimiento": to_date(r.dob),
                "nacionalidad": p.nationality[i],
                "tipo_identificacion": None
                if r.drop_optional
                else ("INE" if p.mexican[i] else "pasaporte" if p.passport[i] else "licencia"),
                "numero_identificacion": None
                if r.drop_optional
                else (p.local_id[i] if p.mexican[i] else p.passport[i] or p.local_id[i]),
                "curp": None if r.drop_optional else p.curp[i],
                "rfc": None if r.drop_optional else p.rfc[i],
                "domicilio": None if r.drop_optional else p.street[i],
                "ciudad": table.name[p.city[i]],
                "estado": table.state[p.city[i]],
                "pais": p.country(i),
                "monto": dec(e.mx_cents),
                "moneda": "USD",
                "tipo_instrumento": "efectivo",
                "aduana": ports()[e.port].aduana,
                "medio_transporte": "peatonal" if e.conveyance == "pedestrian" else "terrestre",
                "identificador_transporte": self._vehicle_plate(e),
                "a_nombre_de": behalf,
            }
        )
        self.links.append(PartyLink("mx_declarations", len(self.mx_rows) - 1, "declarante", party_id(i), noise))
        self.mx_event.append(idx)

    def tables(self) -> tuple[pa.Table, pa.Table, dict[tuple[str, int], str]]:
        """CMIR and declaration tables sorted by date, and the id of each (table, row position)."""
        ids: dict[tuple[str, int], str] = {}
        out = []
        for name, rows, key, prefix, kind, date_field in (
            ("cmirs", self.cmir_rows, "report_id", "CMIR", CMIR, "crossing_date"),
            ("mx_declarations", self.mx_rows, "folio", "DD", MX_DECLARATION, "fecha_cruce"),
        ):
            order = sorted(range(len(rows)), key=lambda j, rows=rows, f=date_field: (rows[j][f], j))  # type: ignore[misc]
            sorted_rows = []
            for number, j in enumerate(order, start=1):
                rid = f"{prefix}{number:09d}"
                ids[(name, j)] = rid
                sorted_rows.append({key: rid, **rows[j]})
            out.append(pa.Table.from_pylist(sorted_rows, schema=arrow_schema(kind)))
        return out[0], out[1], ids
