"""Channels and the rule that picks one for each interaction (seeds 000, 002, 004)."""

from __future__ import annotations

import numpy as np

from sim.journey import Phase
from sim.labels import Labelled


class Channel(Labelled):
    """Channels a firm may offer."""

    WEB = 0
    APP = 1
    SOCIAL = 2
    MESSAGING = 3  # WhatsApp and similar (seed 000)
    PHONE = 4
    EMAIL = 5
    SMS = 6
    STORE = 7


CHANNEL_NAMES = tuple(c.label for c in Channel)
# Channels served by capacity-limited staff: their queues are SimPy service desks.
DESK_CHANNELS = (Channel.MESSAGING, Channel.PHONE, Channel.STORE)

# How natural a channel is for each phase (0 = not used). Rows: phases, columns: Channel order.
# Awareness comes through social, web and push channels; research happens on web/app/social;
# purchases on web/app/store; after-sales contact through phone/messaging/app (seed 004).
_FIT = {
    #                    web  app  soc  msg  pho  eml  sms  sto
    Phase.AWARENESS:     (1.0, 0.4, 1.0, 0.2, 0.1, 0.6, 0.4, 0.5),
    Phase.DISCOVERY:     (1.0, 0.6, 0.9, 0.3, 0.2, 0.3, 0.1, 0.4),
    Phase.INTEREST:      (1.0, 0.8, 0.6, 0.5, 0.3, 0.3, 0.1, 0.6),
    Phase.CONSIDERATION: (0.9, 0.8, 0.4, 0.7, 0.5, 0.2, 0.1, 0.8),
    Phase.ACTION:        (1.0, 1.0, 0.1, 0.4, 0.4, 0.0, 0.0, 1.0),
    Phase.USE:           (0.5, 0.8, 0.4, 1.0, 1.0, 0.4, 0.2, 0.5),
    Phase.ENGAGEMENT:    (0.6, 0.6, 1.0, 0.3, 0.1, 0.3, 0.1, 0.2),
}
# A small floor lets any offered channel serve any phase when nothing better is offered.
PHASE_FIT = np.full((len(Phase), len(Channel)), 0.02)
for _phase, _row in _FIT.items():
    PHASE_FIT[_phase] = np.maximum(_row, 0.02)


_CHANNEL_INDEX = np.arange(len(Channel))


def choice_weights(preferences, offered_mask, phase, last_channel, stickiness: float):
    """Unnormalised weights over channels for one interaction, or one row per interaction.

    Args:
        preferences: customer's preference per channel, shape (8,) or (n, 8).
        offered_mask: 1 where the firm offers the channel, else 0, shape (8,).
        phase: current journey phase, scalar or (n,).
        last_channel: channel of the previous touchpoint in this journey, or -1; scalar or (n,).
        stickiness: extra weight multiplier (≥0) for staying in the last channel.
    """
    stay = _CHANNEL_INDEX == np.asarray(last_channel)[..., None]
    return preferences * offered_mask * PHASE_FIT[phase] * (1.0 + stickiness * stay)


def choose_channel(weights, rng: np.random.Generator):
    """Draw a channel in proportion to `weights` (8,) → int, or one per row of (n, 8) → array.

    Each row's weights must have a positive sum.
    """
    rows = np.atleast_2d(weights)
    cumulative = np.cumsum(rows, axis=1)
    u = rng.random(len(rows)) * cumulative[:, -1]
    picks = np.minimum((cumulative <= u[:, None]).sum(axis=1), len(Channel) - 1)
    return int(picks[0]) if np.ndim(weights) == 1 else picks
