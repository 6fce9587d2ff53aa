"""The end of the day, compiled: desks serve today's contacts, then every touchpoint is scored.

The same sequence as `CustomerJourneyModel._settle_touchpoints` with
`sim.world.firm.score_touchpoints`: each staffed desk draws its contacts' arrival and handling
times and serves them first come, first served (`sim.engines.queueing.fifo_waits`, exact); waits
cost agility; the six attributes are scored by the shared rule `experience.score_interactions`,
on all of today's touchpoints at once.
"""

from __future__ import annotations

import numpy as np

from sim.engines.queueing import fifo_waits
from sim.engines.vectorized.state import WAIT_SUM, WAITED
from sim.rules import experience
from sim.rules.jit import kernel
from sim.rules.service import MINUTES_PER_DAY, desk_arrivals


@kernel
def settle_touchpoints(day, touches, crowd, folk, preferences, weights, shortfall, quality,
                       levers, desks, rng, sums, wait_sum, wait_count):
    """Serve and score `touches` (today's), and add them to each person's journey."""
    n = len(touches)
    if n == 0:
        return
    who, channel = touches.who.copy(), touches.channel.astype(np.int64)
    wait = _serve_desks(day, channel, desks, rng, sums, wait_sum, wait_count)
    liking, patience, expected = np.empty(n), np.empty(n), np.empty(n)
    person_weights = np.empty((n, weights.shape[1]))
    for k in range(n):
        liking[k] = preferences[who[k], channel[k]]
        patience[k] = folk[who[k]].patience
        expected[k] = folk[who[k]].expected
        for a in range(weights.shape[1]):  # element by element: no row views to count
            person_weights[k, a] = weights[who[k], a]
    phase, fragmented = touches.phase.astype(np.int64), touches.fragmented.astype(np.float64)
    scores = experience.score_interactions(quality[channel], channel, phase, liking, fragmented,
                                           wait, patience, levers, rng)
    points = experience.touchpoint_score(scores, person_weights)
    short = experience.shortfall(scores, person_weights, expected)
    for k in range(n):
        c = crowd[who[k]]
        c.touchpoint_sum += points[k]
        c.touchpoint_count += 1
        c.worst_touchpoint = min(c.worst_touchpoint, points[k])
        for a in range(short.shape[1]):
            shortfall[who[k], a] += short[k, a]


@kernel
def _serve_desks(day, channel, desks, rng, sums, wait_sum, wait_count):
    """Waits (minutes) of today's touchpoints; 0 at channels without a desk.

    Every desk takes its contacts against the same clock, when yesterday's last contact was
    served, and the clock moves on once all desks are done: the desks of one SimPy environment.
    """
    desk_channel, servers, handle_minutes, heaps, open_minutes, clock = desks
    wait, day_end = np.zeros(len(channel)), clock[0]
    for d in range(len(desk_channel)):
        at_desk = np.flatnonzero(channel == desk_channel[d])
        if len(at_desk) == 0:
            continue
        arrivals, handling = desk_arrivals(len(at_desk), open_minutes, handle_minutes[d], rng)
        waits, served = fifo_waits(heaps[d, :servers[d]], clock[0], day * MINUTES_PER_DAY,
                                   arrivals, handling)
        day_end = max(day_end, served)
        wait[at_desk] = waits
        wait_sum[desk_channel[d]] += waits.sum()
        wait_count[desk_channel[d]] += len(at_desk)
        sums[WAITED] += len(at_desk)
        sums[WAIT_SUM] += waits.sum()
    clock[0] = day_end
    return wait
