"""What both engines build before day 0, in the same order of draws, so a seed means one market.

The people and their network, the firm, the numbers the rules read, the books and the day's
buffers; then who heard of the firm before day 0 (a validation limit). Each engine then
makes its people (Mesa agents or records) from `initial_state` and `traits_of`, and draws
everyone's first idle event, person by person (`first_idle_events`).
"""

from __future__ import annotations

import numpy as np

from sim.rules import journey, limits
from sim.rules.buffers import Buffers
from sim.rules.complaints import CATEGORIES
from sim.rules.jit import rule
from sim.rules.journey import Phase
from sim.rules.loyalty import Status
from sim.rules.tally import Tally
from sim.scenario.schema import Scenario
from sim.world.firm import firm_of
from sim.world.network import build_csr
from sim.world.params import Params
from sim.world.people import draw_people, initial_state, people_table, traits_of
from sim.world.profiles import profiles_of


def build_market(model, scenario: Scenario, rng: np.random.Generator,
                 record_journeys: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Set the shared parts on `model`.

    Returns everyone's day-0 `STATE` and `TRAITS` records (sim/world/people.py), and who
    heard of the firm before day 0.
    """
    s, n = scenario, scenario.population.size
    model.scenario = s
    model.population, model.strategy, model.industry = s.population, s.strategy, s.industry
    model.wom, model.behaviour = s.word_of_mouth, s.behaviour
    model.day, model.review_mean = 0, 0.0
    model.firm = firm_of(s)
    model.people = draw_people(s, rng)
    model.indptr, model.neighbours = build_csr(s.network, n, rng)
    model.profiles = profiles_of(s)
    model.params = Params.of(s)
    state, traits = initial_state(model.people), traits_of(model.people)
    model.tally = Tally.empty()
    model.tally.in_phase[:] = np.bincount(state["phase"], minlength=len(Phase))
    model.tally.in_status[:] = np.bincount(state["status"], minlength=len(Status))
    model.daily_advocacy = s.validation.advocacy == "daily"  # a limit, sim/rules/limits.py
    model.buffers = Buffers.sized(n, len(model.neighbours), 1 + model.daily_advocacy,
                                  record_journeys)
    model.shortfall = np.zeros((n, 6))  # each person's weighted shortfall per attribute
    # The same by where it happened (sim/rules/complaints.py): sums, then touchpoints counted.
    model.complaints = np.zeros((n, 2 * len(CATEGORIES)))
    model.initial_customers = int(model.people.is_customer.sum())
    heard_before = limits.index_cases(model.people.is_customer, s.validation.index_cases, rng)
    return state, traits, heard_before


@rule
def first_idle_events(people, traits, profiles, first_day: int, rng) -> None:
    """Everyone is idle from `first_day` (day 0): draw, person by person, their next idle event.

    `people` and `traits` are the engine's (Mesa agents, or record arrays in a kernel).
    """
    for i in range(len(people)):
        if people[i].phase == journey.IDLE:  # not a cohort's first purchase to come
            journey.schedule_idle_event(people[i], traits[i], profiles[traits[i].archetype],
                                        first_day, rng)


class MarketView:
    """What the metrics, the daily series and the dashboard read of a model (either engine).

    An engine provides `tally`, `people`, `shortfall`, `initial_customers` (`build_market`)
    and `state_records()`: everyone's `STATE` record.
    """

    @property
    def phase_counts(self) -> np.ndarray:
        """People in each phase (IDLE first), as of the end of the last day."""
        return self.tally.in_phase

    def status_counts(self) -> np.ndarray:
        """People per status: prospects, customers, churned."""
        return self.tally.in_status

    def statuses(self) -> np.ndarray:
        """Each person's status (Status codes), in person order."""
        return self.state_records()["status"]

    @property
    def initial_retained(self) -> int:
        """Day-0 customers who have never left."""
        return self.initial_customers - self.tally.total("cohort_lost")

    def people_state(self) -> dict:
        """Per-person arrays at the end of a run (`sim.world.people.people_table`)."""
        return people_table(self.state_records(), self.people, self.shortfall, self.complaints)
