"""Generations and their digital affinity (seeds 001_7fa830da7b82e4df.txt, 002_622c1351b7e0738c).

Boomers and Generation X are digital immigrants; Millennials and Z are digital natives: 47% of
Spain's population in 2026 (seed 002). Natives expect more, wait less and largely ignore
advertising (seeds 000, 002).
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from sim.rules.labels import Labelled
from sim.rules.ranges import Minutes, PositiveMultiplier, number


class Generation(Labelled):
    """Generational cohorts (seeds 001, 002)."""

    BOOMERS = 0
    X = 1
    MILLENNIALS = 2
    Z = 3

    @property
    def digital_native(self) -> bool:
        """Millennials and Z were born digital (seed 001)."""
        return self in (Generation.MILLENNIALS, Generation.Z)


GENERATION_NAMES = tuple(g.label for g in Generation)
AFFINITY_MIN = 0.01  # the Beta draw's shape parameters are 20·mean and 20·(1 − mean)


class GenerationProfile(BaseModel):
    """Digital affinity and channel habits of one generation."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    # Individuals draw their affinity from a Beta distribution around this mean, which needs
    # it strictly inside 0..1 (`draw_affinity`).
    affinity: number(AFFINITY_MIN, 1.0 - AFFINITY_MIN) = Field(
        description="mean digital affinity (0 analogue, 1 native; people vary around it)")
    patience_minutes: Minutes = Field(description="wait at which agility falls to 1/e")
    preferences: tuple[PositiveMultiplier, PositiveMultiplier, PositiveMultiplier,
                       PositiveMultiplier, PositiveMultiplier, PositiveMultiplier,
                       PositiveMultiplier, PositiveMultiplier] = Field(
        description="channel weights: web, app, social, messaging, phone, email, sms, store"
    )


DEFAULT_GENERATIONS: dict[Generation, GenerationProfile] = {
    Generation.BOOMERS: GenerationProfile(
        affinity=0.30, patience_minutes=20.0,
        preferences=(0.6, 0.2, 0.2, 0.4, 1.0, 0.6, 0.3, 1.0),
    ),
    Generation.X: GenerationProfile(
        affinity=0.55, patience_minutes=12.0,
        preferences=(1.0, 0.5, 0.4, 0.6, 0.7, 0.8, 0.3, 0.8),
    ),
    Generation.MILLENNIALS: GenerationProfile(
        affinity=0.85, patience_minutes=6.0,
        preferences=(1.0, 1.0, 0.8, 0.9, 0.3, 0.4, 0.2, 0.5),
    ),
    Generation.Z: GenerationProfile(
        affinity=0.95, patience_minutes=4.0,
        preferences=(0.7, 1.0, 1.0, 1.0, 0.15, 0.2, 0.2, 0.4),
    ),
}


def draw_affinity(mean, rng: np.random.Generator, size=None, concentration: float = 20.0):
    """Individual digital affinity: Beta-distributed around the generation's mean."""
    mean = np.asarray(mean, dtype=float)
    return rng.beta(mean * concentration, (1 - mean) * concentration, size)
