"""`CustomerJourneyModel`: the Mesa model that runs the agents engine, one tick per day."""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np
import simpy

from agents.archetypes import Archetype
from agents.customer import Customer, Status
from agents.generations import Generation, draw_affinity
from sim import experience, loyalty, metrics, wom
from sim.channels import DESK_CHANNELS, Channel
from sim.experience import Attribute, Levers
from sim.journey import Phase
from sim.loading import scenario_from_dict, set_path
from sim.network import build_network, to_csr
from sim.scenario import Scenario
from sim.service import ServiceDesk, run_until_served, servers_for
from sim.tally import Tally

# Keyword shortcuts for the most used parameters, as Mesa users expect (`n_customers=...`).
SHORTCUTS = {
    "n_customers": "population.size",
    "horizon_days": "horizon_days",
    "integration": "strategy.integration",
    "personalisation": "strategy.personalisation",
    "self_service": "strategy.self_service",
    "one_click": "strategy.one_click",
    "social_listening": "strategy.social_listening",
    "content": "strategy.content",
    "advertising": "strategy.advertising",
    "negative_ratio": "word_of_mouth.negative_ratio",
    "network_kind": "network.kind",
    "mean_degree": "network.mean_degree",
}


class CustomerJourneyModel(mesa.Model):
    """Customers on a social network walking the journey across the firm's channels.

    Build it from a scenario, from keyword shortcuts (``n_customers=1000, integration=0.9``), or
    both; ``seed`` fixes every random draw. ``step()`` simulates one day.
    """

    RECOVERED_SATISFACTION = 0.75  # a recovered detractor ends up passive (NPS 7–8)

    def __init__(self, scenario: Scenario | None = None, *, seed: int | None = None,
                 overrides: dict[str, Any] | None = None, **shortcuts: Any):
        super().__init__(seed=seed)
        self.scenario = _configure(scenario, overrides, shortcuts)
        s = self.scenario
        self.population, self.strategy, self.industry = s.population, s.strategy, s.industry
        self.wom, self.behaviour = s.word_of_mouth, s.behaviour
        self.day = 0
        self.tally = Tally()
        self.phase_counts = np.zeros(len(Phase), dtype=np.int64)
        self.review_mean = 0.0  # running average valence of public reviews, −1..1
        self._reviews_today: list[int] = []  # posted today, read from tomorrow
        self._set_up_firm()
        self._set_up_people()
        self._set_up_network()
        self.initial_customers = self.initial_retained = sum(
            c.status == Status.CUSTOMER for c in self.customers)
        self._inbox: list[tuple[int, int]] = []  # stories to be heard tomorrow
        self._touchpoints: list[tuple[int, int, int, bool]] = []
        self.datacollector = mesa.DataCollector(model_reporters=metrics.DAILY_REPORTERS)

    # -- set-up ---------------------------------------------------------------------------------
    def _set_up_firm(self) -> None:
        st = self.strategy
        self.offered = np.array([float(c.label in st.channels) for c in Channel])
        self.quality = np.zeros((len(Channel), len(Attribute)))
        for name, offer in st.channels.items():
            row = [getattr(offer, a.label) for a in Attribute]
            self.quality[Channel[name.upper()]] = [offer.quality if v is None else v for v in row]
        b = self.behaviour
        self.levers = Levers(st.personalisation, st.self_service, st.one_click,
                             st.social_listening, st.content, b.forced_channel_penalty,
                             b.fragmentation_penalty, b.noise_sd)
        self.env = simpy.Environment()
        self.desks = {
            ch: ServiceDesk(self.env, servers_for(st.service[ch.label].staff_per_1000,
                                                  self.population.size),
                            st.service[ch.label].handle_minutes, b.open_minutes)
            for ch in DESK_CHANNELS if ch.label in st.channels}

    def _set_up_people(self) -> None:
        s, pop, rng = self.scenario, self.population, self.rng
        n = pop.size
        self.profiles = [s.profile(a) for a in Archetype]
        archetype = rng.choice(len(Archetype), n, p=[pop.archetypes.get(a.label, 0.0)
                                                     for a in Archetype])
        generation = rng.choice(len(Generation), n, p=[pop.generations.get(g.label, 0.0)
                                                       for g in Generation])
        gens = [s.generation(g) for g in Generation]
        affinity = draw_affinity(np.array([gens[g].affinity for g in generation]), rng)
        prefs = np.array([gens[g].preferences for g in generation])
        self.preferences = prefs / prefs.max(axis=1, keepdims=True)
        self.patience = np.array([gens[g].patience_minutes for g in generation])
        self.weights = np.array([self.profiles[a].weights for a in archetype])
        self.weights /= self.weights.sum(axis=1, keepdims=True)
        b = self.behaviour
        self.expected = experience.expectation(affinity, b.expectation_base, b.expectation_digital)
        response = np.array([self.profiles[a].ad_response for a in archetype])
        self.ad_reach = np.clip(self.strategy.advertising * loyalty.ad_effectiveness(
            affinity, b.ad_immunity, response), 0.0, 1.0)
        self.affinity, self.generation = affinity, generation
        self._set_up_rates()
        is_customer = rng.random(n) < pop.initial_customer_share
        attitude = np.clip(rng.normal(np.where(is_customer, 0.3, 0.0), 0.2), -1, 1)
        self.customers = [
            Customer(self, i, int(archetype[i]), int(generation[i]),
                     Status.CUSTOMER if is_customer[i] else Status.PROSPECT, float(attitude[i]))
            for i in range(n)]
        self.phase_counts[Phase.IDLE] = n

    def _set_up_rates(self) -> None:
        ind, b = self.industry, self.behaviour
        self.need_rate = np.array([p.need_rate / ind.need_interval_days for p in self.profiles])
        self.organic_rate = np.array([p.need_rate * b.organic_awareness_rate
                                      for p in self.profiles])
        base = np.array([0.0] + [ind.phase_days[p.label] for p in Phase if p != Phase.IDLE])
        research = np.isin(np.arange(len(Phase)), [Phase.DISCOVERY, Phase.INTEREST,
                                                   Phase.CONSIDERATION])
        self.dwell_mean = np.array([np.where(research, base * p.research, base)
                                    for p in self.profiles])

    def _set_up_network(self) -> None:
        seed = int(self.rng.integers(2**31 - 1))
        self.graph = build_network(self.scenario.network, self.population.size, seed)
        self.indptr, self.neighbours = to_csr(self.graph, self.population.size)

    # -- the day ---------------------------------------------------------------------------------
    def step(self) -> None:
        """One day: hear yesterday's stories, live the day, serve the desks, score, collect."""
        self.tally.new_day()
        self._deliver_stories()
        self.agents.do("step")
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
        self.tally.channel_mix[customer.phase, channel] += 1
        self.tally.add("interactions")
        if switched:
            self.tally.add("switches")
        if fragmented:
            self.tally.add("fragmented")

    def _settle_touchpoints(self) -> None:
        if not self._touchpoints:
            return
        columns = zip(*self._touchpoints, strict=True)
        who, channel, phase, fragmented = (np.array(col) for col in columns)
        self._touchpoints = []
        wait = self._serve_desks(channel)
        scores = experience.score_interactions(
            self.quality[channel], channel, phase, self.preferences[who, channel], fragmented,
            wait, self.patience[who], self.levers, self.rng)
        weights = self.weights[who]
        points = experience.touchpoint_score(scores, weights)
        short = experience.shortfall(scores, weights, self.expected[who])
        for i, person in enumerate(who):
            customer = self.customers[person]
            customer.touchpoints.append(float(points[i]))
            customer.shortfall += short[i]

    def _serve_desks(self, channel: np.ndarray) -> np.ndarray:
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

    def share(self, customer: Customer, valence: int) -> None:
        """A customer tells neighbours (heard tomorrow) and maybe posts a public review."""
        p = wom.share_probability(valence, self.wom.share_probability, self.wom.negative_ratio,
                                  customer.profile.share_positive, customer.profile.share_negative)
        neighbours = self.neighbours[self.indptr[customer.index]:self.indptr[customer.index + 1]]
        listeners = neighbours[wom.told(len(neighbours), float(p), self.rng)]
        self._inbox.extend((int(v), valence) for v in listeners)
        self.tally.word_of_mouth(valence, len(listeners))
        review_p = self.wom.review_probability * (self.wom.negative_ratio if valence < 0 else 1)
        if self.rng.random() < review_p:
            self.tally.reviews[0 if valence > 0 else 1] += 1
            self._reviews_today.append(valence)

    def _publish_reviews(self) -> None:
        # Recent reviews weigh more: an exponential moving average of valence, updated once a
        # day so that today's reviews are read from tomorrow on, whatever the stepping order.
        for valence in self._reviews_today:
            self.review_mean = 0.95 * self.review_mean + 0.05 * valence
        self._reviews_today = []

    def run(self) -> None:
        """Run to the end of the horizon."""
        while self.running:
            self.step()


def _configure(scenario: Scenario | None, overrides: dict | None, shortcuts: dict) -> Scenario:
    unknown = sorted(set(shortcuts) - set(SHORTCUTS))
    if unknown:
        raise TypeError(f"unknown parameter(s) {unknown}; allowed: {sorted(SHORTCUTS)} "
                        "or overrides={'dotted.key': value}")
    if scenario is not None and not overrides and not shortcuts:
        return scenario
    data = (scenario or Scenario()).model_dump(mode="json")
    for name, value in shortcuts.items():
        data = set_path(data, SHORTCUTS[name], value)
    for dotted, value in (overrides or {}).items():
        data = set_path(data, dotted, value)
    return scenario_from_dict(data, "model parameters")
