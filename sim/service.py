"""Service desks: capacity-limited queues (phone, messaging, store staff) simulated with SimPy.

Each model owns one SimPy environment; every day the desks take that day's contacts, which arrive
uniformly over the day's busy minutes (given their number, a Poisson process), and serve them
first in, first out with exponential handling times. A queue left at the end of the busy period
is served in overtime.
Waits feed the agility attribute (DESIGN.md Decision 3).
"""

from __future__ import annotations

import numpy as np
import simpy

MINUTES_PER_DAY = 1440.0


class ServiceDesk:
    """An M/M/c-style desk with `servers` agents and mean handling time `handle_minutes`."""

    def __init__(self, env: simpy.Environment, servers: int, handle_minutes: float,
                 open_minutes: float = 240.0):
        self.env = env
        self.servers = max(1, int(servers))
        self.handle_minutes = handle_minutes
        self.open_minutes = open_minutes
        self.staff = simpy.Resource(env, capacity=self.servers)

    def admit(self, start: float, arrivals: np.ndarray, handling: np.ndarray):
        """Schedule contacts arriving at `start + arrivals` (minutes) without running the clock.

        Returns (waits, processes): `waits` is filled in as the environment runs. All desks of
        a model are admitted first and the shared clock is run once, so no desk's day starts
        after another desk's overtime.
        """
        waits = np.zeros(len(arrivals))
        processes = [self.env.process(self._contact(i, start + a, h, waits))
                     for i, (a, h) in enumerate(zip(arrivals, handling, strict=True))]
        return waits, processes

    def serve(self, start: float, arrivals: np.ndarray, handling: np.ndarray) -> np.ndarray:
        """Serve contacts arriving at `start + arrivals` (minutes); return each one's wait."""
        waits, processes = self.admit(start, arrivals, handling)
        run_until_served(self.env, processes)
        return waits

    def _contact(self, i: int, arrival: float, handling: float, waits: np.ndarray):
        yield self.env.timeout(max(arrival - self.env.now, 0.0))
        arrived = self.env.now
        with self.staff.request() as turn:
            yield turn
            waits[i] = self.env.now - arrived
            yield self.env.timeout(handling)

    def admit_day(self, day: int, n_contacts: int, rng: np.random.Generator):
        """Schedule one day's `n_contacts`; returns (waits, processes).

        Arrivals are uniform over the busy minutes (a Poisson process given their number) and
        handling times exponential.
        """
        arrivals = rng.uniform(0.0, self.open_minutes, n_contacts)
        handling = rng.exponential(self.handle_minutes, n_contacts)
        return self.admit(day * MINUTES_PER_DAY, arrivals, handling)

    def serve_day(self, day: int, n_contacts: int, rng: np.random.Generator) -> np.ndarray:
        """Waits (minutes) of one day's `n_contacts` at this desk alone."""
        waits, processes = self.admit_day(day, n_contacts, rng)
        run_until_served(self.env, processes)
        return waits


def run_until_served(env: simpy.Environment, processes: list) -> None:
    """Advance the shared clock until every given contact has been served."""
    if processes:
        env.run(until=simpy.AllOf(env, processes))


def servers_for(staff_per_1000: float, population: int) -> int:
    """Agents on duty for a market of `population` people (at least one)."""
    return max(1, int(round(staff_per_1000 * population / 1000.0)))


def erlang_c(arrival_rate: float, service_rate: float, servers: int) -> tuple[float, float]:
    """M/M/c probability of waiting and mean wait (Erlang C), rates per minute.

    Returns (P(wait > 0), mean wait in minutes). Requires arrival_rate < servers·service_rate.
    """
    a = arrival_rate / service_rate  # offered load in Erlangs
    rho = a / servers
    if rho >= 1:
        raise ValueError("unstable queue: arrival rate must be below servers × service rate")
    terms = np.cumprod([1.0] + [a / k for k in range(1, servers)])  # a^k / k!
    top = terms[-1] * a / servers / (1 - rho)  # a^c / c! / (1 − ρ)
    p_wait = top / (terms.sum() + top)
    return float(p_wait), float(p_wait / (servers * service_rate - arrival_rate))
