"""The statistics of customer-base analysis for one cohort, real or simulated.

Computed the same way for CDNOW and for a simulated transaction log, so the two can be set side
by side (`sim.fit.comparison`) and the distance between them minimised (`sim.fit.distance`):
weekly and cumulative repeat transactions, the distribution of repeat-purchase counts in the
calibration window (with the one-time-buyer share), the mean and coefficient of variation of
repeats, inter-purchase times and spend per purchase. A repeat transaction is any
customer-day but a customer's first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.fit.summary import cohort_days, customer_summary
from sim.fit.window import DAYS_PER_WEEK, Window

TOP_COUNT = 7  # repeat counts of 7 or more are pooled, as in Fader, Hardie & Lee's Figure 4


def repeat_count_distribution(frequency: pd.Series, top: int = TOP_COUNT) -> pd.Series:
    """Share of customers with 0, 1, ..., top−1 and top-or-more repeat transactions.

    Returns:
        Shares indexed by the labels "0", "1", ..., f"{top}+" (all zero for no customers).
    """
    binned = np.minimum(np.asarray(frequency, dtype=np.int64), top)
    counts = np.bincount(binned, minlength=top + 1)[:top + 1]
    shares = counts / max(counts.sum(), 1)
    labels = [str(k) for k in range(top)] + [f"{top}+"]
    return pd.Series(shares, index=pd.Index(labels, name="repeats"), name="share")


def repeat_moments(frequency: pd.Series) -> dict[str, float]:
    """Customers, repeat transactions, their mean and CV per customer, one-time buyers, max.

    The CV is the population standard deviation over the mean (NaN without repeats); the
    one-time-buyer share is the share with no repeat transaction in the window.
    """
    x = np.asarray(frequency, dtype=float)
    mean = x.mean() if len(x) else np.nan
    return {"customers": float(len(x)), "repeat_transactions": float(x.sum()),
            "mean_repeats": mean, "cv_repeats": x.std() / mean if mean > 0 else np.nan,
            "one_time_share": float((x == 0).mean()) if len(x) else np.nan,
            "max_repeats": float(x.max()) if len(x) else np.nan}


def weekly_repeat_transactions(cohort: pd.DataFrame, window: Window) -> pd.Series:
    """Repeat transactions of the cohort in each week 1..W+H (`summary.cohort_days` rows)."""
    repeat = cohort.loc[cohort["day"] > cohort["first_day"], "day"]
    week = repeat // DAYS_PER_WEEK + 1
    counts = week.value_counts().reindex(range(1, window.weeks + 1), fill_value=0)
    return counts.rename("repeat_transactions").rename_axis("week").astype("int64")


def inter_purchase_days(cohort: pd.DataFrame, last_day: int) -> pd.Series:
    """Days between a customer's consecutive transactions up to `last_day` (all pooled)."""
    rows = cohort[cohort["day"] <= last_day].sort_values(["customer_id", "day"])
    return rows.groupby("customer_id")["day"].diff().dropna().astype("int64").rename("days")


def describe(values) -> dict[str, float]:
    """Count, mean, coefficient of variation (population SD / mean) and quartiles."""
    v = np.asarray(values, dtype=float)
    if len(v) == 0:
        return dict.fromkeys(("n", "mean", "cv", "p25", "median", "p75"), np.nan) | {"n": 0.0}
    q25, q50, q75 = np.percentile(v, [25, 50, 75])
    mean = v.mean()
    return {"n": float(len(v)), "mean": mean, "cv": v.std() / mean if mean > 0 else np.nan,
            "p25": q25, "median": q50, "p75": q75}


@dataclass
class CohortStatistics:
    """Everything compared between a real and a simulated cohort.

    Attributes:
        window: Calibration and holdout weeks.
        summary: Per customer (`summary.customer_summary`).
        weekly: Repeat transactions per week 1..W+H.
        repeat_counts: Shares of customers by calibration repeat count (0..7+).
        repeats: `repeat_moments` of the calibration frequencies.
        inter_purchase: `describe` of inter-purchase days in the calibration window.
        spend: `describe` of the amount per transaction (customer-day) in the window.
        customer_days: The cohort's transactions (customer-days) to the end of the holdout.
    """

    window: Window
    summary: pd.DataFrame
    weekly: pd.Series
    repeat_counts: pd.Series
    repeats: dict[str, float]
    inter_purchase: dict[str, float]
    spend: dict[str, float]
    customer_days: int

    @property
    def customers(self) -> int:
        """Size of the cohort."""
        return len(self.summary)

    def scalars(self) -> pd.Series:
        """The single-number statistics, named, for reports and tables."""
        values = {**self.repeats,
                  **{f"inter_purchase_days_{k}": v for k, v in self.inter_purchase.items()},
                  **{f"spend_{k}": v for k, v in self.spend.items()},
                  **{f"repeat_share_{k}": v for k, v in self.repeat_counts.items()},
                  "customer_days": float(self.customer_days),
                  "holdout_repeat_transactions": float(self.holdout_total)}
        return pd.Series(values, name="value").rename_axis("statistic")

    @property
    def holdout_total(self) -> int:
        """Repeat transactions in the holdout weeks."""
        return int(self.weekly.loc[self.window.calibration_weeks + 1:].sum())


def cohort_statistics(days: pd.DataFrame, window: Window) -> CohortStatistics:
    """The statistics of the cohort in `days` (`transactions.customer_days` rows)."""
    cohort = cohort_days(days, window)
    summary = customer_summary(days, window)
    calibration = cohort[cohort["day"] <= window.calibration_end]
    return CohortStatistics(
        window=window, summary=summary, weekly=weekly_repeat_transactions(cohort, window),
        repeat_counts=repeat_count_distribution(summary["frequency"]),
        repeats=repeat_moments(summary["frequency"]),
        inter_purchase=describe(inter_purchase_days(cohort, window.calibration_end)),
        spend=describe(calibration["amount"]), customer_days=len(cohort))
