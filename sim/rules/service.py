"""Service desks (phone, messaging, store staff): who is on duty and when contacts arrive.

A desk's day: its contacts arrive uniformly over the day's busy minutes (given their number, a
Poisson process) and need exponential handling times; agents serve them first in, first out,
and a queue left at the end of the busy period is served in overtime. The waits feed the
agility attribute (docs/design.md Decision 3). The queue itself is the one place where the engines
differ: the agents engine runs it as a SimPy process (`sim.engines.desks.ServiceDesk`), the
vectorized engine as an exact FIFO heap (`sim.engines.queueing.fifo_waits`); both draw each
day's contacts with `desk_arrivals`, so they serve the same contacts.
"""

from __future__ import annotations

import numpy as np

from sim.rules import counters
from sim.rules.jit import rule

MINUTES_PER_DAY = 1440.0


@rule
def desk_arrivals(n_contacts: int, open_minutes: float, handle_minutes: float,
                  rng: np.random.Generator):
    """One day's contacts at a desk: (arrival minute after opening, handling minutes) each.

    Both are put on a grid of 2^-20 minute (0.06 ms): any time of a run (at most 2^26 minutes)
    is then a double with bits to spare, so the sums and differences the two desk engines do in
    different orders (SimPy's clock, the heap's busy-until times) are exact and agree to the bit.
    """
    arrivals = on_grid(rng.uniform(0.0, open_minutes, n_contacts))
    handling = on_grid(rng.exponential(handle_minutes, n_contacts))
    return arrivals, handling


GRID = 2.0 ** 20  # steps per minute of the desks' clock


@rule
def on_grid(minutes):
    """`minutes` rounded to the nearest 2^-20 minute."""
    return np.floor(minutes * GRID + 0.5) / GRID


@rule
def book_waits(tally, channel: int, waits) -> None:
    """Count the waits (minutes) of the contacts a desk served today."""
    total = waits.sum()
    tally.wait_sum[channel] += total
    tally.wait_count[channel] += len(waits)
    tally.sums[counters.WAITED] += len(waits)
    tally.sums[counters.WAIT_SUM] += total


def servers_for(staff_per_1000: float, population: int) -> int:
    """Agents on duty for a market of `population` people (at least one)."""
    return max(1, int(round(staff_per_1000 * population / 1000.0)))
