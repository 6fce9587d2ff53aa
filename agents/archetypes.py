"""The four buyer archetypes (seed 002_622c1351b7e0738c.txt) and their behavioural profiles.

Names stay in Spanish as in the source: Perilla (door handle: habitual, frequent cheap buys),
Pez Dorado (goldfish: long B2B-style research), Trompeta (trumpet: lifestyle/luxury, word of
mouth), Embudo (funnel: classic path, punishes any bad touchpoint).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.rules.labels import Labelled
from sim.rules.ranges import Logit, Multiplier, PositiveMultiplier, Share, number


class Archetype(Labelled):
    """Buyer archetypes (seed 002)."""

    PERILLA = 0
    PEZ_DORADO = 1
    TROMPETA = 2
    EMBUDO = 3

    @property
    def display(self) -> str:
        """Name as written in the sources."""
        return {"PEZ_DORADO": "Pez Dorado"}.get(self.name, self.name.capitalize())


ARCHETYPE_NAMES = tuple(a.label for a in Archetype)


class ArchetypeProfile(BaseModel):
    """How one archetype behaves. Multipliers are relative to the industry's figures."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    need_rate: PositiveMultiplier = Field(description="× industry need rate (purchase frequency)")
    research: PositiveMultiplier = Field(
        description="× industry days in discovery/interest/consideration")
    touchpoints: number(0.0, 1.0, above=True) = Field(
        description="touchpoint chance per research day")
    basket: PositiveMultiplier = Field(description="× industry basket value (EUR)")
    weights: tuple[Multiplier, Multiplier, Multiplier, Multiplier, Multiplier, Multiplier] = Field(
        description="importance of convenience, simplicity, coherence, relevance, control, "
        "agility (relative: at least one above 0)"
    )
    worst_touchpoint: Share = Field(
        description="weight of the worst touchpoint (vs the mean) in journey experience"
    )
    share_positive: Multiplier = Field(description="× propensity to share a good experience")
    share_negative: Multiplier = Field(description="× propensity to share a bad experience")
    peer_susceptibility: Multiplier = Field(description="× weight given to peers' word of mouth")
    ad_response: Multiplier = Field(
        description="× response to advertising and reward programmes")
    loyalty: Logit = Field(description="habit: added to the repurchase propensity (logit units)")

    @model_validator(mode="after")
    def _some_weight(self):
        # Weights are divided by their sum: all zero would make every experience NaN.
        if not sum(self.weights) > 0:
            raise ValueError("weights: at least one attribute needs a weight above 0")
        return self


# Values encode the qualitative descriptions of seed 002; magnitudes are modelling choices
# documented in docs/ODD.md and open to calibration.
DEFAULT_PROFILES: dict[Archetype, ArchetypeProfile] = {
    # Frequent cheap purchases, little research, habitual, rarely an advocate, rewards work.
    Archetype.PERILLA: ArchetypeProfile(
        need_rate=2.0, research=0.25, touchpoints=0.5, basket=0.5,
        weights=(0.30, 0.20, 0.10, 0.05, 0.05, 0.30), worst_touchpoint=0.2,
        share_positive=0.3, share_negative=0.8, peer_susceptibility=0.6, ad_response=1.5,
        loyalty=0.8,
    ),
    # Researches thoroughly across many touchpoints (B2B); values content and relevance.
    Archetype.PEZ_DORADO: ArchetypeProfile(
        need_rate=0.5, research=4.0, touchpoints=0.9, basket=3.0,
        weights=(0.10, 0.15, 0.20, 0.35, 0.10, 0.10), worst_touchpoint=0.2,
        share_positive=0.8, share_negative=1.0, peer_susceptibility=1.0, ad_response=0.5,
        loyalty=0.3,
    ),
    # Lifestyle and luxury: governed by word of mouth and influencers, shares a lot.
    Archetype.TROMPETA: ArchetypeProfile(
        need_rate=0.7, research=1.0, touchpoints=0.7, basket=4.0,
        weights=(0.15, 0.10, 0.20, 0.30, 0.10, 0.15), worst_touchpoint=0.2,
        share_positive=2.0, share_negative=2.0, peer_susceptibility=2.5, ad_response=0.4,
        loyalty=0.0,
    ),
    # Classic funnel: won by a fluid experience at every touchpoint, punishes any bad one.
    Archetype.EMBUDO: ArchetypeProfile(
        need_rate=1.0, research=1.0, touchpoints=0.7, basket=1.0,
        weights=(0.15, 0.20, 0.30, 0.10, 0.10, 0.15), worst_touchpoint=0.8,
        share_positive=1.0, share_negative=1.2, peer_susceptibility=1.0, ad_response=1.0,
        loyalty=0.2,
    ),
}
