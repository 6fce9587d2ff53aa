"""The per-customer summary of customer-base analysis over a calibration window (RFM).

For each customer of the cohort (everyone whose first purchase falls in the calibration
window): frequency x (repeat transactions in the window), recency t_x and age T (weeks), mean
spend per repeat transaction, and the transactions in the holdout. The conventions are those of
Fader, Hardie & Lee (2005) and of `sim.outputs.exports.rfm_summary` (the `run --transactions`
export), which computes the calibration part here so that both agree by construction.
"""

from __future__ import annotations

import pandas as pd

from sim.fit.window import DAYS_PER_WEEK, Window
from sim.outputs.exports import rfm_summary

SUMMARY_COLUMNS = ["first_day", "frequency", "recency", "T", "monetary_value", "holdout"]


def cohort_days(days: pd.DataFrame, window: Window) -> pd.DataFrame:
    """The customer-days of the cohort (first purchase in the calibration window) to its end.

    Args:
        days: `transactions.customer_days` output (customer_id, date, day, amount).
        window: Calibration and holdout.

    Returns:
        The rows of customers who first bought by day `window.calibration_end`, up to day
        `window.holdout_end`, with `first_day` (their first purchase day) added.
    """
    first = days.groupby("customer_id")["day"].transform("min")
    kept = (first <= window.calibration_end) & (days["day"] <= window.holdout_end)
    return days.loc[kept].assign(first_day=first[kept])


def customer_summary(days: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Calibration summary and holdout count of each cohort customer.

    Args:
        days: Customer-days (customer_id, date, day, amount); rows outside the cohort or after
            the holdout are ignored.
        window: Calibration and holdout.

    Returns:
        Indexed by customer_id: `first_day` (days since day 0); `frequency` (repeat
        transactions in the calibration window); `recency` (weeks from the first to the last
        calibration transaction, 0 without repeats); `T` (weeks from the first purchase to the
        end of the calibration window); `monetary_value` (mean money per repeat transaction in
        the window, 0 without repeats); `holdout` (transactions in the holdout weeks).
    """
    cohort = cohort_days(days, window)
    if cohort.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS, index=pd.Index([], name="customer_id"))
    calibration = cohort[cohort["day"] <= window.calibration_end]
    start = cohort["date"].iloc[0] - pd.Timedelta(days=int(cohort["day"].iloc[0]))
    end = start + pd.Timedelta(days=window.calibration_end)
    rfm = rfm_summary(calibration[["customer_id", "date", "amount"]], end).set_index(
        "customer_id")
    out = pd.DataFrame({"first_day": cohort.groupby("customer_id")["first_day"].first()})
    out["frequency"] = rfm["frequency"]
    out["recency"] = rfm["recency"] / DAYS_PER_WEEK
    out["T"] = rfm["T"] / DAYS_PER_WEEK
    out["monetary_value"] = rfm["monetary_value"]
    in_holdout = cohort[cohort["day"] > window.calibration_end]
    out["holdout"] = (in_holdout.groupby("customer_id").size()
                      .reindex(out.index, fill_value=0).astype("int64"))
    return out


def as_clv_data(summary: pd.DataFrame) -> pd.DataFrame:
    """The summary in the columns CLV libraries take: customer_id, frequency, recency, T."""
    return summary.reset_index()[["customer_id", "frequency", "recency", "T"]]
