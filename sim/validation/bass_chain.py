"""The Bass limit exactly: a finite population adopting on whole days is a Markov chain.

Derived from the code of both engines (sim/validation/bass.py sets the parameters). A day runs:
yesterday's stories are heard (`hear_stories` / `Customer.hear`: every good story tips an idle
prospect off, `awareness_probability` 1), everyone lives the day (an idle prospect who was
tipped off starts a journey; otherwise an ad reaches them with chance a = 1 − e^(−p/u),
`journey.idle_chances`, drawn independently of the stories), then every adopter, including
today's, tells each contact a good story with chance s = 1 − e^(−q/(u·N))
(`validation.advocacy: daily`, complete network without self-links). Adopters never return to
idle. So with A(d) the adopters at the end of day d and A(−1) = 0:

    A(d) = A(d−1) + Binomial(N − A(d−1), h(A(d−1))),   h(a) = 1 − e^(−(p + q·a/N)/u),

since a non-adopter escapes both the ad, (1 − a), and each of the A(d−1) adopters' stories,
(1 − s)^A(d−1). This is issue 15's formula; the day of lag (stories heard tomorrow) is in it:
today's adopters count only from tomorrow. The share F at the end of day d is A(d)/N at
t = (d + 1)/u.

Everything here is exact, not simulated: the distribution of A(d) is carried forward day by
day through the (N+1)×(N+1) transition matrix (O(N²) a day), and the distribution of the sum
over R independent runs is its R-fold convolution, from which the acceptance band of a mean
curve is read (`band`). Its mean lags the continuous closed form by a discrete-time part (the
N → ∞ daily recursion `mean_field` against F(t)) and a finite-N part (the chain's mean against
`mean_field`, about c/N with c ≈ 2 for (0.03, 0.38), 7 for (0.01, 0.5), 40 for (0.002, 0.6)).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

MAX_PEOPLE = 3000  # the transition matrix holds (N+1)² numbers: 72 MB at 3,000


def hazard(adopters, p: float, q: float, n: int, unit_days: float):
    """A non-adopter's chance of adopting tomorrow with `adopters` adopters today."""
    return -np.expm1(-(p + q * np.asarray(adopters) / n) / unit_days)


def transition_matrix(p: float, q: float, n: int, unit_days: float) -> np.ndarray:
    """P(A(d) = j | A(d−1) = i), rows i and columns j in 0..N."""
    if n > MAX_PEOPLE:
        raise ValueError(f"the exact chain is computed for at most {MAX_PEOPLE} people, not {n}")
    a = np.arange(n + 1)
    return stats.binom.pmf(a[None, :] - a[:, None], (n - a)[:, None],
                           hazard(a, p, q, n, unit_days)[:, None])


def distributions(p: float, q: float, n: int, unit_days: float, days: int) -> np.ndarray:
    """P(A(d) = a) for days d = 0..days−1 (rows) and a = 0..N (columns)."""
    step = transition_matrix(p, q, n, unit_days)
    current = np.zeros(n + 1)
    current[0] = 1.0
    rows = np.empty((days, n + 1))
    for d in range(days):
        current = current @ step
        rows[d] = current
    return rows


def moments(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of the share A(d)/N on each day."""
    share = np.arange(rows.shape[1]) / (rows.shape[1] - 1)
    mean = rows @ share
    return mean, np.sqrt(np.maximum(rows @ share**2 - mean**2, 0.0))


def band(rows: np.ndarray, runs: int, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """The exact acceptance band of the mean share over `runs` independent runs, each day.

    The sum of A(d) over the runs has the R-fold convolution of the day's distribution; the
    band is [lo, hi]/(N·R) with P(sum < lo) ≤ alpha/2 and P(sum > hi) ≤ alpha/2, so a correct
    model falls outside it on a given day with probability at most alpha.
    """
    n = rows.shape[1] - 1
    size = 1 << int(np.ceil(np.log2(n * runs + 1)))
    total = np.fft.irfft(np.fft.rfft(rows, size, axis=1) ** runs, size, axis=1)[:, :n * runs + 1]
    total = np.clip(total, 0.0, None)
    cdf = np.cumsum(total / total.sum(axis=1, keepdims=True), axis=1)
    low = (cdf <= alpha / 2).sum(axis=1)
    high = (cdf < 1 - alpha / 2).sum(axis=1)
    return low / (n * runs), high / (n * runs)


def mean_field(p: float, q: float, unit_days: float, days: int) -> np.ndarray:
    """The chain's N → ∞ limit on whole days: f(d) = f(d−1) + (1 − f(d−1))·h, f(−1) = 0."""
    shares, f = np.empty(days), 0.0
    for d in range(days):
        f += (1.0 - f) * -np.expm1(-(p + q * f) / unit_days)
        shares[d] = f
    return shares


def simulate_chain(p: float, q: float, n: int, unit_days: float, days: int, runs: int,
                   rng: np.random.Generator) -> np.ndarray:
    """Runs of the chain itself (not the model): shares adopted, shape (runs, days)."""
    adopters = np.zeros(runs, dtype=np.int64)
    shares = np.empty((runs, days))
    for d in range(days):
        adopters = adopters + rng.binomial(n - adopters, hazard(adopters, p, q, n, unit_days))
        shares[:, d] = adopters / n
    return shares
