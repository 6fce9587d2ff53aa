"""The firm as both engines see it: channels offered, their quality, levers and desk staffing."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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
    fx = s.effects
    levers = Levers(st.personalisation, st.self_service, st.one_click, st.social_listening,
                    st.content, fx.relevance_floor, fx.content_relevance, fx.self_service_control,
                    fx.one_click_simplicity, fx.listening_agility, fx.forced_channel_convenience,
                    fx.fragmentation_coherence, fx.fragmentation_agility,
                    b.messaging_patience, b.noise_sd)
    desks = {int(ch): (servers_for(st.service[ch.label].staff_per_1000, s.population.size),
                       st.service[ch.label].handle_minutes)
             for ch in DESK_CHANNELS if ch.label in st.channels}
    offered = np.array([float(c.label in st.channels) for c in Channel])
    return Firm(offered, quality, levers, desks)
