"""Erlang C: the model's service desks under Poisson arrivals and exponential handling.

Both desks are driven through their daily entry point `serve_day`, with a busy period long
enough to reach the steady state: `ServiceDesk` (SimPy, the agents engine's desk) and `FifoDesk`
(the exact FIFO queue `sim.engines.queueing.fifo_waits` that the vectorized engine's kernels use
for every desk). `serve_day` draws n arrival times uniform over the busy period (given n ~
Poisson(λ·busy minutes), a Poisson process) and exponential handling times, exactly as in a
simulated day. The mean wait and the share of contacts who wait are compared with `erlang_c`
(M/M/c), below.

Tolerance: Z standard errors by batch means (contacts in arrival order cut into `BATCHES`
consecutive batches; the batch averages are nearly independent where single waits are not).
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import simpy

from sim.engines.desks import ServiceDesk
from sim.engines.queueing import FifoDesk

# (arrivals per minute, handling minutes, agents): loads 0.8, 0.75 and a 10-agent desk at 0.8
DESKS = ((0.6, 4.0, 3), (1.5, 2.0, 4), (0.8, 10.0, 10))
CONTACTS = 60_000
BATCHES = 30
Z = 4.0


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


def serve(kind: str, arrival_rate: float, handle_minutes: float, agents: int,
          contacts: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(waits, arrival times) of one long busy period at a desk of `kind` (simpy or fifo)."""
    busy = contacts / arrival_rate
    n = int(rng.poisson(contacts))
    if kind == "simpy":
        desk = ServiceDesk(simpy.Environment(), agents, handle_minutes, open_minutes=busy)
    else:
        desk = FifoDesk(agents, handle_minutes, open_minutes=busy)
    replay = copy.deepcopy(rng)  # the same generator state: replays the desk's arrival draws
    waits = desk.serve_day(0, n, rng)
    return waits, replay.uniform(0.0, busy, n)


def compare(kind: str, arrival_rate: float, handle_minutes: float, agents: int,
            contacts: int = CONTACTS, seed: int = 2026) -> dict:
    """One desk against Erlang C: simulated and closed-form mean wait and P(wait)."""
    waits, arrivals = serve(kind, arrival_rate, handle_minutes, agents, contacts,
                            np.random.default_rng(seed))
    batches = np.array_split(waits[np.argsort(arrivals, kind="stable")], BATCHES)
    p_wait, mean_wait = erlang_c(arrival_rate, 1.0 / handle_minutes, agents)
    batch_wait = np.array([b.mean() for b in batches])
    batch_p = np.array([(b > 0).mean() for b in batches])
    tol_wait = Z * batch_wait.std(ddof=1) / np.sqrt(BATCHES)
    tol_p = Z * batch_p.std(ddof=1) / np.sqrt(BATCHES)
    return {"desk": kind, "arrivals_per_min": arrival_rate, "handle_minutes": handle_minutes,
            "agents": agents, "load": arrival_rate * handle_minutes / agents,
            "contacts": len(waits),
            "mean_wait": waits.mean(), "erlang_c_wait": mean_wait, "wait_tolerance": tol_wait,
            "p_wait": (waits > 0).mean(), "erlang_c_p_wait": p_wait, "p_tolerance": tol_p,
            "within": abs(waits.mean() - mean_wait) <= tol_wait
            and abs((waits > 0).mean() - p_wait) <= tol_p}


def table(kinds=("simpy", "fifo"), desks=DESKS, contacts: int = CONTACTS) -> pd.DataFrame:
    """Every desk configuration on every desk kind."""
    # One seed per configuration, shared by the two kinds: for the same draws they must agree.
    return pd.DataFrame([compare(k, *d, contacts=contacts, seed=2026 + i)
                         for i, d in enumerate(desks) for k in kinds])
