"""Currency Transaction Reports and Suspicious Activity Reports derived from the generated transactions.

CTRs follow the BSA rule: a bank aggregates the cash in (and out) of one account on one business day and files
when the total exceeds $10,000 (which is exactly what structuring tries to avoid). SARs are filed for a share of
the typology instances (``sar.detection_rate``) and, as in reality, for some innocent customers too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from puente.model.records import CTR, SAR, arrow_schema
from puente.simulate.context import Instance
from puente.simulate.declarations import PartyLink, company_party_id, dec, party_id, to_date
from puente.simulate.events import CHANNEL, USD, TxnColumns
from puente.simulate.noise import Noiser
from puente.simulate.tables import cities, institutions
from puente.simulate.world import World

I64 = npt.NDArray[np.int64]


@dataclass
class CtrSource:
    """Aggregated cash per (account, day, direction) above the threshold, collected batch by batch."""

    day: list[I64] = field(default_factory=list)
    account: list[I64] = field(default_factory=list)
    cash_in: list[I64] = field(default_factory=list)
    cash_out: list[I64] = field(default_factory=list)
    person: list[I64] = field(default_factory=list)
    branch: list[I64] = field(default_factory=list)
    instance: list[I64] = field(default_factory=list)

    def collect(self, world: World, cols: TxnColumns, us_branch: npt.NDArray[np.bool_]) -> None:
        deposit = cols.channel == CHANNEL["cash_deposit"]
        cash = (deposit | (cols.channel == CHANNEL["cash_withdrawal"])) & (cols.currency == USD)
        cash &= (cols.branch >= 0) & us_branch[np.maximum(cols.branch, 0)]
        rows = np.flatnonzero(cash)
        if len(rows) == 0:
            return
        account = np.where(deposit[rows], cols.creditor[rows], cols.debtor[rows])
        key = (account * 2 + deposit[rows]) * 100000 + (cols.day[rows] - world.start_day)
        uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        total = np.bincount(inverse, weights=cols.cents[rows].astype(np.float64)).astype(np.int64)
        threshold = int(world.cfg.background.ctr_threshold * 100)
        keep = np.flatnonzero(total > threshold)
        if len(keep) == 0:
            return
        inst = np.full(len(uniq), -1, dtype=np.int64)
        np.maximum.at(inst, inverse, cols.instance[rows])
        head = rows[first[keep]]
        acct = account[first[keep]]
        is_in = deposit[head]
        conductor = cols.conductor[head]
        self.day.append(cols.day[head])
        self.account.append(acct)
        self.cash_in.append(np.where(is_in, total[keep], 0))
        self.cash_out.append(np.where(is_in, 0, total[keep]))
        self.person.append(np.where(conductor >= 0, conductor, world.accounts.signatory[acct]))
        self.branch.append(cols.branch[head])
        self.instance.append(inst[keep])


def ctr_table(world: World, src: CtrSource, noiser: Noiser) -> tuple[pa.Table, list[PartyLink], I64]:
    """CTR rows (one Python step per report; CTRs are a small fraction of transactions)."""
    if not src.day:
        return pa.Table.from_pylist([], schema=arrow_schema(CTR)), [], np.zeros(0, np.int64)
    cols = {
        k: np.concatenate(getattr(src, k))
        for k in ("day", "account", "cash_in", "cash_out", "person", "branch", "instance")
    }
    order = np.lexsort((cols["account"], cols["day"]))
    cols = {k: v[order] for k, v in cols.items()}
    rng = world.rng(8)
    p = world.persons
    acc = world.accounts
    table = cities()
    rows: list[dict[str, Any]] = []
    links: list[PartyLink] = []
    for j in range(len(order)):
        i = int(cols["person"][j])
        a = int(cols["account"][j])
        inst = institutions()[int(acc.institution[a])]
        city = int(world.branches.city[cols["branch"][j]])
        r = noiser.render(p, i, us_form=True, foreign=bool(p.mexican[i]))
        conductor = acc.owner_is_company[a] or acc.owner[a] != i
        day = int(cols["day"][j])
        rid = f"CTR{j + 1:010d}"
        rows.append(
            {
                "report_id": rid,
                "filed_date": to_date(day + int(rng.integers(1, 15))),
                "transaction_date": to_date(day),
                "institution_name": inst.name,
                "institution_ein": inst.ein or None,
                "branch_city": table.name[city],
                "branch_state": table.state[city],
                "person_name": r.full.upper(),
                "person_dob": to_date(r.dob),
                "person_ssn": p.ssn[i],
                "person_id_type": None
                if r.drop_optional
                else ("driver licence" if not p.mexican[i] else "passport" if p.passport[i] else "matrícula consular"),
                "person_id_number": None
                if r.drop_optional
                else (p.local_id[i] if not p.mexican[i] else p.passport[i] or p.local_id[i]),
                "person_address": None if r.drop_optional else p.street[i],
                "person_country": p.country(i),
                "role": "conductor" if conductor else "both",
                "account_number": acc.number[a],
                "cash_in": dec(int(cols["cash_in"][j])),
                "cash_out": dec(int(cols["cash_out"][j])),
            }
        )
        links.append(PartyLink("ctrs", j, "conductor" if conductor else "both", party_id(i), r.noise))
    return pa.Table.from_pylist(rows, schema=arrow_schema(CTR)), links, cols["instance"]


@dataclass
class SarInput:
    instance: Instance | None
    accounts: list[int]
    persons: list[int]
    start: int
    end: int
    cents: int
    codes: list[str]


_NARRATIVES = {
    "structuring": "Customer made repeated cash deposits just below $10,000 at different branches on consecutive days.",
    "funnel_account": "Multiple cash deposits in border-state branches by third parties, withdrawn within days "
    "in another region.",
    "repatriation": "Large cash volumes received through cash-in-transit pickups and wired to Mexico.",
    "tbml": "Payments for exported goods received from unrelated third parties; amounts do not match invoices.",
    "mirror_swap": "Account receives US cash and makes payments on behalf of unrelated clients; offsetting peso "
    "payments suspected.",
}


def sar_table(world: World, inputs: list[SarInput], noiser: Noiser) -> tuple[pa.Table, list[PartyLink], list[int]]:
    """SAR rows in filing-date order; returns links and each row's instance (-1 for a false positive)."""
    rng = world.rng(9)
    lag = world.cfg.sar.filing_lag_days
    acc = world.accounts
    p = world.persons
    staged = []
    for s in inputs:
        filer_acct = s.accounts[0] if s.accounts else 0
        filed = s.end + int(rng.integers(lag[0], lag[1] + 1))
        staged.append((filed, s, institutions()[int(acc.institution[filer_acct])].name))
    staged.sort(key=lambda t: (t[0], t[1].instance.iid if t[1].instance else -1, t[1].start))
    rows: list[dict[str, Any]] = []
    links: list[PartyLink] = []
    instances: list[int] = []
    for j, (filed, s, filer) in enumerate(staged):
        names, ids = [], []
        for person in s.persons:
            r = noiser.render(p, person, us_form=True, foreign=bool(p.mexican[person]))
            names.append(r.full.upper())
            ids.append(p.ssn[person] or p.passport[person] or p.local_id[person])
            links.append(PartyLink("sars", j, "subject", party_id(person), r.noise))
        for a in s.accounts:
            if acc.owner_is_company[a]:
                comp = int(acc.owner[a])
                names.append(acc.holder_name[a])
                ids.append(world.companies.tax_id[comp])
                links.append(PartyLink("sars", j, "subject", company_party_id(comp), []))
        code = s.codes[0] if s.codes else "other"
        rows.append(
            {
                "sar_id": f"SAR{j + 1:09d}",
                "filed_date": to_date(filed),
                "filer_institution": filer,
                "activity_start": to_date(s.start),
                "activity_end": to_date(s.end),
                "total_amount": dec(max(s.cents, 1)),
                "currency": "USD",
                "subject_names": names,
                "subject_ids": ids,
                "accounts": [acc.number[a] for a in s.accounts],
                "typology_codes": s.codes,
                "narrative": _NARRATIVES.get(
                    code, "Unusual movement of funds through the account inconsistent with the customer's profile."
                ),
            }
        )
        instances.append(s.instance.iid if s.instance else -1)
    return pa.Table.from_pylist(rows, schema=arrow_schema(SAR)), links, instances
