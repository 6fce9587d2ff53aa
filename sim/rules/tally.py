"""The run's books: what the rules count as they change people's states (both engines).

One `Tally` of numpy arrays is written by the rules themselves (`tally.counts[DEFECTIONS]`
inside `loyalty.churn`, and so on), whether the agents engine calls them as Python or the
vectorized engine compiles them into its kernels, so each thing is counted in one place. The
day's flows (`counts`, and `sums` from `counters.TODAY` on) start at zero each day
(`open_day`) and are added to the run's `totals` when the day closes (`close_day`); the
daily series are read from them. `in_phase` and `in_status` are head counts, kept up to date
by the rules that move people (`journey.enter_phase`, `loyalty.churn`, `loyalty.buy`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from agents.archetypes import Archetype
from sim.rules.channels import Channel
from sim.rules.counters import COUNTED, SOURCES, SUMMED, TODAY
from sim.rules.jit import rule
from sim.rules.journey import Phase
from sim.rules.loyalty import Status

N_PHASES, N_CHANNELS, N_ARCHETYPES = len(Phase), len(Channel), len(Archetype)


class Tally(NamedTuple):
    """Counters of a run; the rules add to every array in place."""

    counts: np.ndarray  # the day's whole-number flows (counters.COUNTED)
    totals: np.ndarray  # the same, summed over the days closed so far
    sums: np.ndarray  # counters.SUMMED: running totals, then the day's flows
    in_phase: np.ndarray  # people in each phase now (IDLE first)
    in_status: np.ndarray  # people per status now: prospects, customers, churned
    funnel: np.ndarray  # journeys entering each phase
    dwell_days: np.ndarray  # (phase, archetype) days of completed phases
    dwell_count: np.ndarray  # (phase, archetype) completed phases
    channel_mix: np.ndarray  # (phase, channel) touchpoints
    acquisitions: np.ndarray  # (source, archetype) people won
    to_purchase_days: np.ndarray  # (archetype,) days from awareness to purchase, summed
    to_purchase_count: np.ndarray  # (archetype,) purchases counted there
    wom_reach: np.ndarray  # contacts told a story: [positive, negative]
    wom_sharers: np.ndarray  # people who told one: [positive, negative]
    reviews: np.ndarray  # public reviews: [positive, negative]
    nps: np.ndarray  # rated journeys: [detractors, passives, promoters]
    wait_sum: np.ndarray  # (channel,) minutes waited at the desks
    wait_count: np.ndarray  # (channel,) contacts served

    @classmethod
    def empty(cls) -> Tally:
        """All zeros."""
        def whole(*shape):
            return np.zeros(shape, dtype=np.int64)

        return cls(
            counts=whole(len(COUNTED)), totals=whole(len(COUNTED)), sums=np.zeros(len(SUMMED)),
            in_phase=whole(N_PHASES), in_status=whole(len(Status)), funnel=whole(N_PHASES),
            dwell_days=np.zeros((N_PHASES, N_ARCHETYPES)),
            dwell_count=whole(N_PHASES, N_ARCHETYPES),
            channel_mix=whole(N_PHASES, N_CHANNELS),
            acquisitions=whole(len(SOURCES), N_ARCHETYPES),
            to_purchase_days=np.zeros(N_ARCHETYPES), to_purchase_count=whole(N_ARCHETYPES),
            wom_reach=np.zeros(2), wom_sharers=whole(2), reviews=whole(2), nps=whole(3),
            wait_sum=np.zeros(N_CHANNELS), wait_count=whole(N_CHANNELS))

    def total(self, name: str) -> int:
        """A whole-number flow summed over the closed days, by name (e.g. "defections")."""
        return int(self.totals[COUNTED.index(name)])

    def today(self, name: str) -> float:
        """Today's flow by name: one of COUNTED, or one of SUMMED from "wom_positive" on."""
        if name in COUNTED:
            return float(self.counts[COUNTED.index(name)])
        return float(self.sums[SUMMED.index(name)])


@rule
def open_day(tally) -> None:
    """A new day: its flows start at zero (the running totals go on)."""
    tally.counts[:] = 0
    tally.sums[TODAY:] = 0.0


@rule
def close_day(tally) -> None:
    """The day is over: add its whole-number flows to the run's totals."""
    tally.totals[:] += tally.counts
