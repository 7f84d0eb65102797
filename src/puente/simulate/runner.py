"""The generation pipeline: world, networks, typologies, background, records, entities and ground truth."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

from puente.simulate import typologies_cash as tc
from puente.simulate import typologies_graph as tg
from puente.simulate.arrowize import TXN_SCHEMA, TxnMaterializer
from puente.simulate.background import BackgroundPlan, period_background, plan_background
from puente.simulate.config import ScenarioConfig, load_config
from puente.simulate.context import Context
from puente.simulate.crossings import background_crossings, concat, crossings_table, event_crossings
from puente.simulate.declarations import DeclarationWriter, legit_declared_events
from puente.simulate.events import Purposes, TxnColumns
from puente.simulate.ftm import remittance_family, write_ftm
from puente.simulate.networks import Network, form_networks
from puente.simulate.noise import Noiser
from puente.simulate.reports import CtrSource, SarInput, ctr_table, sar_table
from puente.simulate.tables import cities
from puente.simulate.truth import TruthInputs, write_truth
from puente.simulate.watchlist import borrow_names, choose_watchlisted, write_watchlist
from puente.simulate.world import World, build_world

Progress = Callable[[str, float], None]

TYPOLOGIES: dict[str, Callable[[Context, Network], None]] = {
    "structuring": tc.structuring,
    "funnel_account": tc.funnel_account,
    "bulk_cash": tc.bulk_cash,
    "repatriation": tc.repatriation,
    "tbml": tc.tbml,
    "mirror_swap": tc.mirror_swap,
    "fan_in": tg.fan_in,
    "fan_out": tg.fan_out,
    "cycle": tg.cycle,
    "scatter_gather": tg.scatter_gather,
    "gather_scatter": tg.gather_scatter,
    "stack": tg.stack,
    "bipartite": tg.bipartite,
}


@dataclass
class SimulationSummary:
    """What a run wrote: rows per output file, networks, typology instances and elapsed seconds."""

    size: str
    seed: int
    outdir: str
    counts: dict[str, int] = field(default_factory=dict)
    networks: int = 0
    typology_instances: dict[str, int] = field(default_factory=dict)
    elapsed_seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class TypologyTxns:
    """Typology transactions with their final numbers (for truth and SARs)."""

    number: list[np.ndarray[Any, Any]] = field(default_factory=list)
    cols: list[TxnColumns] = field(default_factory=list)


def _run_typologies(ctx: Context, networks: list[Network]) -> None:
    params = ctx.world.cfg.typologies
    for net in networks:
        for name, fn in TYPOLOGIES.items():
            bounds = getattr(params, name).instances
            for _ in range(ctx.count(bounds)):
                fn(ctx, net)


def _write_transactions(
    world: World, plan: BackgroundPlan, ctx: Context, outdir: Path, progress: Progress | None
) -> tuple[int, CtrSource, TypologyTxns]:
    cfg = world.cfg
    typ = ctx.txns.build()
    mat = TxnMaterializer(world)
    periods = math.ceil(world.days / cfg.calendar.period_days)
    typ_period = np.clip((typ.day - world.start_day) // cfg.calendar.period_days, 0, periods - 1)
    us_branch = np.asarray(cities().country)[world.branches.city] == "US"
    ctr = CtrSource()
    tt = TypologyTxns()
    number = 1
    with pq.ParquetWriter(outdir / "transactions.parquet", TXN_SCHEMA, compression="zstd") as writer:
        for k in range(periods):
            bg = period_background(world, plan, ctx.txns.purposes, k)
            cols = TxnColumns.concat([bg, typ.take(np.flatnonzero(typ_period == k))])
            cols = cols.take(cols.sort_key())
            writer.write_table(mat.table(cols, number, ctx.txns.purposes.texts), row_group_size=1 << 20)
            ctr.collect(world, cols, us_branch)
            flagged = np.flatnonzero(cols.instance >= 0)
            tt.number.append(number + flagged)
            tt.cols.append(cols.take(flagged))
            number += len(cols)
            if progress:
                progress("transactions", (k + 1) / periods)
    return number - 1, ctr, tt


def _sar_inputs(world: World, ctx: Context, typ: TxnColumns) -> list[SarInput]:
    cfg = world.cfg
    rng = world.rng(10)
    acc = world.accounts
    out: list[SarInput] = []
    for inst in ctx.instances:
        if rng.random() >= cfg.sar.detection_rate:
            continue
        rows = np.flatnonzero(typ.instance == inst.iid)
        if len(rows) == 0:
            continue
        accounts = np.unique(np.concatenate([typ.debtor[rows], typ.creditor[rows]]))
        accounts = accounts[accounts >= 0][:8].tolist()
        persons = [int(acc.owner[a]) for a in accounts if not acc.owner_is_company[a]]
        persons += [int(c) for c in np.unique(typ.conductor[rows]) if c >= 0]
        out.append(
            SarInput(
                inst,
                accounts,
                sorted(set(persons))[:8],
                inst.start_day,
                inst.end_day,
                int(typ.cents[rows].sum()),
                [inst.typology],
            )
        )
    n_fp = max(1, int(world.size.transactions / 100_000 * cfg.sar.false_positive_per_100k_txn))
    pool = world.person_account[world.person_account >= 0]
    for a in pool[rng.integers(0, len(pool), n_fp)].tolist():
        start = world.start_day + int(rng.integers(0, world.days - 30))
        code = ["structuring", "funnel_account", "other"][int(rng.integers(0, 3))]
        out.append(
            SarInput(None, [a], [int(acc.owner[a])], start, start + 30, int(rng.integers(2_000_000, 9_000_000)), [code])
        )
    return out


def run(
    size: str,
    seed: int,
    outdir: Path,
    *,
    list_file: Path | None = None,
    progress: Progress | None = None,
    config: ScenarioConfig | None = None,
) -> SimulationSummary:
    """Generate a whole scenario into ``outdir`` (see :func:`puente.simulate.simulate`)."""
    started = time.perf_counter()
    cfg = config or load_config()
    preset = cfg.size(size)
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / "truth").mkdir(exist_ok=True)

    def step(name: str, fraction: float) -> None:
        if progress:
            progress(name, fraction)

    world = build_world(cfg, preset, seed)
    step("population", 1.0)
    networks = form_networks(world)
    choose_watchlisted(world, networks)
    ofac = borrow_names(world, networks, list_file) if list_file else []
    ctx = Context(world, Purposes())
    _run_typologies(ctx, networks)
    step("typologies", 1.0)
    plan = plan_background(world)
    n_txn, ctr_src, tt = _write_transactions(world, plan, ctx, outdir, progress)
    typ = TxnColumns.concat(tt.cols)
    typ_numbers = np.concatenate(tt.number) if tt.number else np.zeros(0, np.int64)

    noiser = Noiser(cfg.noise, world.rng(15), cfg.noise.home_side_factor)
    events = ctx.crossings + legit_declared_events(world)
    bg = background_crossings(world, max(0, preset.crossings - len(events)))
    crossings, event_of_row, drivers = crossings_table(world, concat([bg, event_crossings(events)]))
    pq.write_table(crossings, outdir / "crossings.parquet", compression="zstd")
    step("crossings", 1.0)

    decl = DeclarationWriter(world, noiser)
    for i, event in enumerate(events):
        decl.add(i, event)
    cmirs, mx_decl, decl_ids = decl.tables()
    pq.write_table(cmirs, outdir / "cmirs.parquet")
    pq.write_table(mx_decl, outdir / "mx_declarations.parquet")
    ctrs, ctr_links, ctr_instances = ctr_table(world, ctr_src, noiser)
    pq.write_table(ctrs, outdir / "ctrs.parquet")
    sars, sar_links, sar_instances = sar_table(world, _sar_inputs(world, ctx, typ), noiser)
    pq.write_table(sars, outdir / "sars.parquet")
    step("reports", 1.0)

    watch = write_watchlist(outdir / "watchlist.csv", world, networks)
    ftm = write_ftm(
        outdir / "entities.ftm.json",
        world,
        networks,
        noiser,
        remittance_family((plan.remit_sender_person, plan.remit_receiver_person)),
    )
    step("entities", 1.0)
    write_truth(
        outdir / "truth",
        TruthInputs(
            world=world,
            networks=networks,
            ctx=ctx,
            typ=typ,
            typ_numbers=typ_numbers,
            crossings=crossings,
            event_of_row=event_of_row,
            events=events,
            decl=decl,
            decl_ids=decl_ids,
            ctrs=ctrs,
            ctr_links=ctr_links,
            ctr_instances=ctr_instances,
            sars=sars,
            sar_links=sar_links,
            sar_instances=sar_instances,
            ftm=ftm,
            watchlist=watch,
            ofac=ofac,
            crossing_drivers=drivers,
        ),
    )
    step("truth", 1.0)

    counts = {
        "transactions.parquet": n_txn,
        "crossings.parquet": crossings.num_rows,
        "cmirs.parquet": cmirs.num_rows,
        "mx_declarations.parquet": mx_decl.num_rows,
        "ctrs.parquet": ctrs.num_rows,
        "sars.parquet": sars.num_rows,
        "entities.ftm.json": sum(ftm.counts.values()),
        "watchlist.csv": len(watch),
    }
    per_typology: dict[str, int] = {}
    for inst in ctx.instances:
        per_typology[inst.typology] = per_typology.get(inst.typology, 0) + 1
    return SimulationSummary(
        size=size,
        seed=seed,
        outdir=str(outdir),
        counts=counts,
        networks=len(networks),
        typology_instances=per_typology,
        elapsed_seconds=round(time.perf_counter() - started, 3),
    )
