"""The Fellegi–Sunter model: m and u per comparison level, estimated without labels, and match weights.

* u (how often non-matching records agree at each level) starts from comparisons of random record pairs, since
  almost every random pair is a non-match;
* m (how often matching records do) and the share of matches among candidates (lambda) are estimated by EM on
  the candidate pairs, run over the distinct comparison vectors with their counts (a few thousand rows however
  many pairs there are);
* labelled pairs (analyst judgements), when given, estimate m directly instead;
* term-frequency adjustment: agreement on a common value (GARCIA, 1980-01-01) is weaker evidence than agreement
  on a rare one, so the exact level's weight is corrected by log2(u_exact / frequency(value)).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from puente.matching.config import MatchConfig

F64 = npt.NDArray[np.float64]
_EPS = 1e-6


@dataclass
class Model:
    """Estimated parameters: ``m[j][k]``, ``u[j][k]`` for comparison j, level k; lambda among candidates."""

    comparisons: list[str]
    levels: list[list[str]]
    m: list[F64]
    u: list[F64]
    lam: float
    iterations: int = 0
    converged: bool = False
    u_random: list[F64] = field(default_factory=list)

    def weights(self) -> list[F64]:
        """log2(m/u) per comparison and level; the missing level (0) carries no evidence."""
        out = []
        for m, u in zip(self.m, self.u, strict=True):
            w = np.log2(np.clip(m, _EPS, 1) / np.clip(u, _EPS, 1))
            w[0] = 0.0
            out.append(w)
        return out

    @property
    def prior_weight(self) -> float:
        return float(np.log2(max(self.lam, _EPS) / max(1 - self.lam, _EPS)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "lambda": self.lam,
            "iterations": self.iterations,
            "converged": self.converged,
            "comparisons": {
                name: {lv: {"m": float(m[k]), "u": float(u[k]), "weight": float(w[k])} for k, lv in enumerate(levels)}
                for name, levels, m, u, w in zip(
                    self.comparisons, self.levels, self.m, self.u, self.weights(), strict=True
                )
            },
        }


def level_frequencies(g: npt.NDArray[np.int8], n_levels: list[int], weights: F64 | None = None) -> list[F64]:
    """Share of (weighted) pairs at each level of each comparison, missing level excluded from the shares."""
    out = []
    w = np.ones(len(g)) if weights is None else weights
    for j, n in enumerate(n_levels):
        counts = np.bincount(g[:, j], weights=w, minlength=n).astype(np.float64)
        counts[0] = 0.0
        total = counts.sum()
        freq = (counts + 0.5) / (total + 0.5 * (n - 1)) if total else np.full(n, 1.0 / n)
        freq[0] = 1.0
        out.append(freq)
    return out


def initial_m(n_levels: list[int]) -> list[F64]:
    """Matches mostly agree: geometric mass towards the highest level."""
    out = []
    for n in n_levels:
        m = np.array([0.0] + [2.0 ** (3 * k) for k in range(n - 1)])
        m /= m.sum()
        m[0] = 1.0
        out.append(m)
    return out


def loglik(patterns: npt.NDArray[np.int8], probs: list[F64]) -> F64:
    total = np.zeros(len(patterns))
    for j, p in enumerate(probs):
        total += np.log(np.clip(p[patterns[:, j]], _EPS, 1))
    return total


def pattern_counts(g: npt.NDArray[np.int8], n_levels: list[int]) -> tuple[npt.NDArray[np.int8], F64]:
    """The distinct comparison vectors of ``g`` (in lexicographic order) and how many rows hold each.

    Each row is read as one integer in mixed radix (comparison j's level is digit j, base ``n_levels[j]``), so
    the count is a ``bincount`` — linear in the pairs, where ``np.unique(axis=0)`` sorts them all.
    """
    width = len(n_levels)
    if not len(g):
        return np.zeros((0, width), np.int8), np.zeros(0)
    radix = np.asarray(n_levels, dtype=np.int64)
    place = np.concatenate([np.cumprod(radix[::-1])[::-1][1:], [1]])  # the first comparison is the top digit
    code = np.zeros(len(g), np.int64)
    for j in range(width):
        code += g[:, j].astype(np.int64) * place[j]
    if float(np.prod(radix.astype(np.float64))) <= 1 << 24:  # a dense count table of at most 16M cells
        dense = np.bincount(code)
        present = np.flatnonzero(dense)
        counts = dense[present]
    else:  # many comparisons: sort the integers (still far cheaper than sorting rows)
        present, counts = np.unique(code, return_counts=True)
    patterns = ((present[:, None] // place[None, :]) % radix[None, :]).astype(np.int8)
    return patterns, counts.astype(np.float64)


def _em_session(
    patterns: npt.NDArray[np.int8],
    counts: F64,
    cols: list[int],
    m: list[F64],
    u: list[F64],
    lam: float,
    n_levels: list[int],
    max_iterations: int,
    tolerance: float,
) -> tuple[list[F64], float, int, bool]:
    """EM over the given comparison columns only (u fixed); returns m for all columns (others untouched)."""
    m = [x.copy() for x in m]
    for it in range(1, max_iterations + 1):
        lm = loglik(patterns[:, cols], [m[j] for j in cols]) + np.log(lam)
        lu = loglik(patterns[:, cols], [u[j] for j in cols]) + np.log(1 - lam)
        resp = 1.0 / (1.0 + np.exp(np.clip(lu - lm, -700, 700)))  # P(match | pattern)
        wm = resp * counts
        new_lam = float(np.clip(wm.sum() / counts.sum(), _EPS, 1 - _EPS))
        freqs = level_frequencies(patterns, n_levels, wm)
        delta = abs(new_lam - lam)
        for j in cols:
            delta = max(delta, float(np.abs(freqs[j] - m[j]).max()))
            m[j] = freqs[j]
        lam = new_lam
        if delta < tolerance:
            return m, lam, it, True
    return m, lam, max_iterations, False


def estimate(
    cfg: MatchConfig,
    g: npt.NDArray[np.int8],
    in_rule: npt.NDArray[np.bool_],
    u_random: list[F64],
    n_all_pairs: float,
    labelled_same: npt.NDArray[np.int8] | None = None,
) -> Model:
    """m by EM, one session per blocking rule, then lambda over all record pairs.

    Pairs satisfying a rule (``in_rule[:, i]``) agree on that rule's fields by construction, so a session
    learns m only for the other
    comparisons (as Splink does); each comparison's m is the mean over the sessions that could learn it. With
    labelled matching pairs, m is their level frequencies instead. lambda (the share of matches among *all*
    record pairs) is then the fixed point of "expected matches among candidates / all pairs", which keeps
    match weights calibrated against random u.
    """
    n_levels = [len(c.levels) for c in cfg.comparisons]
    names = [c.name for c in cfg.comparisons]
    model = Model(
        names,
        [c.levels for c in cfg.comparisons],
        initial_m(n_levels),
        [x.copy() for x in u_random],
        1e-6,
        u_random=u_random,
    )
    if labelled_same is not None and len(labelled_same):
        model.m = level_frequencies(labelled_same, n_levels)
    elif len(g):
        sums = [np.zeros(n) for n in n_levels]
        seen = np.zeros(len(names))
        its, conv = 0, True
        for i, br in enumerate(cfg.blocking):
            blocked = {k.split("__", 1)[0] for k in br.keys}
            cols = [j for j, nm in enumerate(names) if nm not in blocked]
            sel = g[in_rule[:, i]]
            if not cols or len(sel) < 10:
                continue
            patterns, counts = pattern_counts(sel, n_levels)
            m_i, _, it, ok = _em_session(
                patterns,
                counts,
                cols,
                model.m,
                model.u,
                0.1,
                n_levels,
                cfg.em.max_iterations,
                cfg.em.tolerance,
            )
            its, conv = its + it, conv and ok
            for j in cols:
                sums[j] += m_i[j]
                seen[j] += 1
        model.m = [sums[j] / seen[j] if seen[j] else model.m[j] for j in range(len(names))]
        model.iterations, model.converged = its, conv
    model.lam = global_lambda(model, g, n_all_pairs)
    return model


def global_lambda(model: Model, g: npt.NDArray[np.int8], n_all_pairs: float, iterations: int = 50) -> float:
    """Share of matches among all pairs: fixed point of sum of candidate posteriors / all pairs."""
    if not len(g) or n_all_pairs <= 0:
        return 1e-6
    patterns, counts = pattern_counts(g, [len(x) for x in model.m])
    w = model.weights()
    bf = np.zeros(len(patterns))
    for j, wj in enumerate(w):
        bf += wj[patterns[:, j]]
    lam = min(0.5, len(g) * 0.1 / n_all_pairs)
    for _ in range(iterations):
        prior = np.log2(lam / (1 - lam))
        post = 1.0 / (1.0 + np.power(2.0, -np.clip(bf + prior, -60, 60)))
        new = float(np.clip((post * counts).sum() / n_all_pairs, 1e-12, 0.5))
        if abs(new - lam) < lam * 1e-4:
            return new
        lam = new
    return lam


def tf_adjustment(values: npt.NDArray[np.int64], freq_of_code: F64, u_exact: float) -> F64:
    """Extra weight when a pair agrees exactly on a value: log2(u_exact / frequency of that value), bounded."""
    f = np.clip(freq_of_code[values], _EPS, 1)
    return np.clip(np.log2(u_exact / f), -10.0, 10.0)


def sample_u(n: int, pairs: int, seed: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Two disjoint random samples of rows whose cross product (a grid) holds about ``pairs`` record pairs.

    Splink samples u pairs the same way (a random sample joined with itself). A grid lets comparisons score
    distinct values all-against-all (:func:`puente.matching.comparisons.gamma_grid`), several times faster than
    independent random pairs, and the two samples being disjoint means no record is paired with itself. In link
    mode the caller keeps only the grid pairs whose records come from different sources.
    """
    rng = np.random.default_rng(seed)
    k = min(int(np.ceil(np.sqrt(pairs))), n // 2)
    rows = rng.choice(n, size=2 * k, replace=False) if k > 0 else np.zeros(0, np.int64)
    return np.sort(rows[:k]).astype(np.int64), np.sort(rows[k:]).astype(np.int64)
