"""Everyone's state as record arrays, one record per person, as the compiled kernels read it.

A record holds what `agents.Customer` holds as attributes, so the kernels walk one person at a
time through memory that sits together. Parameters travel as named tuples of numbers.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from agents.customer import AWARENESS_TOUCHPOINT
from sim.engines.mesa_model import RECOVERED_SATISFACTION
from sim.rules.journey import Phase
from sim.rules.loyalty import Status
from sim.scenario.schema import Scenario

SOURCE_CODES = ("need", "advertising", "word_of_mouth", "organic")
NEED, ADVERTISING, WORD_OF_MOUTH, ORGANIC = range(4)

CROWD = np.dtype([  # what changes, per person
    ("status", np.int8), ("phase", np.int8), ("source", np.int8), ("last_channel", np.int8),
    ("acquired_via", np.int8), ("tipped_off", np.bool_), ("in_cohort", np.bool_),
    ("days_left", np.int32), ("dwell", np.int32), ("journey_start", np.int32),
    ("next_event", np.int32),  # the next idle day that brings something (journeys.py)
    ("purchases", np.int32), ("touchpoint_count", np.int32), ("attitude", np.float64),
    ("revenue", np.float64), ("touchpoint_sum", np.float64), ("worst_touchpoint", np.float64),
], align=True)
FOLK = np.dtype([  # what stays, per person
    ("archetype", np.int64), ("ad_reach", np.float64), ("expected", np.float64),
    ("patience", np.float64)], align=True)
KIND = np.dtype([(name, np.float64) for name in (  # per archetype
    "need_rate", "organic_rate", "touchpoints", "basket", "worst_touchpoint", "share_positive",
    "share_negative", "peer_susceptibility", "loyalty")], align=True)
# The day's buffers: touchpoints to score, stories to hear tomorrow, recorded events.
TOUCH = np.dtype([("who", np.int64), ("phase", np.int8), ("channel", np.int8),
                  ("fragmented", np.bool_)], align=True)
STORY = np.dtype([("listener", np.int32), ("valence", np.int8)], align=True)
ENTRY = np.dtype([("who", np.int64), ("phase", np.int8)], align=True)
PURCHASE = np.dtype([("who", np.int64), ("amount", np.float64)], align=True)

# Positions in the `fill` array: how much of each buffer today's kernels have written.
TOUCHES, STORIES, REVIEWS, ENTRIES, PURCHASES = range(5)
# Positions in the day's `counts` (whole numbers) and `sums` arrays, moved to the Tally daily.
# Revenue and satisfaction are running totals, added to one by one as in the agents engine's
# Tally (so both engines add the same numbers in the same order); the rest start at 0 each day.
COUNTED = ("switches", "fragmented", "purchases", "defections", "recovered", "interactions",
           "rated")
ACQUISITIONS, COHORT_LOST = len(COUNTED), len(COUNTED) + 1
REVENUE, SATISFACTION, WOM_POSITIVE, WOM_NEGATIVE, WAITED, WAIT_SUM = range(6)
TODAY = WOM_POSITIVE  # sums[TODAY:] are today's flows
SWITCHES, FRAGMENTED, BOUGHT, DEFECTIONS, RECOVERED, INTERACTIONS, RATED = range(len(COUNTED))


class Rules(NamedTuple):
    """The scenario's numbers the daily rules read."""

    awareness_touchpoint: float
    ad_attitude_effect: float
    support_contact_probability: float
    channel_stickiness: float
    integration: float
    review_influence: float
    purchase_intercept: float
    purchase_slope: float
    customer_bonus: float
    basket_value: float
    product_quality: float
    noise_sd: float
    satisfaction_sensitivity: float
    recovery_chance: float
    recovered_satisfaction: float
    attitude_memory: float
    share_probability: float
    negative_ratio: float
    review_probability: float
    peer_influence: float
    awareness_probability: float

    @classmethod
    def of(cls, s: Scenario) -> Rules:
        """The rules' numbers of scenario `s`."""
        b, w, ind = s.behaviour, s.word_of_mouth, s.industry
        return cls(
            awareness_touchpoint=AWARENESS_TOUCHPOINT, ad_attitude_effect=b.ad_attitude_effect,
            support_contact_probability=ind.support_contact_probability,
            channel_stickiness=b.channel_stickiness, integration=s.strategy.integration,
            review_influence=w.review_influence, purchase_intercept=b.purchase_intercept,
            purchase_slope=b.purchase_slope, customer_bonus=b.customer_bonus,
            basket_value=ind.basket_value, product_quality=ind.product_quality,
            noise_sd=b.noise_sd, satisfaction_sensitivity=b.satisfaction_sensitivity,
            recovery_chance=s.strategy.social_listening * b.recovery_rate,
            recovered_satisfaction=RECOVERED_SATISFACTION, attitude_memory=b.attitude_memory,
            share_probability=w.share_probability, negative_ratio=w.negative_ratio,
            review_probability=w.review_probability, peer_influence=w.peer_influence,
            awareness_probability=w.awareness_probability)


def crowd_of(is_customer: np.ndarray, attitude: np.ndarray) -> np.ndarray:
    """Day 0: customers and prospects, all idle."""
    crowd = np.zeros(len(is_customer), dtype=CROWD)
    crowd["status"] = np.where(is_customer, Status.CUSTOMER, Status.PROSPECT)
    crowd["in_cohort"] = is_customer
    crowd["attitude"] = attitude
    crowd["phase"] = Phase.IDLE
    crowd["last_channel"] = crowd["acquired_via"] = -1
    crowd["worst_touchpoint"] = np.inf
    return crowd


def folk_of(people) -> np.ndarray:
    """The per-person numbers the kernels read from `sim.world.people.People`."""
    folk = np.zeros(len(people.archetype), dtype=FOLK)
    for name in FOLK.names:
        folk[name] = getattr(people, name)
    return folk


def kinds_of(scenario: Scenario, people, archetypes) -> np.ndarray:
    """One record per archetype: its profile and its need rates."""
    kinds = np.zeros(len(archetypes), dtype=KIND)
    kinds["need_rate"], kinds["organic_rate"] = people.need_rate, people.organic_rate
    profiles = [scenario.profile(a) for a in archetypes]
    for name in KIND.names[2:]:  # the profile's own fields
        kinds[name] = [getattr(p, name) for p in profiles]
    return kinds


class Buffers(NamedTuple):
    """Room for one day's touchpoints, stories, reviews and recorded events, and its counts."""

    touches: np.ndarray
    stories: np.ndarray
    reviews: np.ndarray
    entries: np.ndarray
    purchases: np.ndarray
    fill: np.ndarray
    counts: np.ndarray
    sums: np.ndarray

    @classmethod
    def sized(cls, n: int, links: int, tellings_per_day: int, recording: bool) -> Buffers:
        """Buffers for `n` people and `links` directed contacts.

        Each person touches, buys and enters a phase at most once a day, and tells each contact
        at most `tellings_per_day` stories a day.
        """
        events = n if recording else 0
        return cls(np.zeros(n, TOUCH), np.zeros(links * tellings_per_day, STORY),
                   np.zeros(n * tellings_per_day, np.int8), np.zeros(events, ENTRY),
                   np.zeros(events, PURCHASE), np.zeros(PURCHASES + 1, np.int64),
                   np.zeros(COHORT_LOST + 1, np.int64), np.zeros(WAIT_SUM + 1))


class Tallies(NamedTuple):
    """The arrays of a `sim.rules.tally.Tally`, which the kernels add to in place."""

    funnel: np.ndarray
    dwell_days: np.ndarray
    dwell_count: np.ndarray
    channel_mix: np.ndarray
    acquisitions: np.ndarray
    to_purchase_days: np.ndarray
    to_purchase_count: np.ndarray
    wom_reach: np.ndarray
    wom_sharers: np.ndarray
    reviews: np.ndarray
    nps: np.ndarray
    wait_sum: np.ndarray
    wait_count: np.ndarray

    @classmethod
    def of(cls, tally) -> Tallies:
        """The arrays of `tally` (the same objects, not copies)."""
        return cls(**{name: getattr(tally, name) for name in cls._fields})
