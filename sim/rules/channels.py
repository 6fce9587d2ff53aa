"""Channels: which one each interaction uses, and switching between them (seeds 000, 002, 004).

A journey moves between channels (seed 000: a search, then WhatsApp with an agent, then the
store); whether the customer's context follows them decides if the switch is *fragmented*
(`switch_to`). The rules here are used by both engines (see `sim.rules.journey`).
"""

from __future__ import annotations

import numpy as np

from sim.rules import counters
from sim.rules.jit import rule
from sim.rules.labels import Labelled
from sim.rules.phases import Phase


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
# Channels where customers serve themselves: the firm's own website and app (seed 003, delegate).
SELF_SERVICE_CHANNELS = (Channel.WEB, Channel.APP)
_SELF_SERVICE = np.isin(np.arange(len(Channel)), SELF_SERVICE_CHANNELS) * 1.0
_USE = int(Phase.USE)
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


def choice_weights(preferences, offered_mask, phase, last_channel, stickiness: float):
    """Unnormalised weights over the eight channels for one interaction.

    Args:
        preferences: the customer's preference per channel, shape (8,).
        offered_mask: 1 where the firm offers the channel, else 0, shape (8,).
        phase: current journey phase.
        last_channel: channel of the previous touchpoint in this journey, or -1.
        stickiness: extra weight multiplier (≥0) for staying in the last channel.
    """
    return np.array([_weight(preferences, offered_mask, phase, ch, last_channel, stickiness)
                     for ch in range(len(PHASE_FIT[phase]))])


@rule
def choose_channel(preferences, offered_mask, phase, last_channel, stickiness: float,
                   rng: np.random.Generator) -> int:
    """Draw a channel in proportion to its `choice_weights` (their sum must be positive).

    Written as two passes over the channels rather than with arrays: the vectorized engine
    compiles it, and there it runs for hundreds of thousands of touchpoints a year.
    """
    total = 0.0
    for ch in range(len(PHASE_FIT[phase])):
        total += _weight(preferences, offered_mask, phase, ch, last_channel, stickiness)
    u = rng.random() * total
    running = 0.0
    for ch in range(len(PHASE_FIT[phase])):
        running += _weight(preferences, offered_mask, phase, ch, last_channel, stickiness)
        if running > u:
            return ch
    return len(PHASE_FIT[phase]) - 1  # only if rounding left u at the very top


@rule
def _weight(preferences, offered_mask, phase, channel, last_channel, stickiness):
    stay = 1.0 + stickiness * (channel == last_channel)
    return preferences[channel] * offered_mask[channel] * PHASE_FIT[phase, channel] * stay


@rule
def switch_to(person, channel: int, integration: float, rng) -> tuple[bool, bool]:
    """The person uses `channel` now: did they switch channel, and was the switch fragmented?

    A switch is a touchpoint in another channel than the journey's previous one. It is
    *fragmented* when the customer's context does not follow them (they must start over):
    with chance 1 − `integration`, the firm's integration across channels (omnichannel keeps
    the context, silos lose it; seed 004). A fragmented touchpoint then costs coherence and
    agility (`sim.rules.experience.score_interactions`).
    """
    switched = person.last_channel >= 0 and channel != person.last_channel
    fragmented = switched and rng.random() >= integration
    person.last_channel = channel
    return switched, fragmented


@rule
def deflected(offered, params, rng) -> bool:
    """Whether an after-sales contact is served by self-service (the website or the app).

    Self-service (seed 003, delegate) takes a share of the contacts that would otherwise reach
    a person: `effects.self_service_deflection` at full self-service (Gartner 2020: 20–40% of
    live contacts could be resolved by existing self-service). Only where it is offered.
    """
    if params.deflection <= 0.0 or (offered * _SELF_SERVICE).sum() == 0.0:
        return False
    return rng.random() < params.deflection


@rule
def interact(person, preferences, offered, params, rng, tally) -> tuple[int, bool]:
    """A touchpoint: pick one of the channels offered, maybe switch; the channel, fragmented?

    The engine then queues it (`sim.rules.buffers.queue_touchpoint`): tonight the desks
    serve it and it is scored (`sim.rules.experience.score_touchpoints`).
    """
    usable = offered
    if person.phase == _USE and deflected(offered, params, rng):
        usable = offered * _SELF_SERVICE
    channel = choose_channel(preferences, usable, person.phase, person.last_channel,
                             params.channel_stickiness, rng)
    switched, fragmented = switch_to(person, channel, params.integration, rng)
    tally.channel_mix[person.phase, channel] += 1
    tally.counts[counters.INTERACTIONS] += 1
    tally.counts[counters.SWITCHES] += switched
    tally.counts[counters.FRAGMENTED] += fragmented
    return channel, fragmented
