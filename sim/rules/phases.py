"""The seven phases of the customer journey (seed 004_f577f70e35375867.txt), as codes.

Apart from the journey's rules (sim/rules/journey.py) so that every rule module can name a
phase without importing the others.
"""

from __future__ import annotations

from sim.rules.labels import Labelled


class Phase(Labelled):
    """Journey phases in order; IDLE is the time between journeys (no active need)."""

    IDLE = 0
    AWARENESS = 1
    DISCOVERY = 2
    INTEREST = 3
    CONSIDERATION = 4
    ACTION = 5
    USE = 6
    ENGAGEMENT = 7


JOURNEY = tuple(p for p in Phase if p is not Phase.IDLE)
PHASE_NAMES = tuple(p.label for p in JOURNEY)
# Phases where the customer researches options: archetypes differ most here (seed 002).
RESEARCH_PHASES = (Phase.DISCOVERY, Phase.INTEREST, Phase.CONSIDERATION)
# Phases before and including the purchase: awareness-to-purchase time spans these.
PRE_PURCHASE = (Phase.AWARENESS, *RESEARCH_PHASES, Phase.ACTION)
IDLE, AWARENESS, DISCOVERY, INTEREST, CONSIDERATION, ACTION, USE, ENGAGEMENT = map(int, Phase)
