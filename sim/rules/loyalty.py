"""Attitude, purchase choice, advertising and churn: whether a customer stays with the firm."""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from sim.rules.jit import rule


class Status(IntEnum):
    """A person's relationship with the firm."""

    PROSPECT = 0
    CUSTOMER = 1
    CHURNED = 2


@rule
def logistic(x):
    """The logistic function."""
    return 1.0 / (1.0 + np.exp(-x))


@rule
def updated_attitude(attitude, satisfaction, memory: float):
    """Attitude in [−1, 1] after a journey: moves toward its satisfaction (0..1 → −1..1)."""
    return (1 - memory) * attitude + memory * (2 * satisfaction - 1)


@rule
def choose_firm_probability(attitude, is_customer, intercept: float, slope: float,
                            customer_bonus: float, habit):
    """Probability that a customer at the end of consideration buys from this firm.

    Existing customers get `customer_bonus` plus their archetype's habit (switching costs);
    prospects decide on attitude alone (what they heard and experienced).
    """
    habit_term = is_customer * (customer_bonus + habit)
    return logistic(intercept + slope * attitude + habit_term)


def ad_effectiveness(affinity, immunity: float, response):
    """How much one advertising exposure moves a person: natives largely ignore ads (seed 000)."""
    return np.clip((1 - immunity * np.asarray(affinity)) * np.asarray(response), 0.0, None)


def clv(annual_revenue, margin: float, retention: float, discount: float):
    """Customer lifetime value with constant retention r: m·R·(1+d)/(1+d−r) (Gupta & Lehmann)."""
    retention = min(max(retention, 0.0), 0.999)
    return margin * np.asarray(annual_revenue) * (1 + discount) / (1 + discount - retention)
