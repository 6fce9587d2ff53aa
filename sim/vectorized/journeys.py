"""One day of everyone's journey, compiled: `agents.Customer.step` for each person in turn.

The control flow mirrors `agents.Customer` method for method (look for a need, act in the
phase, finish it: decide, buy, judge) and every decision is one of the shared rules from sim/,
compiled into the kernel (sim/jit.py). What involves other people is written to the day's
buffers: touchpoints are scored at the end of the day, stories are heard tomorrow (DESIGN.md
Decision 2), so stepping people in order changes nothing but who draws which number.
"""

from __future__ import annotations

import numpy as np

from agents.customer import Status
from sim import channels, experience, journey, loyalty
from sim.jit import inlined, kernel
from sim.journey import Phase
from sim.vectorized.state import (
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
from sim.vectorized.stories import share

IDLE, AWARENESS, DISCOVERY, INTEREST, CONSIDERATION, ACTION, USE, ENGAGEMENT = map(int, Phase)
CUSTOMER, CHURNED = int(Status.CUSTOMER), int(Status.CHURNED)


@kernel
def live_day(day, crowd, folk, kinds, dwell_mean, preferences, offered, r, review_mean, rng,
             network, buffers, tallies, census):
    """Everyone lives day `day`: idle people look for a need, the others act in their phase.

    Ends with the census of phases (row 0) and statuses (row 1) for the daily series: nothing
    later in the day moves anyone to another phase or status.
    """
    touches, stories, reviews, entries, purchases, fill, counts, sums = buffers
    (funnel, dwell_days, dwell_count, channel_mix, acquisitions, to_purchase_days,
     to_purchase_count, wom_reach, wom_sharers, review_counts, nps, _, _) = tallies
    census[:] = 0
    for i in range(len(crowd)):
        c, f = crowd[i], folk[i]
        kind = kinds[f.archetype]
        if c.phase == IDLE:
            source = _look_for_need(c, f, kind, r, rng)
            if source >= 0:
                _start_journey(i, c, f.archetype, source, day, dwell_mean, rng, funnel,
                               entries, fill)
        else:
            first_day = c.days_left == c.dwell
            if c.phase != ENGAGEMENT:
                chance = _touchpoint_chance(c, kind, r, first_day)
                if chance > 0 and rng.random() < chance:
                    _interact(i, c, preferences[i], offered, r, rng, touches, fill, counts,
                              channel_mix)
            elif first_day:  # judge the journey (its touchpoints are scored by now), talk
                valence = _judge(c, f, kind, r, rng, counts, sums, nps)
                if valence != 0:
                    share(i, valence, kind, r, rng, network, stories, reviews, fill, sums,
                          wom_reach, wom_sharers, review_counts)
            c.days_left -= 1
            if c.days_left <= 0:  # finish the phase: decide, buy or move on
                dwell_days[c.phase, f.archetype] += c.dwell
                dwell_count[c.phase, f.archetype] += 1
                phase = c.phase
                if phase == CONSIDERATION:
                    phase = _decide(c, kind, r, review_mean, rng, counts)
                elif phase == ACTION:
                    _buy(i, c, f.archetype, kind, r, day, counts, sums, purchases, fill,
                         acquisitions, to_purchase_days, to_purchase_count)
                    phase = USE
                else:
                    phase = journey.next_phase(phase)
                _enter(i, c, f.archetype, phase, day, dwell_mean, rng, funnel, entries, fill)
        census[0, c.phase] += 1
        census[1, c.status] += 1


@inlined
def _look_for_need(c, f, kind, r, rng):
    """What starts a journey today (a source code), or −1: `Customer.look_for_need`."""
    if c.status == CUSTOMER:
        event = journey.idle_customer_day(kind.need_rate, f.ad_reach, rng)
        if event == journey.NEED_ARRIVES:
            return NEED
        if event == journey.AD_SEEN:
            c.attitude = min(1.0, c.attitude + r.ad_attitude_effect)
        return -1
    if c.tipped_off:
        c.tipped_off = False
        return WORD_OF_MOUTH
    u = rng.random()
    if u < f.ad_reach:
        return ADVERTISING
    if u < f.ad_reach + kind.organic_rate:
        return ORGANIC
    return -1


@inlined
def _start_journey(i, c, archetype, source, day, dwell_mean, rng, funnel, entries, fill):
    c.source = source
    c.journey_start = day
    c.touchpoint_sum, c.touchpoint_count, c.worst_touchpoint = 0.0, 0, np.inf
    c.last_channel = -1
    _enter(i, c, archetype, AWARENESS, day, dwell_mean, rng, funnel, entries, fill)


@inlined
def _enter(i, c, archetype, phase, day, dwell_mean, rng, funnel, entries, fill):
    """Move to `phase` and draw the days there (`Customer.enter`)."""
    c.phase = phase
    if phase == IDLE:
        return
    funnel[phase] += 1
    if len(entries):  # recording journeys
        entry = entries[fill[ENTRIES]]
        entry.who, entry.phase = i, phase
        fill[ENTRIES] += 1
    days = journey.dwell_days(dwell_mean[archetype, phase], rng)
    c.dwell = days
    c.days_left = days


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
def _interact(i, c, preferences, offered, r, rng, touches, fill, counts, channel_mix):
    """Pick a channel; the touchpoint is scored at the end of the day."""
    channel = channels.choose_channel(preferences, offered, c.phase, c.last_channel,
                                      r.channel_stickiness, rng)
    switched = c.last_channel >= 0 and channel != c.last_channel
    fragmented = switched and rng.random() >= r.integration
    c.last_channel = channel
    touch = touches[fill[TOUCHES]]
    touch.who, touch.phase, touch.channel, touch.fragmented = i, c.phase, channel, fragmented
    fill[TOUCHES] += 1
    channel_mix[c.phase, channel] += 1
    counts[INTERACTIONS] += 1
    counts[SWITCHES] += switched
    counts[FRAGMENTED] += fragmented


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
