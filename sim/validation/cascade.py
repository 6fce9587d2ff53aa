"""One-shot word-of-mouth cascade on an Erdős–Rényi network: final size against percolation.

In `tests/validation/scenarios/cascade.yaml` one index case (`validation.index_cases`) starts
a journey on day 0; everyone reached buys, judges the journey well, tells each network contact
once with probability T (`word_of_mouth.share_probability`; every good story heard starts a
journey) and never has a second need. That is bond percolation with occupation T on
G(n, ⟨k⟩/(n−1)): outbreaks die out when ⟨k⟩·T < 1, and above it a large outbreak reaches the
share S that solves S = 1 − exp(−⟨k⟩·T·S) (and happens with probability S from one case).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, stats

from sim.rules.journey import Phase
from sim.rules.loyalty import Status
from sim.runs.runner import build_model, replication_seeds
from sim.scenario.loading import load_scenario
from sim.scenario.schema import Scenario
from sim.validation import LIMIT_SCENARIOS

MEAN_DEGREE = 8
LARGE = 0.05  # an outbreak reaching more than this share of the market counts as large
Z = 4.0  # tolerance in binomial standard errors
ALPHA = 2 * stats.norm.sf(Z)  # the same level for tests with a p-value (6e-5)


def final_size(kt: float) -> float:
    """The positive root of S = 1 − exp(−kt·S), 0 at or below the threshold kt = 1."""
    if kt <= 1.0:
        return 0.0
    return float(optimize.brentq(lambda s: s - 1 + np.exp(-kt * s), 1e-9, 1.0))


def limit_scenario(kt: float, size: int | None = None, engine: str = "vectorized",
                   mean_degree: int = MEAN_DEGREE) -> Scenario:
    """The cascade scenario with transmissibility T = kt / mean_degree."""
    overrides = {"name": f"cascade_kt{kt:g}_{engine}", "engine": engine,
                 "network.mean_degree": mean_degree,
                 "word_of_mouth.share_probability": kt / mean_degree}
    if size:
        overrides["population.size"] = size
    return load_scenario(LIMIT_SCENARIOS / "cascade.yaml", overrides)


def outbreak_size(scenario: Scenario, seed: int) -> float:
    """Share of the market reached by the time word of mouth has stopped (one run).

    Two days in a row that end with everyone idle end the cascade: a story told on the first
    (by someone whose engagement ended that day) would have started a journey on the second.
    Everyone reached is a customer by then.
    """
    model = build_model(scenario, seed)
    n = scenario.population.size
    quiet = 0
    while model.running:
        model.step()
        quiet = quiet + 1 if model.phase_counts[Phase.IDLE] == n else 0
        if quiet == 2:
            break
    else:
        raise RuntimeError(f"{scenario.name}: the cascade outlived the horizon; lengthen it")
    return model.status_counts()[Status.CUSTOMER] / n


def simulate(kt: float, runs: int, engine: str = "vectorized",
             size: int | None = None) -> pd.DataFrame:
    """Final outbreak shares of `runs` seeds, one row each, with the closed form."""
    s = limit_scenario(kt, size, engine)
    sizes = [outbreak_size(s, seed) for seed in replication_seeds(s.seed, runs)]
    return pd.DataFrame({"kt": kt, "engine": engine, "n": s.population.size,
                         "replication": range(runs), "reached": sizes,
                         "large": np.array(sizes) > LARGE, "closed_form": final_size(kt)})


def summary(runs: pd.DataFrame) -> pd.DataFrame:
    """Per ⟨k⟩T and engine: the share reached in large outbreaks against S, with tolerance.

    Above the threshold, two checks. A large outbreak happens with probability S, so their
    number must pass a binomial test against S (p ≥ `ALPHA`, the level of Z standard errors:
    near the threshold a few runs may well see none). And the share they reach must be
    within Z binomial standard errors of S, √(S(1−S)/(n·large runs)), times the percolation
    susceptibility 1/(1 − ⟨k⟩T(1−S)): the giant component of a finite graph fluctuates that
    much more than a binomial share (2.7× at ⟨k⟩T = 1.5, 1.7× at 2). Below the threshold no
    run may exceed `LARGE`, and the mean outbreak (people reached, index case included) is
    shown next to the branching process value 1/(1 − ⟨k⟩T).
    """
    rows = []
    for (kt, engine), g in runs.groupby(["kt", "engine"]):
        large, n, s = g[g.large], int(g.n.iloc[0]), float(g.closed_form.iloc[0])
        mean = float(large.reached.mean()) if len(large) else 0.0
        if s:
            inflation = 1 / (1 - kt * (1 - s))
            tol = Z * np.sqrt(s * (1 - s) / (n * max(len(large), 1))) * inflation
            outbreaks_p = stats.binomtest(len(large), len(g), s).pvalue
            within = outbreaks_p >= ALPHA and (not len(large) or abs(mean - s) <= tol)
        else:
            tol, outbreaks_p, within = LARGE, np.nan, not len(large)
        rows.append({"kt": kt, "engine": engine, "runs": len(g), "large_outbreaks": len(large),
                     "outbreaks_p": outbreaks_p, "reached_in_large": mean, "closed_form": s,
                     "tolerance": tol,
                     "largest": float(g.reached.max()),
                     "mean_people_reached": float(g.reached.mean() * n),
                     "branching_mean": 1 / (1 - kt) if kt < 1 else np.inf,
                     "within": within})
    return pd.DataFrame(rows)
