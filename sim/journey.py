"""The seven-phase customer journey (seed 004_f577f70e35375867.txt) and its timing rules."""

from __future__ import annotations

import numpy as np

from sim.jit import rule
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
_IDLE, _ENGAGEMENT = int(Phase.IDLE), int(Phase.ENGAGEMENT)
PHASE_NAMES = tuple(p.label for p in JOURNEY)
# Phases where the customer researches options: archetypes differ most here (seed 002).
RESEARCH_PHASES = (Phase.DISCOVERY, Phase.INTEREST, Phase.CONSIDERATION)
# Phases before and including the purchase: awareness-to-purchase time spans these.
PRE_PURCHASE = (Phase.AWARENESS, *RESEARCH_PHASES, Phase.ACTION)


@rule
def next_phase(phase: int) -> int:
    """The phase after `phase`; engagement returns to idle."""
    return _IDLE if phase == _ENGAGEMENT else phase + 1


@rule
def dwell_days(mean_days, rng: np.random.Generator):
    """Days spent in a phase: 1 + Poisson(mean − 1), so at least one day and mean `mean_days`.

    A Poisson tail keeps long phases (housing: months) variable without the heavy tail of a
    geometric draw. Like every rule here, it works on a number or on an array of them, and
    compiles with numba into the vectorized engine's kernels (sim/jit.py).
    """
    return 1 + rng.poisson(np.maximum(mean_days - 1.0, 0.0))


NOTHING, NEED_ARRIVES, AD_SEEN = 0, 1, 2  # what an idle customer's day brings


@rule
def idle_customer_day(need_rate: float, ad_reach: float, rng: np.random.Generator) -> int:
    """What an idle customer's day brings, decided by one draw.

    A new need (the start of awareness) with chance `need_rate`, else an effective ad with
    chance `ad_reach`, else nothing.
    """
    u = rng.random()
    if u < need_rate:
        return NEED_ARRIVES
    if u < need_rate + (1.0 - need_rate) * ad_reach:
        return AD_SEEN
    return NOTHING
