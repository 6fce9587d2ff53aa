"""The real cohort, mapped onto a scenario: how many customers, and when each first buys.

A customer-base data set such as CDNOW is a cohort: everyone who first bought in a period
(CDNOW: the 12 weeks of 1997 Q1), followed to a common end. `Cohort` holds who enters when:
each real customer's first-purchase day. The simulation reproduces it in two steps:

1. `cohort_scenario`: a closed cohort, the pattern of tests/validation/scenarios/clv_cohort.yaml.
   Everyone is a customer on day 0 and nobody new is won (no advertising, no unprompted search,
   no journeys started by word of mouth), so every purchase in the log is a cohort member's.
   It runs for the observation window plus the cohort's entry period.
2. `enter_on_cohort_days`: entry by re-timing. The simulated customers whose first purchase
   falls within the entry period, ranked by that day, take the real cohort's first-purchase
   days in order (at the simulated cohort's size, `Cohort.scaled`), and each one's purchase
   history moves by the same number of days; purchases after the window are dropped.

Step 2 is a stand-in until the engines take entry days themselves (issue 15: the lead wires
`Cohort.first_purchase_days` into the population as each person's first-purchase day; then
`cohort_scenario` sets them and the re-timing goes). Re-timing assumes a customer's behaviour
does not depend on the calendar day, which holds in a closed cohort without time-varying
strategy; it keeps the simulated cohort's entry identical to the real one's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.fit.window import Window
from sim.scenario.loading import with_values
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class Cohort:
    """Who enters the cohort, and when.

    Attributes:
        first_purchase_days: Each customer's first purchase, in days since the cohort's day 0,
            sorted (CDNOW: 23,570 values in 0..83).
    """

    first_purchase_days: np.ndarray

    @property
    def size(self) -> int:
        """Customers in the cohort."""
        return len(self.first_purchase_days)

    @property
    def entry_days(self) -> int:
        """Length of the entry period: the last first-purchase day + 1 (CDNOW: 84)."""
        return int(self.first_purchase_days[-1]) + 1

    def daily_entries(self) -> np.ndarray:
        """New customers on each day 0..entry_days−1."""
        return np.bincount(self.first_purchase_days, minlength=self.entry_days)

    def scaled(self, size: int) -> Cohort:
        """A cohort of `size` customers entering with the same distribution over days.

        Deterministic: the (i + ½)/size quantiles of the real first-purchase days.
        """
        positions = ((np.arange(size) + 0.5) * self.size / size).astype(np.int64)
        return Cohort(self.first_purchase_days[positions])


def cohort_of(first_days: pd.Series) -> Cohort:
    """The cohort of customers with these first-purchase days (`summary["first_day"]`)."""
    return Cohort(np.sort(np.asarray(first_days, dtype=np.int64)))


def cohort_scenario(base: Scenario, cohort: Cohort, window: Window, customers: int) -> Scenario:
    """`base` as a closed cohort of `customers` people, run for the window and entry period.

    Args:
        base: The scenario whose behaviour is fitted (strategy, industry, archetypes).
        cohort: The real cohort (its entry period sets the extra days simulated).
        window: Calibration and holdout; the horizon is `window.days + cohort.entry_days`.
        customers: People simulated (population.size), all customers on day 0.
    """
    return with_values(base, {
        "population.size": customers,
        "population.initial_customer_share": 1.0,
        "strategy.advertising": 0.0,
        "behaviour.organic_awareness_rate": 0.0,
        "word_of_mouth.awareness_probability": 0.0,
        "horizon_days": window.days + cohort.entry_days,
    }, f"the cohort scenario built from '{base.name}'")


def enter_on_cohort_days(purchases: pd.DataFrame, cohort: Cohort,
                         window: Window) -> pd.DataFrame:
    """Re-time simulated customers so that they first buy on the cohort's entry days.

    Args:
        purchases: One simulated run: customer_id, day (since day 0), amount.
        cohort: The real cohort.
        window: The observation window; purchases re-timed past its last day are dropped.

    Returns:
        The purchases of the simulated customers who first bought within the entry period,
        with `day` moved so that their first purchases follow the cohort's entry days.
    """
    first = purchases.groupby("customer_id")["day"].min()
    first = first[first < cohort.entry_days].sort_values(kind="stable")
    if first.empty:
        return purchases.iloc[:0]
    entry = pd.Series(cohort.scaled(len(first)).first_purchase_days, index=first.index)
    shift = (entry - first).rename("shift")
    moved = purchases.join(shift, on="customer_id", how="inner")
    moved["day"] = moved["day"] + moved.pop("shift")
    return moved[moved["day"] <= window.holdout_end].reset_index(drop=True)
