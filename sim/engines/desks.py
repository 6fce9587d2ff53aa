"""The agents engine's service desks: SimPy processes in the model's own environment.

Each model owns one SimPy environment (docs/design.md Decision 3); every day each desk admits that
day's contacts (drawn by the shared rule `sim.rules.service.desk_arrivals`) and the clock runs
to the end of the day's service. The vectorized engine serves the same contacts with the exact
FIFO queue of `sim.engines.queueing` (tests check the two contact by contact).
"""

from __future__ import annotations

import numpy as np
import simpy

from sim.rules.service import MINUTES_PER_DAY, desk_arrivals


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
        arrivals, handling = desk_arrivals(n_contacts, self.open_minutes, self.handle_minutes, rng)
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
