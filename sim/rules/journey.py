"""The seven-phase customer journey (seed 004_f577f70e35375867.txt) and the idle days between.

Entering, living and finishing a phase, and what starts a journey. Each function that changes
a person is written once and used by both engines (docs/design.md Decision 1): the agents engine
calls it from `agents.customer.Customer`'s verbs with the customer itself as `person`, the
vectorized engine compiles it into its kernels with the person's record (sim/rules/jit.py).
`person` holds the dynamic state (phase, status, ...) and `traits` what never changes
(`archetype`, `ad_reach`, `expected`); for a Mesa customer both are the agent. `profile` is
the person's archetype (`sim.world.profiles`), `params` the scenario's numbers
(`sim.world.params.Params`), `tally` the run's books and `buffers` the day's queues.
"""

from __future__ import annotations

import numpy as np

from sim.rules import counters, loyalty
from sim.rules.jit import rule
from sim.rules.loyalty import Status
from sim.rules.phases import (  # noqa: F401 (the journey's phases, named here too)
    ACTION,
    AWARENESS,
    CONSIDERATION,
    DISCOVERY,
    ENGAGEMENT,
    IDLE,
    INTEREST,
    JOURNEY,
    PHASE_NAMES,
    PRE_PURCHASE,
    RESEARCH_PHASES,
    USE,
    Phase,
)

CUSTOMER = int(Status.CUSTOMER)

# What an idle day brings: nothing, or one of two events. For a customer the first is a new
# need and the second an effective ad; for a prospect or former customer, an ad that starts a
# journey and noticing the firm on their own (docs/ODD.md 7.1).
NOTHING, FIRST_EVENT, SECOND_EVENT = 0, 1, 2
NEVER = 2**31 - 1  # the day of an event whose chance is zero (fits the engines' int32 days)


@rule
def next_phase(phase: int) -> int:
    """The phase after `phase`; engagement returns to idle."""
    return IDLE if phase == ENGAGEMENT else phase + 1


@rule
def dwell_days(mean_days, rng: np.random.Generator):
    """Days spent in a phase: 1 + Poisson(mean − 1), so at least one day and mean `mean_days`.

    A Poisson tail keeps long phases (housing: months) variable without the heavy tail of a
    geometric draw. Works on a number or an array of them.
    """
    return 1 + rng.poisson(np.maximum(mean_days - 1.0, 0.0))


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
def days_to_idle_event(first: float, second: float, rng: np.random.Generator) -> int:
    """Days until the next idle day that brings an event, counting the next idle day as 1.

    Days are independent, each bringing an event with chance `first + second`, so the wait is
    geometric: drawn at once, the days between cost no draw. NEVER when nothing can happen.
    """
    chance = first + second
    if chance <= 0.0:
        return NEVER
    return min(rng.geometric(min(chance, 1.0)), NEVER)


@rule
def idle_event(first: float, second: float, rng: np.random.Generator) -> int:
    """Which event a day that brings one brings: FIRST_EVENT or SECOND_EVENT."""
    return FIRST_EVENT if rng.random() * (first + second) < first else SECOND_EVENT


@rule
def schedule_idle_event(person, traits, profile, first_day: int, rng) -> None:
    """Draw the day of the person's next idle event, idle days counted from `first_day`."""
    first, second = idle_chances(person.status == CUSTOMER, traits.need_rate, traits.ad_reach,
                                 traits.organic_rate)
    person.next_event = min(first_day - 1 + days_to_idle_event(first, second, rng), NEVER)


@rule
def quiet_day(person, day: int) -> bool:
    """Whether nothing can start a journey today: no tip-off, and no idle event due."""
    return (not person.tipped_off or person.status == CUSTOMER) and day < person.next_event


@rule
def look_for_need(person, traits, profile, params, day: int, rng) -> int:
    """What starts a journey today (a `counters.SOURCES` code), or −1 for an idle day.

    A prospect tipped off by a good story yesterday looks at the firm today. Otherwise, on the
    day of the person's idle event: a customer gets a need or sees an ad (which moves their
    attitude and leaves them idle); anyone else sees an ad or finds the firm on their own.
    """
    if quiet_day(person, day):
        return -1
    is_customer = person.status == CUSTOMER
    if person.tipped_off and not is_customer:
        person.tipped_off = False
        return counters.WORD_OF_MOUTH
    first, second = idle_chances(is_customer, traits.need_rate, traits.ad_reach,
                                 traits.organic_rate)
    event = idle_event(first, second, rng)
    if not is_customer:
        return counters.ADVERTISING if event == FIRST_EVENT else counters.ORGANIC
    if event == FIRST_EVENT:
        return counters.NEED
    loyalty.see_ad(person, params.ad_attitude_effect)
    schedule_idle_event(person, traits, profile, day + 1, rng)
    return -1


@rule
def start_journey(person, source: int, day: int) -> None:
    """A need (or a story, an ad) starts a journey: a clean slate of touchpoints."""
    person.source = source
    person.journey_start = day
    person.touchpoint_sum, person.touchpoint_count = 0.0, 0
    person.worst_touchpoint = np.inf
    person.last_channel = -1


@rule
def enter_phase(person, traits, profile, phase: int, day: int, dwell_mean, rng, tally) -> None:
    """The person moves to `phase`: draw how long they stay, or, idle, when something happens.

    Keeps the head count by phase and counts the journey in the funnel. `dwell_mean` is the
    (archetype, phase) mean days.
    """
    tally.in_phase[person.phase] -= 1
    tally.in_phase[phase] += 1
    person.phase = phase
    if phase == IDLE:
        schedule_idle_event(person, traits, profile, day + 1, rng)
        return
    tally.funnel[phase] += 1
    person.dwell = person.days_left = dwell_days(dwell_mean[traits.archetype, phase], rng)


@rule
def touchpoint_chance(person, profile, params) -> float:
    """Chance of a touchpoint today in the person's phase (engagement has none: it is judged).

    Awareness: an ad, a post, a search; research phases: the archetype's habit; action: the
    purchase itself, on its last day; use: an after-sales contact on its first day.
    """
    phase = person.phase
    if phase == AWARENESS:
        return params.awareness_touchpoint
    if DISCOVERY <= phase <= CONSIDERATION:
        return profile.touchpoints
    if phase == ACTION:
        return 1.0 if person.days_left == 1 else 0.0
    if phase == USE:
        return params.support_contact_probability if person.days_left == person.dwell else 0.0
    return 0.0


@rule
def count_down(person) -> bool:
    """One more day spent in the phase; whether it is over."""
    person.days_left -= 1
    return person.days_left <= 0


@rule
def finish_phase(person, traits, profile, params, review_mean: float, day: int, rng,
                 tally) -> int:
    """Leave the phase and return the next one.

    At the end of consideration the person decides: buy here (action) or elsewhere, when a
    customer churns (`loyalty.decide`, `loyalty.churn`); the end of action is the purchase
    (`loyalty.buy`), unless an online checkout is abandoned (`loyalty.abandons_checkout`);
    any other phase leads to the next.
    """
    tally.dwell_days[person.phase, traits.archetype] += person.dwell
    tally.dwell_count[person.phase, traits.archetype] += 1
    if person.phase == CONSIDERATION:
        if loyalty.decide(person, traits, params, review_mean, rng):
            return ACTION
        if person.status == CUSTOMER:
            loyalty.churn(person, tally)
        return IDLE
    if person.phase == ACTION:
        if loyalty.abandons_checkout(person, params, rng):
            tally.counts[counters.ABANDONED] += 1
            return IDLE
        loyalty.buy(person, traits, params, day, rng, tally)
        return USE
    return next_phase(person.phase)
