"""One builder per rule: a minimal pattern that fires, with knobs that move it just across a threshold or window.

Defaults sit exactly on (or inside) each threshold of rules.yaml, so each test's "silent" case changes one number
by the smallest step that must silence the rule.
"""

from __future__ import annotations

from tests.monitoring.txs import Txs

MXN = 17.5


def structuring(t: Txs, amount: float = 9500, last_day: int = 21, branches: int = 2, acct: str = "S1") -> str:
    for i, d in enumerate((0, 5, last_day)):
        t.add(d, amount, "cash_deposit", dst=acct, branch_id=f"B{i % branches}", branch_state="TX", branch_country="US")
    return acct


def funnel(t: Txs, wd_after: int = 7, wd_state: str = "CO", share: float = 0.2, acct: str = "F1") -> str:
    for d in (0, 3, 10):
        t.add(d, 5000, "cash_deposit", dst=acct, conductor_id=f"ID{d}", branch_state="TX", branch_country="US")
    t.add(10 + wd_after, 15000 * share, "cash_withdrawal", src=acct, branch_state=wd_state, branch_country="US")
    return acct


def rapid(
    t: Txs, out_ratio: float = 0.95, acct: str = "R1", name: str = "JUAN PEREZ LOPEZ", inflow: float = 60000
) -> str:
    for d in (0, 1, 2):
        t.add(d, inflow / 3, "wire", src=f"RS{d}", dst=acct, creditor_name=name)
    t.add(7, inflow * out_ratio, "wire", src=acct, dst="RDST", debtor_name=name)
    return acct


def repatriation(t: Txs, cash: float = 50000, out_share: float = 0.5, out_day: int = 44, acct: str = "P1") -> str:
    t.add(0, cash * 0.6, "armored_car", dst=acct)
    t.add(30, cash * 0.4, "armored_car", dst=acct)
    t.add(out_day, cash * out_share, "wire", src=acct, dst="PMX", dst_country="MX")
    return acct


def tbml(t: Txs, paid_factor: float = 1.26, acct: str = "X1") -> str:
    purpose = "INV-0001-01 EXPORT GOODS USD 100,000.00"
    t.add(0, 100000 * paid_factor / 2, "wire", src="XP1", dst=acct, purpose=purpose)
    t.add(3, 100000 * paid_factor / 2, "wire", src="XP2", dst=acct, purpose=purpose)
    return acct


def mirror(t: Txs, spread: float = 0.05, lag: int = 0, acct: str = "M1") -> str:
    t.add(0, 12000, "cash_deposit", dst=acct, conductor_id="C1")
    t.add(1, 8000, "cash_deposit", dst=acct, conductor_id="C1")
    t.add(1, 20000, "wire", src=acct, dst="SUPPLIER")
    pesos = 20000 * MXN * (1 - spread)
    t.add(
        1 + lag,
        pesos,
        "casa_de_cambio",
        src="IMPORTER",
        dst="BROKERMX",
        currency="MXN",
        src_country="MX",
        dst_country="MX",
    )
    t.add(
        1 + lag,
        pesos,
        "casa_de_cambio",
        src="BROKERMX",
        dst="RECIPIENT",
        currency="MXN",
        src_country="MX",
        dst_country="MX",
    )
    return acct


def income(t: Txs, other: float = 50000, acct: str = "I1") -> str:
    t.add(0, 2000, "ach", src="EMPLOYER", dst=acct, purpose="PAYROLL")
    t.add(14, 2000, "ach", src="EMPLOYER", dst=acct, purpose="PAYROLL")
    t.add(20, other, "wire", src="SOMEONE", dst=acct)
    return acct


def income_in_small_credits(t: Txs, credit: float = 999.99, acct: str = "I1") -> str:
    """Payroll plus 60 non-income credits of ``credit`` each, three a day, within the quarter."""
    t.add(0, 2000, "ach", src="EMPLOYER", dst=acct, purpose="PAYROLL")
    for i in range(60):
        t.add(1 + i // 3, credit, "ach", src=f"SMALL{i}", dst=acct)
    return acct


def special(t: Txs, agent: str = "CIBanco", acct: str = "SM1") -> str:
    t.add(0, 1000, "wire", src=acct, dst="MXACCT", creditor_agent=agent, dst_country="MX")
    return acct


def established(t: Txs, acct: str, partners: int, *, pays: bool) -> None:
    """Give ``acct`` ``partners - 1`` more distinct counterparties (small transfers months later): one that pays
    (``pays``) or is paid by that many accounts, on top of the pattern's own hub."""
    for j in range(partners - 1):
        other = f"{acct}-CP{j}"
        if pays:
            t.add(200, 100, "ach", src=acct, dst=other)
        else:
            t.add(200, 100, "ach", src=other, dst=acct)


def fan_in(
    t: Txs,
    degree: int = 5,
    last_day: int = 20,
    amount: float = 2500,
    n_established: int = 0,
    partners: int = 11,
    acct: str = "HUB",
) -> str:
    """``n_established`` of the senders pay ``partners`` distinct accounts each (the hub included)."""
    for i in range(degree):
        t.add(last_day if i == degree - 1 else i, amount, "wire", src=f"FI{i}", dst=acct)
        if i < n_established:
            established(t, f"FI{i}", partners, pays=True)
    return acct


def fan_out(
    t: Txs,
    degree: int = 5,
    last_day: int = 20,
    amount: float = 9999,
    n_established: int = 0,
    partners: int = 11,
    acct: str = "FAN",
    n_merchants: int = 0,
    n_recurring: int = 0,
) -> str:
    """``n_established`` of the payees are paid by ``partners`` distinct accounts each (the hub included); the next
    ``n_merchants`` take card payments from 20 customers; the last ``n_recurring`` were paid by the hub before
    (staff, regular suppliers)."""
    for i in range(degree):
        payee = f"{acct}-FO{i}"  # each fan its own payees: payees shared by many fans would be established
        t.add(last_day if i == degree - 1 else i, amount, "ach", src=acct, dst=payee)
        if i < n_established:
            established(t, payee, partners, pays=False)
        elif i < n_established + n_merchants:
            for j in range(20):
                t.add(100, 35, "card", src=f"{payee}-CUST{j}", dst=payee)
        if i >= degree - n_recurring:
            t.add(-60, 3000, "ach", src=acct, dst=payee)
    return acct


def cycle(t: Txs, hop_days: int = 5, decay: float = 0.12, length: int = 3, acct: str = "CY0") -> str:
    nodes = [acct] + [f"CY{i}" for i in range(1, length)]
    amount = 50000.0
    for i in range(length):
        t.add(i * hop_days, amount, "wire", src=nodes[i], dst=nodes[(i + 1) % length])
        amount *= 1 - decay
    return acct


def scatter_gather(t: Txs, width: int = 3, kept: float = 0.9, acct: str = "SG") -> str:
    for i in range(width):
        t.add(i, 8000, "wire", src=acct, dst=f"SGM{i}")
        t.add(i + 5, 8000 * kept, "wire", src=f"SGM{i}", dst="SGSINK")
    return acct


def gather_scatter(
    t: Txs,
    n_in: int = 3,
    n_out: int = 3,
    smallest: float | None = None,
    n_recurring: int = 0,
    n_established: int = 0,
    partners: int = 11,
    acct: str = "GS",
) -> str:
    """80% of what was gathered scattered to ``n_out`` payees: the first gets ``smallest`` (when given), the others
    share the rest; ``n_recurring`` payees were paid by the hub before, ``n_established`` are paid by ``partners``
    distinct accounts each (the hub included)."""
    for i in range(n_in):
        t.add(i, 9000, "wire", src=f"GSI{i}", dst=acct)
    total = 9000 * n_in * 0.8
    amounts = [total / n_out] * n_out
    if smallest is not None:
        amounts = [smallest] + [(total - smallest) / (n_out - 1)] * (n_out - 1)
    for i, amount in enumerate(amounts):
        t.add(6, amount, "wire", src=acct, dst=f"GSO{i}")
        if i < n_recurring:
            t.add(-60, 1000, "wire", src=acct, dst=f"GSO{i}")
        if i < n_established:
            established(t, f"GSO{i}", partners, pays=False)
    return acct


def stack(t: Txs, width: int = 2) -> str:
    layers = [[f"ST{k}{i}" for i in range(width)] for k in range(3)]
    for hop in range(2):
        for a in layers[hop]:
            for b in layers[hop + 1]:
                t.add(hop * 5, 6000, "book_transfer", src=a, dst=b)
    return layers[1][0]


def bipartite(t: Txs, common: int = 2, senders: int = 3, partners: int | None = None, card_customers: int = 0) -> str:
    """``senders`` accounts each paying the same ``common`` receivers; with ``partners``, each receiver is paid by
    that many distinct accounts in all; with ``card_customers``, each receiver also takes that many card payments
    from distinct accounts (a merchant)."""
    receivers = [f"BR{i}" for i in range(common)]
    for s in [f"BL{i}" for i in range(senders)]:
        for r in receivers:
            t.add(1, 4000, "ach", src=s, dst=r)
    if partners is not None:
        for r in receivers:
            established(t, r, partners - senders + 1, pays=False)
    for r in receivers:
        for j in range(card_customers):
            t.add(100, 40, "card", src=f"{r}-CARD{j}", dst=r)
    return "BL0"


def sparse_bipartite(t: Txs, gap_days: int = 0) -> str:
    """BL0 pays BR0 and BR1; BR0's other sender is BL1, BR1's is BL2: no two senders share two receivers (no K2,2
    block), as laundering groups pay their mules. With ``gap_days``, BL0's second payment comes that much later."""
    t.add(1, 4000, "ach", src="BL0", dst="BR0")
    t.add(1 + gap_days, 4000, "ach", src="BL0", dst="BR1")
    t.add(2, 5000, "wire", src="BL1", dst="BR0")
    t.add(2 + gap_days, 5000, "wire", src="BL2", dst="BR1")
    return "BL0"
