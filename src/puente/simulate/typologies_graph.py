"""Graph-shaped laundering patterns (the AMLSim / IBM AML-Data vocabulary) run by the networks.

fan-in, fan-out, cycle, scatter-gather, gather-scatter, stack and bipartite. Their nodes mix network accounts
with background accounts recruited as mules, so that the pattern is embedded in ordinary activity. Amounts stay
under the CTR threshold and hops are spread over days, as in the FinCEN funnel-account advisories.
"""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt

from puente.simulate.context import Context, Instance
from puente.simulate.events import CHANNEL, uniform_cents
from puente.simulate.networks import Network

I64 = npt.NDArray[np.int64]

_HOP_CHANNELS = np.asarray([CHANNEL["wire"], CHANNEL["ach"], CHANNEL["book_transfer"]], dtype=np.int64)


def _accounts(ctx: Context, net: Network, k: int) -> list[int]:
    """``k`` distinct accounts: network accounts first, topped up with recruited mules."""
    own = list(dict.fromkeys(net.funnel_accounts + net.member_accounts + net.front_us_accounts))
    chosen = ctx.pick(own, min(len(own), max(1, k // 3)))
    chosen += ctx.mule_accounts(net, k - len(chosen))
    return list(dict.fromkeys(chosen))[:k]


def _edges(ctx: Context, inst: Instance, src: list[int], dst: list[int], cents: I64, days: I64) -> None:
    rng = ctx.rng
    n = len(src)
    ctx.txns.add(
        day=days,
        cents=cents,
        channel=_HOP_CHANNELS[rng.integers(0, 3, n)],
        debtor=np.asarray(src),
        creditor=np.asarray(dst),
        instance=inst.iid,
        purpose=None,
    )
    inst.amount_cents += int(cents.sum())
    inst.details.setdefault("accounts", [])
    inst.details["accounts"] = sorted(set(inst.details["accounts"]) | set(src) | set(dst))


def fan_in(ctx: Context, net: Network) -> None:
    p = ctx.world.cfg.typologies.fan_in
    d = ctx.count(p.degree)
    nodes = _accounts(ctx, net, d + 1)
    window = ctx.count(p.days)
    start = ctx.start_day(window)
    inst = ctx.new_instance("fan_in", net, start, start + window)
    _edges(
        ctx,
        inst,
        nodes[1:],
        [nodes[0]] * (len(nodes) - 1),
        uniform_cents(ctx.rng, len(nodes) - 1, *p.amount),
        start + ctx.rng.integers(0, window, len(nodes) - 1),
    )


def fan_out(ctx: Context, net: Network) -> None:
    p = ctx.world.cfg.typologies.fan_out
    d = ctx.count(p.degree)
    nodes = _accounts(ctx, net, d + 1)
    window = ctx.count(p.days)
    start = ctx.start_day(window)
    inst = ctx.new_instance("fan_out", net, start, start + window)
    _edges(
        ctx,
        inst,
        [nodes[0]] * (len(nodes) - 1),
        nodes[1:],
        uniform_cents(ctx.rng, len(nodes) - 1, *p.amount),
        start + ctx.rng.integers(0, window, len(nodes) - 1),
    )


def cycle(ctx: Context, net: Network) -> None:
    p = ctx.world.cfg.typologies.cycle
    rng = ctx.rng
    nodes = _accounts(ctx, net, ctx.count(p.length))
    hops = len(nodes)
    lags = rng.integers(p.hop_days[0], p.hop_days[1] + 1, hops)
    start = ctx.start_day(int(lags.sum()) + 1)
    inst = ctx.new_instance("cycle", net, start, start + int(lags.sum()))
    amount = uniform_cents(rng, 1, *p.amount)[0]
    decay = np.cumprod(1 - rng.uniform(*p.decay, hops))
    _edges(ctx, inst, nodes, nodes[1:] + nodes[:1], (amount * decay).astype(np.int64), start + np.cumsum(lags))


def _two_stage(
    ctx: Context, net: Network, name: str, width: int, amount: tuple[float, float], window: int, *, gather_first: bool
) -> None:
    rng = ctx.rng
    nodes = _accounts(ctx, net, 2 * width + 2 if gather_first else width + 2)
    start = ctx.start_day(window + 2)
    inst = ctx.new_instance(name, net, start, start + window)
    if gather_first:  # many -> hub -> many
        hub, sources, targets = nodes[0], nodes[1 : width + 1], nodes[width + 1 : 2 * width + 1]
        cents = uniform_cents(rng, len(sources), *amount)
        first = start + rng.integers(0, window // 2 + 1, len(sources))
        _edges(ctx, inst, sources, [hub] * len(sources), cents, first)
        out = (rng.dirichlet(np.ones(len(targets))) * cents.sum() * 0.98).astype(np.int64)
        _edges(ctx, inst, [hub] * len(targets), targets, out, int(first.max()) + rng.integers(1, 3, len(targets)))
    else:  # source -> many -> sink
        source, sink, middle = nodes[0], nodes[1], nodes[2:]
        cents = uniform_cents(rng, len(middle), *amount)
        first = start + rng.integers(0, window // 2 + 1, len(middle))
        _edges(ctx, inst, [source] * len(middle), middle, cents, first)
        _edges(
            ctx,
            inst,
            middle,
            [sink] * len(middle),
            (cents * rng.uniform(0.95, 0.99, len(middle))).astype(np.int64),
            first + rng.integers(1, window // 2 + 2, len(middle)),
        )


def scatter_gather(ctx: Context, net: Network) -> None:
    p = ctx.world.cfg.typologies.scatter_gather
    _two_stage(ctx, net, "scatter_gather", ctx.count(p.width), p.amount, ctx.count(p.days), gather_first=False)


def gather_scatter(ctx: Context, net: Network) -> None:
    p = ctx.world.cfg.typologies.gather_scatter
    _two_stage(ctx, net, "gather_scatter", ctx.count(p.width), p.amount, ctx.count(p.days), gather_first=True)


def stack(ctx: Context, net: Network) -> None:
    """Layers of accounts, every account of a layer paying every account of the next."""
    p = ctx.world.cfg.typologies.stack
    rng = ctx.rng
    width = ctx.count(p.width)
    nodes = _accounts(ctx, net, width * p.layers)
    layers = [nodes[i * width : (i + 1) * width] for i in range(p.layers)]
    window = ctx.count(p.days)
    start = ctx.start_day(window * p.layers)
    inst = ctx.new_instance("stack", net, start, start + window * p.layers)
    for hop, (left, right) in enumerate(itertools.pairwise(layers)):
        src = [a for a in left for _ in right]
        dst = [b for _ in left for b in right]
        if not src:
            continue
        _edges(
            ctx,
            inst,
            src,
            dst,
            uniform_cents(rng, len(src), *p.amount),
            start + hop * window + rng.integers(0, window, len(src)),
        )


def bipartite(ctx: Context, net: Network) -> None:
    p = ctx.world.cfg.typologies.bipartite
    rng = ctx.rng
    nl, nr = ctx.count(p.left), ctx.count(p.right)
    nodes = _accounts(ctx, net, nl + nr)
    left, right = nodes[:nl], nodes[nl:]
    window = ctx.count(p.days)
    start = ctx.start_day(window)
    inst = ctx.new_instance("bipartite", net, start, start + window)
    pairs = [(a, b) for a in left for b in right if rng.random() < p.density]
    # A ladder through both sides makes every instance a real bipartite block (each sender pays two receivers,
    # each receiver is paid by two senders): random edges alone sometimes drew a star or disconnected pairs.
    for k in range(max(nl, nr)):
        for edge in ((left[k % nl], right[k % nr]), (left[(k + 1) % nl], right[k % nr])):
            if edge not in pairs:
                pairs.append(edge)
    _edges(
        ctx,
        inst,
        [a for a, _ in pairs],
        [b for _, b in pairs],
        uniform_cents(rng, len(pairs), *p.amount),
        start + rng.integers(0, window, len(pairs)),
    )
