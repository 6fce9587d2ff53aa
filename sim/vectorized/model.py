"""`VectorizedModel`: the vectorized engine's model, with the same interface metrics read.

One day is the same sequence as `CustomerJourneyModel.step` (DESIGN.md Decisions 1–2): hear
yesterday's stories, everyone lives the day (idle people look for a need, people in a journey
act and maybe move on), desks serve the day's contacts, touchpoints are scored, reviews are
published, the day is recorded. Each step is one array operation over everyone concerned.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from agents.archetypes import Archetype
from agents.customer import Status
from sim import limits, metrics
from sim.eventlog import JourneyRecorder
from sim.firm import firm_of, score_touchpoints
from sim.journey import Phase
from sim.model import configure
from sim.network import build_csr
from sim.population import draw_people
from sim.queueing import FifoDesk
from sim.scenario import Scenario
from sim.tally import Tally
from sim.vectorized import day
from sim.vectorized.state import SOURCE_CODES, Crowd, Profiles


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
        self.desks = {ch: FifoDesk(servers, handle, self.behaviour.open_minutes)
                      for ch, (servers, handle) in self.firm.desks.items()}
        self.profiles = Profiles.of(s, Archetype)
        self.people = draw_people(s, self.rng)
        self.indptr, self.neighbours = build_csr(s.network, s.population.size, self.rng)
        self.crowd = Crowd.from_people(self.people.is_customer, self.people.attitude)
        self.initial_customers = self.initial_retained = int(self.people.is_customer.sum())
        self.outbox: list[tuple[np.ndarray, np.ndarray]] = []  # stories told today
        self.reviews_today: list[np.ndarray] = []
        self.touchpoints: list[tuple[np.ndarray, ...]] = []
        self._series: dict[str, list[float]] = {name: [] for name in metrics.DAILY_REPORTERS}
        self._frozen_counts: dict[str, np.ndarray] = {}
        # Off by default: recording draws nothing, so outputs are the same either way.
        self.recorder = JourneyRecorder(s.population.size) if record_journeys else None
        heard_before = limits.index_cases(self.people.is_customer, s.validation.index_cases,
                                          self.rng)
        self.crowd.tipped_off[heard_before] = True  # start a journey on day 0

    @property
    def phase_counts(self) -> np.ndarray:
        """People in each phase (IDLE first)."""
        return self._counts("phase", len(Phase))

    def statuses(self) -> np.ndarray:
        """Each person's status (Status codes), in person order."""
        return self.crowd.status

    def status_counts(self) -> np.ndarray:
        """People per status: prospects, customers, churned."""
        return self._counts("status", len(Status))

    def _counts(self, field: str, size: int) -> np.ndarray:
        if field in self._frozen_counts:  # while recording the day
            return self._frozen_counts[field]
        return np.bincount(getattr(self.crowd, field), minlength=size)

    def step(self) -> None:
        """One day for everyone."""
        self.tally.new_day()
        day.deliver_stories(self)
        idle = np.flatnonzero(self.crowd.phase == Phase.IDLE)
        busy = np.flatnonzero(self.crowd.phase != Phase.IDLE)
        day.look_for_needs(self, idle)
        day.live_phases(self, busy)
        if self.scenario.validation.advocacy == "daily":  # validation limit (sim/limits.py)
            who = limits.advocates(self.crowd.phase, self.crowd.status)
            day.share(self, who, np.ones(len(who), dtype=np.int8))
        self._settle_touchpoints()
        day.publish_reviews(self)
        self._record()
        self.day += 1
        if self.day >= self.scenario.horizon_days:
            self.running = False

    def run(self) -> None:
        """Run to the end of the horizon."""
        while self.running:
            self.step()

    def _settle_touchpoints(self) -> None:
        if not self.touchpoints:
            return
        who, channel, phase, fragmented = (np.concatenate(c) for c in zip(*self.touchpoints,
                                                                          strict=True))
        self.touchpoints = []
        points, short = score_touchpoints(self, who, channel, phase, fragmented)
        c = self.crowd
        np.add.at(c.touchpoint_sum, who, points)
        np.add.at(c.touchpoint_count, who, 1)
        np.minimum.at(c.worst_touchpoint, who, points)
        np.add.at(c.shortfall, who, short)

    def serve_desks(self, channel: np.ndarray) -> np.ndarray:
        """Waits (minutes) of today's touchpoints at the staffed desks (exact FIFO queues)."""
        wait = np.zeros(len(channel))
        for ch, desk in self.desks.items():
            at_desk = np.flatnonzero(channel == ch)
            if len(at_desk):
                wait[at_desk] = desk.serve_day(self.day, len(at_desk), self.rng)
                self.tally.waits(ch, wait[at_desk])
        return wait

    def _record(self) -> None:
        # Many reporters read the same counts: count once, then let them read.
        self._frozen_counts = {"phase": self.phase_counts, "status": self.status_counts()}
        for name, reporter in metrics.DAILY_REPORTERS.items():
            self._series[name].append(reporter(self))
        self._frozen_counts = {}

    # -- what metrics read (the same as CustomerJourneyModel) -------------------------------
    def people_state(self) -> dict[str, np.ndarray]:
        """Per-person arrays at the end of a run (see sim/metrics.py)."""
        c = self.crowd
        via = np.array([*SOURCE_CODES, ""])[c.acquired_via]  # −1 (never won) → ""
        return {"archetype": self.people.archetype, "generation": self.people.generation,
                "initial_customer": self.people.is_customer, "in_cohort": c.in_cohort,
                "purchases": c.purchases, "revenue": c.revenue, "shortfall": c.shortfall,
                "acquired_via": via}

    def series(self) -> pd.DataFrame:
        """The daily series, one row per day (the same columns as the agents engine)."""
        return pd.DataFrame(self._series)
