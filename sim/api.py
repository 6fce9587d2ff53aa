"""The Python API for notebooks: load a scenario, override values, run, get DataFrames.

>>> import sim
>>> omni = sim.load_scenario("scenarios/omnichannel.yaml")
>>> cheaper = sim.override(omni, **{"strategy.integration": 0.5, "name": "half"})
>>> res = sim.compare([omni, cheaper], seeds=5)
>>> res.summary().query("kpi == 'retention_rate'")  # mean and 95% CI per scenario
>>> res.kpis, res.series, res.breakdowns          # tidy DataFrames
>>> res.save("results/my-experiment")             # the same folder the CLI writes
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim.runs.runner import RunResult, jobs_for, run_jobs, run_scenario, tables
from sim.scenario.loading import load_scenario, with_values
from sim.scenario.schema import Scenario

__all__ = ["Results", "compare", "load_scenario", "override", "run", "run_scenario"]


def override(scenario: Scenario, **dotted: Any) -> Scenario:
    """A validated copy of `scenario` with dotted keys replaced, e.g. ``population.size=500``."""
    return with_values(scenario, dotted, f"override of '{scenario.name}'")


@dataclass
class Results:
    """Runs of one or more scenarios, as tidy DataFrames."""

    scenarios: list[Scenario]
    runs: list[RunResult]
    seconds: float
    workers: int
    kpis: pd.DataFrame = field(init=False)
    series: pd.DataFrame = field(init=False)
    breakdowns: pd.DataFrame = field(init=False)

    def __post_init__(self) -> None:
        self.kpis, self.series, self.breakdowns = tables(self.runs)

    def summary(self) -> pd.DataFrame:
        """Mean and 95% CI of every KPI per scenario."""
        from sim.outputs import report

        return report.summarise(self.kpis)

    def save(self, folder: str | Path) -> Path:
        """Write tables, figures, summary.md and manifest.json into a new folder."""
        from sim.outputs import results

        names = "-".join(s.name for s in self.scenarios)
        return results.save(Path(folder), self.scenarios, self.runs, ["python-api"],
                            self.seconds, self.workers, f"cxsim: {names}")


def compare(scenarios: list[Scenario], seeds: int = 10, workers: int | None = None,
            progress: bool = True) -> Results:
    """Run each scenario over `seeds` replications (same seeds for all: common random numbers)."""
    started = time.perf_counter()
    runs = list(run_jobs(jobs_for(scenarios, seeds), workers, progress))
    return Results(list(scenarios), runs, time.perf_counter() - started, workers or 0)


def run(scenario: Scenario, seeds: int = 10, workers: int | None = None,
        progress: bool = True) -> Results:
    """Run one scenario over `seeds` replications."""
    return compare([scenario], seeds, workers, progress)
