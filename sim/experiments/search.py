"""The search for the best strategy: optuna proposes candidates, the executors simulate them.

Candidates are asked for in batches of `search.batch` (optuna's ask-and-tell interface); every
candidate of a batch runs on the same `replications` seeds (common random numbers: the same
people and network for every candidate, so differences between candidates are differences of
strategy, not of luck), all runs of the batch at once on the executor, and each candidate is
told its objectives (means over the seeds) and how far it misses each constraint.

Reproducible and resumable (docs/optimisation.md):
- optuna's state is a journal file in the folder (`study.journal`, JournalStorage): every
  proposed candidate and every result is on disk as soon as it exists;
- every run is on disk as soon as it finishes (`run_cache.RunCache`), keyed by the candidate's
  lever values and the seed, so no run is ever done twice;
- the sampler is seeded afresh for each candidate from the master seed and the candidate's
  number, and a batch is told in number order, so what candidate k is depends only on the
  results before it, not on how many sessions it took to get there. A search killed at any
  moment and resumed proposes the same candidates and gives the same results as one that was
  never interrupted: candidates proposed but not yet told are finished from the cache.
"""

from __future__ import annotations

import logging
import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import optuna
import pandas as pd
from optuna.distributions import CategoricalDistribution, IntDistribution
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend
from optuna.trial import TrialState
from tqdm import tqdm

from sim.experiments.levers import base_values, candidate_key, distribution, scenario_with
from sim.experiments.optimisation import Problem, Search
from sim.experiments.run_cache import RunCache
from sim.experiments.store import whole_lines
from sim.experiments.tasks import Task, run_task
from sim.runs.executors import Executor
from sim.runs.runner import replication_seeds

JOURNAL = "study.journal"
SAMPLER_STREAM = 1  # spawn_key prefix of the sampler seeds, apart from the replication seeds
SIGNIFICANT = 12  # digits kept of a proposed value: 0.1 × 3 is 0.3, not 0.30000000000000004
FINISHED = (TrialState.COMPLETE, TrialState.FAIL)


@dataclass
class Evaluation:
    """One simulated candidate (the baseline has no number).

    Attributes:
        number: The candidate's number, in the order the sampler proposed them.
        values: Lever key → value.
        runs: One row per seed: replication, seed and every KPI.
    """

    number: int | None
    values: dict[str, Any]
    runs: pd.DataFrame

    def mean(self, kpi: str) -> float:
        """Mean of a KPI over the seeds where it was measured (NaN if nowhere)."""
        values = self.runs[kpi].to_numpy(dtype=float)
        return float(np.nanmean(values)) if np.isfinite(values).any() else math.nan


def sampler_seed(master: int, number: int) -> int:
    """The sampler's seed for candidate `number`: its own stream of the master seed."""
    sequence = np.random.SeedSequence(master, spawn_key=(SAMPLER_STREAM, number))
    return int(sequence.generate_state(1, np.uint32)[0])


def make_sampler(search: Search, seed: int) -> optuna.samplers.BaseSampler:
    """The sampler for one proposal (a fresh one each time: see the module docstring)."""
    with warnings.catch_warnings():  # multivariate TPE is marked experimental in optuna
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        if search.sampler == "nsga2":
            return optuna.samplers.NSGAIISampler(population_size=search.batch, seed=seed)
        # Multivariate: the levers' effects interact (integration pays more with more
        # channels), so they are modelled jointly; the constant liar keeps the candidates of
        # one batch apart instead of piling onto the same promising spot.
        return optuna.samplers.TPESampler(n_startup_trials=search.startup, seed=seed,
                                          multivariate=True, constant_liar=True)


def open_study(folder: Path, problem: Problem) -> optuna.Study:
    """The optuna study in the folder's journal: new, or as a killed search left it."""
    journal = folder / JOURNAL
    whole_lines(journal)  # a line torn by a kill would corrupt the next one appended
    # The folder's own lock (RunCache) already keeps every other writer out, so a lock file
    # left by a killed search is stale: removed now rather than waited out (30 s).
    Path(f"{journal}.lock").unlink(missing_ok=True)
    optuna.logging.set_verbosity(logging.WARNING)  # one line per candidate would drown the bar
    storage = JournalStorage(JournalFileBackend(str(journal)))
    directions = ["maximize" if o.sign > 0 else "minimize"
                  for o in problem.optimisation.objectives]
    return optuna.create_study(storage=storage, study_name=problem.optimisation.name,
                               directions=directions, load_if_exists=True)


def _tidy(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.{SIGNIFICANT}g}")
    return value


def suggest(trial: optuna.Trial, name: str, dist) -> Any:
    """The trial's value of one lever: stored already, or proposed now by the sampler."""
    if isinstance(dist, CategoricalDistribution):
        return trial.suggest_categorical(name, dist.choices)
    if isinstance(dist, IntDistribution):
        return trial.suggest_int(name, dist.low, dist.high, step=dist.step)
    return trial.suggest_float(name, dist.low, dist.high, step=dist.step)


class Searcher:
    """Runs one search in a folder: proposes, simulates, tells, until every candidate is told.

    Args:
        problem: The validated optimisation file and its base scenario.
        folder: The search folder (its runs cache must be open: `cache`).
        executor: Where the runs execute.
        cache: The folder's finished runs.
        session: This session's number (0 for the first, then one per resume).
        progress: Show a progress bar over candidates.
    """

    def __init__(self, problem: Problem, folder: Path, executor: Executor, cache: RunCache,
                 session: int = 0, progress: bool = True) -> None:
        self.problem, self.optimisation = problem, problem.optimisation
        self.executor, self.cache, self.session, self.progress = (executor, cache, session,
                                                                  progress)
        self.seeds = replication_seeds(self.optimisation.seed, self.optimisation.replications)
        self.distributions = {k: distribution(v) for k, v in self.optimisation.levers.items()}
        self.study = open_study(Path(folder), problem)
        self.ran_now = 0

    # -- the search ----------------------------------------------------------------------------
    def run(self) -> None:
        """Simulate the baseline, then every batch of candidates not yet told."""
        self.evaluate([base_values(self.problem.base, self.optimisation.levers)])
        total, batch = self.optimisation.candidates, self.optimisation.search.batch
        finished = self._count(FINISHED)
        with tqdm(total=total, initial=finished, desc=self.optimisation.name, unit="candidate",
                  disable=not self.progress, leave=False) as bar:
            while finished < total:
                end = min(total, (finished // batch + 1) * batch)
                trials = self._batch(finished, end)
                evaluations = self.evaluate([values for _, values in trials])
                for (trial, _), evaluation in zip(trials, evaluations, strict=True):
                    self._tell(trial, evaluation)
                    bar.update()
                finished = end

    def _count(self, states: tuple[TrialState, ...]) -> int:
        return len(self.study.get_trials(deepcopy=False, states=states))

    def _batch(self, start: int, end: int) -> list[tuple[optuna.Trial, dict[str, Any]]]:
        """Candidates `start`..`end`−1: those a killed session proposed, then new ones."""
        proposed = {t.number: t for t in self.study.get_trials(
            deepcopy=False, states=(TrialState.RUNNING,))}
        batch = []
        for number in range(start, end):
            self._reseed(number)
            if number in proposed:  # a Trial again (its id is optuna's own handle)
                trial = optuna.Trial(self.study, proposed[number]._trial_id)
            else:
                trial = self.study.ask()
            # Levers a killed session had not reached are proposed now; the others are read.
            batch.append((trial, {name: _tidy(suggest(trial, name, dist))
                                   for name, dist in self.distributions.items()}))
        return batch

    def _reseed(self, number: int) -> None:
        seed = sampler_seed(self.optimisation.seed, number)
        self.study.sampler = make_sampler(self.optimisation.search, seed)

    def _tell(self, trial: optuna.Trial, evaluation: Evaluation) -> None:
        """Tell the sampler a candidate's objectives and how far it misses each constraint."""
        opt = self.optimisation
        with warnings.catch_warnings():
            # One set before a kill is stored already, with the same value (runs are pure).
            warnings.simplefilter("ignore")
            for kpi, bound in opt.constraints.items():
                trial.set_constraint(kpi, bound.violation(evaluation.mean(kpi)))
        values = [evaluation.mean(o.kpi) for o in opt.objectives]
        if all(math.isfinite(v) for v in values):
            self.study.tell(trial, values)
        else:  # an objective measured in no run (e.g. NPS with nobody rated): not comparable
            self.study.tell(trial, state=TrialState.FAIL)

    # -- simulating ----------------------------------------------------------------------------
    def evaluate(self, candidates: list[dict[str, Any]]) -> list[Evaluation]:
        """Simulate each candidate on every seed, running only what the cache lacks."""
        tasks: dict[tuple[str, int], Task] = {}
        for values in candidates:
            key, config = candidate_key(values), None
            for replication, seed in enumerate(self.seeds):
                if (key, seed) not in self.cache and (key, seed) not in tasks:
                    config = config or self._scenario(values)
                    tasks[(key, seed)] = Task(len(tasks), config, replication, seed)
        keys = list(tasks)
        for i, record in self.executor.imap_unordered(run_task, tasks.values()):
            key, seed = keys[i]
            self.cache.add(key, tasks[keys[i]].replication, seed, record, self.session)
            self.ran_now += 1
        return [self._evaluation(None, values) for values in candidates]

    def _scenario(self, values: dict[str, Any]):
        shown = ", ".join(f"{k}={v!r}" for k, v in values.items())
        return scenario_with(self.problem.base, self.optimisation.levers, values,
                             f"{self.optimisation.name}: candidate {shown}")

    def _evaluation(self, number: int | None, values: dict[str, Any]) -> Evaluation:
        kpis = self.cache.kpis(candidate_key(values), self.seeds)
        runs = pd.DataFrame([{"replication": r, "seed": seed, **k}
                             for r, (seed, k) in enumerate(zip(self.seeds, kpis, strict=True))])
        return Evaluation(number, values, runs)

    # -- results -------------------------------------------------------------------------------
    def baseline(self) -> Evaluation:
        """The base scenario as given, on the same seeds."""
        return self._evaluation(None, base_values(self.problem.base, self.optimisation.levers))

    def evaluations(self) -> list[Evaluation]:
        """Every candidate told so far, in the order they were proposed."""
        trials = self.study.get_trials(deepcopy=False, states=FINISHED)
        return [self._evaluation(t.number, {k: _tidy(v) for k, v in t.params.items()})
                for t in sorted(trials, key=lambda t: t.number)]

