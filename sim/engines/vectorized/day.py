"""The vectorized engine's day, compiled: `CustomerJourneyModel.step` for everyone at once.

Each part walks the people in order and calls the same rules as the Mesa agents' verbs
(sim/rules/, compiled in: sim/rules/jit.py), on each person's records: `state` (what the
rules change), `traits` (what they read) and the archetype's `profile`. What involves other
people goes through the day's buffers: touchpoints are scored tonight, stories heard tomorrow
(docs/design.md Decision 2). The one part that differs from the agents engine is the desks: an
exact FIFO heap here (`sim.engines.queueing.fifo_waits`), SimPy processes there.
"""

from __future__ import annotations

import numpy as np

from sim.engines.queueing import fifo_waits
from sim.engines.setup import first_idle_events
from sim.rules import buffers as queues
from sim.rules import channels, experience, journey, limits, service, wom
from sim.rules.borrow import borrowed
from sim.rules.buffers import REVIEWS, STORIES, TOUCHES
from sim.rules.jit import kernel
from sim.rules.journey import AWARENESS, ENGAGEMENT, IDLE
from sim.rules.tally import open_day


@kernel
def live(day, state, traits, profiles, dwell_mean, preferences, offered, params, review_mean,
         rng, network, tally, buffers):
    """Everyone lives day `day`, in person order: `agents.customer.Customer.step`."""
    # Borrowed (sim/rules/borrow.py): the rules called below count no references to them.
    buffers, dwell_mean = borrowed(buffers), borrowed(dwell_mean)
    preferences, offered = borrowed(preferences), borrowed(offered)
    indptr, neighbours = borrowed(network)
    for i in range(len(state)):
        person, trait = state[i], traits[i]
        profile = profiles[trait.archetype]
        if person.phase == IDLE:  # look for a need (most days, in one check: nothing)
            if journey.quiet_day(person, day):
                continue
            source = journey.look_for_need(person, trait, profile, params, day, rng)
            if source >= 0:
                journey.start_journey(person, source, day)
                journey.enter_phase(person, trait, profile, AWARENESS, day, dwell_mean, rng,
                                    tally)
                queues.note_entry(buffers, i, AWARENESS, person.last_purchase)
            continue
        if person.phase == ENGAGEMENT:  # act in the phase: judge the journey, talk
            if person.days_left == person.dwell:
                valence = experience.judge(person, trait, profile, params, rng, tally)
                if valence != 0:
                    wom.tell(i, valence, profile, params, rng, indptr, neighbours, tally,
                             buffers)
        else:  # act in the phase: maybe a touchpoint
            chance = journey.touchpoint_chance(person, profile, params)
            if chance > 0 and rng.random() < chance:
                channel, fragmented = channels.interact(person, preferences[i], offered,
                                                        params, rng, tally)
                queues.queue_touchpoint(buffers, i, person.phase, channel, fragmented)
        if journey.count_down(person):  # finish the phase
            following = journey.finish_phase(person, trait, profile, params, review_mean, day,
                                             rng, tally)
            journey.enter_phase(person, trait, profile, following, day, dwell_mean, rng, tally)
            queues.note_entry(buffers, i, following, person.last_purchase)


@kernel
def hear_stories(day, state, traits, profiles, params, rng, buffers):
    """Yesterday's stories are heard, in the order they were told (`Customer.hear`)."""
    for k in range(buffers.fill[STORIES]):
        listener = buffers.story_listener[k]
        profile = profiles[traits[listener].archetype]
        wom.hear(state[listener], profile, buffers.story_valence[k], params, day, rng)


@kernel
def advocate(state, traits, profiles, params, rng, network, tally, buffers):
    """Validation limit `advocacy: daily` (sim/rules/limits.py): advocates tell a good story."""
    indptr, neighbours = network
    for i in limits.advocates(state.phase, state.status):
        wom.tell(i, 1, profiles[traits[i].archetype], params, rng, indptr, neighbours, tally,
                 buffers)


@kernel
def tell_story(i, valence, traits, profiles, params, rng, network, tally, buffers):
    """Person `i` tells their contacts a story today (`Customer.tell`), from Python."""
    indptr, neighbours = network
    wom.tell(i, valence, profiles[traits[i].archetype], params, rng, indptr, neighbours, tally,
             buffers)


@kernel
def serve_desks(day, channel, desks, rng, tally):
    """Waits (minutes) of today's touchpoints at the staffed desks; 0 at other channels.

    Every desk takes its contacts (`service.desk_arrivals`) against the same clock, when
    yesterday's last contact was served, and the clock moves on once all desks are done: the
    desks of one SimPy environment, served by the exact FIFO queue.
    """
    desk_channel, servers, handle_minutes, heaps, open_minutes, clock = desks
    wait, day_end = np.zeros(len(channel)), clock[0]
    for d in range(len(desk_channel)):
        at_desk = np.flatnonzero(channel == desk_channel[d])
        if len(at_desk) == 0:
            continue
        arrivals, handling = service.desk_arrivals(len(at_desk), open_minutes, handle_minutes[d],
                                                   rng)
        waits, served = fifo_waits(heaps[d, :servers[d]], clock[0], day * service.MINUTES_PER_DAY,
                                   arrivals, handling)
        day_end = max(day_end, served)
        wait[at_desk] = waits
        service.book_waits(tally, desk_channel[d], waits)
    clock[0] = day_end
    return wait


@kernel
def settle_touchpoints(day, state, people, firm, desks, shortfall, complaints, rng, tally,
                       buffers):
    """Tonight: desks serve today's contacts, every touchpoint is scored and remembered."""
    preferences, weights, patience, expected = people
    offered, quality, levers = firm
    n = buffers.fill[TOUCHES]
    if n == 0:
        return
    who, channel = buffers.touch_who[:n], buffers.touch_channel[:n]
    wait = serve_desks(day, channel, desks, rng, tally)
    points = experience.score_touchpoints(who, channel, buffers.touch_phase[:n],
                                          buffers.touch_fragmented[:n], wait, preferences,
                                          weights, patience, expected, quality, levers,
                                          shortfall, complaints, rng)
    for k in range(n):
        experience.remember(state[who[k]], points[k])


@kernel
def one_day(day, world, firm, desks, params, review_mean, daily_advocacy, rng, network, tally,
            buffers):
    """Day `day` for everyone, as `CustomerJourneyModel.step`; returns tomorrow's review mean.

    Hear yesterday's stories, everyone lives the day, advocates talk (a validation limit),
    desks serve and touchpoints are scored, today's reviews join the public average. The
    day's books are left in `tally` for the caller to close.
    """
    state, traits, profiles, dwell_mean, people, shortfall, complaints = world
    preferences, offered = people[0], firm[0]
    open_day(tally)
    hear_stories(day, state, traits, profiles, params, rng, buffers)
    buffers.fill[:] = 0
    live(day, state, traits, profiles, dwell_mean, preferences, offered, params, review_mean,
         rng, network, tally, buffers)
    if daily_advocacy:
        advocate(state, traits, profiles, params, rng, network, tally, buffers)
    settle_touchpoints(day, state, people, firm, desks, shortfall, complaints, rng, tally,
                       buffers)
    return wom.review_average(review_mean, buffers.review_valence[:buffers.fill[REVIEWS]],
                              params.review_memory)


@kernel
def run_days(first_day, days, world, firm, desks, params, review_mean, daily_advocacy, rng,
             network, tally, buffers, books):
    """`days` days from `first_day` in one call; returns the review mean after them.

    Each day's flows and head counts go to row d of `books`; the days are closed and the
    daily series made from them afterwards (`VectorizedModel.run`), which saves a call from
    Python per day.
    """
    day_counts, day_sums, day_in_phase, day_in_status = books
    for d in range(days):
        review_mean = one_day(first_day + d, world, firm, desks, params, review_mean,
                              daily_advocacy, rng, network, tally, buffers)
        day_counts[d], day_sums[d] = tally.counts, tally.sums
        day_in_phase[d], day_in_status[d] = tally.in_phase, tally.in_status
    return review_mean


@kernel
def schedule_first_idle_events(state, traits, profiles, first_day, rng):
    """Everyone's next idle event from `first_day` (`setup.first_idle_events`), compiled."""
    first_idle_events(state, traits, profiles, first_day, rng)
