"""Word of mouth: who shares, how far it reaches, and what hearing it does (seeds 001, 002).

"If I like it, some will know; if I don't, very many will know" (seed 002): a dissatisfied
customer tells each neighbour `negative_ratio` times as often as a satisfied one (TARP: about
twice). Messages sent today are heard tomorrow (docs/design.md Decision 2).
"""

from __future__ import annotations

import numpy as np

from sim.rules import counters
from sim.rules.buffers import REVIEWS, STORIES
from sim.rules.jit import rule
from sim.rules.loyalty import CUSTOMER
from sim.rules.phases import IDLE


@rule
def share_probability(valence, base: float, negative_ratio: float, share_pos, share_neg):
    """Per-neighbour probability that a customer tells them about the journey.

    Args:
        valence: +1 promoter, −1 detractor, 0 passive (passives stay quiet).
        base: probability for an average satisfied customer (per neighbour).
        negative_ratio: how much more often bad experiences are told than good ones.
        share_pos: the archetype's multiplier for good stories.
        share_neg: the archetype's multiplier for bad stories.
    """
    p = base * share_pos * (valence > 0) + base * negative_ratio * share_neg * (valence < 0)
    return np.minimum(np.maximum(p, 0.0), 1.0)


@rule
def review_probability(valence, base: float, negative_ratio: float):
    """Chance that a sharer also posts a public review (bad ones `negative_ratio` × as often)."""
    return base * (1.0 + (negative_ratio - 1.0) * (valence < 0))


@rule
def review_average(current: float, valences, weight: float) -> float:
    """Exponential moving average of review valence: recent reviews weigh more."""
    for valence in valences:
        current = (1 - weight) * current + weight * valence
    return current


@rule
def attitude_shift(valence, influence: float, susceptibility):
    """Change in a listener's attitude towards the firm after hearing one story."""
    return influence * susceptibility * valence


@rule
def starts_journey(valence: int, probability: float, susceptibility: float,
                   rng: np.random.Generator) -> bool:
    """Whether a good story makes an idle prospect look at the firm (word-of-mouth awareness).

    Draws one number whatever the story, so the draws do not depend on what was heard.
    """
    u = rng.random()
    return valence > 0 and u < min(max(probability * susceptibility, 0.0), 1.0)


@rule
def tell(i: int, valence: int, profile, params, rng, indptr, neighbours, tally,
         buffers) -> None:
    """Person `i` tells each contact about their journey, and may post a public review.

    Each contact hears the story (tomorrow) with the sharing probability, `negative_ratio`
    times higher for a bad story: this is how word of mouth, good and bad, reaches people.
    """
    p = share_probability(valence, params.share_probability, params.negative_ratio,
                          profile.share_positive, profile.share_negative)
    told = buffers.fill[STORIES]
    for k in range(indptr[i], indptr[i + 1]):
        if rng.random() < p:
            buffers.story_teller[told], buffers.story_listener[told] = i, neighbours[k]
            buffers.story_valence[told] = valence
            told += 1
    side = 0 if valence > 0 else 1
    reached = told - buffers.fill[STORIES]
    tally.wom_reach[side] += reached
    tally.wom_sharers[side] += 1
    tally.sums[counters.WOM_POSITIVE + side] += reached
    buffers.fill[STORIES] = told
    if rng.random() < review_probability(valence, params.review_probability,
                                         params.negative_ratio):
        tally.reviews[side] += 1
        buffers.review_valence[buffers.fill[REVIEWS]] = valence
        buffers.fill[REVIEWS] += 1


@rule
def hear(person, profile, valence: int, params, day: int, rng) -> None:
    """A contact's story, told yesterday, arrives: attitude moves; a good one may tip off.

    An idle prospect (or former customer) who hears a good story may look at the firm today
    (`starts_journey`).
    """
    person.last_story, person.last_story_day = valence, day
    shift = attitude_shift(valence, params.peer_influence, profile.peer_susceptibility)
    person.attitude = min(max(person.attitude + shift, -1.0), 1.0)
    if person.phase == IDLE and person.status != CUSTOMER and starts_journey(
            valence, params.awareness_probability, profile.peer_susceptibility, rng):
        person.tipped_off = True
