"""Validation limits: the two switches of the `validation:` block, shared by both engines.

They exist to put the model where closed forms hold (docs/validation.md) and change nothing at
their defaults: no draws, no state.
- `index_cases`: prospects who heard of the firm before day 0 start a journey on day 0 through
  word of mouth (the seeds of a cascade on the network).
- `advocacy: daily`: everyone in a journey or a customer tells each contact a good story every
  day, through the model's own `share` rule, instead of once per judged journey. With a complete
  network this is the mass-action imitation term q·F(t) of the Bass model.
"""

from __future__ import annotations

import numpy as np

from sim.rules.jit import rule
from sim.rules.loyalty import Status
from sim.rules.phases import Phase

_IDLE, _CUSTOMER = int(Phase.IDLE), int(Status.CUSTOMER)


def index_cases(is_customer: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of `k` prospects (or all of them if fewer) drawn at random; none if k = 0."""
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    prospects = np.flatnonzero(~np.asarray(is_customer, dtype=bool))
    return np.sort(rng.choice(prospects, min(k, len(prospects)), replace=False))


@rule
def advocates(phase: np.ndarray, status: np.ndarray) -> np.ndarray:
    """Who advocates under `advocacy: daily`: people in a journey and customers."""
    return np.flatnonzero((phase != _IDLE) | (status == _CUSTOMER))
