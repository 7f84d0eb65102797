"""Border crossings: commuters, trucks, buses and rail in both directions, plus the events of the typologies.

Background crossings are generated in bulk (commuters living in border cities, transport-company trucks with
cargo manifests); typology and declared crossings come as :class:`CrossingEvent` objects and are written with
the same schema, then everything is sorted by time and numbered. Names are written as CBP writes them: upper
case, without accents, with the paternal surname only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from puente.model.records import CROSSING, arrow_schema
from puente.simulate.arrowize import money, prefixed_ids, take
from puente.simulate.context import CrossingEvent
from puente.simulate.events import lognormal_cents
from puente.simulate.tables import cities, ports, strip_accents
from puente.simulate.world import World

I64 = npt.NDArray[np.int64]
CROSSING_SCHEMA = arrow_schema(CROSSING)
CONVEYANCES = ("passenger_vehicle", "pedestrian", "commercial_truck", "bus", "rail_car")


@dataclass
class CrossingColumns:
    at: I64
    port: I64
    southbound: npt.NDArray[np.bool_]
    conveyance: I64
    driver: I64
    vehicle: I64
    carrier: I64
    manifest_cents: I64
    inspection: I64  # 0 none, 1 primary, 2 secondary, 3 non_intrusive
    seized_cents: I64
    weapons: I64
    ammunition: I64
    event: I64  # index into the event list, -1 for background


def background_crossings(world: World, n: int) -> CrossingColumns:
    """``n`` ordinary crossings, vectorised."""
    cfg = world.cfg.crossings
    rng = world.rng(6)
    p = world.persons
    table = cities()
    kinds = list(CONVEYANCES)
    prob = np.asarray([cfg.shares[k] for k in kinds])
    conveyance = rng.choice(len(kinds), size=n, p=prob / prob.sum())
    southbound = rng.random(n) < cfg.southbound_share
    pw = np.asarray([pt.weight for pt in ports()])
    tw = np.asarray([pt.truck_weight for pt in ports()]) + 1.0
    truck = conveyance == kinds.index("commercial_truck")
    port = np.where(truck, rng.choice(len(tw), n, p=tw / tw.sum()), rng.choice(len(pw), n, p=pw / pw.sum()))
    at = (world.start_day * 86400 + rng.integers(0, world.days * 86400, n)).astype(np.int64)

    border = np.flatnonzero(table.border[p.city])
    commuters = border[rng.random(len(border)) < cfg.commuter_share]
    driver = commuters[rng.zipf(1.6, n) % len(commuters)] if len(commuters) else np.zeros(n, np.int64)
    veh = world.vehicles
    vehicle_of = np.full(len(p), -1, dtype=np.int64)
    pv = np.flatnonzero(~veh.owner_is_company)
    vehicle_of[veh.owner[pv]] = pv
    vehicle = np.where(conveyance == 0, vehicle_of[driver], -1)
    conveyance = np.where((conveyance == 0) & (vehicle < 0), kinds.index("pedestrian"), conveyance)
    trucks = np.flatnonzero(veh.owner_is_company)
    if len(trucks):
        pick = trucks[rng.integers(0, len(trucks), n)]
        vehicle = np.where(truck, pick, vehicle)
    carrier = np.where(truck & (vehicle >= 0), veh.owner[np.maximum(vehicle, 0)], -1)
    manifest = np.where(
        truck, lognormal_cents(rng, n, cfg.manifest.median, cfg.manifest.sigma, cfg.manifest.min, cfg.manifest.max), -1
    )
    driver = np.where(conveyance == kinds.index("rail_car"), -1, driver)
    inspection = np.zeros(n, dtype=np.int64)
    draw = rng.random(n)
    for direction, rates in ((True, cfg.inspection_rate_southbound), (False, cfg.inspection_rate_northbound)):
        mask = southbound == direction
        edges = np.cumsum([rates["primary"], rates["secondary"], rates["non_intrusive"]])
        level = np.searchsorted(edges, draw, side="right") + 1
        inspection[mask] = np.where(level <= 3, level, 0)[mask]
    zeros = np.zeros(n, dtype=np.int64)
    return CrossingColumns(
        at,
        port,
        southbound,
        conveyance,
        driver,
        vehicle,
        carrier,
        manifest,
        inspection,
        zeros,
        zeros,
        zeros,
        np.full(n, -1, dtype=np.int64),
    )


def event_crossings(events: list[CrossingEvent]) -> CrossingColumns:
    """Typology and declared crossings as columns (one Python step per event; events are few)."""
    levels = {"none": 0, "primary": 1, "secondary": 2, "non_intrusive": 3}

    def col(values: list[int]) -> I64:
        return np.asarray(values, dtype=np.int64)

    return CrossingColumns(
        at=col([e.at for e in events]),
        port=col([e.port for e in events]),
        southbound=np.asarray([e.southbound for e in events], dtype=bool),
        conveyance=col([CONVEYANCES.index(e.conveyance) for e in events]),
        driver=col([e.driver for e in events]),
        vehicle=col([e.vehicle for e in events]),
        carrier=col([e.carrier for e in events]),
        manifest_cents=col([e.manifest_cents for e in events]),
        inspection=col([levels[e.inspected] for e in events]),
        seized_cents=col([e.carried_cents if e.seized else 0 for e in events]),
        weapons=col([e.weapons if e.seized else 0 for e in events]),
        ammunition=col([e.ammunition if e.seized else 0 for e in events]),
        event=col(list(range(len(events)))),
    )


def concat(parts: list[CrossingColumns]) -> CrossingColumns:
    fields = CrossingColumns.__dataclass_fields__
    return CrossingColumns(**{f: np.concatenate([getattr(p, f) for p in parts]) for f in fields})


def cbp_names(world: World) -> pa.Array:
    """Each person as CBP records them: upper case, no accents, first surname only."""
    p = world.persons
    return pa.array([strip_accents(f"{g} {s}").upper() for g, s in zip(p.given, p.paternal, strict=True)])


def crossings_table(world: World, cols: CrossingColumns) -> tuple[pa.Table, I64, I64]:
    """Sort crossings by time and build the Arrow table; returns it with each row's event and driver index."""
    order = np.lexsort((cols.event, cols.at))
    c = CrossingColumns(**{f: getattr(cols, f)[order] for f in CrossingColumns.__dataclass_fields__})
    n = len(c.at)
    pts = ports()
    p = world.persons
    veh = world.vehicles
    port_code = pa.array([pt.code for pt in pts]).take(pa.array(c.port))
    port_name = pa.array([pt.name for pt in pts]).take(pa.array(c.port))
    plate = take(pa.array(veh.plate), c.vehicle)
    plate_state = take(pa.array(veh.plate_state), c.vehicle)
    plate_country = take(pa.array(np.where(veh.mexican, "MX", "US").tolist()), c.vehicle)
    vin = take(pa.array(veh.vin), c.vehicle)
    rail = np.where(c.conveyance == CONVEYANCES.index("rail_car"), np.arange(n), -1)
    rail_ids = pc.binary_join_element_wise("KCSM ", pc.cast(pa.array(rail % 900000 + 100000), pa.string()), "")
    rail_car = pc.if_else(pa.array(rail >= 0), rail_ids, pa.nulls(n, pa.string()))
    names = cbp_names(world)
    ids_ = pa.array([pp or lid for pp, lid in zip(p.passport, p.local_id, strict=True)], pa.string())
    comp = world.companies
    carrier_name = take(pa.array([nm.upper() for nm in comp.name]), c.carrier)
    carrier_id = take(pa.array(comp.tax_id), c.carrier)
    inspection = pa.array(["none", "primary", "secondary", "non_intrusive"]).take(pa.array(c.inspection))
    seized = c.seized_cents > 0
    result = np.where(c.inspection == 0, 0, np.where(seized | (c.weapons > 0), 2, 1))
    has_manifest = c.manifest_cents >= 0
    arrays = [
        prefixed_ids("XG", np.arange(1, n + 1, dtype=np.int64), 10),
        pa.array(c.at * 1_000_000, type=pa.int64()).cast(pa.timestamp("us")),
        port_code,
        port_name,
        pa.array(np.where(c.southbound, "southbound", "northbound").tolist()),
        pa.array(list(CONVEYANCES)).take(pa.array(c.conveyance)),
        plate,
        plate_state,
        plate_country,
        vin,
        rail_car,
        take(names, c.driver),
        take(pa.array(p.dob.astype(np.int32)).cast(pa.date32()), c.driver),
        take(ids_, c.driver),
        carrier_name,
        carrier_id,
        money(np.maximum(c.manifest_cents, 0), has_manifest),
        pc.if_else(pa.array(has_manifest), pa.scalar("USD"), pa.scalar(None, pa.string())),
        inspection,
        pa.array(["not_inspected", "no_finding", "seizure"]).take(pa.array(result)),
        money(c.seized_cents, seized),
        pa.array(c.weapons, mask=c.weapons == 0),
        pa.array(c.ammunition, mask=c.ammunition == 0),
        money(np.zeros(n, np.int64), np.zeros(n, bool)),
    ]
    return pa.Table.from_arrays(arrays, schema=CROSSING_SCHEMA), c.event, c.driver
