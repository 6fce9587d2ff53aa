"""Everyone's state as arrays (one row per person) and per-archetype profile columns."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from agents.customer import Status
from sim.journey import Phase
from sim.scenario import Scenario

SOURCE_CODES = ("need", "advertising", "word_of_mouth", "organic")
NEED, ADVERTISING, WORD_OF_MOUTH, ORGANIC = range(4)


@dataclass
class Crowd:
    """Mutable per-person state; the arrays mirror the attributes of `agents.Customer`."""

    status: np.ndarray
    attitude: np.ndarray
    in_cohort: np.ndarray  # a day-0 customer who has never left
    phase: np.ndarray = field(init=False)
    days_left: np.ndarray = field(init=False)
    dwell: np.ndarray = field(init=False)
    journey_start: np.ndarray = field(init=False)
    source: np.ndarray = field(init=False)
    last_channel: np.ndarray = field(init=False)
    tipped_off: np.ndarray = field(init=False)
    acquired_via: np.ndarray = field(init=False)
    purchases: np.ndarray = field(init=False)
    revenue: np.ndarray = field(init=False)
    touchpoint_sum: np.ndarray = field(init=False)
    touchpoint_count: np.ndarray = field(init=False)
    worst_touchpoint: np.ndarray = field(init=False)
    shortfall: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        n = len(self.status)
        self.phase = np.full(n, Phase.IDLE, dtype=np.int8)
        self.days_left = np.zeros(n, dtype=np.int32)
        self.dwell = np.zeros(n, dtype=np.int32)
        self.journey_start = np.zeros(n, dtype=np.int32)
        self.source = np.zeros(n, dtype=np.int8)
        self.last_channel = np.full(n, -1, dtype=np.int8)
        self.tipped_off = np.zeros(n, dtype=bool)
        self.acquired_via = np.full(n, -1, dtype=np.int8)
        self.purchases = np.zeros(n, dtype=np.int32)
        self.revenue = np.zeros(n)
        self.touchpoint_sum = np.zeros(n)
        self.touchpoint_count = np.zeros(n, dtype=np.int32)
        self.worst_touchpoint = np.full(n, np.inf)
        self.shortfall = np.zeros((n, 6))

    @classmethod
    def from_people(cls, is_customer: np.ndarray, attitude: np.ndarray) -> Crowd:
        """Day 0: customers and prospects, all idle."""
        status = np.where(is_customer, Status.CUSTOMER, Status.PROSPECT).astype(np.int8)
        return cls(status, attitude.astype(float).copy(), is_customer.copy())


@dataclass(frozen=True)
class Profiles:
    """Archetype profile fields as arrays indexed by archetype code."""

    touchpoints: np.ndarray
    basket: np.ndarray
    worst_touchpoint: np.ndarray
    share_positive: np.ndarray
    share_negative: np.ndarray
    peer_susceptibility: np.ndarray
    loyalty: np.ndarray

    @classmethod
    def of(cls, scenario: Scenario, archetypes) -> Profiles:
        """Columns of the scenario's archetype profiles."""
        profiles = [scenario.profile(a) for a in archetypes]
        return cls(**{name: np.array([getattr(p, name) for p in profiles])
                      for name in cls.__dataclass_fields__})
