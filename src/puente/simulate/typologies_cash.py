"""Cash and trade typologies from FinCEN advisories on Mexican TCO money laundering.

* structuring (FIN-2014-A005 and the BSA): cash deposits of $8,000-9,900 split across branches and days;
* funnel accounts (FIN-2014-A005): cash deposits in border-state branches by people who are not the owner,
  withdrawn within days in interior cities or in Mexico with a debit card;
* southbound bulk cash smuggling with and without declarations (CMIR / Mexican declaration);
* repatriation of smuggled cash through armoured-car services or border MSBs, then wires to Mexico;
* trade-based money laundering (FIN-2010-A001 "Black Market Peso Exchange"): over- and under-invoiced exports
  paid from funnel accounts;
* mirror swaps through money brokers (FIN-2023-A002 on Mexican peso brokers).

One function per typology, called once per instance; each builds its transactions as small NumPy arrays.
"""

from __future__ import annotations

import numpy as np

from puente.simulate.context import BORDER_STATES, Context, CrossingEvent
from puente.simulate.events import MXN, uniform_cents
from puente.simulate.firms import institutions_of
from puente.simulate.networks import Network
from puente.simulate.tables import cities, ports

DAY = 86400


def structuring(ctx: Context, net: Network) -> None:
    p = ctx.world.cfg.typologies.structuring
    rng = ctx.rng
    acct = ctx.pick(net.funnel_accounts + net.member_accounts)[0]
    bank = int(ctx.world.accounts.institution[acct])
    window = ctx.count(p.days)
    start = ctx.start_day(window + 5)
    k = ctx.count(p.deposits)
    inst = ctx.new_instance("structuring", net, start, start + window, account=acct)
    branches = ctx.branches_where(bank, states=BORDER_STATES)
    if len(branches) == 0:
        branches = np.asarray([ctx.world.accounts.branch[acct]])
    used = rng.choice(branches, size=min(ctx.count(p.branches), len(branches)), replace=False)
    cents = uniform_cents(rng, k, p.amount[0], p.amount[1])
    # one deposit per day per branch at most, so that no single day crosses the CTR threshold
    days = start + np.sort(rng.choice(window, size=min(k, window), replace=False))
    k = len(days)
    smurfs = net.members["courier"] + net.members["straw_owner"]
    owner = int(ctx.world.accounts.owner[acct])
    conductor = np.asarray([s if s != owner else -1 for s in ctx.pick(smurfs * 3, k)] + [-1] * k)[:k]
    ctx.txns.add(
        day=days,
        cents=cents[:k],
        channel="cash_deposit",
        creditor=acct,
        branch=used[rng.integers(0, len(used), k)],
        conductor=conductor,
        instance=inst.iid,
    )
    out = ctx.pick(net.front_mx_accounts + net.member_accounts)[0]
    total = int(cents[:k].sum())
    ctx.txns.add(
        day=np.asarray([days[-1] + 1]),
        cents=np.asarray([int(total * 0.95)]),
        channel="wire",
        debtor=acct,
        creditor=out,
        purpose="PAGO DE SERVICIOS",
        instance=inst.iid,
    )
    inst.amount_cents = total


def funnel_account(ctx: Context, net: Network) -> None:
    p = ctx.world.cfg.typologies.funnel_account
    rng = ctx.rng
    w = ctx.world
    acct = ctx.pick(net.funnel_accounts)[0]
    bank = int(w.accounts.institution[acct])
    owner = int(w.accounts.owner[acct])
    k = ctx.count(p.deposits)
    window = 30
    start = ctx.start_day(window + p.withdraw_within_days[1] + 2)
    inst = ctx.new_instance("funnel_account", net, start, start + window + p.withdraw_within_days[1], account=acct)
    dep_branches = ctx.branches_where(bank, states=BORDER_STATES)
    days = start + rng.integers(0, window, k)
    cents = uniform_cents(rng, k, p.amount[0], p.amount[1])
    conductors = [c for c in net.members["courier"] + net.members["lieutenant"] if c != owner]
    ctx.txns.add(
        day=days,
        cents=cents,
        channel="cash_deposit",
        creditor=acct,
        branch=dep_branches[rng.integers(0, len(dep_branches), k)],
        conductor=np.asarray(
            ctx.pick(conductors * 4, k)
            if len(conductors) * 4 >= k
            else [conductors[i % len(conductors)] for i in range(k)]
        ),
        instance=inst.iid,
    )
    # withdrawals of most of the money within days, far from where it was deposited
    m = max(2, k // 3)
    wd_days = np.sort(days)[:: max(1, k // m)][:m] + rng.integers(
        p.withdraw_within_days[0], p.withdraw_within_days[1] + 1, m
    )
    share = rng.dirichlet(np.ones(m)) * cents.sum() * rng.uniform(0.9, 0.99)
    in_mx = rng.random(m) < p.withdraw_mx_share
    interior = ctx.branches_where(bank, names=tuple(p.interior_cities))
    mx_bank = institutions_of("MX", "bank")[0]
    mx_branches = np.flatnonzero(np.isin(w.branches.institution, mx_bank))
    branch = np.where(
        in_mx,
        mx_branches[rng.integers(0, len(mx_branches), m)],
        interior[rng.integers(0, len(interior), m)] if len(interior) else w.accounts.branch[acct],
    )
    ctx.txns.add(
        day=wd_days,
        cents=np.round(share / 100).astype(np.int64) * 100,
        channel="cash_withdrawal",
        debtor=acct,
        branch=branch,
        instance=inst.iid,
        business_hours=False,
    )
    inst.amount_cents = int(cents.sum())


def _port_city(port: int) -> int:
    table = cities()
    name = ports()[port].us_city
    return table.index(name) if name in table.name else int(table.where("US")[0])


def bulk_cash(ctx: Context, net: Network) -> None:
    """Southbound couriers carrying cash, mostly undeclared; a cash deposit precedes some trips."""
    p = ctx.world.cfg.typologies.bulk_cash
    rng = ctx.rng
    trips = ctx.count(p.trips)
    total = uniform_cents(rng, 1, p.amount[0], p.amount[1])[0]
    per_trip = (rng.dirichlet(np.ones(trips) * 3) * total).astype(np.int64) // 10000 * 10000
    start = ctx.start_day(trips * 12 + 5)
    inst = ctx.new_instance("bulk_cash", net, start, start + trips * 12)
    for t in range(trips):
        day = start + t * int(rng.integers(3, 12))
        courier_pos = int(rng.integers(0, len(net.members["courier"])))
        courier = net.members["courier"][courier_pos]
        vehicle = net.vehicles[courier_pos % len(net.vehicles)] if net.vehicles else -1
        port = ctx.pick(net.home_ports)[0]
        at = day * DAY + int(rng.integers(6 * 3600, 23 * 3600))
        if rng.random() < 0.6 and net.funnel_accounts:
            before = ctx.count(p.deposit_before_days)
            acct = ctx.pick(net.funnel_accounts)[0]
            bank = int(ctx.world.accounts.institution[acct])
            branch = ctx.world.branch_in(bank, _port_city(port))
            ctx.txns.add(
                day=np.asarray([day - before]),
                cents=uniform_cents(rng, 1, 3000, 9500),
                channel="cash_deposit",
                creditor=acct,
                conductor=courier,
                branch=branch.reshape(1),
                instance=inst.iid,
            )
        carried = int(per_trip[t])
        event = CrossingEvent(
            at=at,
            port=port,
            southbound=True,
            conveyance="passenger_vehicle",
            driver=courier,
            vehicle=vehicle,
            carried_cents=carried,
            instance=inst.iid,
            network=net.nid,
            role="bulk_cash_trip",
        )
        if rng.random() < p.declared_share:
            side = rng.random()
            cmir = carried if rng.random() > p.mismatch_share else int(carried * rng.uniform(*p.mismatch_factor))
            mx = carried if rng.random() > p.mismatch_share else int(carried * rng.uniform(*p.mismatch_factor))
            event.cmir_cents = -1 if side < p.mx_only_share else cmir // 100 * 100
            event.mx_cents = -1 if p.mx_only_share <= side < p.mx_only_share + p.cmir_only_share else mx // 100 * 100
            event.on_behalf = ctx.pick(net.front_companies)[0] if net.front_companies else -1
        if rng.random() < p.inspection_rate:
            event.inspected = "secondary"
            event.seized = rng.random() < p.seizure_given_inspection
        if rng.random() < p.weapons_share:
            event.weapons = ctx.count(p.weapons)
            event.ammunition = event.weapons * ctx.count(p.ammo_per_weapon)
        ctx.crossings.append(event)
        back = at + int(rng.integers(p.return_after_hours[0], p.return_after_hours[1] + 1)) * 3600
        ctx.crossings.append(
            CrossingEvent(
                at=back,
                port=port,
                southbound=False,
                conveyance="passenger_vehicle",
                driver=courier,
                vehicle=vehicle,
                instance=inst.iid,
                network=net.nid,
                role="return_trip",
                inspected="primary",
            )
        )
    inst.amount_cents = int(per_trip.sum())


def repatriation(ctx: Context, net: Network) -> None:
    """Cash brought back into the US financial system by armoured car or a border MSB, then wired south."""
    p = ctx.world.cfg.typologies.repatriation
    rng = ctx.rng
    armored = rng.random() < p.armored_share and bool(net.front_us_accounts)
    target = ctx.pick(net.front_us_accounts)[0] if armored else net.msb_accounts[0]
    k = ctx.count(p.pickups)
    total = uniform_cents(rng, 1, p.amount[0], p.amount[1])[0]
    cents = (rng.dirichlet(np.ones(k) * 2) * total).astype(np.int64) // 100 * 100
    start = ctx.start_day(40)
    inst = ctx.new_instance("repatriation", net, start, start + 40, variant="armored_car" if armored else "border_msb")
    days = start + np.sort(rng.integers(0, 25, k))
    branch = ctx.world.accounts.branch[target]
    conductor = -1 if armored else np.asarray(ctx.pick(net.members["courier"] * k, k))
    ctx.txns.add(
        day=days,
        cents=cents,
        channel="armored_car" if armored else "cash_deposit",
        creditor=target,
        branch=branch,
        conductor=conductor,
        instance=inst.iid,
        purpose="CASH PICK-UP / RECOLECCION DE VALORES" if armored else None,
    )
    m = ctx.count(p.wires)
    wires = (rng.dirichlet(np.ones(m)) * cents.sum() * 0.97).astype(np.int64)
    dest = net.front_mx_accounts + net.broker_mx_accounts
    ctx.txns.add(
        day=days[-1] + rng.integers(1, 10, m),
        cents=wires,
        channel="wire" if armored else "msb_transfer",
        debtor=target,
        creditor=np.asarray(ctx.pick(dest * m, m)),
        instance=inst.iid,
        purpose="PAYMENT FOR GOODS / PAGO DE MERCANCIA",
    )
    inst.amount_cents = int(cents.sum())


def tbml(ctx: Context, net: Network) -> None:
    """Exports by a front company invoiced at a false value and paid from funnel accounts."""
    p = ctx.world.cfg.typologies.tbml
    rng = ctx.rng
    if not net.front_us_accounts or not net.front_companies:
        return
    exporter_acct = ctx.pick(net.front_us_accounts)[0]
    exporter = int(ctx.world.accounts.owner[exporter_acct])
    importer = ctx.pick(net.front_companies)[0]
    over = rng.random() < p.over_share
    k = ctx.count(p.shipments)
    start = ctx.start_day(k * 15 + 10)
    inst = ctx.new_instance("tbml", net, start, start + k * 15 + 10, direction="over" if over else "under")
    carrier = ctx.pick(net.transport_companies)[0] if net.transport_companies else -1
    total = 0
    for s in range(k):
        day = start + s * int(rng.integers(5, 15))
        value = int(uniform_cents(rng, 1, p.invoice[0], p.invoice[1])[0])
        factor = float(rng.uniform(*(p.over_factor if over else p.under_factor)))
        paid = int(value * factor) // 100 * 100
        invoice_no = f"INV-{net.nid:03d}{inst.iid:05d}-{s + 1:02d}"
        driver = ctx.pick(net.members["courier"])[0]
        truck = ctx.pick(net.trucks)[0] if net.trucks else -1
        event = CrossingEvent(
            at=day * DAY + int(rng.integers(6 * 3600, 20 * 3600)),
            port=ctx.pick(net.home_ports)[0],
            southbound=True,
            conveyance="commercial_truck",
            driver=driver,
            vehicle=truck,
            carrier=carrier,
            manifest_cents=value,
            instance=inst.iid,
            network=net.nid,
            role="tbml_shipment",
            inspected="non_intrusive" if rng.random() < 0.1 else "none",
        )
        ctx.crossings.append(event)
        payers = ctx.pick(net.funnel_accounts, ctx.count(p.funnel_payers))
        parts = (rng.dirichlet(np.ones(len(payers))) * paid).astype(np.int64)
        ctx.txns.add(
            day=day + rng.integers(2, 20, len(payers)),
            cents=parts,
            channel="wire",
            debtor=np.asarray(payers),
            creditor=exporter_acct,
            purpose=f"{invoice_no} EXPORT GOODS USD {value / 100:,.2f}",
            instance=inst.iid,
        )
        ctx.invoices.append(
            {
                "instance": inst.iid,
                "invoice_no": invoice_no,
                "crossing": len(ctx.crossings) - 1,
                "exporter": exporter,
                "importer": importer,
                "declared_cents": value,
                "paid_cents": paid,
                "factor": round(factor, 4),
                "direction": "over" if over else "under",
            }
        )
        total += paid
    inst.amount_cents = total


def mirror_swap(ctx: Context, net: Network) -> None:
    """A broker takes the network's dollars in the US and pays pesos in Mexico, netting against a legit importer."""
    p = ctx.world.cfg.typologies.mirror_swap
    rng = ctx.rng
    w = ctx.world
    fx = w.cfg.fx_mxn_per_usd
    if not net.broker_us_accounts:
        return
    legs = ctx.count(p.legs)
    start = ctx.start_day(legs * 7 + p.lag_days[1] + 2)
    inst = ctx.new_instance("mirror_swap", net, start, start + legs * 7 + p.lag_days[1])
    us_comp = w.company_account[(~w.companies.mexican) & (w.company_account >= 0)]
    mx_comp = w.company_account[w.companies.mexican & (w.company_account >= 0)]
    total = 0
    for leg in range(legs):
        b = int(rng.integers(0, len(net.broker_us_accounts)))
        broker_us, broker_mx = net.broker_us_accounts[b], net.broker_mx_accounts[b]
        day = start + leg * 7 + int(rng.integers(0, 5))
        usd = int(uniform_cents(rng, 1, p.amount[0], p.amount[1])[0])
        lag = ctx.count(p.lag_days)
        spread = float(rng.uniform(*p.spread))
        mxn = int(usd * fx * (1 - spread)) // 100 * 100
        supplier = int(us_comp[rng.integers(0, len(us_comp))])
        importer = int(mx_comp[rng.integers(0, len(mx_comp))])
        recipient = ctx.pick(net.front_mx_accounts + net.member_accounts)[0]
        pieces = max(1, usd // 900000)
        split = (rng.dirichlet(np.ones(pieces) * 20) * usd).astype(np.int64) // 100 * 100
        ctx.txns.add(
            day=day + rng.integers(0, 3, pieces),
            cents=split,
            channel="cash_deposit",
            creditor=broker_us,
            conductor=ctx.pick(net.members["courier"])[0],
            branch=w.accounts.branch[broker_us],
            instance=inst.iid,
        )
        ctx.txns.add(
            day=np.asarray([day + lag]),
            cents=np.asarray([usd]),
            channel="wire",
            debtor=broker_us,
            creditor=supplier,
            purpose="PAYMENT ON BEHALF OF CLIENT",
            instance=inst.iid,
        )
        ctx.txns.add(
            day=np.asarray([day + lag]),
            cents=np.asarray([mxn]),
            channel="casa_de_cambio",
            currency=MXN,
            debtor=importer,
            creditor=broker_mx,
            purpose="COMPRA DE DIVISAS",
            instance=inst.iid,
        )
        ctx.txns.add(
            day=np.asarray([day + lag]),
            cents=np.asarray([mxn]),
            channel="casa_de_cambio",
            currency=MXN,
            debtor=broker_mx,
            creditor=recipient,
            purpose="PAGO A TERCEROS",
            instance=inst.iid,
        )
        total += usd
    inst.amount_cents = total
