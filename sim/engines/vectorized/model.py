"""`VectorizedModel`: the vectorized engine, with the reading interface of the Mesa model.

The market is built as for the agents engine (`sim.engines.setup.build_market`, the same
draws); each person is a record of `state` and one of `traits` (sim/world/people.py) instead
of a Mesa agent. A day is one call to a compiled kernel (sim/engines/vectorized/day.py) that
calls the same rules, in the same order, as the agents' `step`; a run is one call for all its
days, after which each day is closed and recorded as `step()` does.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sim.engines import daily
from sim.engines.recorder import JourneyRecorder, record_day
from sim.engines.setup import MarketView, build_market
from sim.engines.vectorized.day import (
    one_day,
    run_days,
    schedule_first_idle_events,
    tell_story,
)
from sim.rules.draws import Draws
from sim.rules.tally import close_day
from sim.scenario.schema import Scenario
from sim.scenario.shortcuts import configure


class VectorizedModel(MarketView):
    """The customers of a scenario as arrays; ``step()`` simulates one day for all of them."""

    def __init__(self, scenario: Scenario | None = None, *, seed: int | None = None,
                 overrides: dict[str, Any] | None = None, record_journeys: bool = False,
                 **shortcuts: Any):
        # The same generator as mesa.Model(seed=seed).rng: both engines draw the same market.
        self.rng = np.random.default_rng(seed)
        self.running = True
        self.state, self.traits, heard_before = build_market(
            self, configure(scenario, overrides, shortcuts), self.rng, record_journeys)
        self.state["tipped_off"][heard_before] = True  # they start a journey on day 0
        p, f = self.people, self.firm
        self._world = (self.state, self.traits, self.profiles, p.dwell_mean,
                       (p.preferences, p.weights, p.patience, p.expected), self.shortfall,
                       self.complaints)
        self._firm = (f.offered, f.quality, f.levers)
        self.desks = _desks(f.desks, self.behaviour.open_minutes)
        self._params = self.params.as_record()[0]  # the kernels read a record (by reference)
        self._network = (self.indptr, self.neighbours)
        self._series: dict[str, list[float]] = {name: [] for name in daily.DAILY_REPORTERS}
        # Off by default: recording draws nothing, so outputs are the same either way.
        self.recorder = JourneyRecorder(len(self.state)) if record_journeys else None
        schedule_first_idle_events(self.state, self.traits, self.profiles, 0, self._draws)

    @property
    def _draws(self) -> Draws:
        """`rng` as the kernels draw from it (sim/rules/draws.py), taken afresh for each call."""
        return Draws.of(self.rng)

    def step(self) -> None:
        """One day for everyone (sim/engines/vectorized/day.py), then the day's books."""
        self.review_mean = one_day(
            self.day, self._world, self._firm, self.desks, self._params, self.review_mean,
            self.daily_advocacy, self._draws, self._network, self.tally.record, self.buffers)
        if self.recorder is not None:
            record_day(self.recorder, self.buffers, self.day)
        self._close_day()

    def run(self) -> None:
        """Run to the end of the horizon: all days in one compiled call, then their books.

        The same days, draws and books as calling `step()` to the end (tested); with journeys
        recorded, day by day, since each day's events are handed over as it ends.
        """
        if self.recorder is not None:
            while self.running:
                self.step()
            return
        t, days = self.tally, self.scenario.horizon_days - self.day
        books = (np.zeros((days, len(t.counts)), dtype=np.int64), np.zeros((days, len(t.sums))),
                 np.zeros((days, len(t.in_phase)), dtype=np.int64),
                 np.zeros((days, len(t.in_status)), dtype=np.int64))
        self.review_mean = run_days(
            self.day, days, self._world, self._firm, self.desks, self._params, self.review_mean,
            self.daily_advocacy, self._draws, self._network, t.record, self.buffers, books)
        for counts, sums, in_phase, in_status in zip(*books, strict=True):
            t.counts[:], t.sums[:], t.in_phase[:], t.in_status[:] = (counts, sums, in_phase,
                                                                     in_status)
            self._close_day()

    def _close_day(self) -> None:
        """Close the day's books, record the daily series, turn the page."""
        close_day(self.tally)
        for name, reporter in daily.DAILY_REPORTERS.items():
            self._series[name].append(reporter(self))
        self.day += 1
        self.running = self.day < self.scenario.horizon_days

    def tell(self, who: int, valence: int) -> None:
        """Person `who` tells their contacts a story today (heard tomorrow)."""
        tell_story(who, valence, self.traits, self.profiles, self._params, self._draws,
                   self._network, self.tally.record, self.buffers)

    def state_records(self) -> np.ndarray:
        """Everyone's `STATE` record (sim/world/people.py), in person order."""
        return self.state

    def series(self) -> pd.DataFrame:
        """The daily series, one row per day (the same columns as the agents engine)."""
        return pd.DataFrame(self._series)


def _desks(desks: dict[int, tuple[int, float]], open_minutes: float) -> tuple:
    """The staffed desks as arrays for the kernels.

    Channel, agents on duty, handling minutes, each desk's agents' next free minute (a
    min-heap per row, kept from one day to the next), opening minutes and the desks' clock.
    """
    channel = np.array(sorted(desks), dtype=np.int64)
    servers = np.array([desks[ch][0] for ch in channel], dtype=np.int64)  # ≥ 1 (servers_for)
    handle = np.array([desks[ch][1] for ch in channel], dtype=float)
    heaps = np.zeros((len(channel), max(servers, default=1)))
    clock = np.zeros(1)  # when the last contact of the previous day was served
    return channel, servers, handle, heaps, float(open_minutes), clock
