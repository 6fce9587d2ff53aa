"""Simulated cohorts: run the model, take its transaction log, shape it like the real cohort.

Each replication runs `sim.runs.runner.run_scenario` with journeys recorded, takes the
transactions export (`sim.outputs.exports.transactions`, the log `run --transactions` writes)
and returns customer-days in the same columns as a real log, so `statistics.cohort_statistics`
reads both alike (the cohort scenario makes its members enter on the real cohort's days).
Replications are pooled into one simulated cohort; customer ids are made unique per replication.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sim.fit.cohort import Cohort
from sim.fit.transactions import customer_days
from sim.fit.window import Window
from sim.outputs import exports
from sim.runs.executors import Executor, in_order
from sim.runs.runner import run_scenario
from sim.scenario.schema import Scenario

DAY_ZERO = pd.Timestamp("2026-01-01")  # exports.START_DATE without its time zone
ID_STRIDE = 10_000_000  # customer id = replication · stride + person (population ≤ 5,000,000)


@dataclass(frozen=True)
class CohortRun:
    """One replication of a simulated cohort (picklable: executors send it to workers)."""

    scenario: Scenario
    cohort: Cohort
    window: Window
    replication: int
    seed: int


def simulate_purchases(run: CohortRun) -> pd.DataFrame:
    """One replication's purchases: customer_id, day (since day 0), amount."""
    result = run_scenario(run.scenario, run.seed, run.replication, record_journeys=True)
    log = exports.transactions(result.journeys, run.replication)
    purchases = pd.DataFrame({
        "customer_id": log["customer_id"].to_numpy() + run.replication * ID_STRIDE,
        "day": (log["date"] - exports.START_DATE).dt.days.to_numpy(),
        "amount": log["amount"].to_numpy()})
    return purchases[purchases["day"] <= run.window.holdout_end].reset_index(drop=True)


def simulated_days(runs: list[CohortRun], executor: Executor) -> pd.DataFrame:
    """Customer-days of every replication, pooled (`transactions.customer_days` columns)."""
    frames = list(in_order(executor.imap_unordered(simulate_purchases, runs)))
    purchases = pd.concat(frames, ignore_index=True)
    records = pd.DataFrame({"customer_id": purchases["customer_id"],
                            "date": DAY_ZERO + pd.to_timedelta(purchases["day"], unit="D"),
                            "amount": purchases["amount"]})
    return customer_days(records, DAY_ZERO)
