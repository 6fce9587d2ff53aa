"""The people of a scenario, drawn once as arrays; both engines start from the same draws.

Given the same generator state, the agents engine and the vectorized engine build identical
populations (archetype, generation, affinity, tastes, day-0 status and attitude).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agents.archetypes import Archetype
from agents.generations import Generation, draw_affinity
from sim.rules import experience, loyalty
from sim.rules.journey import RESEARCH_PHASES, Phase
from sim.scenario.schema import Scenario

INITIAL_ATTITUDE = {True: 0.3, False: 0.0}  # customers chose the firm; prospects are neutral
ATTITUDE_SPREAD = 0.2


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
    need_rate: np.ndarray  # per archetype: daily chance of a need (customers)
    organic_rate: np.ndarray  # per archetype: daily chance a prospect finds the firm
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
    affinity = draw_affinity(np.array([g.affinity for g in gens])[generation], rng)
    prefs = np.array([g.preferences for g in gens])[generation]
    weights = np.array([p.weights for p in profiles])[archetype]
    response = np.array([p.ad_response for p in profiles])[archetype]
    is_customer = rng.random(n) < pop.initial_customer_share
    attitude = np.clip(rng.normal(np.where(is_customer, INITIAL_ATTITUDE[True],
                                           INITIAL_ATTITUDE[False]), ATTITUDE_SPREAD), -1, 1)
    return People(
        archetype=archetype, generation=generation, affinity=affinity,
        preferences=prefs / prefs.max(axis=1, keepdims=True),
        patience=np.array([g.patience_minutes for g in gens])[generation],
        weights=weights / weights.sum(axis=1, keepdims=True),
        expected=experience.expectation(affinity, b.expectation_base, b.expectation_digital),
        ad_reach=np.clip(s.strategy.advertising * loyalty.ad_effectiveness(
            affinity, b.ad_immunity, response), 0.0, 1.0),
        is_customer=is_customer, attitude=attitude, **_rates(s, profiles))


def _rates(s: Scenario, profiles) -> dict[str, np.ndarray]:
    ind = s.industry
    base = np.array([0.0] + [ind.phase_days[p.label] for p in Phase if p != Phase.IDLE])
    research = np.isin(np.arange(len(Phase)), RESEARCH_PHASES)
    return {
        "need_rate": np.array([p.need_rate / ind.need_interval_days for p in profiles]),
        "organic_rate": np.array([p.need_rate * s.behaviour.organic_awareness_rate
                                  for p in profiles]),
        "dwell_mean": np.array([np.where(research, base * p.research, base) for p in profiles]),
    }
