"""`VectorizedModel`: the vectorized engine's model, with the same interface metrics read.

One day is the same sequence as `CustomerJourneyModel.step` (docs/design.md Decisions 1–2): hear
yesterday's stories, everyone lives the day (idle people look for a need, people in a journey
act and maybe move on), desks serve the day's contacts, touchpoints are scored, reviews are
published, the day is recorded. A day is one call to a compiled kernel (sim/vectorized/day.py)
and a run is one call for all its days, after which each day's books are kept as `step()`
keeps them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from agents.archetypes import Archetype
from sim.engines import daily
from sim.engines.recorder import JourneyRecorder
from sim.engines.vectorized import state, stories
from sim.engines.vectorized.day import one_day, run_days
from sim.engines.vectorized.journeys import schedule_idle_events
from sim.engines.vectorized.state import Buffers, Rules, Tallies
from sim.rules import limits
from sim.rules.draws import Draws
from sim.rules.journey import Phase
from sim.rules.loyalty import Status
from sim.rules.tally import Tally
from sim.scenario.schema import Scenario
from sim.scenario.shortcuts import configure
from sim.world.firm import firm_of
from sim.world.network import build_csr
from sim.world.people import draw_people


class VectorizedModel:
    """The customers of a scenario as arrays; ``step()`` simulates one day for all of them."""

    def __init__(self, scenario: Scenario | None = None, *, seed: int | None = None,
                 overrides: dict[str, Any] | None = None, record_journeys: bool = False,
                 **shortcuts: Any):
        self.scenario = s = configure(scenario, overrides, shortcuts)
        # The same generator as mesa.Model(seed=seed).rng: both engines draw the same people
        # and the same network for a seed.
        self.rng = np.random.default_rng(seed)
        self.population, self.strategy, self.industry = s.population, s.strategy, s.industry
        self.wom, self.behaviour = s.word_of_mouth, s.behaviour
        self.day, self.running = 0, True
        self.tally = Tally()
        self.review_mean = 0.0
        self.firm = firm_of(s)
        self.people = draw_people(s, self.rng)
        self.indptr, self.neighbours = build_csr(s.network, s.population.size, self.rng)
        self.crowd = state.crowd_of(self.people.is_customer, self.people.attitude)
        self.folk = state.folk_of(self.people)
        self.kinds = state.kinds_of(s, self.people, Archetype)
        self.rules = Rules.of(s)
        self.shortfall = np.zeros((s.population.size, 6))
        self.desks = _desks(self.firm.desks, self.behaviour.open_minutes)
        self.initial_customers = self.initial_retained = int(self.people.is_customer.sum())
        self._daily_advocacy = s.validation.advocacy == "daily"  # a limit, sim/limits.py
        self.buffers = Buffers.sized(s.population.size, len(self.neighbours),
                                     1 + self._daily_advocacy, record_journeys)
        self.census = np.zeros((2, len(Phase)), dtype=np.int64)
        self.census[0, Phase.IDLE] = s.population.size
        self.census[1, :len(Status)] = np.bincount(self.crowd["status"], minlength=len(Status))
        self._phase_counts, self._status_counts = self.census[0], self.census[1, :len(Status)]
        # What the kernels take, bundled once.
        self._world = (self.crowd, self.folk, self.kinds, self.people.dwell_mean,
                       self.people.preferences, self.people.weights, self.shortfall)
        self._firm = (self.firm.offered, self.firm.quality, self.firm.levers, self.desks)
        self._network = (self.indptr, self.neighbours)
        self._tallies = Tallies.of(self.tally)
        self._series: dict[str, list[float]] = {name: [] for name in daily.DAILY_REPORTERS}
        # Off by default: recording draws nothing, so outputs are the same either way.
        self.recorder = JourneyRecorder(s.population.size) if record_journeys else None
        heard_before = limits.index_cases(self.people.is_customer, s.validation.index_cases,
                                          self.rng)
        self.crowd["tipped_off"][heard_before] = True  # start a journey on day 0
        schedule_idle_events(self.crowd, self.folk, self.kinds, 0, self._draws)

    @property
    def _draws(self) -> Draws:
        """`rng` as the kernels draw from it (sim/draws.py): taken afresh, so always this rng's."""
        return Draws.of(self.rng)

    @property
    def phase_counts(self) -> np.ndarray:
        """People in each phase (IDLE first), as of the end of the last day."""
        return self._phase_counts

    def statuses(self) -> np.ndarray:
        """Each person's status (Status codes), in person order."""
        return self.crowd["status"]

    def status_counts(self) -> np.ndarray:
        """People per status: prospects, customers, churned."""
        return self._status_counts

    def step(self) -> None:
        """One day for everyone (sim/vectorized/day.py), then the day's books."""
        b = self.buffers
        self.review_mean = one_day(
            self.day, self._world, self._firm, self.rules, self.review_mean,
            self._daily_advocacy, self._draws, self._network, self.buffers, self._tallies,
            self.census)
        if self.recorder is not None:
            self._record_journeys()
        self._close_day(b.counts, b.sums)

    def run(self) -> None:
        """Run to the end of the horizon: all days in one compiled call, then their books.

        The same days, draws and books as calling `step()` to the end (tested); with journeys
        recorded, day by day, since each day's events are handed over as it ends.
        """
        if self.recorder is not None:
            while self.running:
                self.step()
            return
        b, days = self.buffers, self.scenario.horizon_days - self.day
        books = (np.zeros((days, *self.census.shape), dtype=np.int64),
                 np.zeros((days, len(b.counts)), dtype=np.int64), np.zeros((days, len(b.sums))))
        self.review_mean = run_days(
            self.day, days, self._world, self._firm, self.rules, self.review_mean,
            self._daily_advocacy, self._draws, self._network, self.buffers, self._tallies,
            self.census, books)
        for census, counts, sums in zip(*books, strict=True):
            self.census[:] = census
            self._close_day(counts, sums)

    def share(self, who: int, valence: int) -> None:
        """Person `who` tells their contacts a story today (heard tomorrow)."""
        b, t = self.buffers, self.tally
        stories.share(who, valence, self.kinds[self.folk[who]["archetype"]], self.rules,
                      self._draws, self._network, b.stories, b.reviews, b.fill, b.sums,
                      t.wom_reach, t.wom_sharers, t.reviews)

    def _record_journeys(self) -> None:
        """Hand today's events to the recorder.

        Touches go first: they belong to the phase each person was in when the day began.
        """
        b = self.buffers
        touches = b.touches[:b.fill[state.TOUCHES]]
        self.recorder.touched(touches["who"], touches["channel"])
        entries = b.entries[:b.fill[state.ENTRIES]]
        self.recorder.entered(entries["who"], entries["phase"], self.day)
        bought = b.purchases[:b.fill[state.PURCHASES]]
        self.recorder.bought(bought["who"], self.day, bought["amount"])

    def _close_day(self, counts: np.ndarray, sums: np.ndarray) -> None:
        """Book the day's counts in the tally, record the daily series, turn the page."""
        t, counts, sums = self.tally, counts.tolist(), sums.tolist()
        t.new_day()
        for k, name in enumerate(state.COUNTED):
            t.add(name, counts[k])
        t.today["acquisitions"] += counts[state.ACQUISITIONS]
        self.initial_retained -= counts[state.COHORT_LOST]
        t.revenue, t.satisfaction_sum = sums[state.REVENUE], sums[state.SATISFACTION]
        for name, k in (("wom_positive", state.WOM_POSITIVE), ("wom_negative", state.WOM_NEGATIVE),
                        ("waits", state.WAITED), ("wait_sum", state.WAIT_SUM)):
            t.today[name] += sums[k]
        for name, reporter in daily.DAILY_REPORTERS.items():
            self._series[name].append(reporter(self))
        self.day += 1
        self.running = self.day < self.scenario.horizon_days

    # -- what metrics read (the same as CustomerJourneyModel) -------------------------------
    def people_state(self) -> dict[str, np.ndarray]:
        """Per-person arrays at the end of a run (see sim/metrics/)."""
        c = self.crowd
        via = np.array([*state.SOURCE_CODES, ""])[c["acquired_via"]]  # −1 (never won) → ""
        return {"archetype": self.people.archetype, "generation": self.people.generation,
                "initial_customer": self.people.is_customer, "in_cohort": c["in_cohort"].copy(),
                "purchases": c["purchases"].copy(), "revenue": c["revenue"].copy(),
                "shortfall": self.shortfall, "acquired_via": via}

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
