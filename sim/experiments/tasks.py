"""The unit of work an executor ships to a worker, and what comes back.

A task is one run: a validated scenario, its replication number and seed, and which outputs to
keep. Outputs are trimmed on the worker, so a cluster sends back only what will be stored.
This module stays light on purpose: Dask workers import it to unpickle tasks.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.runs.runner import run_scenario
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class Task:
    """One run of a sweep or calibration.

    Attributes:
        run: Run id, unique in the experiment (its rows are sorted by it).
        scenario: The validated scenario with this design point's factor values.
        replication: Replication number (0-based).
        seed: The run's seed, spawned from the experiment's master seed.
        kpis: KPI names to keep, or None for all.
        series: Daily series metrics to keep, or None for all.
        breakdowns: Breakdown tables to keep, or None for all.
    """

    run: int
    scenario: Scenario
    replication: int
    seed: int
    kpis: tuple[str, ...] | None = None
    series: tuple[str, ...] | None = ()
    breakdowns: tuple[str, ...] | None = ()


@dataclass
class RunRecord:
    """What one run kept, plus where and how long it ran."""

    run: int
    kpis: dict[str, float | int]
    series: pd.DataFrame | None  # long: day, metric, value
    breakdowns: pd.DataFrame | None  # long: table, dim1, dim2, value
    seconds: float
    worker: str


def _plain(value):
    """A numpy scalar as the Python number it holds (JSON-ready, same value)."""
    return value.item() if isinstance(value, np.generic) else value


def _kept(frame: pd.DataFrame, column: str, names: tuple[str, ...] | None) -> pd.DataFrame | None:
    if names == ():
        return None
    rows = frame if names is None else frame[frame[column].isin(names)]
    return rows.reset_index(drop=True)


def run_task(task: Task) -> RunRecord:
    """Run one task and keep what it asks for (called on a worker)."""
    started = time.perf_counter()
    result = run_scenario(task.scenario, task.seed, task.replication)
    names = result.kpis if task.kpis is None else task.kpis
    kpis = {name: _plain(result.kpis[name]) for name in names}
    return RunRecord(task.run, kpis, _kept(result.series, "metric", task.series),
                     _kept(result.breakdowns, "table", task.breakdowns),
                     time.perf_counter() - started, f"{socket.gethostname()}:{os.getpid()}")
