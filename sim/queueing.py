"""An exact first-in-first-out multi-server queue without an event loop.

It gives the same waits as the SimPy `ServiceDesk` for the same arrivals and handling times
(tests check it contact by contact), at a fraction of the cost: the vectorized engine serves
millions of contacts with it. Servers keep their busy-until times from one day to the next, so
a queue left at the end of the busy period is served in overtime, as at the SimPy desk.
"""

from __future__ import annotations

import heapq

import numpy as np

from sim.service import MINUTES_PER_DAY


class FifoDesk:
    """`servers` agents serving contacts in order of arrival."""

    def __init__(self, servers: int, handle_minutes: float, open_minutes: float = 240.0):
        self.servers = max(1, int(servers))
        self.handle_minutes = handle_minutes
        self.open_minutes = open_minutes
        self._free_at = [0.0] * self.servers  # min-heap of the times each agent is next free

    def serve(self, start: float, arrivals: np.ndarray, handling: np.ndarray) -> np.ndarray:
        """Waits (minutes) of contacts arriving at `start + arrivals`, in the given order."""
        order = np.argsort(arrivals, kind="stable")
        times = (start + arrivals[order]).tolist()
        durations = handling[order].tolist()
        free_at = self._free_at
        waits = np.empty(len(times))
        out = []
        for t, h in zip(times, durations, strict=True):
            begin = max(free_at[0], t)  # the agent who frees up first takes the next in line
            heapq.heapreplace(free_at, begin + h)
            out.append(begin - t)
        waits[order] = out
        return waits

    def serve_day(self, day: int, n_contacts: int, rng: np.random.Generator) -> np.ndarray:
        """One day's contacts, drawn exactly as `ServiceDesk.admit_day` draws them."""
        arrivals = rng.uniform(0.0, self.open_minutes, n_contacts)
        handling = rng.exponential(self.handle_minutes, n_contacts)
        return self.serve(day * MINUTES_PER_DAY, arrivals, handling)
