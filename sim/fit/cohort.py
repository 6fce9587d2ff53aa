"""The real cohort, mapped onto a scenario: how many customers, and when each first buys.

A customer-base data set such as CDNOW is a cohort: everyone who first bought in a period
(CDNOW: the 12 weeks of 1997 Q1), followed to a common end. `Cohort` holds who enters when:
each real customer's first-purchase day. `cohort_scenario` makes a scenario of it, a closed
cohort (the pattern of tests/validation/scenarios/clv_cohort.yaml): everyone is a customer of
the cohort and nobody new is won (no advertising, no unprompted search, no journeys started by
word of mouth), so every purchase in the log is a cohort member's; and each member makes their
first purchase on a day drawn from the real cohort's entry days (`population.entry_weights`:
the engines start them in the action phase until then). It runs for the observation window.
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
    """`base` as a closed cohort of `customers` people entering as the real cohort did.

    Args:
        base: The scenario whose behaviour is fitted (strategy, industry, archetypes).
        cohort: The real cohort: its daily entries are the simulated cohort's entry weights.
        window: Calibration and holdout; the horizon is `window.days`.
        customers: People simulated (population.size), all in the cohort.
    """
    return with_values(base, {
        "population.size": customers,
        "population.initial_customer_share": 1.0,
        "population.entry_weights": cohort.daily_entries().astype(float).tolist(),
        "strategy.advertising": 0.0,
        "behaviour.organic_awareness_rate": 0.0,
        "word_of_mouth.awareness_probability": 0.0,
        "horizon_days": window.days,
    }, f"the cohort scenario built from '{base.name}'")
