"""The Python API for notebooks and scripts: load a scenario, override values, run, get DataFrames.

>>> import sim
>>> omni = sim.load_scenario("scenarios/omnichannel.yaml")
>>> cheaper = sim.override(omni, **{"strategy.integration": 0.5, "name": "half"})
>>> res = sim.compare([omni, cheaper], seeds=5)
>>> res.summary().query("kpi == 'retention_rate'")  # mean and 95% CI per scenario
>>> res.differences("omnichannel")                # each other − omnichannel, paired 95% CI
>>> res.returns("omnichannel"), res.levers("omnichannel")  # ROI, payback; settings changed
>>> res.kpis, res.series, res.breakdowns          # tidy DataFrames
>>> res.save("results/my-experiment")             # the same folder the CLI writes
>>> front = sim.optimise("scenarios/experiments/optimise_bank.yaml", "results/bank-budget")

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

__all__ = ["Results", "compare", "load_scenario", "optimise", "override", "run",
           "run_scenario"]


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

    def differences(self, baseline: str | None = None) -> pd.DataFrame:
        """Each other scenario − `baseline` (default: the first) on every KPI, paired by seed.

        Columns: scenario, baseline, kpi, mean, ci_low, ci_high (paired 95% CI), n, and
        unpaired_half_width (what the interval's half-width would be without the pairing).
        """
        from sim.outputs.baseline import choose_baseline, differences

        return differences(self.kpis, choose_baseline(self._names(), baseline))

    def returns(self, baseline: str | None = None) -> pd.DataFrame:
        """ROI and payback (months) of each other scenario against `baseline`, mean and 95% CI.

        Columns: scenario, baseline, measure (`roi`, `payback_months`), mean, ci_low, ci_high,
        n (replications with a number), undefined (ROI: it costs less; payback: never),
        replications. Definitions: docs/economics.md, "Against a baseline".
        """
        from sim.outputs.against import against

        seen = against(self.kpis, baseline, self._horizons())
        return seen.returns if seen is not None and seen.returns is not None else pd.DataFrame()

    def levers(self, baseline: str | None = None) -> pd.DataFrame:
        """The settings in which each other scenario differs from `baseline` (dotted keys)."""
        from sim.outputs.against import changes_table
        from sim.outputs.baseline import choose_baseline
        from sim.scenario.differences import changes_from

        name = choose_baseline(self._names(), baseline)
        return changes_table(changes_from(self.scenarios, name), name)

    def save(self, folder: str | Path, baseline: str | None = None) -> Path:
        """Write tables, figures, summary.md and manifest.json into a new folder.

        The folder must not exist yet, or be empty: nothing is overwritten (the results stay
        in this object, so a refused folder loses nothing; save again elsewhere). A
        comparison is written against `baseline` (default: the first scenario).
        """
        from sim.outputs import results
        from sim.outputs.baseline import choose_baseline

        check_out(Path(folder))
        choose_baseline(self._names(), baseline)  # a wrong name is refused before writing
        names = "-".join(self._names())
        return results.save(Path(folder), self.scenarios, self.runs, python_command(),
                            self.seconds, self.workers, f"cxsim: {names}", api_call=self.call,
                            baseline=baseline)

    def _names(self) -> list[str]:
        return [s.name for s in self.scenarios]

    def _horizons(self) -> dict[str, int]:
        return {s.name: s.horizon_days for s in self.scenarios}


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


def optimise(path: str | Path, out: str | Path | None = None, workers: int | None = None,
             resume: bool = False, progress: bool = True) -> pd.DataFrame:
    """Run an optimisation file (`run.py optimise`), or finish a killed one with `resume`.

    Everything is written to `out` (default results/<name>-<time>) as the command line writes
    it; the front is returned, best first on the first objective.
    """
    from sim.experiments.loading import load_optimisation
    from sim.experiments.optimise import is_complete, run_optimisation
    from sim.runs.executors import make_executor
    from sim.runs.staging import output_folder

    problem = load_optimisation(path)
    folder = Path(out) if out is not None else output_folder(problem.optimisation.name)
    if not resume:
        check_out(folder)
    elif is_complete(folder):
        return pd.read_csv(folder / "front.csv")
    with make_executor(workers) as executor:
        run_optimisation(problem, folder, executor, resume=resume, progress=progress,
                         command=python_command(), source=str(path))
    return pd.read_csv(folder / "front.csv")
