"""Each rule on hand-built transactions: fires when it should, stays silent just across each threshold and window."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from puente.monitoring import RuleSet
from tests.monitoring import cases
from tests.monitoring.conftest import Runner
from tests.monitoring.txs import Txs


def _subjects(run_rules: Runner, rule: str, build: Callable[[Txs], str]) -> tuple[str, set[str]]:
    t = Txs()
    subject = build(t)
    alerts, _ = run_rules(t.table(), only=rule)
    return subject, set(alerts["subject"].to_pylist())


CASES = [
    # rule, firing builder, [silent variants]
    (
        "STR-01",
        cases.structuring,
        [
            lambda t: cases.structuring(t, amount=10000),  # at the CTR threshold: not "just under"
            lambda t: cases.structuring(t, amount=7999.99),  # below the band
            lambda t: cases.structuring(t, last_day=22),  # third deposit one day outside the window
            lambda t: cases.structuring(t, branches=1),  # one branch and fewer than 5 deposits
        ],
    ),
    (
        "FUN-01",
        cases.funnel,
        [
            lambda t: cases.funnel(t, wd_after=8),  # withdrawal one day too late
            lambda t: cases.funnel(t, wd_state="TX"),  # withdrawn where deposited
            lambda t: cases.funnel(t, share=0.19),  # too little withdrawn
        ],
    ),
    (
        "RAP-01",
        cases.rapid,
        [
            lambda t: cases.rapid(t, out_ratio=0.89),  # money stays
            lambda t: cases.rapid(t, out_ratio=1.06),  # more out than in: not pass-through of these credits
            lambda t: cases.rapid(t, name="Transportes del Norte, S.A. de C.V."),  # a business: 60k is turnover
            lambda t: cases.rapid(t, name="BORDER FREIGHT LLC", inflow=999_999),  # just under the business level
        ],
    ),
    (
        "REP-01",
        cases.repatriation,
        [
            lambda t: cases.repatriation(t, cash=49999),
            lambda t: cases.repatriation(t, out_share=0.49),
            lambda t: cases.repatriation(t, out_day=45),  # wire one day after window + 14 days
        ],
    ),
    ("TBML-01", cases.tbml, [lambda t: cases.tbml(t, paid_factor=1.25), lambda t: cases.tbml(t, paid_factor=0.8)]),
    ("MIR-01", cases.mirror, [lambda t: cases.mirror(t, spread=0.07), lambda t: cases.mirror(t, lag=1)]),
    (
        "INC-01",
        cases.income,
        [
            lambda t: cases.income(t, other=40000),
            lambda t: cases.income(t, other=49999),
            cases.income_in_small_credits,  # 60k of credits, none of min_credit: nothing to show as evidence
        ],
    ),
    ("SPM-01", cases.special, [lambda t: cases.special(t, agent="Banco del Norte")]),
    (
        "GRF-FI",
        cases.fan_in,
        [
            lambda t: cases.fan_in(t, degree=4),
            lambda t: cases.fan_in(t, last_day=21),
            lambda t: cases.fan_in(t, amount=2499.99),
            lambda t: cases.fan_in(t, n_established=3),  # 2 of 5 senders low-history: 0.4 < 0.6
            lambda t: cases.fan_in(t, n_established=2, degree=4),  # 2 of 4: 0.5 < 0.6 (and degree 4)
        ],
    ),
    (
        "GRF-FO",
        cases.fan_out,
        [
            lambda t: cases.fan_out(t, degree=4),
            lambda t: cases.fan_out(t, last_day=21),
            lambda t: cases.fan_out(t, amount=10000),
            lambda t: cases.fan_out(t, n_established=3),  # 2 of 5 payees low-history: 0.4 < 0.6
            lambda t: cases.fan_out(t, n_established=3, partners=11),  # 11 payers each: established
            lambda t: cases.fan_out(t, n_merchants=3),  # 3 payees are merchants (card customers): 2 of 5 left
            # one-off 3/5 and low-history 4/5 pass alone, but only 2 of 5 payees are both: recurring staff
            lambda t: cases.fan_out(t, n_recurring=2, n_established=1),
        ],
    ),
    (
        "GRF-CY",
        cases.cycle,
        [
            lambda t: cases.cycle(t, hop_days=6),
            lambda t: cases.cycle(t, decay=0.13),
            lambda t: cases.cycle(t, length=2),
        ],
    ),
    (
        "GRF-SG",
        cases.scatter_gather,
        [
            lambda t: cases.scatter_gather(t, width=2),
            lambda t: cases.scatter_gather(t, kept=0.89),
        ],
    ),
    (
        "GRF-GS",
        cases.gather_scatter,
        [
            lambda t: cases.gather_scatter(t, n_in=2),
            lambda t: cases.gather_scatter(t, n_out=2),
            lambda t: cases.gather_scatter(t, smallest=499.99),  # smallest payout below min_out_amount: 2 payees
            lambda t: cases.gather_scatter(t, n_recurring=2),  # 1 of 3 payees one-off: 0.33 < 0.5
            lambda t: cases.gather_scatter(t, n_out=5, n_established=3),  # 2 of 5 low-history: 0.4 < 0.6
        ],
    ),
    ("GRF-ST", cases.stack, [lambda t: cases.scatter_gather(t, width=4)]),
    (
        "GRF-BP",
        cases.bipartite,
        [
            lambda t: cases.bipartite(t, common=1),
            lambda t: cases.bipartite(t, senders=2, common=1),
            lambda t: cases.fan_in(t, degree=6),
            lambda t: cases.bipartite(t, partners=13),  # shared receivers paid by 13 accounts: established
            lambda t: cases.bipartite(t, card_customers=10),  # 3 + 10 payers: the receivers are merchants
            lambda t: cases.sparse_bipartite(t, gap_days=26),  # the two shared receivers are 26 days apart
        ],
    ),
]

#: Firing cases just inside each new threshold (the CASES builders fire at their defaults).
FIRING = [
    ("GRF-FI", lambda t: cases.fan_in(t, n_established=2)),  # 3 of 5 senders low-history: 0.6
    ("GRF-FI", lambda t: cases.fan_in(t, n_established=5, partners=10)),  # 10 partners each: still low-history
    ("GRF-FO", lambda t: cases.fan_out(t, n_established=2)),  # 3 of 5 payees low-history: 0.6
    ("GRF-FO", lambda t: cases.fan_out(t, n_established=5, partners=10)),
    ("GRF-FO", lambda t: cases.fan_out(t, n_merchants=2)),  # 3 of 5 payees low-history and new: 0.6
    ("GRF-FO", lambda t: cases.fan_out(t, n_recurring=1, n_established=1)),  # 3 of 5 new and low-history
    ("GRF-GS", lambda t: cases.gather_scatter(t, smallest=500)),  # smallest payout at min_out_amount
    ("GRF-GS", lambda t: cases.gather_scatter(t, n_out=4, n_recurring=2)),  # 2 of 4 one-off: 0.5
    ("GRF-GS", lambda t: cases.gather_scatter(t, n_out=5, n_established=2)),  # 3 of 5 low-history: 0.6
    ("GRF-GS", lambda t: cases.gather_scatter(t, n_established=3, partners=10)),
    ("RAP-01", lambda t: cases.rapid(t, name="BORDER FREIGHT LLC", inflow=1_000_002)),  # at the business level
    ("RAP-01", lambda t: cases.rapid(t, name="SAUL SACV")),  # a person whose name merely contains "SA"
    ("INC-01", lambda t: cases.income_in_small_credits(t, credit=1000)),  # credits of min_credit each
    ("GRF-BP", lambda t: cases.bipartite(t, senders=2)),  # one K2,2 block: a single co-sender
    ("GRF-BP", lambda t: cases.bipartite(t, partners=12)),  # shared receivers with 12 payers: low-history
    ("GRF-BP", lambda t: cases.bipartite(t, card_customers=9)),  # 3 + 9 payers, card ones included: 12
    ("GRF-BP", cases.sparse_bipartite),  # two receivers shared with two different co-senders: no K2,2 block
    ("GRF-BP", lambda t: cases.sparse_bipartite(t, gap_days=25)),  # within the 25-day window
]


@pytest.mark.parametrize(("rule", "build", "silent"), CASES, ids=[c[0] for c in CASES])
def test_rule_fires_and_stays_silent_across_thresholds(
    run_rules: Runner, rule: str, build: Callable[[Txs], str], silent: list[Callable[[Txs], str]]
) -> None:
    subject, fired = _subjects(run_rules, rule, build)
    assert subject in fired, f"{rule} should fire on {subject}"
    for i, variant in enumerate(silent):
        _, quiet = _subjects(run_rules, rule, variant)
        assert not quiet, f"{rule} variant {i} should stay silent, fired on {quiet}"


@pytest.mark.parametrize(("rule", "build"), FIRING, ids=[f"{r}-{i}" for i, (r, _) in enumerate(FIRING)])
def test_rule_fires_just_inside_each_new_threshold(run_rules: Runner, rule: str, build: Callable[[Txs], str]) -> None:
    subject, fired = _subjects(run_rules, rule, build)
    assert subject in fired, f"{rule} should fire on {subject}"


def test_every_shipped_rule_has_a_case(rules: RuleSet) -> None:
    assert {r.id for r in rules.enabled} == {c[0] for c in CASES}


def test_rules_do_not_fire_on_ordinary_activity(run_rules: Runner) -> None:
    t = Txs()
    for d in range(0, 60, 14):
        t.add(d, 1800, "ach", src="EMPLOYER", dst="WORKER", purpose="PAYROLL")
        t.add(d + 1, 60, "card", src="WORKER", dst="SHOP")
        t.add(d + 2, 200, "cash_withdrawal", src="WORKER", branch_state="TX")
    alerts, _ = run_rules(t.table())
    assert alerts.num_rows == 0
