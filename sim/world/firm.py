"""The firm as both engines see it: channels offered, their quality, levers and desk staffing."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.rules import experience
from sim.rules.channels import DESK_CHANNELS, Channel
from sim.rules.experience import Attribute, Levers
from sim.rules.service import servers_for
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class Firm:
    """A scenario's strategy turned into arrays."""

    offered: np.ndarray  # (8,) 1 where the channel is offered
    quality: np.ndarray  # (8, 6) quality of each channel on each attribute
    levers: Levers
    desks: dict[int, tuple[int, float]]  # staffed channel → (agents on duty, handling minutes)


def firm_of(s: Scenario) -> Firm:
    """The firm of scenario `s`."""
    st, b = s.strategy, s.behaviour
    quality = np.zeros((len(Channel), len(Attribute)))
    for name, offer in st.channels.items():
        row = [getattr(offer, a.label) for a in Attribute]
        quality[Channel[name.upper()]] = [offer.quality if v is None else v for v in row]
    levers = Levers(st.personalisation, st.self_service, st.one_click, st.social_listening,
                    st.content, b.forced_channel_penalty, b.fragmentation_penalty, b.noise_sd)
    desks = {int(ch): (servers_for(st.service[ch.label].staff_per_1000, s.population.size),
                       st.service[ch.label].handle_minutes)
             for ch in DESK_CHANNELS if ch.label in st.channels}
    offered = np.array([float(c.label in st.channels) for c in Channel])
    return Firm(offered, quality, levers, desks)


def score_touchpoints(model, who, channel, phase, fragmented):
    """Today's touchpoints scored: (score per touchpoint, weighted shortfall per attribute).

    `model` is the agents engine's: it serves its SimPy desks and holds the per-person arrays.
    The vectorized engine does the same with the same rules, compiled, in
    sim/vectorized/touchpoints.py.
    """
    wait = model.serve_desks(channel)
    firm = model.firm
    scores = experience.score_interactions(
        firm.quality[channel], channel, phase, model.people.preferences[who, channel], fragmented,
        wait, model.people.patience[who], firm.levers, model.rng)
    weights = model.people.weights[who]
    return (experience.touchpoint_score(scores, weights),
            experience.shortfall(scores, weights, model.people.expected[who]))
