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

from sim.rules import counters
from sim.rules.channels import DESK_CHANNELS, Channel
from sim.rules.complaints import CATEGORIES, CATEGORY_OF
from sim.rules.jit import kernel, rule
from sim.rules.labels import Labelled
from sim.rules.loyalty import updated_attitude
from sim.rules.phases import RESEARCH_PHASES, Phase


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
_MESSAGING = int(Channel.MESSAGING)


class Levers(NamedTuple):
    """The firm's experience levers (each in [0, 1], seed 003) and the size of their effects.

    A named tuple of numbers, so the kernels take it as it is. The effect sizes are the
    scenario's `effects:` block (sources and ranges in docs/ODD.md).
    """

    personalisation: float  # observe + learn
    self_service: float  # delegate
    one_click: float  # simplify
    social_listening: float  # converse
    content: float  # share
    relevance_floor: float  # relevance without personalisation, × the channel's quality
    content_relevance: float  # share of the missing relevance full content adds in research
    self_service_control: float  # control lost in digital channels without self-service
    one_click_simplicity: float  # share of the missing simplicity one-click adds at purchase
    listening_agility: float  # agility lost after purchase in social/messaging, no listening
    forced_channel_convenience: float  # convenience lost in a channel the customer dislikes
    fragmentation_coherence: float  # coherence lost when a switch loses context
    fragmentation_agility: float  # agility lost when a switch loses context (start over)
    messaging_patience: float  # × a person's patience when waiting for a message reply
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
        1 - levers.forced_channel_convenience * (1 - preference))
    x[Attribute.SIMPLICITY] = q[Attribute.SIMPLICITY] + (
        _IS_ONE_CLICK[channel] * (phase == _ACTION) * levers.one_click
        * levers.one_click_simplicity * (1 - q[Attribute.SIMPLICITY]))
    x[Attribute.COHERENCE] = q[Attribute.COHERENCE] * (
        1 - levers.fragmentation_coherence * fragmented)
    relevance = q[Attribute.RELEVANCE] * (
        levers.relevance_floor + (1 - levers.relevance_floor) * levers.personalisation)
    x[Attribute.RELEVANCE] = relevance + (
        _IS_RESEARCH[phase] * levers.content_relevance * levers.content * (1 - relevance))
    x[Attribute.CONTROL] = q[Attribute.CONTROL] * (
        1 - _IS_DIGITAL[channel] * levers.self_service_control * (1 - levers.self_service))
    # Social listening helps after the purchase; waiting, and repeating oneself after a lost
    # context, cost agility.
    x[Attribute.AGILITY] = (
        q[Attribute.AGILITY]
        * (1 - _IS_LISTENING[channel] * (phase >= _USE) * levers.listening_agility
           * (1 - levers.social_listening))
        * np.exp(-wait / patience) * (1 - levers.fragmentation_agility * fragmented))
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
def satisfaction(journey_gap, product_gap, sensitivity: float, journey_weight: float):
    """Satisfaction in [0, 1] from the service and product gaps (experience − expectation).

    `journey_weight` is the weight of the service (the journey) against the product's own.
    """
    raw = 0.5 + sensitivity * (journey_weight * journey_gap + (1 - journey_weight) * product_gap)
    return np.minimum(np.maximum(raw, 0.0), 1.0)


@rule
def recommend_score(satisfaction_value):
    """Likelihood to recommend on the 0–10 NPS scale."""
    return np.rint(10 * satisfaction_value)


@rule
def nps_class(score):
    """+1 promoter (9–10), 0 passive (7–8), −1 detractor (0–6)."""
    return 1 * (score >= 9) - 1 * (score <= 6)


@kernel
def score_touchpoints(who, channel, phase, fragmented, wait, preferences, weights, patience,
                      expected, quality, levers, shortfall_sum, complaints, rng):
    """Score tonight's touchpoints: one experience score each, in the order they happened.

    Each touchpoint's six attributes are scored (`score_interactions`) with the firm's
    quality of its channel, the person's liking of that channel and patience (longer for a
    message reply: `levers.messaging_patience`), and the wait at the desk; its score is the
    person's weighted mean of them. The weighted shortfall from the person's expectation is
    added to their row of `shortfall_sum` (by attribute) and of `complaints` (by where it
    happened, `sim.rules.complaints`: the first half of the columns sums the shortfall, the
    second counts the touchpoints). Compiled for both engines (it touches only arrays);
    `rng` is `Draws` of the run's generator. Per-person rows are gathered element by element:
    no row views to count.
    """
    n, attributes = len(who), weights.shape[1]
    liking, their_patience, their_expected = np.empty(n), np.empty(n), np.empty(n)
    their_weights = np.empty((n, attributes))
    for k in range(n):
        liking[k] = preferences[who[k], channel[k]]
        their_patience[k], their_expected[k] = patience[who[k]], expected[who[k]]
        if channel[k] == _MESSAGING:
            their_patience[k] *= levers.messaging_patience
        for a in range(attributes):
            their_weights[k, a] = weights[who[k], a]
    scores = score_interactions(quality[channel], channel, phase, liking, fragmented * 1.0,
                                wait, their_patience, levers, rng)
    short = shortfall(scores, their_weights, their_expected)
    for k in range(n):
        category = CATEGORY_OF[phase[k], channel[k]]
        complaints[who[k], len(CATEGORIES) + category] += 1.0
        for a in range(attributes):
            shortfall_sum[who[k], a] += short[k, a]
            complaints[who[k], category] += short[k, a]
    return touchpoint_score(scores, their_weights)


@rule
def remember(person, score: float) -> None:
    """A touchpoint of this journey was scored tonight: keep its sum, count and minimum."""
    person.touchpoint_sum += score
    person.touchpoint_count += 1
    person.worst_touchpoint = min(person.worst_touchpoint, score)


@rule
def recovered(params, rng) -> bool:
    """Whether a detractor's complaint is answered fast and in public, and defused (converse).

    Only a detractor who voices the complaint can be answered (`effects.complaint_voice_share`:
    32% of consumers tell the company, Qualtrics 2025); the firm answers as far as it listens
    (`social_listening`), and an answer recovers `effects.recovery_rate` of them (Twitter/AMS
    2016: 69% felt better after a reply). A recovered detractor ends up passive, not a
    promoter: the service-recovery paradox holds for satisfaction, not for repurchase or word
    of mouth (de Matos et al. 2007).
    """
    return rng.random() < params.recovery_chance


@rule
def judge(person, traits, profile, params, rng, tally) -> int:
    """First day of engagement: rate the journey, update attitude; returns the NPS class.

    The journey's experience (its touchpoints, the worst one weighted by the archetype) and
    the product's, each against the person's expectation, make satisfaction; satisfaction
    makes a promoter (+1), a passive (0) or a detractor (−1), who may be recovered.
    """
    score = journey_experience(person.touchpoint_sum, person.touchpoint_count,
                               person.worst_touchpoint, profile.worst_touchpoint)
    journey_gap = 0.0 if np.isnan(score) else score - traits.expected
    product_gap = params.product_quality + rng.normal(0.0, params.noise_sd) - traits.expected
    sat = satisfaction(journey_gap, product_gap, params.satisfaction_sensitivity,
                       params.journey_weight)
    valence = nps_class(recommend_score(sat))
    if valence < 0 and recovered(params, rng):
        sat, valence = params.recovered_satisfaction, 0
        tally.counts[counters.RECOVERED] += 1
    tally.sums[counters.SATISFACTION] += sat
    tally.counts[counters.RATED] += 1
    tally.nps[valence + 1] += 1
    person.attitude = updated_attitude(person.attitude, sat, params.attitude_memory)
    return valence
