"""Design points, run ids and seeds of an experiment.

Design points come from the factors: every combination of their values (full factorial), or
samples of their ranges drawn by SALib (Latin hypercube, Sobol' with Saltelli's scheme, Morris
trajectories), the samplers seeded with the master seed so the same file gives the same points.

Runs are numbered scenario-major: run = (scenario × points + point) × replications + replication.
Every run's seed is child k of `numpy.random.SeedSequence(master_seed)`, the same children
`spawn` makes (docs/design.md Decision 4): with `seeds: common` k is the replication, so
replication r sees the same people and network at every design point and in every scenario
(common random numbers, as `run.py compare` does); with `seeds: independent` k is the run id.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from sim.experiments.schema import Experiment, Factor
from sim.experiments.tasks import Task
from sim.runs.runner import spawned_seed
from sim.scenario.loading import as_dict, with_values
from sim.scenario.schema import Scenario

ID_COLUMNS = ("run", "scenario", "point", "replication", "seed")


def salib_problem(factors: dict[str, Factor]) -> dict:
    """The SALib problem of ranged factors: names and [low, high] bounds."""
    return {"num_vars": len(factors), "names": list(factors),
            "bounds": [[f.low, f.high] for f in factors.values()]}


def factor_levels(factor: Factor) -> list[Any]:
    """Levels of a factorial factor: its values, or `levels` evenly spaced over its range."""
    if factor.values is not None:
        values = list(factor.values)
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
        # 0 and 0.5 in one list: make the column one type, so tables do not depend on order.
        if numbers and any(isinstance(v, float) for v in values):
            values = [float(v) for v in values]
        return values
    return [float(v) for v in np.linspace(factor.low, factor.high, factor.levels)]


def design_points(experiment: Experiment) -> list[dict[str, Any]]:
    """Every design point as {factor key path: value}, in design order."""
    factors, design = experiment.factors, experiment.design
    if design.kind == "factorial":
        levels = [factor_levels(f) for f in factors.values()]
        return [dict(zip(factors, combo, strict=True)) for combo in itertools.product(*levels)]
    problem, seed = salib_problem(factors), experiment.seed
    if design.kind == "latin_hypercube":
        from SALib.sample import latin

        matrix = latin.sample(problem, design.samples, seed=seed)
    elif design.kind == "sobol":
        from SALib.sample import sobol

        matrix = sobol.sample(problem, design.samples, calc_second_order=design.second_order,
                              scramble=True, seed=seed)
    else:
        from SALib.sample import morris

        matrix = morris.sample(problem, design.samples, num_levels=design.levels, seed=seed)
    return [dict(zip(factors, map(float, row), strict=True)) for row in matrix]


@dataclass
class Plan:
    """Every run of an experiment, built lazily: a million runs cost a million ints, no more.

    Attributes:
        experiment: The validated experiment.
        scenarios: Base scenarios with the experiment's constants applied.
        points: Design points, {factor key path: value}.
        kpis, series, breakdowns: Outputs each run keeps (None: all; (): none).
        outcomes: KPIs the report summarises and plots.
        largest: The configuration whose run needs the most memory.
    """

    experiment: Experiment
    scenarios: list[Scenario]
    points: list[dict[str, Any]]
    kpis: tuple[str, ...] | None = None
    series: tuple[str, ...] | None = ()
    breakdowns: tuple[str, ...] | None = ()
    outcomes: list[str] = field(default_factory=list)
    largest: Scenario | None = None  # the design point needing the most memory (loading sets it)
    _base: list[dict] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._base = [as_dict(s) for s in self.scenarios]
        self.config = lru_cache(maxsize=8)(self._config)

    @property
    def factors(self) -> list[str]:
        """Factor key paths, in file order."""
        return list(self.experiment.factors)

    @property
    def replications(self) -> int:
        """Replications per scenario and design point."""
        return self.experiment.replications

    @property
    def n_runs(self) -> int:
        """Scenarios × design points × replications."""
        return len(self.scenarios) * len(self.points) * self.replications

    def points_of(self, key: str) -> list[Any]:
        """The distinct values a factor takes, in design order."""
        return list(dict.fromkeys(p[key] for p in self.points))

    def locate(self, run: int) -> tuple[int, int, int]:
        """(scenario index, point, replication) of a run id."""
        cell, replication = divmod(run, self.replications)
        scenario, point = divmod(cell, len(self.points))
        return scenario, point, replication

    def seed(self, run: int) -> int:
        """The run's seed (see the module docstring)."""
        k = self.locate(run)[2] if self.experiment.seeds == "common" else run
        return spawned_seed(self.experiment.seed, k)

    def row(self, run: int) -> dict[str, Any]:
        """The run's identity: ids, seed and factor values (the first columns of `kpis`)."""
        s, p, r = self.locate(run)
        return {"run": run, "scenario": self.scenarios[s].name, "point": p, "replication": r,
                "seed": self.seed(run), **self.points[p]}

    def _config(self, s: int, p: int) -> Scenario:
        values = ", ".join(f"{k}={v!r}" for k, v in self.points[p].items())
        return with_values(self._base[s], self.points[p],
                           f"scenario '{self.scenarios[s].name}' at design point {p} ({values})")

    def task(self, run: int) -> Task:
        """The task of one run, ready for an executor."""
        s, p, r = self.locate(run)
        return Task(run, self.config(s, p), r, self.seed(run), self.kpis, self.series,
                    self.breakdowns)

    def fingerprint(self) -> str:
        """Hash of everything that decides the runs' results (checked by --resume)."""
        # Description and outcomes only change the report, not a single run.
        experiment = self.experiment.model_dump(mode="json", exclude={"description", "outcomes"})
        spec = {"experiment": experiment, "scenarios": self._base,
                "points": self.points,
                "keep": [self.kpis, self.series, self.breakdowns]}
        text = json.dumps(spec, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()
