"""The day's queues: what people do today that is settled tonight or heard tomorrow.

Touchpoints are served at the desks and scored at the end of the day; stories and reviews
are heard and read from tomorrow (docs/design.md Decision 2); entries and purchases are handed to
the journey recorder when journeys are recorded. The rules append to these arrays and
`fill` says how far each is written; both engines use them alike.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.rules.jit import rule
from sim.rules.phases import IDLE, USE

# Positions in `fill`.
TOUCHES, STORIES, REVIEWS, ENTRIES, PURCHASES = range(5)


class Buffers(NamedTuple):
    """Room for one day's touchpoints, stories, reviews and recorded events."""

    touch_who: np.ndarray
    touch_phase: np.ndarray
    touch_channel: np.ndarray
    touch_fragmented: np.ndarray
    story_teller: np.ndarray
    story_listener: np.ndarray
    story_valence: np.ndarray
    review_valence: np.ndarray
    entry_who: np.ndarray  # empty unless journeys are recorded
    entry_phase: np.ndarray
    purchase_who: np.ndarray
    purchase_amount: np.ndarray
    fill: np.ndarray

    @classmethod
    def sized(cls, n: int, links: int, tellings_per_day: int, recording: bool) -> Buffers:
        """Buffers for `n` people and `links` directed contacts.

        Each person touches, buys and enters a phase at most once a day, and tells each
        contact at most `tellings_per_day` stories a day.
        """
        events = n if recording else 0
        return cls(np.zeros(n, np.int64), np.zeros(n, np.int64), np.zeros(n, np.int64),
                   np.zeros(n, np.bool_), np.zeros(links * tellings_per_day, np.int64),
                   np.zeros(links * tellings_per_day, np.int64),
                   np.zeros(links * tellings_per_day, np.int64),
                   np.zeros(n * tellings_per_day, np.int64), np.zeros(events, np.int64),
                   np.zeros(events, np.int64), np.zeros(events, np.int64), np.zeros(events),
                   np.zeros(PURCHASES + 1, np.int64))


@rule
def queue_touchpoint(buffers, i: int, phase: int, channel: int, fragmented: bool) -> None:
    """Person `i`'s touchpoint, to be served and scored tonight."""
    k = buffers.fill[TOUCHES]
    buffers.touch_who[k], buffers.touch_phase[k] = i, phase
    buffers.touch_channel[k], buffers.touch_fragmented[k] = channel, fragmented
    buffers.fill[TOUCHES] = k + 1


@rule
def note_entry(buffers, i: int, phase: int, purchase: float) -> None:
    """When journeys are recorded: person `i` entered `phase` (use: after buying `purchase`)."""
    if len(buffers.entry_who) == 0 or phase == IDLE:  # not recording, or not a journey phase
        return
    k = buffers.fill[ENTRIES]
    buffers.entry_who[k], buffers.entry_phase[k] = i, phase
    buffers.fill[ENTRIES] = k + 1
    if phase == USE:  # entered only by buying
        k = buffers.fill[PURCHASES]
        buffers.purchase_who[k], buffers.purchase_amount[k] = i, purchase
        buffers.fill[PURCHASES] = k + 1
