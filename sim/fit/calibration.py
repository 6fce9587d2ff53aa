"""Fitting the model to a real cohort: simulation-based calibration over declared parameters.

Each candidate (values of the `PARAMETERS`) is simulated as a closed cohort (`fit.cohort`) on
the same replication seeds (common random numbers: the same people for every candidate), its
calibration-window statistics are computed like the real ones, and `fit.distance` scores it.
With common seeds the distance is a deterministic function of the values, so a deterministic
optimiser can follow it: scipy.optimize's bounded Nelder–Mead (Brent for one parameter) in the
unit cube of the bounds, the optimiser `run.py calibrate` uses (`sim.experiments.calibration`).
Chosen over optuna: already a dependency, deterministic (same seed, same fitted file), and
frugal with the few dozen simulations a fit can afford; optuna's samplers pay off with
hundreds of evaluations or noisy objectives.

Spend is matched exactly instead of searched: amounts are proportional to
`industry.basket_value` and nothing else depends on it, so after the search the basket value
is scaled by real over simulated mean spend per transaction.

Adding a parameter is one line in `PARAMETERS`: a dotted scenario key, bounds, a meaning.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
from tqdm import tqdm

from sim.experiments.calibration import minimise
from sim.experiments.schema import Optimiser, Parameter
from sim.fit.cohort import Cohort
from sim.fit.distance import distance, misses
from sim.fit.simulation import CohortRun, simulated_days
from sim.fit.statistics import CohortStatistics, cohort_statistics
from sim.fit.window import Window
from sim.runs.executors import Executor
from sim.runs.runner import replication_seeds
from sim.scenario.loading import with_values
from sim.scenario.schema import Scenario

SPEND_KEY = "industry.basket_value"


@dataclass(frozen=True)
class FitParameter:
    """A scenario value the fit may move.

    Attributes:
        key: Dotted scenario key, e.g. "industry.need_interval_days".
        low: Lower bound (in the key's units).
        high: Upper bound.
        meaning: What it does to the transaction log, for the report.
        log_scale: Search the logarithm (for rates and durations spanning decades).
    """

    key: str
    low: float
    high: float
    meaning: str
    log_scale: bool = False

    def to_search(self, value: float) -> float:
        """A value on the optimiser's scale."""
        return math.log(value) if self.log_scale else value

    def from_search(self, value: float) -> float:
        """A value back on the key's scale."""
        return math.exp(value) if self.log_scale else value


PARAMETERS: tuple[FitParameter, ...] = (
    FitParameter("industry.need_interval_days", 7.0, 400.0,
                 "mean days between a customer's needs: the purchase rate", log_scale=True),
    FitParameter("behaviour.customer_bonus", -2.0, 8.0,
                 "switching costs at each repurchase decision (logit): retention vs dropout"),
    FitParameter("industry.phase_days.use", 1.0, 60.0,
                 "mean days a purchase is in use before the next need can start: the shortest "
                 "gap between purchases", log_scale=True),
    FitParameter("industry.phase_days.discovery", 1.0, 10.0,
                 "mean days spent discovering options before a purchase: with interest, how "
                 "soon a need becomes a purchase", log_scale=True),
    FitParameter("industry.phase_days.interest", 1.0, 10.0,
                 "mean days of interest before considering: the rest of the research time",
                 log_scale=True),
    FitParameter("heterogeneity.need_rate_cv", 0.1, 5.0,
                 "how much people's purchase rates differ (Gamma CV): the spread of repeats",
                 log_scale=True),
    FitParameter("heterogeneity.loyalty_sd", 0.0, 5.0,
                 "how much people's habit differs (logit sd): who drops out early, who stays"),
    FitParameter("heterogeneity.purchase_spend_cv", 0.05, 3.0,
                 "how much spend varies between one person's purchases (Gamma CV)",
                 log_scale=True),
)


@dataclass
class Candidate:
    """One simulated candidate: its values, distance and each term's miss (tolerance units)."""

    number: int
    values: dict[str, float]
    distance: float
    misses: dict[str, float]


@dataclass
class CohortFit:
    """Simulates candidates against a real cohort and remembers every one.

    Attributes:
        real: The real cohort's statistics.
        scenario: The cohort scenario (`cohort.cohort_scenario`) the values are set in.
        cohort: The real cohort (entry days).
        window: Calibration and holdout.
        replications: Runs per candidate, on seeds spawned from `scenario.seed`.
        executor: Where the runs execute.
        parameters: What is fitted.
        progress: Show a progress bar over candidates.
    """

    real: CohortStatistics
    scenario: Scenario
    cohort: Cohort
    window: Window
    replications: int
    executor: Executor
    parameters: tuple[FitParameter, ...] = PARAMETERS
    progress: bool = True
    candidates: list[Candidate] = field(default_factory=list)
    best_days: pd.DataFrame | None = None
    _cache: dict[tuple, Candidate] = field(default_factory=dict)

    @property
    def seeds(self) -> list[int]:
        """Replication seeds, the same for every candidate."""
        return replication_seeds(self.scenario.seed, self.replications)

    def configured(self, values: dict[str, float]) -> Scenario:
        """The cohort scenario with a candidate's values."""
        return with_values(self.scenario, values, f"the fit's candidate {values}")

    def simulate(self, values: dict[str, float]) -> pd.DataFrame:
        """Pooled customer-days of every replication of a candidate."""
        config = self.configured(values)
        runs = [CohortRun(config, self.cohort, self.window, r, seed)
                for r, seed in enumerate(self.seeds)]
        return simulated_days(runs, self.executor)

    def evaluate(self, values: dict[str, float]) -> Candidate:
        """Simulate one candidate and score it (cached by value)."""
        key = tuple(round(v, 12) for v in values.values())
        if key in self._cache:
            return self._cache[key]
        days = self.simulate(values)
        simulated = cohort_statistics(days, self.window)
        candidate = Candidate(len(self.candidates), dict(values),
                              distance(self.real, simulated),
                              misses(self.real, simulated) if simulated.customers else {})
        if not self.candidates or candidate.distance < self.best.distance:
            self.best_days = days
        self.candidates.append(candidate)
        self._cache[key] = candidate
        return candidate

    @property
    def best(self) -> Candidate:
        """The candidate with the smallest distance (the first of equals)."""
        return min(self.candidates, key=lambda c: (c.distance, c.number))

    def run(self, max_evaluations: int) -> tuple[Candidate, str]:
        """Search the parameters; return the best candidate and the optimiser's message."""
        bounds = {p.key: Parameter(low=p.to_search(p.low), high=p.to_search(p.high),
                                   start=p.to_search(self._start(p))) for p in self.parameters}
        by_key = {p.key: p for p in self.parameters}
        with tqdm(total=max_evaluations, desc="fit", unit="candidate", leave=False,
                  disable=not self.progress) as bar:
            def loss(searched: dict[str, float]) -> float:
                seen = len(self.candidates)
                values = {k: by_key[k].from_search(v) for k, v in searched.items()}
                result = self.evaluate(values).distance
                if len(self.candidates) > seen:
                    bar.update()
                    bar.set_postfix(distance=f"{self.best.distance:.3g}")
                return result

            message = minimise(loss, bounds, Optimiser(max_evaluations=max_evaluations))
        return self.best, message

    def _start(self, parameter: FitParameter) -> float:
        """The scenario's own value, moved inside the bounds."""
        value = float(value_at(self.scenario, parameter.key))
        return min(max(value, parameter.low), parameter.high)


def value_at(scenario: Scenario, key: str):
    """The value at a dotted key of a scenario."""
    value = scenario.model_dump()
    for part in key.split("."):
        value = value[part]
    return value


def spend_factor(real: CohortStatistics, simulated: CohortStatistics) -> float:
    """What the basket value is multiplied by so that mean spend per transaction matches."""
    return real.spend["mean"] / simulated.spend["mean"] if simulated.spend["mean"] > 0 else 1.0
