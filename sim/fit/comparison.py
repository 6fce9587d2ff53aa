"""Actual, cxsim and BG/NBD side by side: tracking the cohort's repeat transactions week by week.

The classic evaluation of customer-base models (Fader, Hardie & Lee 2005, Figures 2–4): the
cohort's repeat transactions per week and cumulated, the forecast's total and weekly errors in
the holdout, and the conditional expectation of holdout transactions by the number of repeat
transactions a customer made in the calibration window. A simulated cohort may be of another
size than the real one: its counts are scaled to the real cohort's size (`scale`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.fit.statistics import TOP_COUNT, CohortStatistics
from sim.fit.window import Window

MODELS = ("cxsim", "bgnbd")


def tracking(real: CohortStatistics, bgnbd_cumulative: pd.Series,
             simulated: CohortStatistics | None = None) -> pd.DataFrame:
    """Weekly and cumulative repeat transactions by week: actual, BG/NBD and cxsim.

    Args:
        real: The real cohort's statistics.
        bgnbd_cumulative: BG/NBD's expected cumulative repeats (`bgnbd.cohort_cumulative_repeats`).
        simulated: The simulated cohort's statistics, scaled to the real cohort's size; None
            leaves the cxsim columns out.

    Returns:
        Indexed by week 1..W+H: `actual`, `bgnbd`, `cxsim` (repeat transactions in the week),
        `actual_cumulative`, `bgnbd_cumulative`, `cxsim_cumulative`, each model's weekly
        absolute error (`bgnbd_abs_error`, `cxsim_abs_error`); `period` says calibration or
        holdout.
    """
    table = pd.DataFrame({"actual": real.weekly.astype(float),
                          "bgnbd": bgnbd_cumulative.diff().fillna(bgnbd_cumulative.iloc[0])})
    if simulated is not None:
        table["cxsim"] = simulated.weekly.to_numpy(dtype=float) * scale(real, simulated)
    models = [m for m in MODELS if m in table.columns]
    for column in ["actual", *models]:
        table[f"{column}_cumulative"] = table[column].cumsum()
    for model in models:
        table[f"{model}_abs_error"] = (table[model] - table["actual"]).abs()
    table["period"] = np.where(table.index <= real.window.calibration_weeks, "calibration",
                               "holdout")
    return table


def scale(real: CohortStatistics, simulated: CohortStatistics) -> float:
    """Real customers per simulated customer (1 when the cohorts are the same size)."""
    return real.customers / max(simulated.customers, 1)


def holdout_scores(table: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Each model's forecast of the holdout against what happened.

    Returns:
        One row per model present (cxsim, bgnbd): `actual` and `forecast` repeat transactions
        in the holdout, `error_pct` (forecast − actual, % of actual), `weekly_mae` and
        `calibration_weekly_mae` (mean absolute error per week, transactions) and
        `weekly_mean_actual` (the holdout's mean week, for scale).
    """
    holdout = table[table["period"] == "holdout"]
    calibration = table[table["period"] == "calibration"]
    actual = float(holdout["actual"].sum())
    rows = []
    for model in (m for m in MODELS if m in table.columns):
        forecast = float(holdout[model].sum())
        rows.append({"model": model, "actual": actual, "forecast": forecast,
                     "error_pct": 100.0 * (forecast - actual) / actual if actual else np.nan,
                     "weekly_mae": float(holdout[f"{model}_abs_error"].mean()),
                     "calibration_weekly_mae": float(calibration[f"{model}_abs_error"].mean()),
                     "weekly_mean_actual": float(holdout["actual"].mean())})
    return pd.DataFrame(rows).set_index("model")


def conditional_expectations(real: CohortStatistics, bgnbd_expected: pd.Series,
                             simulated: CohortStatistics | None = None,
                             top: int = TOP_COUNT) -> pd.DataFrame:
    """Mean holdout transactions by calibration repeat count (0..top+).

    `actual` is the real customers' mean; `bgnbd` BG/NBD's conditional expectation (FHL
    eq. 10) averaged over the same customers; `cxsim` the simulated customers' own mean, by
    their own calibration count (the model's conditional expectation, estimated by simulation).
    """
    bins = _count_bins(real.summary["frequency"], top)
    table = pd.DataFrame({
        "customers": real.summary.groupby(bins).size(),
        "actual": real.summary["holdout"].groupby(bins).mean(),
        "bgnbd": bgnbd_expected.groupby(bins).mean()})
    if simulated is not None:
        sim_bins = _count_bins(simulated.summary["frequency"], top)
        table["cxsim_customers"] = simulated.summary.groupby(sim_bins).size()
        table["cxsim"] = simulated.summary["holdout"].astype(float).groupby(sim_bins).mean()
    labels = [str(k) for k in range(top)] + [f"{top}+"]
    return table.reindex(range(top + 1)).set_axis(
        pd.Index(labels, name="calibration_repeats"))


def _count_bins(frequency: pd.Series, top: int) -> pd.Series:
    return frequency.astype("int64").clip(upper=top).rename("bin")
