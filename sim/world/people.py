"""The people of a scenario: drawn once as arrays, and each person's state as the rules see it.

Given the same generator state, the agents engine and the vectorized engine build identical
populations (archetype, generation, affinity, tastes, day-0 status and attitude). `STATE` is
what the rules change about a person and `TRAITS` what they read and never change: the
vectorized engine keeps one record of each per person, the agents engine's `Customer` has the
same names as attributes, so the same rule works on either (sim/rules/journey.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agents.archetypes import Archetype
from agents.generations import Generation, draw_affinity
from sim.rules import experience, loyalty
from sim.rules.counters import NOT_WON, SOURCES
from sim.rules.journey import RESEARCH_PHASES, Phase
from sim.rules.loyalty import Status, spread_shape
from sim.scenario.schema import Scenario

STATE = np.dtype([  # what the rules change, per person
    ("status", np.int8), ("phase", np.int8), ("source", np.int8), ("last_channel", np.int8),
    ("acquired_via", np.int8), ("tipped_off", np.bool_), ("in_cohort", np.bool_),
    ("entering", np.bool_),  # a cohort member whose observed first purchase is still to come
    ("last_story", np.int8), ("days_left", np.int32), ("dwell", np.int32),
    ("journey_start", np.int32),
    ("next_event", np.int32),  # the next idle day that brings something (journey.py)
    ("last_story_day", np.int32), ("purchases", np.int32), ("touchpoint_count", np.int32),
    ("attitude", np.float64), ("revenue", np.float64),
    ("last_purchase", np.float64),  # EUR, the latest basket (for the transactions export)
    ("touchpoint_sum", np.float64),
    ("worst_touchpoint", np.float64),
], align=True)
TRAITS = np.dtype([  # what the rules read and never change, per person
    ("archetype", np.int64), ("ad_reach", np.float64), ("expected", np.float64),
    ("need_rate", np.float64), ("organic_rate", np.float64), ("loyalty", np.float64),
    ("spend", np.float64)], align=True)


@dataclass
class People:
    """Per-person arrays (length n) and per-archetype rates."""

    archetype: np.ndarray  # int, Archetype codes
    generation: np.ndarray  # int, Generation codes
    affinity: np.ndarray  # 0..1 digital affinity
    preferences: np.ndarray  # (n, 8) liking of each channel relative to the favourite
    patience: np.ndarray  # minutes of waiting at which agility falls to 1/e
    weights: np.ndarray  # (n, 6) importance of each attribute, rows sum to 1
    expected: np.ndarray  # expected experience 0..1
    ad_reach: np.ndarray  # daily chance of an effective ad exposure
    is_customer: np.ndarray  # bool, customer on day 0
    attitude: np.ndarray  # −1..1 on day 0
    need_rate: np.ndarray  # daily chance of a need (as a customer)
    organic_rate: np.ndarray  # daily chance of finding the firm unprompted (otherwise)
    loyalty: np.ndarray  # habit: logit added to a customer's decision to buy here again
    spend: np.ndarray  # EUR, mean spend per purchase
    entry_day: np.ndarray  # day of a day-0 customer's first purchase, or −1 (already one)
    dwell_mean: np.ndarray  # (archetypes, phases) mean days in each phase


def draw_people(s: Scenario, rng: np.random.Generator) -> People:
    """Draw a scenario's population; the order of draws is part of reproducibility."""
    pop, b = s.population, s.behaviour
    n = pop.size
    profiles = [s.profile(a) for a in Archetype]
    gens = [s.generation(g) for g in Generation]
    archetype = rng.choice(len(Archetype), n, p=[pop.archetypes.get(a.label, 0.0)
                                                 for a in Archetype])
    generation = rng.choice(len(Generation), n, p=[pop.generations.get(g.label, 0.0)
                                                   for g in Generation])
    affinity = draw_affinity(np.array([g.affinity for g in gens])[generation], rng,
                             concentration=b.affinity_concentration)
    prefs = np.array([g.preferences for g in gens])[generation]
    weights = np.array([p.weights for p in profiles])[archetype]
    response = np.array([p.ad_response for p in profiles])[archetype]
    is_customer = rng.random(n) < pop.initial_customer_share
    attitude = np.clip(rng.normal(np.where(is_customer, b.initial_attitude_customer,
                                           b.initial_attitude_prospect), b.attitude_spread),
                       -1, 1)
    return People(
        archetype=archetype, generation=generation, affinity=affinity,
        preferences=prefs / prefs.max(axis=1, keepdims=True),
        patience=np.array([g.patience_minutes for g in gens])[generation],
        weights=weights / weights.sum(axis=1, keepdims=True),
        expected=experience.expectation(affinity, b.expectation_base, b.expectation_digital),
        ad_reach=np.clip(s.strategy.advertising * loyalty.ad_effectiveness(
            affinity, b.ad_immunity, response), 0.0, 1.0),
        is_customer=is_customer, attitude=attitude, dwell_mean=_dwell_mean(s, profiles),
        **_individual(s, profiles, archetype, is_customer, rng))


def _dwell_mean(s: Scenario, profiles) -> np.ndarray:
    """(archetype, phase) mean days: the industry's, research phases × the archetype's."""
    base = np.array([0.0] + [s.industry.phase_days[p.label] for p in Phase if p != Phase.IDLE])
    research = np.isin(np.arange(len(Phase)), RESEARCH_PHASES)
    return np.array([np.where(research, base * p.research, base) for p in profiles])


def _individual(s: Scenario, profiles, archetype: np.ndarray, is_customer: np.ndarray,
                rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Each person's rates, habit and spend around the archetype's (`heterogeneity`)."""
    h, ind, n = s.heterogeneity, s.industry, len(archetype)
    need = np.array([p.need_rate for p in profiles])[archetype] * mean_one(h.need_rate_cv, n, rng)
    habit = np.array([p.loyalty for p in profiles])[archetype]
    if h.loyalty_sd > 0:
        habit = habit + rng.normal(0.0, h.loyalty_sd, n)
    spend = (ind.basket_value * np.array([p.basket for p in profiles])[archetype]
             * mean_one(h.spend_cv, n, rng))
    return {"need_rate": np.minimum(need / ind.need_interval_days, 1.0),
            "organic_rate": np.minimum(need * s.behaviour.organic_awareness_rate, 1.0),
            "loyalty": habit, "spend": spend,
            "entry_day": entry_days(s.population.entry_weights, is_customer, rng)}


def mean_one(cv: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` Gamma multipliers of mean 1 and coefficient of variation `cv` (1 each without spread)."""
    shape = spread_shape(cv)
    if shape == 0.0:
        return np.ones(n)
    return rng.gamma(shape, 1.0 / shape, n)


def entry_days(weights: list[float] | None, is_customer: np.ndarray,
               rng: np.random.Generator) -> np.ndarray:
    """The day each day-0 customer of an entering cohort first buys, by relative `weights`.

    −1 for everyone when there is no entering cohort, and for prospects.
    """
    days = np.full(len(is_customer), -1, dtype=np.int64)
    if weights is not None:
        p = np.asarray(weights, dtype=float)
        days[is_customer] = rng.choice(len(p), int(is_customer.sum()), p=p / p.sum())
    return days


def initial_state(people: People) -> np.ndarray:
    """Day 0 as `STATE` records: customers and prospects, idle.

    In an entering cohort (`population.entry_weights`) a day-0 customer is instead about to
    make their first purchase: in the action phase until their entry day, when they buy.
    """
    state = np.zeros(len(people.is_customer), dtype=STATE)
    state["status"] = np.where(people.is_customer, Status.CUSTOMER, Status.PROSPECT)
    state["in_cohort"] = people.is_customer
    state["attitude"] = people.attitude
    state["phase"] = Phase.IDLE
    state["last_channel"] = -1
    state["acquired_via"] = NOT_WON
    state["last_story_day"] = -1
    state["worst_touchpoint"] = np.inf
    entering = people.entry_day >= 0
    state["phase"][entering] = Phase.ACTION
    state["entering"] = entering
    state["days_left"][entering] = state["dwell"][entering] = people.entry_day[entering] + 1
    state["journey_start"][entering] = people.entry_day[entering]
    return state


def traits_of(people: People) -> np.ndarray:
    """What the rules read of each person, as `TRAITS` records."""
    traits = np.zeros(len(people.archetype), dtype=TRAITS)
    for name in TRAITS.names:
        traits[name] = getattr(people, name)
    return traits


def people_table(state: np.ndarray, people: People, shortfall: np.ndarray,
                 complaints: np.ndarray) -> dict:
    """Per-person arrays at the end of a run, as the metrics read them (either engine).

    `acquired_via` is the source's name, "" for someone the firm never won.
    """
    via = np.array([*SOURCES, ""])[state["acquired_via"]]  # NOT_WON (−1) → ""
    return {"archetype": people.archetype, "generation": people.generation,
            "initial_customer": people.is_customer, "in_cohort": state["in_cohort"].copy(),
            "purchases": state["purchases"].copy(), "revenue": state["revenue"].copy(),
            "shortfall": shortfall, "complaints": complaints, "acquired_via": via}
