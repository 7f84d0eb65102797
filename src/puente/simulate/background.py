"""Legitimate background activity: wages, retail spending, business payments, remittances, cash.

The background is what makes detection hard: it is generated per period (``calendar.period_days``) as whole
NumPy arrays, never a Python loop per transaction. Long-lived relations (who works for whom, who sends money to
which relative in Mexico, which businesses handle cash) are fixed once in a :class:`BackgroundPlan`, so that
the same employee is paid every fortnight and the same remitter sends every month, as in real data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from puente.simulate.config import LogNormal
from puente.simulate.events import MXN, USD, Purposes, TxnBuilder, TxnColumns, lognormal_cents
from puente.simulate.firms import institutions_of
from puente.simulate.world import World

I64 = npt.NDArray[np.int64]


@dataclass
class BackgroundPlan:
    per_period: dict[str, int]
    earner_acct: I64
    employer_acct: I64
    wage_cents: I64
    wage_offset: I64
    remit_sender: I64  # MSB customer account of the US sender
    remit_receiver: I64  # Mexican bank account of the relative
    remit_cents: I64
    remit_sender_person: I64
    remit_receiver_person: I64
    person_accts: dict[str, I64]
    company_accts: dict[str, I64]
    merchants: dict[str, I64]
    cash_businesses: I64
    trade_us: I64
    trade_mx: I64


def _sector_accounts(world: World, sector: str, mexican: bool) -> I64:
    comp = world.companies
    mask = (np.asarray(comp.sector) == sector) & (comp.mexican == mexican)
    accts = world.company_account[np.flatnonzero(mask)]
    return accts[accts >= 0]


def plan_background(world: World) -> BackgroundPlan:
    """Fix the long-lived relations of the background (employment, remittance pairs, cash businesses)."""
    cfg = world.cfg
    bg = cfg.background
    rng = world.rng(1)
    periods = max(1, world.days // cfg.calendar.period_days)
    per_period = {k: round(v * world.size.transactions / periods) for k, v in bg.shares.items()}
    persons = world.persons
    acct = world.person_account

    employers = {m: _sector_accounts(world, "employer", m) for m in (False, True)}
    for m in (False, True):
        if len(employers[m]) == 0:
            employers[m] = _sector_accounts(world, "retail", m)
    eligible = np.flatnonzero(acct >= 0)
    eligible = eligible[rng.random(len(eligible)) < bg.wage_earner_share]
    earners = rng.permutation(eligible)[: per_period["wage"]]
    earners.sort()
    mx = persons.mexican[earners]
    employer = np.where(
        mx,
        employers[True][rng.integers(0, len(employers[True]), len(earners))],
        employers[False][rng.integers(0, len(employers[False]), len(earners))],
    )
    wage = lognormal_cents(rng, len(earners), bg.wage.median, bg.wage.sigma, bg.wage.min, bg.wage.max)
    wage = np.where(mx, (wage * cfg.fx_mxn_per_usd * bg.mx_income_factor).astype(np.int64), wage)

    # Remittances: Hispanic US residents sending monthly to a relative in Mexico through an MSB.
    senders = np.flatnonzero(~persons.mexican & persons.hispanic)
    receivers = np.flatnonzero(persons.mexican & (acct >= 0))
    n_pairs = min(len(senders), int(per_period["remittance"] * 30.4 / cfg.calendar.period_days))
    senders = np.sort(rng.permutation(senders)[:n_pairs])
    recv = receivers[rng.integers(0, len(receivers), n_pairs)]
    msb_idx, msb_prob = institutions_of("US", "msb")
    msb = msb_idx[rng.choice(len(msb_idx), size=n_pairs, p=msb_prob)]
    sender_accts = world.add_accounts(np.zeros(n_pairs, bool), senders, msb, persons.city[senders])
    r = bg.remittance
    remit = lognormal_cents(rng, n_pairs, r.median, r.sigma, r.min, r.max)

    person_accts = {c: acct[np.flatnonzero((acct >= 0) & (persons.mexican == (c == "MX")))] for c in ("US", "MX")}
    company_accts = {
        c: world.company_account[
            np.flatnonzero((world.company_account >= 0) & (world.companies.mexican == (c == "MX")))
        ]
        for c in ("US", "MX")
    }
    merchants = {c: _sector_accounts(world, "retail", c == "MX") for c in ("US", "MX")}
    cash_biz = merchants["US"][rng.random(len(merchants["US"])) < 0.5]
    trade = np.flatnonzero((np.asarray(world.companies.sector) == "trade") & (world.company_foreign_account >= 0))
    us_side = np.where(
        world.companies.mexican[trade], world.company_foreign_account[trade], world.company_account[trade]
    )
    mx_side = np.where(
        world.companies.mexican[trade], world.company_account[trade], world.company_foreign_account[trade]
    )
    return BackgroundPlan(
        per_period=per_period,
        earner_acct=acct[earners],
        employer_acct=employer,
        wage_cents=wage,
        wage_offset=rng.integers(0, cfg.calendar.period_days, len(earners)),
        remit_sender=sender_accts,
        remit_receiver=acct[recv],
        remit_cents=remit,
        remit_sender_person=senders,
        remit_receiver_person=recv,
        person_accts=person_accts,
        company_accts=company_accts,
        merchants=merchants,
        cash_businesses=cash_biz,
        trade_us=us_side,
        trade_mx=mx_side,
    )


def _split(n: int, a: int, b: int) -> tuple[int, int]:
    """Split ``n`` rows between two pools in proportion to their sizes."""
    if a + b == 0:
        return 0, 0
    first = round(n * a / (a + b))
    return first, n - first


def _amounts(rng: np.random.Generator, n: int, dist: LogNormal, scale: float = 1.0) -> I64:
    return lognormal_cents(rng, n, dist.median, dist.sigma, dist.min, dist.max, scale)


def period_background(world: World, plan: BackgroundPlan, purposes: Purposes, period: int) -> TxnColumns:
    """All background transactions of one period, in chronological order."""
    cfg = world.cfg
    bg = cfg.background
    fx = cfg.fx_mxn_per_usd
    rng = world.rng(2, period)
    length = cfg.calendar.period_days
    first = world.start_day + period * length
    last = min(world.start_day + world.days, first + length)
    span = last - first
    out = TxnBuilder(rng, purposes)

    def days(n: int) -> I64:
        return first + rng.integers(0, span, n)

    pay = plan.wage_offset < span
    mx = world.accounts.mexican[plan.earner_acct]
    out.add(
        day=first + plan.wage_offset[pay],
        cents=(plan.wage_cents[pay] * rng.uniform(0.97, 1.03, int(pay.sum()))).astype(np.int64),
        channel="ach",
        currency=np.where(mx[pay], MXN, USD),
        debtor=plan.employer_acct[pay],
        creditor=plan.earner_acct[pay],
        purpose=np.where(mx[pay], purposes.intern("NOMINA QUINCENAL"), purposes.intern("PAYROLL")),
    )
    sends = rng.random(len(plan.remit_sender)) < span / 30.4
    n = int(sends.sum())
    out.add(
        day=days(n),
        cents=(plan.remit_cents[sends] * rng.uniform(0.9, 1.1, n)).astype(np.int64),
        channel="msb_transfer",
        debtor=plan.remit_sender[sends],
        creditor=plan.remit_receiver[sends],
        branch=world.accounts.branch[plan.remit_sender[sends]],
        purpose="FAMILY SUPPORT / APOYO FAMILIAR",
    )
    for country, cur, scale in (("US", USD, 1.0), ("MX", MXN, fx)):
        other = "MX" if country == "US" else "US"
        pa_, pm = len(plan.person_accts[country]), len(plan.person_accts[other])
        n_retail = _split(plan.per_period["retail"], pa_, pm)[0]
        buyers, sellers = plan.person_accts[country], plan.merchants[country]
        if n_retail and len(sellers):
            out.add(
                day=days(n_retail),
                cents=_amounts(rng, n_retail, bg.retail, scale),
                channel="card",
                currency=cur,
                debtor=buyers[rng.integers(0, len(buyers), n_retail)],
                creditor=sellers[rng.integers(0, len(sellers), n_retail)],
                purpose="POS PURCHASE" if country == "US" else "COMPRA CON TARJETA",
                business_hours=False,
            )
        comps = plan.company_accts[country]
        n_bus = _split(plan.per_period["business"], len(comps), len(plan.company_accts[other]))[0]
        if n_bus and len(comps) > 1:
            out.add(
                day=days(n_bus),
                cents=_amounts(rng, n_bus, bg.business, scale),
                channel=np.asarray([2, 3, 4], np.int64)[rng.integers(0, 3, n_bus)],
                currency=cur,
                debtor=comps[rng.integers(0, len(comps), n_bus)],
                creditor=comps[rng.integers(0, len(comps), n_bus)],
                purpose="INVOICE PAYMENT" if country == "US" else "PAGO DE FACTURA",
            )
        n_cash = _split(plan.per_period["cash_personal"], pa_, pm)[0]
        if n_cash:
            acct = buyers[rng.integers(0, len(buyers), n_cash)]
            deposit = rng.random(n_cash) < bg.cash_deposit_share
            cents = _amounts(rng, n_cash, bg.cash_personal, scale)
            branch = world.accounts.branch[acct]
            out.add(
                day=days(int(deposit.sum())),
                cents=cents[deposit],
                channel="cash_deposit",
                currency=cur,
                creditor=acct[deposit],
                branch=branch[deposit],
            )
            out.add(
                day=days(int((~deposit).sum())),
                cents=cents[~deposit],
                channel="cash_withdrawal",
                currency=cur,
                debtor=acct[~deposit],
                branch=branch[~deposit],
            )
    n = plan.per_period["cash_business"]
    if n and len(plan.cash_businesses):
        acct = plan.cash_businesses[rng.integers(0, len(plan.cash_businesses), n)]
        out.add(
            day=days(n),
            cents=_amounts(rng, n, bg.cash_business),
            channel="cash_deposit",
            creditor=acct,
            branch=world.accounts.branch[acct],
            purpose="DAILY RECEIPTS",
        )
    mx_pool = np.concatenate([plan.person_accts["MX"], plan.company_accts["MX"]])
    n = plan.per_period["mx_domestic"]
    if n and len(mx_pool):
        out.add(
            day=days(n),
            cents=_amounts(rng, n, bg.mx_domestic),
            channel="wire",
            currency=MXN,
            debtor=mx_pool[rng.integers(0, len(mx_pool), n)],
            creditor=mx_pool[rng.integers(0, len(mx_pool), n)],
            purpose="TRANSFERENCIA SPEI",
        )
    n = plan.per_period["trade_wire"]
    if n and len(plan.trade_us):
        pick = rng.integers(0, len(plan.trade_us), n)
        pick2 = rng.integers(0, len(plan.trade_mx), n)
        southward = rng.random(n) < 0.5
        out.add(
            day=days(n),
            cents=_amounts(rng, n, bg.trade_wire),
            channel="wire",
            debtor=np.where(southward, plan.trade_us[pick], plan.trade_mx[pick2]),
            creditor=np.where(southward, plan.trade_mx[pick2], plan.trade_us[pick]),
            purpose="PAYMENT FOR GOODS / PAGO DE MERCANCIA",
        )
    return out.build()
