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

import numpy as np

from agents.archetypes import Archetype
from sim.rules.channels import Channel
from sim.rules.counters import COUNTED, SOURCES, SUMMED, TODAY
from sim.rules.jit import rule
from sim.rules.loyalty import Status
from sim.rules.phases import Phase

N_PHASES, N_CHANNELS, N_ARCHETYPES = len(Phase), len(Channel), len(Archetype)

# The books as one record of fixed-size arrays: the kernels take the record (by reference:
# a rule called with it copies nothing and counts no references), Python reads and writes
# the same memory through `Tally`'s arrays.
TALLY = np.dtype([
    ("counts", np.int64, (len(COUNTED),)),  # the day's whole-number flows (counters.COUNTED)
    ("totals", np.int64, (len(COUNTED),)),  # the same, summed over the days closed so far
    ("sums", np.float64, (len(SUMMED),)),  # counters.SUMMED: running totals, the day's flows
    ("in_phase", np.int64, (N_PHASES,)),  # people in each phase now (IDLE first)
    ("in_status", np.int64, (len(Status),)),  # people per status: prospect, customer, churned
    ("funnel", np.int64, (N_PHASES,)),  # journeys entering each phase
    ("dwell_days", np.float64, (N_PHASES, N_ARCHETYPES)),  # days of completed phases
    ("dwell_count", np.int64, (N_PHASES, N_ARCHETYPES)),  # completed phases
    ("channel_mix", np.int64, (N_PHASES, N_CHANNELS)),  # touchpoints by phase and channel
    ("acquisitions", np.int64, (len(SOURCES), N_ARCHETYPES)),  # people won, by source
    ("to_purchase_days", np.float64, (N_ARCHETYPES,)),  # days from awareness to purchase
    ("to_purchase_count", np.int64, (N_ARCHETYPES,)),  # purchases counted there
    ("wom_reach", np.float64, (2,)),  # contacts told a story: [positive, negative]
    ("wom_sharers", np.int64, (2,)),  # people who told one: [positive, negative]
    ("reviews", np.int64, (2,)),  # public reviews: [positive, negative]
    ("nps", np.int64, (3,)),  # rated journeys: [detractors, passives, promoters]
    ("wait_sum", np.float64, (N_CHANNELS,)),  # minutes waited at the desks
    ("wait_count", np.int64, (N_CHANNELS,)),  # contacts served
], align=True)


class Tally:
    """Counters of a run (the fields of `TALLY`); the rules add to every array in place.

    Each attribute is a numpy array viewing one field of `record`, the memory the kernels
    write: a rule reads `tally.funnel[phase]` alike from Python and compiled.
    """

    __slots__ = (*TALLY.names, "memory", "record")

    def __init__(self) -> None:
        self.memory = np.zeros(1, dtype=TALLY)
        self.record = self.memory[0]  # a structured scalar viewing `memory`, for the kernels
        for name in TALLY.names:
            setattr(self, name, self.memory[name][0])

    @classmethod
    def empty(cls) -> Tally:
        """All zeros."""
        return cls()

    def arrays(self) -> tuple[np.ndarray, ...]:
        """Every field's array, in `TALLY` order."""
        return tuple(getattr(self, name) for name in TALLY.names)

    def copy(self) -> Tally:
        """A new tally with the same numbers."""
        twin = Tally()
        twin.memory[:] = self.memory
        return twin

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
