"""Experience on the six attributes and satisfaction (seed 003_bcd81d781a89aac1.txt).

Every interaction scores convenience, simplicity, coherence, relevance, control and agility in
[0, 1]. The firm's levers move them: observe/learn → relevance, delegate → control,
simplify → simplicity, converse → agility in social channels, share → relevance while researching,
integration → coherence when the customer switches channels. Satisfaction follows the gap between
the experience and the customer's expectation; digital customers expect more (seed 000).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.rules.channels import DESK_CHANNELS, Channel
from sim.rules.jit import rule
from sim.rules.journey import RESEARCH_PHASES, Phase
from sim.rules.labels import Labelled


class Attribute(Labelled):
    """The six attributes of a memorable experience (seed 003)."""

    CONVENIENCE = 0
    SIMPLICITY = 1
    COHERENCE = 2
    RELEVANCE = 3
    CONTROL = 4
    AGILITY = 5


ATTRIBUTE_NAMES = tuple(a.label for a in Attribute)
_ONE_CLICK_CHANNELS = (Channel.WEB, Channel.APP)
_LISTENING_CHANNELS = (Channel.SOCIAL, Channel.MESSAGING)
# Channel and phase properties as 0/1 floats: they multiply, in numpy and in numba alike.
_IS_DIGITAL = 1.0 - np.isin(np.arange(len(Channel)), DESK_CHANNELS)
_IS_ONE_CLICK = np.isin(np.arange(len(Channel)), _ONE_CLICK_CHANNELS) * 1.0
_IS_LISTENING = np.isin(np.arange(len(Channel)), _LISTENING_CHANNELS) * 1.0
_IS_RESEARCH = np.isin(np.arange(len(Phase)), RESEARCH_PHASES) * 1.0
_ACTION, _USE = int(Phase.ACTION), int(Phase.USE)


class Levers(NamedTuple):
    """The firm's experience levers, each in [0, 1] (seed 003); a tuple, so numba can take it."""

    personalisation: float  # observe + learn
    self_service: float  # delegate
    one_click: float  # simplify
    social_listening: float  # converse
    content: float  # share
    forced_channel_penalty: float  # convenience lost in a channel the customer dislikes
    fragmentation_penalty: float  # coherence lost when a switch loses context
    noise_sd: float  # interaction-to-interaction variation of each attribute


@rule
def score_interactions(quality, channel, phase, preference, fragmented, wait, patience, levers,
                       rng):
    """Attribute scores of a batch of interactions, shape (n, 6), each in [0, 1].

    Args:
        quality: (n, 6) the firm's quality of each interaction's channel on each attribute.
        channel: (n,) channel codes.
        phase: (n,) journey phase codes.
        preference: (n,) the customer's liking of the channel relative to their favourite, 0..1.
        fragmented: (n,) bool, a channel switch that lost the context.
        wait: (n,) minutes waited at a service desk (0 elsewhere).
        patience: (n,) minutes at which agility falls to 1/e.
        levers: the firm's levers.
        rng: the run's numpy generator.
    """
    q, x = quality.T, np.empty((quality.shape[1], quality.shape[0]))  # a row per attribute
    x[Attribute.CONVENIENCE] = q[Attribute.CONVENIENCE] * (
        1 - levers.forced_channel_penalty * (1 - preference))
    x[Attribute.SIMPLICITY] = q[Attribute.SIMPLICITY] + (
        _IS_ONE_CLICK[channel] * (phase == _ACTION) * levers.one_click
        * (1 - q[Attribute.SIMPLICITY]))
    x[Attribute.COHERENCE] = q[Attribute.COHERENCE] * (
        1 - levers.fragmentation_penalty * fragmented)
    relevance = q[Attribute.RELEVANCE] * (0.4 + 0.6 * levers.personalisation)
    x[Attribute.RELEVANCE] = relevance + (
        _IS_RESEARCH[phase] * 0.3 * levers.content * (1 - relevance))
    x[Attribute.CONTROL] = q[Attribute.CONTROL] * (
        1 - _IS_DIGITAL[channel] * 0.5 * (1 - levers.self_service))
    # Social listening helps after the purchase; waiting, and repeating oneself after a lost
    # context, cost agility.
    x[Attribute.AGILITY] = (
        q[Attribute.AGILITY]
        * (1 - _IS_LISTENING[channel] * (phase >= _USE) * 0.5 * (1 - levers.social_listening))
        * np.exp(-wait / patience) * (1 - 0.5 * levers.fragmentation_penalty * fragmented))
    x += rng.normal(0.0, levers.noise_sd, x.shape)
    return np.minimum(np.maximum(x, 0.0), 1.0).T


def expectation(affinity, base: float, digital: float):
    """What a customer expects of an interaction (0..1): digital customers expect more."""
    return base + digital * np.asarray(affinity)


@rule
def touchpoint_score(scores, weights):
    """One number per interaction: the customer's weighted mean of the six attributes."""
    return (scores * weights).sum(axis=1)


@rule
def shortfall(scores, weights, expected):
    """Weighted shortfall per attribute (n, 6): where and how much experience fell short."""
    gap = expected[:, None] - scores
    return np.maximum(gap, 0.0) * weights


@rule
def journey_experience(total: float, count: int, worst: float, worst_weight: float) -> float:
    """A journey's experience: the mean touchpoint score blended with the worst one.

    Takes the touchpoints' sum, count and minimum (NaN for a journey without touchpoints).
    Embudo gives the worst touchpoint most weight: one bad step spoils the journey (seed 002).
    """
    if count == 0:
        return np.nan
    return (1 - worst_weight) * (total / count) + worst_weight * worst


@rule
def satisfaction(journey_gap, product_gap, sensitivity: float):
    """Satisfaction in [0, 1] from the service and product gaps (experience − expectation)."""
    raw = 0.5 + sensitivity * (0.6 * journey_gap + 0.4 * product_gap)
    return np.minimum(np.maximum(raw, 0.0), 1.0)


@rule
def recommend_score(satisfaction_value):
    """Likelihood to recommend on the 0–10 NPS scale."""
    return np.rint(10 * satisfaction_value)


@rule
def nps_class(score):
    """+1 promoter (9–10), 0 passive (7–8), −1 detractor (0–6)."""
    return 1 * (score >= 9) - 1 * (score <= 6)
