"""The Python API for notebooks and scripts: load a scenario, override values, run, get DataFrames.

>>> import sim
>>> omni = sim.load_scenario("scenarios/omnichannel.yaml")
>>> cheaper = sim.override(omni, **{"strategy.integration": 0.5, "name": "half"})
>>> res = sim.compare([omni, cheaper], seeds=5)
>>> res.summary().query("kpi == 'retention_rate'")  # mean and 95% CI per scenario
>>> res.kpis, res.series, res.breakdowns          # tidy DataFrames
>>> res.save("results/my-experiment")             # the same folder the CLI writes

A plain script needs no `if __name__ == "__main__":` on Linux, where workers are forked
(`sim.runs.executors.start_method`); on macOS and Windows it does, as for any code that
starts processes.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim.runs.executors import default_workers
from sim.runs.provenance import python_command
from sim.runs.runner import RunResult, jobs_for, run_jobs, run_scenario, tables
from sim.runs.staging import check_out
from sim.scenario.loading import load_scenario, with_values
from sim.scenario.schema import Scenario

__all__ = ["Results", "compare", "load_scenario", "override", "run", "run_scenario"]


def override(scenario: Scenario, **dotted: Any) -> Scenario:
    """A validated copy of `scenario` with dotted keys replaced, e.g. ``population.size=500``."""
    return with_values(scenario, dotted, f"override of '{scenario.name}'")


@dataclass
class Results:
    """Runs of one or more scenarios, as tidy DataFrames.

    `call` is the API call that made them, e.g. ``sim.compare(['a', 'b'], seeds=10)``; it is
    recorded in the manifest beside the script (or notebook) that made the call.
    """

    scenarios: list[Scenario]
    runs: list[RunResult]
    seconds: float
    workers: int
    call: str = ""
    kpis: pd.DataFrame = field(init=False)
    series: pd.DataFrame = field(init=False)
    breakdowns: pd.DataFrame = field(init=False)

    def __post_init__(self) -> None:
        self.kpis, self.series, self.breakdowns = tables(self.runs)

    def summary(self) -> pd.DataFrame:
        """Mean and 95% CI of every KPI per scenario (NaN where nothing was measured)."""
        from sim.outputs import report

        return report.summarise(self.kpis)

    def save(self, folder: str | Path) -> Path:
        """Write tables, figures, summary.md and manifest.json into a new folder.

        The folder must not exist yet, or be empty: nothing is overwritten (the results stay
        in this object, so a refused folder loses nothing; save again elsewhere).
        """
        from sim.outputs import results

        check_out(Path(folder))
        names = "-".join(s.name for s in self.scenarios)
        return results.save(Path(folder), self.scenarios, self.runs, python_command(),
                            self.seconds, self.workers, f"cxsim: {names}", api_call=self.call)


def compare(scenarios: list[Scenario], seeds: int = 10, workers: int | None = None,
            progress: bool = True) -> Results:
    """Run each scenario over `seeds` replications (same seeds for all: common random numbers).

    Warns when the scenarios run for different horizons: their KPIs are not comparable.
    """
    from sim.outputs.why import horizon_warning

    warning = horizon_warning({s.name: s.horizon_days for s in scenarios})
    if warning:
        warnings.warn(warning, stacklevel=2)
    started = time.perf_counter()
    runs = list(run_jobs(jobs_for(scenarios, seeds), workers, progress))
    call = (f"sim.compare({[s.name for s in scenarios]}, seeds={seeds}, workers={workers})")
    used = min(workers or default_workers(), len(runs))
    return Results(list(scenarios), runs, time.perf_counter() - started, used, call)


def run(scenario: Scenario, seeds: int = 10, workers: int | None = None,
        progress: bool = True) -> Results:
    """Run one scenario over `seeds` replications."""
    results = compare([scenario], seeds, workers, progress)
    results.call = f"sim.run('{scenario.name}', seeds={seeds}, workers={workers})"
    return results
