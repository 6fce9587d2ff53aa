"""`Customer`: one person walking through the journey, one `step()` per day.

The day is read here, verb by verb; each verb calls the one rule (sim/rules/) that makes that
change, with the customer itself as the person the rule acts on. The vectorized engine's
kernels call the same rules in the same order on a person's records, so both engines run the
same code (docs/design.md Decision 1). Anything that involves other people goes through the day's
buffers: touchpoints are served and scored at the end of today, stories are heard tomorrow
(Decision 2), so the stepping order only decides who draws which random number.
"""

from __future__ import annotations

import mesa

from sim.rules import buffers, channels, experience, journey, wom
from sim.rules.journey import Phase


class Customer(mesa.Agent):
    """A customer or prospect of the firm.

    Its attributes are the fields of `sim.world.people.STATE` (what the rules change: phase,
    status, attitude, ...) and of `TRAITS` (archetype, ad_reach, expected), with the same
    names and starting values as the vectorized engine's records.
    """

    def __init__(self, model, index: int, state, traits, profile):
        super().__init__(model)
        self.index = index  # row in the model's per-person arrays and node in the network
        for record in (state, traits):
            for name in record.dtype.names:
                setattr(self, name, record[name].item())
        self.profile = profile  # the archetype's (sim/world/profiles.py)

    # -- the day -------------------------------------------------------------------------------
    def step(self) -> None:
        """Live one day: maybe start a journey, else act in the current phase and maybe move on."""
        if self.phase == Phase.IDLE:
            self.look_for_need()
            return
        self.act_in_phase()
        if journey.count_down(self):
            self.finish_phase()

    def look_for_need(self) -> None:
        """Idle: a need, an ad, a friend's story or chance may start a journey today."""
        m = self.model
        source = journey.look_for_need(self, self, self.profile, m.params, m.day, m.rng)
        if source >= 0:
            self.start_journey(source)

    def start_journey(self, source: int) -> None:
        """A need becomes awareness."""
        journey.start_journey(self, source, self.model.day)
        self.enter(Phase.AWARENESS)

    def enter(self, phase: int) -> None:
        """Move to `phase` and draw how long to stay (idle: when something will happen)."""
        m = self.model
        journey.enter_phase(self, self, self.profile, phase, m.day, m.people.dwell_mean, m.rng,
                            m.tally)
        buffers.note_entry(m.buffers, self.index, phase, self.last_purchase)

    def act_in_phase(self) -> None:
        """Today's touchpoint in the current phase, or, on engagement's first day, the verdict."""
        m = self.model
        if self.phase == Phase.ENGAGEMENT:
            if self.days_left == self.dwell:
                self.judge()
            return
        chance = journey.touchpoint_chance(self, self.profile, m.params)
        if chance > 0 and m.rng.random() < chance:
            self.interact()

    def interact(self) -> None:
        """A touchpoint in a channel the firm offers, scored tonight."""
        m = self.model
        channel, fragmented = channels.interact(self, m.people.preferences[self.index],
                                                m.firm.offered, m.params, m.rng, m.tally)
        buffers.queue_touchpoint(m.buffers, self.index, self.phase, channel, fragmented)

    def finish_phase(self) -> None:
        """Leave the phase: decide, buy or move on, and enter the next one."""
        m = self.model
        following = journey.finish_phase(self, self, self.profile, m.params, m.review_mean,
                                         m.day, m.rng, m.tally)
        self.enter(following)

    def judge(self) -> None:
        """Rate the whole journey, update attitude, and talk about it."""
        m = self.model
        valence = experience.judge(self, self, self.profile, m.params, m.rng, m.tally)
        if valence:
            self.tell(valence)

    def tell(self, valence: int) -> None:
        """Tell each contact (they hear it tomorrow), maybe post a public review."""
        m = self.model
        wom.tell(self.index, valence, self.profile, m.params, m.rng, m.indptr, m.neighbours,
                 m.tally, m.buffers)

    # -- what others do to this customer -------------------------------------------------------
    def hear(self, valence: int) -> None:
        """A contact's story, told yesterday, arrives."""
        m = self.model
        wom.hear(self, self.profile, valence, m.params, m.day, m.rng)

    def remember(self, score: float) -> None:
        """A touchpoint of this journey has been scored (at the end of its day)."""
        experience.remember(self, score)
