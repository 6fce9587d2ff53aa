"""Whether a person stays with the firm: attitude, the purchase decision, buying, churn, ads.

Each state change is one rule used by both engines (see `sim.rules.journey`).
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from sim.rules import counters
from sim.rules.channels import Channel
from sim.rules.jit import rule


class Status(IntEnum):
    """A person's relationship with the firm."""

    PROSPECT = 0
    CUSTOMER = 1
    CHURNED = 2


CUSTOMER, CHURNED = int(Status.CUSTOMER), int(Status.CHURNED)
WEB, APP = int(Channel.WEB), int(Channel.APP)


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


@rule
def decide(person, traits, params, review_mean: float, rng) -> bool:
    """End of consideration: does the person buy from this firm (else from a competitor)?

    What they see is their own attitude plus the public reviews' average; a customer also
    weighs their habit (their own: `heterogeneity.loyalty_sd` spreads it around the
    archetype's), so some customers are far likelier to drop out than others.
    """
    seen = person.attitude + params.review_influence * review_mean
    p = choose_firm_probability(seen, person.status == CUSTOMER, params.purchase_intercept,
                                params.purchase_slope, params.customer_bonus, traits.loyalty)
    return rng.random() < p


@rule
def churn(person, tally) -> None:
    """A customer takes the business elsewhere; a day-0 customer leaves the cohort for good."""
    tally.in_status[person.status] -= 1
    tally.in_status[CHURNED] += 1
    person.status = CHURNED
    tally.counts[counters.DEFECTIONS] += 1
    if person.in_cohort:
        person.in_cohort = False
        tally.counts[counters.COHORT_LOST] += 1


@rule
def spend(traits, params, rng) -> float:
    """What one purchase costs (EUR): the person's mean spend, times a Gamma draw of mean 1.

    The draw makes spend vary from one purchase to the next (`heterogeneity.purchase_spend_cv`;
    none at 0).
    """
    shape = spread_shape(params.purchase_spend_cv)
    if shape == 0.0:
        return traits.spend
    return traits.spend * rng.gamma(shape, 1.0 / shape)


@rule
def spread_shape(cv: float) -> float:
    """Gamma shape of multipliers of mean 1 and coefficient of variation `cv`; 0: no spread.

    A CV under 0.001 counts as none: its shape would be over a million (every multiplier within
    0.3% of 1), and a tiny one's square underflows to 0 (shape infinite).
    """
    return 1.0 / (cv * cv) if cv >= 1e-3 else 0.0


@rule
def abandons_checkout(person, params, rng) -> bool:
    """Whether a purchase online (website or app) is abandoned at the checkout.

    A long or complicated checkout loses `effects.checkout_abandonment` of online purchases
    without one-click (Baymard: 17–27% of those who abandon blame it); one-click (seed 003,
    simplify) removes that share. Purchases in other channels are not affected, nor a cohort
    member's first purchase, which the transaction log says happened.
    """
    if person.entering:
        return False
    online = person.last_channel == WEB or person.last_channel == APP
    return online and params.checkout_abandonment > 0.0 and rng.random() < (
        params.checkout_abandonment)


@rule
def buy(person, traits, params, day: int, rng, tally) -> None:
    """The purchase: revenue, and a new customer if the person was not one.

    A person who was not a customer is won by whatever started this journey.
    """
    basket = spend(traits, params, rng)
    person.entering = False
    person.purchases += 1
    person.revenue += basket
    person.last_purchase = basket
    tally.sums[counters.REVENUE] += basket
    tally.counts[counters.PURCHASES] += 1
    tally.to_purchase_days[traits.archetype] += day - person.journey_start + 1
    tally.to_purchase_count[traits.archetype] += 1
    if person.status != CUSTOMER:
        tally.in_status[person.status] -= 1
        tally.in_status[CUSTOMER] += 1
        person.status = CUSTOMER
        person.acquired_via = person.source
        tally.acquisitions[person.source, traits.archetype] += 1
        tally.counts[counters.ACQUISITIONS] += 1


@rule
def see_ad(person, effect: float) -> None:
    """An idle customer sees an effective ad (or a reward-programme message): a little warmer."""
    person.attitude = min(1.0, person.attitude + effect)


def ad_effectiveness(affinity, immunity: float, response):
    """How much one advertising exposure moves a person: natives largely ignore ads (seed 000)."""
    return np.clip((1 - immunity * np.asarray(affinity)) * np.asarray(response), 0.0, None)


def clv(annual_revenue, margin: float, retention: float, discount: float):
    """Customer lifetime value with constant retention r: m·R·(1+d)/(1+d−r) (Gupta & Lehmann)."""
    retention = min(max(retention, 0.0), 0.999)
    return margin * np.asarray(annual_revenue) * (1 + discount) / (1 + discount - retention)
