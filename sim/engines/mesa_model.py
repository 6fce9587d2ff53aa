"""`CustomerJourneyModel`: the Mesa model that runs the agents engine, one tick per day."""

from __future__ import annotations

import functools
from typing import Any

import mesa
import networkx as nx
import numpy as np
import pandas as pd
import simpy

from agents.archetypes import Archetype
from agents.customer import Customer
from sim.engines import daily
from sim.engines.desks import ServiceDesk, run_until_served
from sim.engines.recorder import JourneyRecorder
from sim.rules import limits, wom
from sim.rules.journey import Phase
from sim.rules.loyalty import Status
from sim.rules.tally import Tally
from sim.scenario.schema import Scenario
from sim.scenario.shortcuts import configure
from sim.world.firm import firm_of, score_touchpoints
from sim.world.network import build_csr, to_graph
from sim.world.people import draw_people

RECOVERED_SATISFACTION = 0.75  # a recovered detractor ends up passive (scores 8)


class CustomerJourneyModel(mesa.Model):
    """Customers on a social network walking the journey across the firm's channels.

    Build it from a scenario, from keyword shortcuts (``n_customers=1000, integration=0.9``), or
    both; ``seed`` fixes every random draw. ``step()`` simulates one day.
    """

    RECOVERED_SATISFACTION = RECOVERED_SATISFACTION

    def __init__(self, scenario: Scenario | None = None, *, seed: int | None = None,
                 overrides: dict[str, Any] | None = None, record_journeys: bool = False,
                 **shortcuts: Any):
        super().__init__(seed=seed)
        self.scenario = configure(scenario, overrides, shortcuts)
        s = self.scenario
        self.population, self.strategy, self.industry = s.population, s.strategy, s.industry
        self.wom, self.behaviour = s.word_of_mouth, s.behaviour
        self.day = 0
        self.tally = Tally()
        self.phase_counts = np.zeros(len(Phase), dtype=np.int64)
        self.review_mean = 0.0  # running average valence of public reviews, −1..1
        self._reviews_today: list[int] = []  # posted today, read from tomorrow
        self.firm = firm_of(s)
        self.env = simpy.Environment()
        self.desks = {ch: ServiceDesk(self.env, servers, handle, self.behaviour.open_minutes)
                      for ch, (servers, handle) in self.firm.desks.items()}
        self.profiles = [s.profile(a) for a in Archetype]
        self.people = draw_people(s, self.rng)
        self.indptr, self.neighbours = build_csr(s.network, s.population.size, self.rng)
        self.customers = [
            Customer(self, i, int(self.people.archetype[i]), int(self.people.generation[i]),
                     Status.CUSTOMER if self.people.is_customer[i] else Status.PROSPECT,
                     float(self.people.attitude[i]))
            for i in range(s.population.size)]
        self.phase_counts[Phase.IDLE] = s.population.size
        # Kept up to date as people change status (`Customer.become`), like `phase_counts`.
        self.people_by_status = np.bincount(self.statuses(), minlength=len(Status))
        self.initial_customers = self.initial_retained = int(self.people.is_customer.sum())
        self._inbox: list[tuple[int, int]] = []  # stories to be heard tomorrow
        self._touchpoints: list[tuple[int, int, int, bool]] = []
        self.datacollector = mesa.DataCollector(model_reporters=daily.DAILY_REPORTERS)
        # Off by default: recording draws nothing, so outputs are the same either way.
        self.recorder = JourneyRecorder(s.population.size) if record_journeys else None
        for i in limits.index_cases(self.people.is_customer, s.validation.index_cases, self.rng):
            self.customers[i].tipped_off = True  # heard of the firm before day 0

    @functools.cached_property
    def graph(self) -> nx.Graph:
        """The social network as a networkx graph (built on first use, for drawing)."""
        return to_graph(self.indptr, self.neighbours)

    # -- the day ---------------------------------------------------------------------------------
    def step(self) -> None:
        """One day: hear yesterday's stories, live the day, serve the desks, score, collect."""
        self.tally.new_day()
        self._deliver_stories()
        self.agents.do("step")
        if self.scenario.validation.advocacy == "daily":
            self._advocate()
        self._settle_touchpoints()
        self._publish_reviews()
        self.datacollector.collect(self)
        self.day += 1
        if self.day >= self.scenario.horizon_days:
            self.running = False

    def _deliver_stories(self) -> None:
        inbox, self._inbox = self._inbox, []
        for listener, valence in inbox:
            self.customers[listener].hear(valence)

    def touchpoint(self, customer: Customer, channel: int, switched: bool,
                   fragmented: bool) -> None:
        """Queue a touchpoint; it is served and scored at the end of the day."""
        self._touchpoints.append((customer.index, channel, customer.phase, fragmented))
        self.tally.touchpoints(customer.phase, channel, switched, fragmented)

    def _settle_touchpoints(self) -> None:
        if not self._touchpoints:
            return
        columns = zip(*self._touchpoints, strict=True)
        who, channel, phase, fragmented = (np.array(col) for col in columns)
        self._touchpoints = []
        points, short = score_touchpoints(self, who, channel, phase, fragmented)
        for i, person in enumerate(who):
            self.customers[person].remember(float(points[i]), short[i])

    def serve_desks(self, channel: np.ndarray) -> np.ndarray:
        """Waits (minutes) of today's touchpoints.

        Every desk admits its contacts first, then the shared SimPy clock runs once to the end
        of the day's service, so no desk's day starts after another's overtime.
        """
        wait = np.zeros(len(channel))
        admitted, processes = [], []
        for ch, desk in self.desks.items():
            at_desk = np.flatnonzero(channel == ch)
            if len(at_desk):
                waits, procs = desk.admit_day(self.day, len(at_desk), self.rng)
                admitted.append((ch, at_desk, waits))
                processes += procs
        run_until_served(self.env, processes)
        for ch, at_desk, waits in admitted:
            wait[at_desk] = waits
            self.tally.waits(ch, waits)
        return wait

    def share(self, customer: Customer, valence: int) -> np.ndarray:
        """A customer tells neighbours (heard tomorrow) and maybe posts a public review.

        Returns:
            The neighbours told (the dashboard draws the ties a story went along).
        """
        p = wom.share_probability(valence, self.wom.share_probability, self.wom.negative_ratio,
                                  customer.profile.share_positive, customer.profile.share_negative)
        neighbours = self.neighbours[self.indptr[customer.index]:self.indptr[customer.index + 1]]
        listeners = neighbours[wom.told(len(neighbours), float(p), self.rng)]
        self._inbox.extend((int(v), valence) for v in listeners)
        self.tally.word_of_mouth(valence, len(listeners))
        if self.rng.random() < wom.review_probability(valence, self.wom.review_probability,
                                                      self.wom.negative_ratio):
            self.tally.reviews[0 if valence > 0 else 1] += 1
            self._reviews_today.append(valence)
        return listeners

    def _advocate(self) -> None:
        """Validation limit `advocacy: daily`: every advocate tells a good story today."""
        phase = np.array([c.phase for c in self.customers])
        for i in limits.advocates(phase, self.statuses()):
            self.share(self.customers[i], 1)

    def _publish_reviews(self) -> None:
        # Updated once a day, so today's reviews are read from tomorrow on, whatever the order.
        self.review_mean = wom.review_average(self.review_mean, self._reviews_today)
        self._reviews_today = []

    def run(self) -> None:
        """Run to the end of the horizon."""
        while self.running:
            self.step()

    # -- what metrics read (the vectorized engine offers the same) ------------------------------
    def statuses(self) -> np.ndarray:
        """Each person's status (Status codes), in person order."""
        return np.fromiter((c.status for c in self.customers), np.int8, len(self.customers))

    def status_counts(self) -> np.ndarray:
        """People per status: prospects, customers, churned."""
        return self.people_by_status

    def people_state(self) -> dict[str, np.ndarray]:
        """Per-person arrays at the end of a run (see sim/metrics/)."""
        cs = self.customers
        return {
            "archetype": self.people.archetype,
            "generation": self.people.generation,
            "initial_customer": self.people.is_customer,
            "in_cohort": np.array([c.in_initial_cohort for c in cs]),
            "purchases": np.array([c.purchases for c in cs]),
            "revenue": np.array([c.revenue for c in cs]),
            "shortfall": np.array([c.shortfall for c in cs]),
            "acquired_via": np.array([c.acquired_via or "" for c in cs]),
        }

    def series(self) -> pd.DataFrame:
        """The daily series, one row per day."""
        return self.datacollector.get_model_vars_dataframe()
