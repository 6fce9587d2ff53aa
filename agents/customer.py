"""`Customer`: one person walking through the journey, one `step()` per day.

The behaviour rules are the pure functions in `sim/` (docs/design.md Decision 1); this class only
holds one customer's state and calls them in order. Anything that involves other people (word of
mouth, service desks, experience scoring) goes through the model and takes effect the next day or
at the end of today, so no customer sees another's action of the same day (Decision 2): the
stepping order only decides who draws which random number.
"""

from __future__ import annotations

import mesa
import numpy as np

from sim.rules import experience, journey, loyalty, wom
from sim.rules.channels import choose_channel
from sim.rules.journey import Phase
from sim.rules.loyalty import Status

AWARENESS_TOUCHPOINT = 0.5  # chance of a touchpoint on an awareness day (an ad, a post, a search)


class Customer(mesa.Agent):
    """A customer or prospect of the firm."""

    def __init__(self, model, index: int, archetype: int, generation: int, status: Status,
                 attitude: float):
        super().__init__(model)
        self.index = index  # row in the model's per-customer arrays and node in the network
        self.archetype = archetype
        self.generation = generation
        self.profile = model.profiles[archetype]
        self.status = status
        self.initial_status_customer = status == Status.CUSTOMER
        self.in_initial_cohort = self.initial_status_customer  # a day-0 customer never lost
        self.attitude = attitude  # −1 (hostile) .. +1 (devoted)
        self.phase = Phase.IDLE
        self.days_left = 0
        self.dwell = 0
        self.journey_start = 0
        self.source = "need"
        self.touchpoint_sum, self.touchpoint_count, self.worst_touchpoint = 0.0, 0, np.inf
        self.last_channel = -1
        self.tipped_off = False  # heard a good story that makes them look at the firm
        self.last_story, self.last_story_day = 0, -1  # valence and day of the last story heard
        self.acquired_via: str | None = None  # what started the journey that won this person
        self.purchases = 0
        self.revenue = 0.0
        self.shortfall = np.zeros(6)
        self.idle_chances = self._idle_chances()

    # -- the day -------------------------------------------------------------------------------
    def step(self) -> None:
        """Live one day: maybe start a journey, else act in the current phase and maybe move on."""
        if self.phase == Phase.IDLE:
            self.look_for_need()
            return
        self.act_in_phase()
        self.days_left -= 1
        if self.days_left <= 0:
            self.finish_phase()

    def look_for_need(self) -> None:
        """Customers get needs and see ads; prospects hear of the firm, see ads or find it."""
        m = self.model
        if self.tipped_off and self.status != Status.CUSTOMER:
            self.tipped_off = False
            self.start_journey("word_of_mouth")
            return
        event = journey.idle_day(*self.idle_chances, m.rng)
        if event == journey.NOTHING:
            return
        if self.status != Status.CUSTOMER:
            self.start_journey("advertising" if event == journey.FIRST_EVENT else "organic")
        elif event == journey.FIRST_EVENT:
            self.start_journey("need")
        else:
            self.attitude = min(1.0, self.attitude + m.behaviour.ad_attitude_effect)

    def start_journey(self, source: str) -> None:
        """A need becomes awareness."""
        self.source = source
        self.journey_start = self.model.day
        self.touchpoint_sum, self.touchpoint_count, self.worst_touchpoint = 0.0, 0, np.inf
        self.last_channel = -1
        self.enter(Phase.AWARENESS)

    def enter(self, phase: Phase) -> None:
        """Move to `phase` and draw how long this customer will stay in it."""
        self.model.phase_counts[self.phase] -= 1
        self.model.phase_counts[phase] += 1
        self.phase = phase
        if phase == Phase.IDLE:
            return
        self.model.tally.funnel[phase] += 1
        if self.model.recorder is not None:
            self.model.recorder.entered(self.index, phase, self.model.day)
        mean = self.model.people.dwell_mean[self.archetype, phase]
        self.dwell = self.days_left = int(journey.dwell_days(mean, self.model.rng))

    def act_in_phase(self) -> None:
        """Today's touchpoints in the current phase."""
        first_day = self.days_left == self.dwell
        if self.phase == Phase.AWARENESS:
            chance = AWARENESS_TOUCHPOINT
        elif self.phase in journey.RESEARCH_PHASES:
            chance = self.profile.touchpoints
        elif self.phase == Phase.ACTION:
            chance = float(self.days_left == 1)  # the purchase itself, on the last day
        elif self.phase == Phase.USE:
            chance = self.model.industry.support_contact_probability * first_day
        else:  # engagement: judge the journey (all touchpoints are scored by now) and talk
            if first_day:
                self.judge()
            return
        if chance and self.model.rng.random() < chance:
            self.interact()

    def interact(self) -> None:
        """Pick a channel among those offered and hand the touchpoint to the model to score."""
        m = self.model
        channel = choose_channel(m.people.preferences[self.index], m.firm.offered, self.phase,
                                 self.last_channel, m.behaviour.channel_stickiness, m.rng)
        switched = self.last_channel >= 0 and channel != self.last_channel
        fragmented = switched and m.rng.random() >= m.strategy.integration
        self.last_channel = channel
        m.touchpoint(self, channel, switched, fragmented)
        if m.recorder is not None:
            m.recorder.touched(self.index, channel)

    def remember(self, score: float, shortfall: np.ndarray) -> None:
        """A touchpoint of this journey has been scored (at the end of its day)."""
        self.touchpoint_sum += score
        self.touchpoint_count += 1
        self.worst_touchpoint = min(self.worst_touchpoint, score)
        self.shortfall += shortfall

    def finish_phase(self) -> None:
        """Leave the current phase: decide, buy, judge or rest."""
        self.model.tally.dwell_days[self.phase, self.archetype] += self.dwell
        self.model.tally.dwell_count[self.phase, self.archetype] += 1
        if self.phase == Phase.CONSIDERATION:
            self.decide()
        elif self.phase == Phase.ACTION:
            self.buy()
        else:
            self.enter(journey.next_phase(self.phase))

    # -- decisions -----------------------------------------------------------------------------
    def decide(self) -> None:
        """End of consideration: buy from the firm or from a competitor (a customer then churns)."""
        m = self.model
        b = m.behaviour
        seen = self.attitude + m.wom.review_influence * m.review_mean
        is_customer = self.status == Status.CUSTOMER
        p = loyalty.choose_firm_probability(seen, is_customer, b.purchase_intercept,
                                            b.purchase_slope, b.customer_bonus,
                                            self.profile.loyalty)
        if m.rng.random() < p:
            self.enter(Phase.ACTION)
            return
        if is_customer:
            self.churn()
        self.enter(Phase.IDLE)

    def churn(self) -> None:
        """Take the business elsewhere."""
        self.become(Status.CHURNED)
        self.model.tally.add("defections")
        if self.in_initial_cohort:
            self.in_initial_cohort = False
            self.model.initial_retained -= 1

    def become(self, status: Status) -> None:
        """Change status, keeping the model's count of people per status."""
        self.model.people_by_status[self.status] -= 1
        self.model.people_by_status[status] += 1
        self.status = status
        self.idle_chances = self._idle_chances()

    def _idle_chances(self) -> tuple[float, float]:
        """This person's daily chances of the two idle events (they change with status)."""
        people = self.model.people
        return journey.idle_chances(self.status == Status.CUSTOMER,
                                    people.need_rate[self.archetype], people.ad_reach[self.index],
                                    people.organic_rate[self.archetype])

    def buy(self) -> None:
        """The purchase: revenue, and a new customer if this person was not one."""
        m = self.model
        basket = m.industry.basket_value * self.profile.basket
        self.purchases += 1
        self.revenue += basket
        m.tally.revenue += basket
        m.tally.add("purchases")
        if m.recorder is not None:
            m.recorder.bought(self.index, m.day, basket)
        m.tally.to_purchase_days[self.archetype] += m.day - self.journey_start + 1
        m.tally.to_purchase_count[self.archetype] += 1
        if self.status != Status.CUSTOMER:
            self.become(Status.CUSTOMER)
            self.acquired_via = self.source
            m.tally.acquisition(self.source, self.archetype)
        self.enter(Phase.USE)

    def judge(self) -> None:
        """First day of engagement: rate the whole journey, update attitude, talk about it."""
        m = self.model
        b = m.behaviour
        expected = m.people.expected[self.index]
        journey_score = experience.journey_experience(
            self.touchpoint_sum, self.touchpoint_count, self.worst_touchpoint,
            self.profile.worst_touchpoint)
        journey_gap = 0.0 if np.isnan(journey_score) else journey_score - expected
        product_gap = m.industry.product_quality + m.rng.normal(0, b.noise_sd) - expected
        sat = float(experience.satisfaction(journey_gap, product_gap,
                                            b.satisfaction_sensitivity))
        valence = int(experience.nps_class(experience.recommend_score(sat)))
        if valence < 0 and m.rng.random() < m.strategy.social_listening * b.recovery_rate:
            sat, valence = m.RECOVERED_SATISFACTION, 0  # a fast public answer defuses it
            m.tally.add("recovered")
        m.tally.journey_rated(sat, valence)
        self.attitude = float(loyalty.updated_attitude(self.attitude, sat, b.attitude_memory))
        if valence:
            m.share(self, valence)

    def hear(self, valence: int) -> None:
        """A neighbour's story arrives (sent yesterday)."""
        m = self.model
        self.last_story, self.last_story_day = valence, m.day  # read-only state (dashboard)
        shift = wom.attitude_shift(valence, m.wom.peer_influence, self.profile.peer_susceptibility)
        self.attitude = float(np.clip(self.attitude + shift, -1.0, 1.0))
        if self.phase == Phase.IDLE and self.status != Status.CUSTOMER and wom.starts_journey(
                valence, m.wom.awareness_probability, self.profile.peer_susceptibility, m.rng):
            self.tipped_off = True
