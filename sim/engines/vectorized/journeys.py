"""One day of everyone's journey, compiled: `agents.Customer.step` for each person in turn.

The control flow mirrors `agents.Customer` method for method (look for a need, act in the
phase, finish it: decide, buy, judge) and every decision is one of the shared rules from sim/,
compiled into the kernel (sim/jit.py). What involves other people is written to the day's
buffers: touchpoints are scored at the end of the day, stories are heard tomorrow (docs/design.md
Decision 2), so stepping people in order changes nothing but who draws which number.

One difference: where the agents draw every idle day, the loop draws the wait to an idle
person's next event (`_schedule_idle_event`, docs/ODD.md 7.1), the same distribution without a
draw on the four person-days in five that are idle.
"""

from __future__ import annotations

import numpy as np

from sim.engines.vectorized.state import (
    ACQUISITIONS,
    ADVERTISING,
    BOUGHT,
    COHORT_LOST,
    DEFECTIONS,
    ENTRIES,
    FRAGMENTED,
    INTERACTIONS,
    NEED,
    ORGANIC,
    PURCHASES,
    RATED,
    RECOVERED,
    REVENUE,
    SATISFACTION,
    SWITCHES,
    TOUCHES,
    WORD_OF_MOUTH,
)
from sim.engines.vectorized.stories import share
from sim.rules import channels, experience, journey, loyalty
from sim.rules.jit import inlined, kernel
from sim.rules.journey import Phase
from sim.rules.loyalty import Status

IDLE, AWARENESS, DISCOVERY, INTEREST, CONSIDERATION, ACTION, USE, ENGAGEMENT = map(int, Phase)
CUSTOMER, CHURNED = int(Status.CUSTOMER), int(Status.CHURNED)
STAYING = -1  # no phase to enter today


@kernel
def live_day(day, crowd, folk, kinds, dwell_mean, preferences, offered, r, review_mean, rng,
             network, buffers, tallies, census):
    """Everyone lives day `day`: idle people look for a need, the others act in their phase.

    Ends with the census of phases (row 0) and statuses (row 1) for the daily series: nothing
    later in the day moves anyone to another phase or status.

    The day's arrays are written here rather than in the small steps below: numba counts
    references to an array passed to a step (two atomic operations each way), which on the
    busiest paths, a touchpoint and a new phase, cost more than the step itself.
    """
    touches, stories, reviews, entries, purchases, fill, counts, sums = buffers
    (funnel, dwell_days, dwell_count, channel_mix, acquisitions, to_purchase_days,
     to_purchase_count, wom_reach, wom_sharers, review_counts, nps, _, _) = tallies
    census[:] = 0
    for i in range(len(crowd)):
        c, f = crowd[i], folk[i]
        kind = kinds[f.archetype]
        entering = STAYING
        if c.phase == IDLE:
            source = _look_for_need(c, f, kind, r, day, rng)
            if source >= 0:
                _start_journey(c, source, day)
                entering = AWARENESS
        else:
            first_day = c.days_left == c.dwell
            if c.phase != ENGAGEMENT:
                chance = _touchpoint_chance(c, kind, r, first_day)
                if chance > 0 and rng.random() < chance:  # a touchpoint, scored tonight
                    channel = channels.choose_channel(preferences[i], offered, c.phase,
                                                      c.last_channel, r.channel_stickiness, rng)
                    switched, fragmented = _switch_to(c, channel, r, rng)
                    touch = touches[fill[TOUCHES]]
                    touch.who, touch.phase, touch.channel = i, c.phase, channel
                    touch.fragmented = fragmented
                    fill[TOUCHES] += 1
                    channel_mix[c.phase, channel] += 1
                    counts[INTERACTIONS] += 1
                    counts[SWITCHES] += switched
                    counts[FRAGMENTED] += fragmented
            elif first_day:  # judge the journey (its touchpoints are scored by now), talk
                valence = _judge(c, f, kind, r, rng, counts, sums, nps)
                if valence != 0:
                    share(i, valence, kind, r, rng, network, stories, reviews, fill, sums,
                          wom_reach, wom_sharers, review_counts)
            c.days_left -= 1
            if c.days_left <= 0:  # finish the phase: decide, buy or move on
                dwell_days[c.phase, f.archetype] += c.dwell
                dwell_count[c.phase, f.archetype] += 1
                if c.phase == CONSIDERATION:
                    entering = _decide(c, kind, r, review_mean, rng, counts)
                elif c.phase == ACTION:
                    _buy(i, c, f.archetype, kind, r, day, counts, sums, purchases, fill,
                         acquisitions, to_purchase_days, to_purchase_count)
                    entering = USE
                else:
                    entering = journey.next_phase(c.phase)
        if entering != STAYING:  # `Customer.enter`
            c.phase = entering
            if entering == IDLE:
                _schedule_idle_event(c, f, kind, day + 1, rng)
            else:
                funnel[entering] += 1
                if len(entries):  # recording journeys
                    entries[fill[ENTRIES]].who, entries[fill[ENTRIES]].phase = i, entering
                    fill[ENTRIES] += 1
                c.dwell = c.days_left = journey.dwell_days(dwell_mean[f.archetype, entering],
                                                           rng)
        census[0, c.phase] += 1
        census[1, c.status] += 1


@kernel
def schedule_idle_events(crowd, folk, kinds, first_day, rng):
    """Everyone is idle from `first_day` (day 0): draw the day of each one's next idle event."""
    for i in range(len(crowd)):
        _schedule_idle_event(crowd[i], folk[i], kinds[folk[i].archetype], first_day, rng)


@inlined
def _schedule_idle_event(c, f, kind, first_day, rng):
    """Draw the day of the next idle event, idle days counted from `first_day`.

    The agents draw every idle day (`journey.idle_day`); here the wait to the next day that
    brings something is drawn at once (`journey.days_to_idle_event`, the same distribution),
    so the days between cost no draw.
    """
    wait = journey.days_to_idle_event(*_idle_chances(c, f, kind), rng)
    c.next_event = min(first_day - 1 + wait, journey.NEVER)


@inlined
def _idle_chances(c, f, kind):
    """This person's daily chances of the two idle events (`journey.idle_chances`)."""
    return journey.idle_chances(c.status == CUSTOMER, kind.need_rate, f.ad_reach,
                                kind.organic_rate)


@inlined
def _look_for_need(c, f, kind, r, day, rng):
    """What starts a journey today (a source code), or −1: `Customer.look_for_need`."""
    is_customer = c.status == CUSTOMER
    if c.tipped_off and not is_customer:
        c.tipped_off = False
        return WORD_OF_MOUTH
    if day < c.next_event:
        return -1
    event = journey.idle_event(*_idle_chances(c, f, kind), rng)
    if not is_customer:
        return ADVERTISING if event == journey.FIRST_EVENT else ORGANIC
    if event == journey.FIRST_EVENT:
        return NEED
    c.attitude = min(1.0, c.attitude + r.ad_attitude_effect)  # an ad; still idle
    _schedule_idle_event(c, f, kind, day + 1, rng)
    return -1


@inlined
def _start_journey(c, source, day):
    """A need becomes awareness (`Customer.start_journey`); the caller enters the phase."""
    c.source = source
    c.journey_start = day
    c.touchpoint_sum, c.touchpoint_count, c.worst_touchpoint = 0.0, 0, np.inf
    c.last_channel = -1


@inlined
def _touchpoint_chance(c, kind, r, first_day):
    """Chance of a touchpoint today in the current phase (`Customer.act_in_phase`)."""
    if c.phase == AWARENESS:
        return r.awareness_touchpoint
    if DISCOVERY <= c.phase <= CONSIDERATION:
        return kind.touchpoints
    if c.phase == ACTION:
        return 1.0 if c.days_left == 1 else 0.0  # the purchase itself, on the last day
    return r.support_contact_probability if first_day else 0.0  # use


@inlined
def _switch_to(c, channel, r, rng):
    """Use `channel` now: did the person switch channel, and was the switch fragmented?"""
    switched = c.last_channel >= 0 and channel != c.last_channel
    fragmented = switched and rng.random() >= r.integration
    c.last_channel = channel
    return switched, fragmented


@inlined
def _decide(c, kind, r, review_mean, rng, counts):
    """End of consideration: the next phase, ACTION (buy here) or IDLE (`Customer.decide`)."""
    seen = c.attitude + r.review_influence * review_mean
    is_customer = c.status == CUSTOMER
    p = loyalty.choose_firm_probability(seen, is_customer, r.purchase_intercept,
                                     r.purchase_slope, r.customer_bonus, kind.loyalty)
    if rng.random() < p:
        return ACTION
    if is_customer:  # churn: take the business elsewhere
        c.status = CHURNED
        counts[DEFECTIONS] += 1
        if c.in_cohort:
            c.in_cohort = False
            counts[COHORT_LOST] += 1
    return IDLE


@inlined
def _buy(i, c, archetype, kind, r, day, counts, sums, purchases, fill, acquisitions,
         to_purchase_days, to_purchase_count):
    """The purchase: revenue, and a new customer if this person was not one (`Customer.buy`)."""
    basket = r.basket_value * kind.basket
    c.purchases += 1
    c.revenue += basket
    sums[REVENUE] += basket
    counts[BOUGHT] += 1
    if len(purchases):  # recording journeys
        purchase = purchases[fill[PURCHASES]]
        purchase.who, purchase.amount = i, basket
        fill[PURCHASES] += 1
    to_purchase_days[archetype] += day - c.journey_start + 1
    to_purchase_count[archetype] += 1
    if c.status != CUSTOMER:
        c.status = CUSTOMER
        c.acquired_via = c.source
        acquisitions[c.source, archetype] += 1
        counts[ACQUISITIONS] += 1


@inlined
def _judge(c, f, kind, r, rng, counts, sums, nps):
    """Rate the journey and update attitude; returns the NPS class (`Customer.judge`)."""
    score = experience.journey_experience(c.touchpoint_sum, c.touchpoint_count, c.worst_touchpoint,
                                    kind.worst_touchpoint)
    journey_gap = 0.0 if np.isnan(score) else score - f.expected
    product_gap = r.product_quality + rng.normal(0.0, r.noise_sd) - f.expected
    sat = experience.satisfaction(journey_gap, product_gap, r.satisfaction_sensitivity)
    valence = experience.nps_class(experience.recommend_score(sat))
    if valence < 0 and rng.random() < r.recovery_chance:
        sat, valence = r.recovered_satisfaction, 0  # a fast public answer defuses it
        counts[RECOVERED] += 1
    sums[SATISFACTION] += sat
    counts[RATED] += 1
    nps[valence + 1] += 1
    c.attitude = loyalty.updated_attitude(c.attitude, sat, r.attitude_memory)
    return valence
