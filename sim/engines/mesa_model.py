"""`CustomerJourneyModel`: the Mesa model that runs the agents engine, one tick per day."""

from __future__ import annotations

import functools
from typing import Any

import mesa
import networkx as nx
import numpy as np
import pandas as pd
import simpy

from agents.customer import Customer
from sim.engines import daily
from sim.engines.desks import ServiceDesk, run_until_served
from sim.engines.recorder import JourneyRecorder, record_day
from sim.engines.setup import MarketView, build_market, first_idle_events
from sim.rules import experience, limits, service, wom
from sim.rules.buffers import REVIEWS, STORIES, TOUCHES
from sim.rules.draws import Draws
from sim.rules.tally import close_day, open_day
from sim.scenario.schema import Scenario
from sim.scenario.shortcuts import SHORTCUTS, configure
from sim.world.network import to_graph
from sim.world.people import STATE
from sim.world.profiles import as_tuples


class CustomerJourneyModel(mesa.Model, MarketView):
    """Customers on a social network walking the journey across the firm's channels.

    Build it from a scenario, from keyword shortcuts (``n_customers=1000, integration=0.9``),
    or both; ``seed`` fixes every random draw. ``step()`` simulates one day.
    """

    def __init__(self, scenario: Scenario | None = None, *, seed: int | None = None,
                 overrides: dict[str, Any] | None = None, record_journeys: bool = False,
                 **shortcuts: Any):
        """Build the market of a scenario: its people, their network, the firm and its desks.

        Args:
            scenario: a loaded scenario (`sim.load_scenario`); the schema's defaults if None.
            seed: seeds every random draw (Mesa's `rng`); the same seed gives the same run.
            overrides: dotted keys to values, e.g. ``{"strategy.integration": 0.9}``.
            record_journeys: keep every phase entry, touchpoint and purchase (for the event-log
                and transactions exports); changes no outcome.
            **shortcuts: keyword shortcuts for the most used parameters (`SHORTCUTS`):
                ``n_customers`` is the number of people in the market (customers and
                prospects: `population.size`, of whom `population.initial_customer_share`
                are customers on day 0), ``horizon_days``, ``integration``, ...
        """
        super().__init__(seed=seed)
        state, traits, heard_before = build_market(
            self, configure(scenario, overrides, shortcuts), self.rng, record_journeys)
        self.env = simpy.Environment()
        self.desks = {ch: ServiceDesk(self.env, servers, handle, self.behaviour.open_minutes)
                      for ch, (servers, handle) in sorted(self.firm.desks.items())}
        profiles = as_tuples(self.profiles)
        self.customers = [Customer(self, i, state[i], traits[i], profiles[traits[i]["archetype"]])
                          for i in range(len(state))]
        for i in heard_before:
            self.customers[i].tipped_off = True  # they start a journey on day 0
        first_idle_events(self.customers, self.customers, profiles, 0, self.rng)
        self.datacollector = mesa.DataCollector(model_reporters=daily.DAILY_REPORTERS)
        # Off by default: recording draws nothing, so outputs are the same either way.
        self.recorder = JourneyRecorder(len(state)) if record_journeys else None

    @functools.cached_property
    def graph(self) -> nx.Graph:
        """The social network as a networkx graph (built on first use, for drawing)."""
        return to_graph(self.indptr, self.neighbours)

    # -- the day ---------------------------------------------------------------------------------
    def step(self) -> None:
        """One day: hear yesterday's stories, live the day, serve the desks, score, collect."""
        open_day(self.tally)
        self.hear_stories()
        self.buffers.fill[:] = 0
        self.agents.do("step")
        if self.daily_advocacy:
            self.advocate()
        self.settle_touchpoints()
        self.publish_reviews()
        if self.recorder is not None:
            record_day(self.recorder, self.buffers, self.day)
        close_day(self.tally)
        self.datacollector.collect(self)
        self.day += 1
        if self.day >= self.scenario.horizon_days:
            self.running = False

    def hear_stories(self) -> None:
        """Yesterday's stories are heard, in the order they were told."""
        b = self.buffers
        for k in range(b.fill[STORIES]):
            self.customers[b.story_listener[k]].hear(int(b.story_valence[k]))

    def settle_touchpoints(self) -> None:
        """Tonight: the desks serve today's contacts, every touchpoint is scored and remembered."""
        b, p, f = self.buffers, self.people, self.firm
        n = b.fill[TOUCHES]
        if n == 0:
            return
        who, channel = b.touch_who[:n], b.touch_channel[:n]
        wait = self.serve_desks(channel)
        points = experience.score_touchpoints(
            who, channel, b.touch_phase[:n], b.touch_fragmented[:n], wait, p.preferences,
            p.weights, p.patience, p.expected, f.quality, f.levers, self.shortfall,
            self.complaints, Draws.of(self.rng))
        for k in range(n):
            self.customers[who[k]].remember(float(points[k]))

    def serve_desks(self, channel: np.ndarray) -> np.ndarray:
        """Waits (minutes) of today's touchpoints at the SimPy desks; 0 at other channels.

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
            service.book_waits(self.tally, ch, waits)
        return wait

    def tell(self, who: int, valence: int) -> None:
        """Person `who` tells their contacts a story today (heard tomorrow)."""
        self.customers[who].tell(valence)

    def advocate(self) -> None:
        """Validation limit `advocacy: daily`: every advocate tells a good story today."""
        state = self.state_records()
        for i in limits.advocates(state["phase"], state["status"]):
            self.customers[i].tell(1)

    def publish_reviews(self) -> None:
        """Today's reviews join the public average, read from tomorrow on."""
        b = self.buffers
        self.review_mean = wom.review_average(
            self.review_mean, b.review_valence[:b.fill[REVIEWS]], self.params.review_memory)

    def run(self) -> None:
        """Run to the end of the horizon."""
        while self.running:
            self.step()

    # -- what metrics read (the vectorized engine offers the same) ------------------------------
    def state_records(self) -> np.ndarray:
        """Everyone's `STATE` record (sim/world/people.py), gathered from the agents."""
        fields = STATE.names
        return np.array([tuple(getattr(c, name) for name in fields) for c in self.customers],
                        dtype=STATE)

    def series(self) -> pd.DataFrame:
        """The daily series, one row per day."""
        return self.datacollector.get_model_vars_dataframe()


__all__ = ["SHORTCUTS", "CustomerJourneyModel"]
