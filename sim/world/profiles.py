"""The archetypes' behaviour as the rules read it: one profile per archetype.

The kernels read a record array (`profiles_of`), the agents engine named tuples of the same
fields with the same numbers (`as_tuples`), so a rule reads `profile.need_rate` either way.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from agents.archetypes import Archetype
from sim.scenario.schema import Scenario

# What the rules read of a person's archetype (what differs from person to person, their need
# rate, habit and spend, is each person's own: sim/world/people.py TRAITS).
FIELDS = ("touchpoints", "worst_touchpoint", "share_positive", "share_negative",
          "peer_susceptibility")
PROFILE = np.dtype([(name, np.float64) for name in FIELDS], align=True)
Profile = NamedTuple("Profile", [(name, float) for name in FIELDS])


def profiles_of(scenario: Scenario) -> np.ndarray:
    """One record per archetype, in `Archetype` order."""
    profiles = np.zeros(len(Archetype), dtype=PROFILE)
    own = [scenario.profile(a) for a in Archetype]
    for name in FIELDS:
        profiles[name] = [getattr(p, name) for p in own]
    return profiles


def as_tuples(profiles: np.ndarray) -> list[Profile]:
    """The records as named tuples of Python floats (fast to read in Python)."""
    return [Profile(*(float(record[name]) for name in FIELDS)) for record in profiles]
