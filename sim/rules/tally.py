"""Running counts a model keeps while it runs; KPIs and breakdowns are computed from them."""

from __future__ import annotations

import numpy as np

from agents.archetypes import Archetype
from sim.rules.channels import Channel
from sim.rules.journey import Phase

SOURCES = ("need", "advertising", "word_of_mouth", "organic")
N_PHASES, N_CHANNELS, N_ARCHETYPES = len(Phase), len(Channel), len(Archetype)


class Tally:
    """Cumulative counters for a whole run plus the flows of the current day."""

    def __init__(self) -> None:
        self.funnel = np.zeros(N_PHASES, dtype=np.int64)  # journeys entering each phase
        self.dwell_days = np.zeros((N_PHASES, N_ARCHETYPES))  # completed days per phase
        self.dwell_count = np.zeros((N_PHASES, N_ARCHETYPES), dtype=np.int64)
        self.channel_mix = np.zeros((N_PHASES, N_CHANNELS), dtype=np.int64)
        self.acquisitions = np.zeros((len(SOURCES), N_ARCHETYPES), dtype=np.int64)
        self.to_purchase_days = np.zeros(N_ARCHETYPES)  # awareness → purchase, summed
        self.to_purchase_count = np.zeros(N_ARCHETYPES, dtype=np.int64)
        self.wom_reach = np.zeros(2)  # people told: [positive, negative]
        self.wom_sharers = np.zeros(2, dtype=np.int64)  # customers who shared: [pos, neg]
        self.reviews = np.zeros(2, dtype=np.int64)
        self.nps = np.zeros(3, dtype=np.int64)  # [detractors, passives, promoters]
        self.wait_sum = np.zeros(N_CHANNELS)
        self.wait_count = np.zeros(N_CHANNELS, dtype=np.int64)
        # "rated" equals nps.sum() at the end; as a day-by-day count it lets the vectorized
        # engine book the daily series after a whole run has been simulated.
        self.counts = dict.fromkeys(
            ("switches", "fragmented", "purchases", "defections", "recovered", "interactions",
             "rated"), 0)
        self.revenue = 0.0
        self.satisfaction_sum = 0.0
        self.new_day()

    def new_day(self) -> None:
        """Reset the per-day flows that the daily series report."""
        self.today = dict.fromkeys(
            ("acquisitions", "defections", "wom_positive", "wom_negative", "fragmented",
             "waits", "wait_sum"), 0.0)

    def add(self, name: str, amount: float = 1) -> None:
        """Add to a cumulative counter and, if there is one, to today's flow of the same name."""
        self.counts[name] += amount
        if name in self.today:
            self.today[name] += amount

    def touchpoints(self, phase: int, channel: int, switched: bool, fragmented: bool) -> None:
        """A touchpoint queued today."""
        self.channel_mix[phase, channel] += 1
        self.add("interactions")
        self.add("switches", int(switched))
        self.add("fragmented", int(fragmented))

    def acquisition(self, source: str, archetype: int) -> None:
        """A prospect (or a churned customer) bought from the firm."""
        self.acquisitions[SOURCES.index(source), archetype] += 1
        self.today["acquisitions"] += 1

    def word_of_mouth(self, valence: int, reached: int) -> None:
        """One customer shared their story with `reached` neighbours."""
        side = 0 if valence > 0 else 1
        self.wom_reach[side] += reached
        self.wom_sharers[side] += 1
        self.today["wom_positive" if valence > 0 else "wom_negative"] += reached

    def waits(self, channel: int, waits: np.ndarray) -> None:
        """Waits (minutes) of the contacts a desk served today."""
        self.wait_sum[channel] += waits.sum()
        self.wait_count[channel] += len(waits)
        self.today["waits"] += len(waits)
        self.today["wait_sum"] += waits.sum()

    def journey_rated(self, satisfaction: float, nps_class: int) -> None:
        """A finished journey's satisfaction and NPS class (−1, 0, +1)."""
        self.satisfaction_sum += satisfaction
        self.counts["rated"] += 1
        self.nps[nps_class + 1] += 1
