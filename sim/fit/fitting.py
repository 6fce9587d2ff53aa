"""The whole fit, step by step: real data in, BG/NBD beside it, the model fitted, the holdout.

1. `read_real`: the transaction log, checked, merged into customer-days, its window and its
   statistics (every user mistake is refused here, before any work).
2. `forecast_bgnbd`: BG/NBD fitted on the calibration window, forecasting the holdout.
3. `fit_model`: the model's parameters searched so that its simulated cohort matches the
   calibration statistics (`fit.calibration`); the best candidate's simulation, which already
   runs through the holdout, is the model's forecast.
4. `compare`: actual, cxsim and BG/NBD side by side.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.fit import bgnbd, comparison
from sim.fit.calibration import SPEND_KEY, Candidate, CohortFit, spend_factor
from sim.fit.cohort import cohort_of, cohort_scenario
from sim.fit.statistics import CohortStatistics, cohort_statistics
from sim.fit.transactions import Columns, customer_days, read_transactions
from sim.fit.window import Window, window_for
from sim.runs.executors import Executor
from sim.scenario.errors import UserError
from sim.scenario.loading import with_values
from sim.scenario.schema import Scenario


@dataclass
class RealData:
    """A real transaction log, ready to compare.

    Attributes:
        source: The file.
        records: Rows in the file.
        start: Day 0, the first date in the log.
        window: Calibration and holdout weeks.
        statistics: The cohort's statistics.
    """

    source: Path
    records: int
    start: pd.Timestamp
    window: Window
    statistics: CohortStatistics


def read_real(path: Path, calibration_weeks: int, holdout_weeks: int | None,
              columns: Columns | None = None) -> RealData:
    """Read, check and summarise a transaction log (UserError for any mistake in it)."""
    records = read_transactions(path, columns)
    days = customer_days(records)
    window = window_for(int(days["day"].max()) + 1, calibration_weeks, holdout_weeks, str(path))
    statistics = cohort_statistics(days, window)
    if statistics.repeats["repeat_transactions"] == 0:
        raise UserError(f"{path}: none of its {statistics.customers:,} customers bought twice "
                        f"(on two days) in the {calibration_weeks} calibration weeks; the models "
                        "are fitted to repeat purchases: give a longer window or a fuller log")
    return RealData(Path(path), len(records), records["date"].min(), window, statistics)


@dataclass
class BgNbdForecast:
    """BG/NBD fitted on the calibration window and its holdout forecast.

    Attributes:
        model: The fitted model (r, alpha, a, b).
        cumulative: Expected cumulative repeat transactions of the cohort, by week.
        expected: Each customer's expected holdout transactions (FHL eq. 10).
        seconds: Time to fit and forecast.
    """

    model: bgnbd.BgNbd
    cumulative: pd.Series
    expected: pd.Series
    seconds: float


def forecast_bgnbd(real: RealData) -> BgNbdForecast:
    """Fit BG/NBD to the real calibration summary and forecast the holdout."""
    started = time.perf_counter()
    stats = real.statistics
    model = bgnbd.fit_bgnbd(stats.summary)
    cumulative = bgnbd.cohort_cumulative_repeats(model, stats.summary["first_day"], stats.window)
    expected = bgnbd.conditional_expectation(model, stats.summary, stats.window.holdout_weeks)
    return BgNbdForecast(model, cumulative, expected, time.perf_counter() - started)


@dataclass
class ModelFit:
    """The model fitted to the real cohort.

    Attributes:
        search: Every candidate simulated (`CohortFit`).
        best: The best candidate.
        message: The optimiser's closing message.
        scenario: The fitted cohort scenario, spend matched (a complete scenario).
        statistics: The fitted simulation's statistics, spend matched.
        seconds: Time the search took.
    """

    search: CohortFit
    best: Candidate
    message: str
    scenario: Scenario
    statistics: CohortStatistics
    seconds: float


def fit_model(real: RealData, base: Scenario, customers: int, replications: int,
              max_evaluations: int, executor: Executor, progress: bool = True) -> ModelFit:
    """Search the model's parameters against the real calibration statistics.

    Args:
        real: The real data.
        base: The scenario whose behaviour is fitted.
        customers: People simulated per replication.
        replications: Runs per candidate, on common seeds.
        max_evaluations: Candidates the optimiser may simulate.
        executor: Where the runs execute.
        progress: Show a progress bar.
    """
    started = time.perf_counter()
    cohort = cohort_of(real.statistics.summary["first_day"])
    scenario = cohort_scenario(base, cohort, real.window, customers)
    search = CohortFit(real.statistics, scenario, cohort, real.window, replications, executor,
                       progress=progress)
    best, message = search.run(max_evaluations)
    raw = cohort_statistics(search.best_days, real.window)
    factor = spend_factor(real.statistics, raw)
    fitted = with_values(search.configured(best.values), {
        SPEND_KEY: scenario.industry.basket_value * factor}, "the fitted scenario")
    days = search.best_days.assign(amount=search.best_days["amount"] * factor)
    return ModelFit(search, best, message, fitted, cohort_statistics(days, real.window),
                    time.perf_counter() - started)


@dataclass
class Comparison:
    """Actual, cxsim and BG/NBD side by side (`fit.comparison`)."""

    tracking: pd.DataFrame
    scores: pd.DataFrame
    conditional: pd.DataFrame


def compare(real: RealData, forecast: BgNbdForecast, model: ModelFit | None) -> Comparison:
    """The tracking table, holdout scores and conditional expectations."""
    simulated = model.statistics if model is not None else None
    table = comparison.tracking(real.statistics, forecast.cumulative, simulated)
    return Comparison(table, comparison.holdout_scores(table, real.window),
                      comparison.conditional_expectations(real.statistics, forecast.expected,
                                                          simulated))
