"""The seven-phase customer journey (seed 004_f577f70e35375867.txt) and its timing rules."""

from __future__ import annotations

import numpy as np

from sim.rules.jit import rule
from sim.rules.labels import Labelled


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


# What an idle day brings: nothing, or one of two events. For a customer the first is a new
# need and the second an effective ad; for a prospect or former customer, an ad that starts a
# journey and noticing the firm on their own (docs/ODD.md 7.1).
NOTHING, FIRST_EVENT, SECOND_EVENT = 0, 1, 2
NEVER = 2**31 - 1  # the day of an event whose chance is zero (fits the engines' int32 days)


@rule
def idle_chances(is_customer: bool, need_rate: float, ad_reach: float, organic_rate: float):
    """Daily chances of an idle person's first and second events (see NOTHING above).

    A customer gets a need with chance `need_rate` and, on a day without one, an effective ad
    with chance `ad_reach`; anyone else notices an ad (`ad_reach`) or the firm on their own.
    """
    if is_customer:
        return need_rate, (1.0 - need_rate) * ad_reach
    return ad_reach, organic_rate


@rule
def idle_day(first: float, second: float, rng: np.random.Generator) -> int:
    """What one idle day brings, decided by one draw: FIRST_EVENT, SECOND_EVENT or NOTHING."""
    u = rng.random()
    if u < first:
        return FIRST_EVENT
    if u < first + second:
        return SECOND_EVENT
    return NOTHING


@rule
def days_to_idle_event(first: float, second: float, rng: np.random.Generator) -> int:
    """Days until the next idle day that brings an event, counting the next idle day as 1.

    The same process as `idle_day` on every day, drawn at once: days are independent, so the
    wait is geometric with the chance of either event. NEVER when neither can happen.
    """
    chance = first + second
    if chance <= 0.0:
        return NEVER
    return min(rng.geometric(min(chance, 1.0)), NEVER)


@rule
def idle_event(first: float, second: float, rng: np.random.Generator) -> int:
    """Which event a day that brings one brings: FIRST_EVENT or SECOND_EVENT, as `idle_day`."""
    return FIRST_EVENT if rng.random() * (first + second) < first else SECOND_EVENT
