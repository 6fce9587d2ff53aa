"""One whole day in one compiled call, in the order of `CustomerJourneyModel.step`.

Hear yesterday's stories, everyone lives the day, advocates talk (a validation limit), desks
serve and touchpoints are scored, today's reviews join the public average.
"""

from __future__ import annotations

from sim.engines.vectorized.journeys import live_day
from sim.engines.vectorized.state import REVIEWS, STORIES, TODAY, TOUCHES
from sim.engines.vectorized.stories import advocate, hear_stories
from sim.engines.vectorized.touchpoints import settle_touchpoints
from sim.rules import limits, wom
from sim.rules.jit import kernel


@kernel
def one_day(day, world, firm, r, review_mean, daily_advocacy, rng, network, buffers, tallies,
            census):
    """Simulate day `day` for everyone; returns the public review average for tomorrow."""
    crowd, folk, kinds, dwell_mean, preferences, weights, shortfall = world
    offered, quality, levers, desks = firm
    fill, sums = buffers.fill, buffers.sums
    hear_stories(buffers.stories, fill[STORIES], crowd, folk, kinds, r, rng)
    fill[:], buffers.counts[:], sums[TODAY:] = 0, 0, 0.0
    live_day(day, crowd, folk, kinds, dwell_mean, preferences, offered, r, review_mean, rng,
             network, buffers, tallies, census)
    if daily_advocacy:
        who = limits.advocates(crowd.phase, crowd.status)
        advocate(who, folk, kinds, r, rng, network, buffers, tallies)
    settle_touchpoints(day, buffers.touches[:fill[TOUCHES]], crowd, folk, preferences, weights,
                       shortfall, quality, levers, desks, rng, sums, tallies.wait_sum,
                       tallies.wait_count)
    return wom.review_average(review_mean, buffers.reviews[:fill[REVIEWS]])


@kernel
def run_days(first_day, days, world, firm, r, review_mean, daily_advocacy, rng, network,
             buffers, tallies, census, books):
    """`days` days from `first_day` in one call; returns the review average after them.

    Each day's census, counts and sums go to row d of `books` (the daily series are made
    from them afterwards), which saves a call from Python per day.
    """
    day_census, day_counts, day_sums = books
    for d in range(days):
        review_mean = one_day(first_day + d, world, firm, r, review_mean, daily_advocacy, rng,
                              network, buffers, tallies, census)
        day_census[d], day_counts[d], day_sums[d] = census, buffers.counts, buffers.sums
    return review_mean

