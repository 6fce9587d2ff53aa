"""Bass diffusion: advertising as innovation p, word of mouth as imitation q, fully mixed.

In `tests/validation/scenarios/bass.yaml` everyone knows everyone (`network.kind: complete`),
adopters (people who have started a journey) tell each contact a good story every day
(`validation.advocacy: daily`) and every good story heard starts a journey. With a time unit
of `unit_days` days, `strategy.advertising` = 1 − e^(−p/u) and `share_probability` =
1 − e^(−q/(u·N)), so a non-adopter adopts on a day with chance 1 − e^(−(p + q·A/N)/u), A being
yesterday's adopters: the Bass hazard p + q·F over one day.

What the model is, exactly, is a finite population adopting on whole days: the Markov chain of
`bass_chain` (derived there from the code). The simulated mean curve is compared with that
chain's exact distribution, computed rather than simulated: on every day it must lie in the
band that holds the mean of `runs` correct runs with probability 1 − FAMILY_ALPHA/days. By
Bonferroni's inequality a correct model then fails the test somewhere on the curve with
probability at most FAMILY_ALPHA (1%), at any (p, q) and N: measured on the chain itself, 0.0–0.15%
(docs/validation.md). The continuous closed form F(t) is drawn for reference with the gap
between it and the chain split into its two parts: discrete days (`bass_chain.mean_field`
against F) and a finite population (the chain's mean against `mean_field`, about c/N).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.rules.journey import Phase
from sim.runs.runner import build_model, replication_seeds
from sim.scenario.loading import load_scenario
from sim.scenario.schema import Scenario
from sim.validation import LIMIT_SCENARIOS, bass_chain

# (p, q) per time unit: Sultan, Farley & Lehmann's (1990) mean coefficients; an innovation-led
# market; two imitation-led ones (q/p = 50 and 300), where a finite population lags F(t) most;
# and how many time units each is followed for.
PAIRS = ((0.03, 0.38), (0.05, 0.15), (0.01, 0.5), (0.002, 0.6))
HORIZON_UNITS = {(0.03, 0.38): 12, (0.05, 0.15): 16, (0.01, 0.5): 16, (0.002, 0.6): 22}
UNIT_DAYS = 20  # days per Bass time unit
FAMILY_ALPHA = 0.01  # most a correct model may fail anywhere on the curve (Bonferroni bound)


def closed_form(t, p: float, q: float):
    """F(t) = (1 − e^{−(p+q)t}) / (1 + (q/p)·e^{−(p+q)t})."""
    e = np.exp(-(p + q) * np.asarray(t, dtype=float))
    return (1 - e) / (1 + q / p * e)


def limit_scenario(p: float, q: float, unit_days: float = UNIT_DAYS, size: int | None = None,
                   engine: str = "vectorized", horizon_units: float = 14) -> Scenario:
    """The Bass limit scenario for (p, q) per time unit of `unit_days` days."""
    base = load_scenario(LIMIT_SCENARIOS / "bass.yaml")
    n = size or base.population.size
    return load_scenario(LIMIT_SCENARIOS / "bass.yaml", {
        "name": f"bass_p{p:g}_q{q:g}_{engine}", "engine": engine, "population.size": n,
        "horizon_days": int(round(horizon_units * unit_days)),
        "strategy.advertising": float(-np.expm1(-p / unit_days)),
        "word_of_mouth.share_probability": float(-np.expm1(-q / (unit_days * n)))})


def adoption_curve(scenario: Scenario, seed: int) -> np.ndarray:
    """Share of people who have adopted (left idle) at the end of each day, one run."""
    model = build_model(scenario, seed)
    n = scenario.population.size
    shares = []
    while model.running:
        model.step()
        shares.append(1.0 - model.phase_counts[Phase.IDLE] / n)
    return np.array(shares)


def simulate(p: float, q: float, runs: int, engine: str = "vectorized",
             unit_days: float = UNIT_DAYS, size: int | None = None,
             horizon_units: float = 14, model_q: float | None = None) -> pd.DataFrame:
    """Mean adoption curve over `runs` seeds against the exact chain and the closed form.

    Args:
        p: Innovation coefficient compared with (per time unit).
        q: Imitation coefficient compared with (per time unit).
        runs: Replications (seeds spawned from the scenario's master seed).
        engine: "vectorized" or "agents".
        unit_days: Days per time unit.
        size: People (default: the scenario's 1,000).
        horizon_units: Time units simulated.
        model_q: The q the model is run with (default q): a different one shows the test's
            power against a wrong imitation coefficient.
    """
    s = limit_scenario(p, q if model_q is None else model_q, unit_days, size, engine,
                       horizon_units)
    curves = np.array([adoption_curve(s, seed) for seed in replication_seeds(s.seed, runs)])
    return compare(curves, p, q, s.population.size, unit_days, engine)


def compare(curves: np.ndarray, p: float, q: float, n: int, unit_days: float,
            engine: str) -> pd.DataFrame:
    """Each day of a mean curve (runs × days shares) against the exact chain for (p, q, N).

    Columns: p, q, engine, day, t (time units at the end of the day), simulated (mean share),
    closed_form F(t), mean_field (discrete days, N → ∞), exact_mean and exact_sd (the chain's,
    one run), band_low and band_high (the exact acceptance band of the mean of these runs),
    within, sd (run-to-run standard deviation, against exact_sd).
    """
    runs, days = curves.shape
    rows = bass_chain.distributions(p, q, n, unit_days, days)
    mean, sd = bass_chain.moments(rows)
    low, high = bass_chain.band(rows, runs, FAMILY_ALPHA / days)
    simulated = curves.mean(axis=0)
    t = (np.arange(days) + 1) / unit_days
    return pd.DataFrame({
        "p": p, "q": q, "engine": engine, "day": np.arange(days), "t": t,
        "simulated": simulated, "closed_form": closed_form(t, p, q),
        "mean_field": bass_chain.mean_field(p, q, unit_days, days), "exact_mean": mean,
        "exact_sd": sd, "band_low": low, "band_high": high,
        # A hair of slack: shares are whole people over N·runs, summed in floating point.
        "within": (simulated >= low - 1e-9) & (simulated <= high + 1e-9),
        "sd": curves.std(axis=0, ddof=1) if runs > 1 else np.nan})


def rejection_rate(p: float, q: float, n: int, runs: int, sets: int, horizon_units: float,
                   rng: np.random.Generator, model_q: float | None = None,
                   unit_days: float = UNIT_DAYS) -> float:
    """How often the test rejects: `sets` mean curves of `runs` runs of the chain itself.

    With `model_q` None the runs are of the correct chain (the false rejection rate); with
    another q, of a model whose imitation is off (the test's power against it).
    """
    days = int(round(horizon_units * unit_days))
    rows = bass_chain.distributions(p, q, n, unit_days, days)
    low, high = bass_chain.band(rows, runs, FAMILY_ALPHA / days)
    shares = bass_chain.simulate_chain(p, q if model_q is None else model_q, n, unit_days,
                                       days, sets * runs, rng)
    means = shares.reshape(sets, runs, days).mean(axis=1)
    outside = (means < low - 1e-9) | (means > high + 1e-9)
    return float(outside.any(axis=1).mean())
