"""Word of mouth, compiled: stories told today are heard tomorrow (docs/design.md Decision 2).

`share` is `CustomerJourneyModel.share` for one sharer, `hear_stories` is `Customer.hear` for
each of yesterday's stories in the order they were told; both use the shared rules of sim/wom.py.
"""

from __future__ import annotations

from sim.engines.vectorized.state import REVIEWS, STORIES, WOM_POSITIVE
from sim.rules import wom
from sim.rules.jit import kernel
from sim.rules.journey import Phase
from sim.rules.loyalty import Status

IDLE, CUSTOMER = int(Phase.IDLE), int(Status.CUSTOMER)


@kernel
def share(i, valence, kind, r, rng, network, stories, reviews, fill, sums, wom_reach,
          wom_sharers, review_counts):
    """Person `i` tells each contact with their probability and may post a public review."""
    indptr, neighbours = network
    p = wom.share_probability(valence, r.share_probability, r.negative_ratio,
                               kind.share_positive, kind.share_negative)
    told = fill[STORIES]
    for k in range(indptr[i], indptr[i + 1]):
        if rng.random() < p:
            stories[told].listener, stories[told].valence = neighbours[k], valence
            told += 1
    side = 0 if valence > 0 else 1
    wom_reach[side] += told - fill[STORIES]
    wom_sharers[side] += 1
    sums[WOM_POSITIVE + side] += told - fill[STORIES]
    fill[STORIES] = told
    if rng.random() < wom.review_probability(valence, r.review_probability, r.negative_ratio):
        review_counts[side] += 1
        reviews[fill[REVIEWS]] = valence
        fill[REVIEWS] += 1


@kernel
def hear_stories(stories, told, crowd, folk, kinds, r, rng):
    """Yesterday's `told` stories move attitudes; good ones tip idle prospects off."""
    for k in range(told):
        valence = stories[k].valence
        c = crowd[stories[k].listener]
        susceptibility = kinds[folk[stories[k].listener].archetype].peer_susceptibility
        shift = wom.attitude_shift(valence, r.peer_influence, susceptibility)
        c.attitude = min(max(c.attitude + shift, -1.0), 1.0)
        if c.phase == IDLE and c.status != CUSTOMER and wom.starts_journey(
                valence, r.awareness_probability, susceptibility, rng):
            c.tipped_off = True


@kernel
def advocate(who, folk, kinds, r, rng, network, buffers, tallies):
    """Validation limit `advocacy: daily` (sim/limits.py): `who` tell a good story today."""
    for i in who:
        share(i, 1, kinds[folk[i].archetype], r, rng, network, buffers.stories, buffers.reviews,
              buffers.fill, buffers.sums, tallies.wom_reach, tallies.wom_sharers, tallies.reviews)
