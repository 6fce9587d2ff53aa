"""Word of mouth: who shares, how far it reaches, and what hearing it does (seeds 001, 002).

"If I like it, some will know; if I don't, very many will know" (seed 002): a dissatisfied
customer tells each neighbour `negative_ratio` times as often as a satisfied one (TARP: about
twice). Messages sent today are heard tomorrow (docs/design.md Decision 2).
"""

from __future__ import annotations

import numpy as np

from sim.rules.jit import rule


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
def review_average(current: float, valences, weight: float = 0.05) -> float:
    """Exponential moving average of review valence: recent reviews weigh more."""
    for valence in valences:
        current = (1 - weight) * current + weight * valence
    return current


def told(n_neighbours: int, probability: float, rng: np.random.Generator):
    """Mask over a customer's neighbours: who hears the story (independent per neighbour)."""
    return rng.random(n_neighbours) < probability


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
