"""Calibration: parameter values that make chosen KPIs hit target figures, all at once.

Each candidate is simulated in every scenario with the same replication seeds (common random
numbers: the same people and networks for every candidate), so the loss is a deterministic
function of the parameters and the optimiser is not chasing noise. The loss is the sum over
targets of ((mean KPI − target) / tolerance)², so a loss below 1 means every target is within
its tolerance. The optimiser (scipy.optimize) works in the unit cube of the parameters' bounds:
bounded Brent for one parameter, bounded Nelder–Mead or Powell for more.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize
from tqdm import tqdm

from sim.experiments.schema import Calibration, Optimiser, Parameter
from sim.experiments.tasks import Task, run_task
from sim.outputs.report import mean_ci
from sim.runs.executors import Executor, in_order
from sim.runs.runner import compile_engine, replication_seeds
from sim.scenario.loading import with_values
from sim.scenario.schema import Scenario

SIMPLEX_STEP = 0.25  # first Nelder–Mead steps: a quarter of each parameter's range
UNIT_TOLERANCE = 1e-3  # stop when candidates differ by less than 0.1% of a range


@dataclass
class Evaluation:
    """One simulated candidate.

    Attributes:
        number: 0 for the first candidate, in the order the optimiser asked for them.
        values: Parameter key path → value.
        runs: One row per run: scenario, replication, seed and the targeted KPIs.
        loss: Sum of squared misses in units of each target's tolerance.
    """

    number: int
    values: dict[str, float]
    runs: pd.DataFrame
    loss: float

    def summary(self) -> pd.DataFrame:
        """Per scenario and KPI: mean, 95% CI over replications and n."""
        kpis = [c for c in self.runs.columns if c not in ("scenario", "replication", "seed")]
        long = self.runs.melt(id_vars="scenario", value_vars=kpis, var_name="kpi")
        return mean_ci(long, ["scenario", "kpi"])  # a KPI undefined everywhere keeps its row


def loss_of(means: dict[tuple[str, str], float], calibration: Calibration) -> float:
    """Sum of ((mean − target) / tolerance)² over every (scenario, KPI) target.

    A target whose KPI is undefined (NaN) at this candidate counts as a large miss, so the
    optimiser moves away from it instead of crashing.
    """
    total = 0.0
    for scenario, targets in calibration.targets.items():
        for kpi, target in targets.items():
            mean = means.get((scenario, kpi), np.nan)
            miss = (mean - target.value) / target.tolerance if np.isfinite(mean) else 1e3
            total += miss * miss
    return float(total)


def minimise(loss: Callable[[dict[str, float]], float], parameters: dict[str, Parameter],
             optimiser: Optimiser) -> str:
    """Run the optimiser on `loss` within the parameters' bounds; return its closing message.

    The caller keeps every evaluation (and picks the best); this only drives scipy.
    """
    names = list(parameters)
    low = np.array([parameters[n].low for n in names])
    span = np.array([parameters[n].high for n in names]) - low

    def unit_loss(u) -> float:
        u = np.clip(np.atleast_1d(np.asarray(u, dtype=float)), 0.0, 1.0)
        return loss(dict(zip(names, map(float, low + u * span), strict=True)))

    start = np.array([0.5 if parameters[n].start is None
                      else (parameters[n].start - parameters[n].low) / span[i]
                      for i, n in enumerate(names)])
    method = optimiser.method
    if method == "auto":
        method = "bounded-scalar" if len(names) == 1 else "nelder-mead"
    budget = optimiser.max_evaluations
    if method == "bounded-scalar":
        result = optimize.minimize_scalar(unit_loss, bounds=(0.0, 1.0), method="bounded",
                                          options={"maxiter": budget, "xatol": UNIT_TOLERANCE})
    elif method == "powell":
        result = optimize.minimize(unit_loss, start, method="Powell", bounds=[(0, 1)] * len(names),
                                   options={"maxfev": budget, "xtol": UNIT_TOLERANCE})
    else:
        result = optimize.minimize(unit_loss, start, method="Nelder-Mead",
                                   bounds=[(0, 1)] * len(names),
                                   options={"maxfev": budget, "xatol": UNIT_TOLERANCE,
                                            "fatol": 1e-4, "initial_simplex": _simplex(start)})
    return f"{method}: {result.message}"


def _simplex(start: np.ndarray) -> np.ndarray:
    """A start simplex a quarter-range wide, stepping inwards from a bound."""
    vertices = [start]
    for i in range(len(start)):
        vertex = start.copy()
        vertex[i] += SIMPLEX_STEP if start[i] + SIMPLEX_STEP <= 1 else -SIMPLEX_STEP
        vertices.append(vertex)
    return np.array(vertices)


@dataclass
class Calibrator:
    """Simulates candidates for a calibration and remembers every one.

    Attributes:
        calibration: The validated calibration file.
        scenarios: Its base scenarios (constants applied).
        executor: Where the runs of each candidate execute.
        progress: Show a progress bar over candidates.
    """

    calibration: Calibration
    scenarios: list[Scenario]
    executor: Executor
    progress: bool = True
    evaluations: list[Evaluation] = field(default_factory=list)
    _cache: dict[tuple, Evaluation] = field(default_factory=dict)

    @property
    def seeds(self) -> list[int]:
        """Replication seeds, shared by every candidate and scenario."""
        cal = self.calibration
        return replication_seeds(cal.seed, cal.replications)

    def configs(self, values: dict[str, float]) -> list[Scenario]:
        """The scenarios with the candidate's parameter values set."""
        return [with_values(s, values, f"scenario '{s.name}' with {values}")
                for s in self.scenarios]

    def evaluate(self, values: dict[str, float]) -> Evaluation:
        """Simulate one candidate over every scenario and replication (cached)."""
        key = tuple(round(v, 12) for v in values.values())
        if key in self._cache:
            return self._cache[key]
        targets = self.calibration.targets
        pairs = itertools.product(self.configs(values), enumerate(self.seeds))
        tasks = [Task(i, config, r, seed, tuple(targets[config.name]), (), ())
                 for i, (config, (r, seed)) in enumerate(pairs)]
        records = in_order(self.executor.imap_unordered(run_task, tasks))
        runs = pd.DataFrame([{"scenario": task.scenario.name, "replication": task.replication,
                              "seed": task.seed, **record.kpis}
                             for task, record in zip(tasks, records, strict=True)])
        means = runs.groupby("scenario").mean(numeric_only=True)
        flat = {(s, k): float(means.loc[s, k]) for s in means.index for k in means.columns}
        evaluation = Evaluation(len(self.evaluations), dict(values), runs,
                                loss_of(flat, self.calibration))
        self.evaluations.append(evaluation)
        self._cache[key] = evaluation
        return evaluation

    def fit(self) -> tuple[Evaluation, str]:
        """Run the optimiser; return the best candidate and the optimiser's message."""
        cal = self.calibration
        compile_engine(self.scenarios, progress=self.progress)  # before any worker starts
        with tqdm(total=cal.optimiser.max_evaluations, desc=f"calibrate {cal.name}",
                  unit="candidate", disable=not self.progress, leave=False) as bar:
            def loss(values: dict[str, Any]) -> float:
                seen = len(self.evaluations)
                result = self.evaluate(values).loss
                if len(self.evaluations) > seen:
                    bar.update()
                    bar.set_postfix(loss=f"{min(e.loss for e in self.evaluations):.3g}")
                return result

            message = minimise(loss, cal.parameters, cal.optimiser)
        best = min(self.evaluations, key=lambda e: (e.loss, e.number))
        return best, message
