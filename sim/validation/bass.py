"""Bass diffusion: advertising as innovation p, word of mouth as imitation q, fully mixed.

In `tests/validation/scenarios/bass.yaml` everyone knows everyone (`network.kind: complete`),
adopters (people who have started a journey) tell each contact a good story every day
(`validation.advocacy: daily`) and every good story heard starts a journey. With a time unit
of `unit_days` days, the model's own rules give a non-adopter's chance of adopting on a day:
  1 − (1 − a)·(1 − s)^A  with  a = 1 − e^(−p/u)  (advertising, `strategy.advertising`),
                               s = 1 − e^(−q/(u·N))  (per contact, `share_probability`),
for A adopters at the end of the day before; that is 1 − e^(−(p + q·A/N)/u), the Bass hazard
p + q·F over one day. The continuous closed form is then matched up to the one-day lag of word
of mouth (heard tomorrow), a bias below 0.12/u in F (0.006 at u = 20 for p=0.03, q=0.38).

Tolerance: Z = 8 binomial standard errors of the mean curve, √(F(1−F)/(N·runs)). A diffusion
is over-dispersed against the binomial (the timing of the first adoptions moves the whole
curve): over 10 runs at N = 500 the run-to-run SD is 2.1× binomial for (0.03, 0.38) and 1.4×
for (0.05, 0.15), so 8 binomial SEs are about 4 of the process's own. Four, not three, because
the curve must be inside the band on every day at once, the worst of some 240 correlated days:
over 100 sets of 6 runs of the vectorized engine (N = 500, 600 independent seeds), a band of 6
binomial SEs rejected 6% of them for (0.03, 0.38), one of 8 rejected 1% (none for (0.05, 0.15)).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.rules.journey import Phase
from sim.runs.runner import build_model, replication_seeds
from sim.scenario.loading import load_scenario
from sim.scenario.schema import Scenario
from sim.validation import LIMIT_SCENARIOS

# (p, q) per time unit: Sultan, Farley & Lehmann's (1990) mean coefficients; an innovation-led
# market; and how many time units each is followed for.
PAIRS = ((0.03, 0.38), (0.05, 0.15))
HORIZON_UNITS = {(0.03, 0.38): 12, (0.05, 0.15): 16}
UNIT_DAYS = 20  # days per Bass time unit
Z = 8.0  # tolerance in binomial standard errors (about 4 SEs of the over-dispersed process)


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
             horizon_units: float = 14) -> pd.DataFrame:
    """Mean adoption curve over `runs` seeds next to the closed form, with the tolerance.

    Columns: day, t (Bass time units at the end of the day), simulated, closed_form,
    tolerance (Z binomial standard errors of a mean over runs·N people), within, and sd
    (run-to-run standard deviation, to compare with the binomial √(F(1−F)/N)).
    """
    s = limit_scenario(p, q, unit_days, size, engine, horizon_units)
    curves = np.array([adoption_curve(s, seed) for seed in replication_seeds(s.seed, runs)])
    t = (np.arange(curves.shape[1]) + 1) / unit_days
    f = closed_form(t, p, q)
    tolerance = tolerance_for(f, s.population.size, runs)
    simulated = curves.mean(axis=0)
    return pd.DataFrame({"p": p, "q": q, "engine": engine, "day": np.arange(len(t)), "t": t,
                         "simulated": simulated, "closed_form": f, "tolerance": tolerance,
                         "within": np.abs(simulated - f) <= tolerance,
                         "sd": curves.std(axis=0, ddof=1) if runs > 1 else np.nan})


def tolerance_for(f, n: int, runs: int, z: float = Z):
    """Z binomial standard errors of a share of runs·n people, never below one person in n."""
    return np.maximum(z * np.sqrt(np.asarray(f) * (1 - np.asarray(f)) / (n * runs)), 1.0 / n)
