"""The seven-phase customer journey (seed 004_f577f70e35375867.txt) and its timing rules."""

from __future__ import annotations

import numpy as np

from sim.labels import Labelled


class Phase(Labelled):
    """Journey phases in order; IDLE is the time between journeys (no active need)."""

    IDLE = 0
    AWARENESS = 1
    DISCOVERY = 2
    INTEREST = 3
    CONSIDERATION = 4
    ACTION = 5
    USE = 6
    ENGAGEMENT = 7


JOURNEY = tuple(p for p in Phase if p is not Phase.IDLE)
PHASE_NAMES = tuple(p.label for p in JOURNEY)
# Phases where the customer researches options: archetypes differ most here (seed 002).
RESEARCH_PHASES = (Phase.DISCOVERY, Phase.INTEREST, Phase.CONSIDERATION)
# Phases before and including the purchase: awareness-to-purchase time spans these.
PRE_PURCHASE = (Phase.AWARENESS, *RESEARCH_PHASES, Phase.ACTION)


def next_phase(phase: int) -> int:
    """The phase after `phase`; engagement returns to idle."""
    return Phase.IDLE if phase == Phase.ENGAGEMENT else phase + 1


def dwell_days(mean_days, rng: np.random.Generator, size=None):
    """Days spent in a phase: 1 + Poisson(mean − 1), so at least one day and mean `mean_days`.

    Works on scalars and arrays (both engines use it). A Poisson tail keeps long phases
    (housing: months) variable without the heavy tail of a geometric draw.
    """
    return 1 + rng.poisson(np.maximum(np.asarray(mean_days, dtype=float) - 1.0, 0.0), size)


def need_arrives(daily_rate, rng: np.random.Generator, size=None):
    """Whether a new need (the start of awareness) arrives today, per customer."""
    return rng.random(size) < daily_rate
