"""`DashboardModel`: the agents engine as the dashboard runs it, one or two strategies at once.

Mesa's controller rebuilds the model from the controls on Reset. Controls that cannot make a
valid scenario never raise here: the model keeps the message in `problem`, does nothing when
stepped, and the page shows the message instead of a traceback.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import mesa
import numpy as np

from agents.archetypes import ARCHETYPE_NAMES
from sim import metrics
from sim.dashboard import controls, picture
from sim.engines import daily
from sim.engines.mesa_model import CustomerJourneyModel
from sim.rules.buffers import STORIES
from sim.rules.channels import Channel
from sim.rules.journey import JOURNEY
from sim.scenario.errors import UserError
from sim.scenario.schema import Scenario

CONTROL_NAMES = ("scenario", "compare_with", "population", "seed", *controls.LEVERS,
                 *ARCHETYPE_NAMES)


class TellingModel(CustomerJourneyModel):
    """The agents engine, remembering the stories of the last days for the network picture.

    Only remembers: the draws, and so the run, are those of `CustomerJourneyModel`.
    """

    def __init__(self, *args, **kwargs) -> None:
        self.tellings: list[picture.Telling] = []
        super().__init__(*args, **kwargs)

    def step(self) -> None:
        """A day as the model lives it; then remember who told whom (today's stories)."""
        day = self.day
        super().step()
        b = self.buffers
        told = slice(0, b.fill[STORIES])
        tellers, listeners = b.story_teller[told], b.story_listener[told]
        valences = b.story_valence[told]
        for teller in dict.fromkeys(tellers.tolist()):  # in the order they told
            mine = tellers == teller
            self.tellings.append(picture.Telling(day, teller, int(valences[mine][0]),
                                                 listeners[mine].copy()))

    def forget_before(self, day: int) -> None:
        """Drop the stories told before `day` (the picture shows only the last few days)."""
        self.tellings = [t for t in self.tellings if t.day >= day]


@dataclass
class History:
    """What the charts show, one entry per day (day 0 is the starting state)."""

    retention: list[float] = field(default_factory=list)  # (customers − acquired) / start
    survival: list[float] = field(default_factory=list)  # day-0 customers never lost
    nps_counts: list[np.ndarray] = field(default_factory=list)  # cumulative detr/pass/prom
    wom: list[tuple[float, float]] = field(default_factory=list)  # contacts told today: +, −
    wait_sum: list[np.ndarray] = field(default_factory=list)  # cumulative minutes per channel
    wait_count: list[np.ndarray] = field(default_factory=list)  # cumulative contacts per channel

    def record(self, model: CustomerJourneyModel) -> None:
        """Add today's values (after the model's step)."""
        t = model.tally
        acquired = int(t.acquisitions.sum())
        self.retention.append(metrics.retention_rate(daily.customers(model), acquired,
                                                     model.initial_customers))
        self.survival.append(daily.cohort_survival(model))
        self.nps_counts.append(t.nps.copy())
        self.wom.append((t.today("wom_positive"), t.today("wom_negative")))
        self.wait_sum.append(t.wait_sum.copy())
        self.wait_count.append(t.wait_count.copy())

    def nps(self, window: int) -> np.ndarray:
        """Each day's NPS of the journeys rated in the `window` days before it (NaN if none)."""
        counts = np.array(self.nps_counts)
        recent = counts - counts[np.maximum(np.arange(len(counts)) - window, 0)]
        rated = recent.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(rated > 0, 100 * (recent[:, 2] - recent[:, 0]) / rated, np.nan)


@dataclass
class Side:
    """One strategy on the page: its label, its model and what it has done so far."""

    label: str
    scenario: Scenario
    model: TellingModel
    history: History = field(default_factory=History)

    @property
    def short(self) -> str:
        """The side's letter, 'A' or 'B' (chart legends)."""
        return self.label.split(" ")[0]

    def people(self) -> dict[str, np.ndarray]:
        """Per-person state the network picture colours by (read-only)."""
        cs = self.model.customers
        return {
            "status": self.model.statuses(),
            "phase": np.fromiter((c.phase for c in cs), np.int8, len(cs)),
            "attitude": np.fromiter((c.attitude for c in cs), float, len(cs)),
            "story": np.fromiter((c.last_story for c in cs), np.int8, len(cs)),
            "story_day": np.fromiter((c.last_story_day for c in cs), np.int32, len(cs)),
        }

    def funnel(self) -> np.ndarray:
        """Journeys that reached each phase so far (awareness … engagement)."""
        return np.array([self.model.tally.funnel[p] for p in JOURNEY])

    def channel_mix(self) -> np.ndarray:
        """Touchpoints so far in each channel."""
        return self.model.tally.channel_mix.sum(axis=0)[: len(Channel)]

    def desks(self) -> list[int]:
        """The staffed channels this firm offers (phone, messaging, store)."""
        return sorted(self.model.firm.desks)


class DashboardModel(mesa.Model):
    """One or two `CustomerJourneyModel`s on the same people, network and seed, stepped together.

    Every argument is a dashboard control (see `sim.dashboard.controls`); ``None`` takes the
    value of the scenario the dashboard was started with.
    """

    def __init__(self, scenario=None, compare_with=None, population=None, seed=None,
                 integration=None, personalisation=None, self_service=None, one_click=None,
                 social_listening=None, content=None, advertising=None, perilla=None,
                 pez_dorado=None, trompeta=None, embudo=None):
        given = dict(locals())
        values = {name: given[name] for name in CONTROL_NAMES}
        self.choices = controls.catalogue(controls.command_line_scenario())
        self.problem: str | None = None
        # Mesa's play loop steps in a thread while the page draws: whoever reads the sides
        # (the pictures, charts, tables) holds this lock, so it never sees half a day.
        self.lock = threading.RLock()
        try:
            start = controls.defaults(start_key(self.choices), self.choices)
            values = {k: start[k] if v is None else v for k, v in values.items()}
            self.setup = controls.setup(values, self.choices)
        except UserError as exc:
            self.setup, self.problem = None, str(exc)
        super().__init__(seed=self.setup.seed if self.setup else None)
        self.values = values
        self.sides: list[Side] = []
        if self.setup:
            for label, s in zip(self.setup.labels, self.setup.sides, strict=True):
                side = Side(label, s, TellingModel(s, seed=self.setup.seed))
                side.history.record(side.model)
                self.sides.append(side)
        self.running = self.problem is None

    @property
    def day(self) -> int:
        """Days simulated so far."""
        return self.sides[0].model.day if self.sides else 0

    @property
    def horizon(self) -> int:
        """Days the scenario runs for."""
        return self.sides[0].scenario.horizon_days if self.sides else 0

    def step(self) -> None:
        """One day for every strategy on the page (nothing if the controls were invalid)."""
        with self.lock:
            for side in self.sides:
                if side.model.running:
                    side.model.step()
                    side.model.forget_before(side.model.day - picture.TRAIL_DAYS)
                    side.history.record(side.model)
            self.running = bool(self.sides) and all(s.model.running for s in self.sides)


def start_key(choices: dict[str, Any]) -> str:
    """The scenario the page starts with: the command line's, else omnichannel."""
    given = controls.command_line_scenario()
    return controls.key_of(given) if given else next(iter(choices))
