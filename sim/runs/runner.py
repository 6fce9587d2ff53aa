"""A run is a pure function of (scenario, seed); replications map it over spawned seeds.

`run_scenario` is what every executor calls (docs/design.md Decision 6). Seeds come from
`numpy.random.SeedSequence(master_seed).spawn(n)` (Decision 4); scenarios that share a master
seed share replication seeds, so strategies are compared on the same people and network
(common random numbers).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from sim import metrics
from sim.engines.mesa_model import CustomerJourneyModel
from sim.engines.recorder import JourneyLog
from sim.runs.capacity import fit_workers
from sim.runs.executors import default_workers, in_order, make_executor
from sim.scenario.errors import UserError
from sim.scenario.loading import with_values
from sim.scenario.schema import Scenario

COMPILED_MARK = ".compiled"  # written into numba's cache folder once the kernels are in it
MAX_REPLICATIONS = 100_000  # seeds per scenario: the seed list is built before any run


@dataclass
class RunResult:
    """Everything one run produced."""

    scenario: str
    replication: int
    seed: int
    kpis: dict[str, float]
    series: pd.DataFrame  # long: day, metric, value
    breakdowns: pd.DataFrame  # long: table, dim1, dim2, value
    journeys: JourneyLog | None = None  # phase entries and purchases, if recorded (--events)


@dataclass(frozen=True)
class Job:
    """One run to do: a scenario, its replication number and seed."""

    scenario: Scenario
    replication: int
    seed: int
    record_journeys: bool = False


def spawned_seed(master_seed: int, k: int) -> int:
    """Seed of child k of `SeedSequence(master_seed)`, as `spawn` would make it (fits int64)."""
    child = np.random.SeedSequence(master_seed, spawn_key=(k,))
    return int(child.generate_state(1, np.uint64)[0]) >> 1


def replication_seeds(master_seed: int, n: int) -> list[int]:
    """Independent, reproducible seeds for `n` replications of a master seed."""
    return [spawned_seed(master_seed, k) for k in range(n)]


def jobs_for(scenarios: Iterable[Scenario], n_seeds: int,
             record_journeys: bool = False) -> list[Job]:
    """Replications 0..n−1 of each scenario, seeded from its master seed."""
    if not 1 <= n_seeds <= MAX_REPLICATIONS:
        raise UserError(f"--seeds {n_seeds}: allowed 1 to {MAX_REPLICATIONS:,} replications")
    return [Job(s, r, seed, record_journeys) for s in scenarios
            for r, seed in enumerate(replication_seeds(s.seed, n_seeds))]


def build_model(config: Scenario, seed: int, record_journeys: bool = False):
    """The model of the scenario's engine: Mesa agents or the vectorized arrays."""
    if config.engine == "agents":
        return CustomerJourneyModel(config, seed=seed, record_journeys=record_journeys)
    from sim.engines.vectorized import VectorizedModel

    return VectorizedModel(config, seed=seed, record_journeys=record_journeys)


def run_scenario(config: Scenario, seed: int, replication: int = 0,
                 record_journeys: bool = False) -> RunResult:
    """Simulate one scenario with one seed to the end of its horizon.

    With `record_journeys`, the result also carries every phase entry and purchase
    (`RunResult.journeys`, for the event-log and transactions exports); the rest is unchanged.
    """
    model = build_model(config, seed, record_journeys)
    model.run()
    series = model.series()
    series.index = pd.RangeIndex(len(series), name="day")
    long = (series.reset_index().melt(id_vars="day", var_name="metric", value_name="value")
            .astype({"value": float}))
    journeys = JourneyLog.of(model) if record_journeys else None
    return RunResult(config.name, replication, seed, metrics.kpis(model), long,
                     metrics.breakdowns(model), journeys)


def _kernel_cache() -> Path:
    import numba

    import sim.rules.jit  # noqa: F401  (sets numba's cache folder for this source version)

    return Path(numba.config.CACHE_DIR)


def compile_engine(scenarios: Iterable[Scenario], record_journeys: bool = False,
                   progress: bool = True) -> None:
    """Compile the vectorized engine's kernels here, once, before any worker starts.

    The first run on a machine (or after an edit to `sim/`) compiles the kernels for about
    30 s. Done in this process, it happens once, with a message, instead of in every worker
    behind a progress bar stuck at 0 whose first ETA counts the compilation; forked workers
    inherit the compiled kernels (`executors.start_method`), spawned ones load them from the
    cache. Once compiled (the mark is in the cache folder) this does nothing.
    """
    scenario = next((s for s in scenarios if s.engine == "vectorized"), None)
    mark = COMPILED_MARK + ("-journeys" if record_journeys else "")
    if scenario is None or (_kernel_cache() / mark).exists():
        return
    try:  # a tiny run compiles every kernel a full run calls (the types are the same)
        tiny = with_values(scenario, {"population.size": 50, "horizon_days": 2}, "warm-up")
    except UserError:
        return  # e.g. an edge-list network of a fixed size: the workers compile instead
    if progress:
        print("compiling the engine, once per machine and version (about 30 s on a quiet "
              f"machine, minutes on a busy one); later runs load it from {_kernel_cache().parent}",
              file=sys.stderr, flush=True)
    started = time.perf_counter()
    run_scenario(tiny, seed=0, record_journeys=record_journeys)
    try:
        (_kernel_cache() / mark).write_text(f"compiled in {time.perf_counter() - started:.1f} s\n")
    except OSError:
        pass  # a read-only cache: numba compiles in memory, and so will the next run


def _run_job(job: Job) -> RunResult:
    return run_scenario(job.scenario, job.seed, job.replication, job.record_journeys)


def run_jobs(jobs: list[Job], workers: int | None = None,
             progress: bool = True) -> Iterator[RunResult]:
    """Run jobs serially (workers=1) or on local processes; results come in job order.

    The same executors as sweeps (`sim.executors`), so one abstraction decides where runs go.
    """
    workers = min(workers or default_workers(), max(len(jobs), 1))
    compile_engine((j.scenario for j in jobs), any(j.record_journeys for j in jobs), progress)
    if jobs:  # never more at once than fit in memory together
        workers = fit_workers({id(j.scenario): j.scenario for j in jobs}.values(), workers)
    bar = tqdm(total=len(jobs), desc="runs", unit="run", disable=not progress, leave=False)
    try:
        with make_executor(workers) as executor:
            for result in in_order(executor.imap_unordered(_run_job, jobs)):
                bar.update()
                yield result
    finally:
        bar.close()


def tables(results: list[RunResult]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """KPIs (one row per run), series and breakdowns (long), each keyed by scenario/replication."""
    keys = ["scenario", "replication", "seed"]
    kpis = pd.DataFrame([{"scenario": r.scenario, "replication": r.replication, "seed": r.seed,
                          **r.kpis} for r in results])
    series = pd.concat([r.series.assign(scenario=r.scenario, replication=r.replication,
                                        seed=r.seed) for r in results], ignore_index=True)
    breakdowns = pd.concat([r.breakdowns.assign(scenario=r.scenario, replication=r.replication,
                                                seed=r.seed) for r in results], ignore_index=True)
    series = series[keys + ["day", "metric", "value"]]
    breakdowns = breakdowns[keys + ["table", "dim1", "dim2", "value"]]
    return kpis, series, breakdowns
