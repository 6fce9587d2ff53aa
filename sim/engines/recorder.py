"""Recording journeys as they happen, for the event-log and transactions exports.

Off by default (`model.recorder is None`): normal runs record nothing and draw nothing extra, so
their outputs are unchanged. When on, the rules note each phase entry and purchase in the day's
buffers (`sim.rules.buffers`), and at the end of each day both engines hand the day's
touchpoints, entries and purchases to the recorder (`record_day`). Rows are kept in chunks of
arrays; `sim/outputs/exports.py` turns them into tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.rules.buffers import ENTRIES, PURCHASES, TOUCHES


class JourneyRecorder:
    """Phase entries, touchpoint channels and purchases of `n` people over a run."""

    def __init__(self, n: int):
        self.current_row = np.full(n, -1, dtype=np.int64)  # each person's latest phase entry
        self.rows = 0
        self._entries: list[tuple[np.ndarray, np.ndarray, int]] = []  # (who, phase, day)
        self._touches: list[tuple[np.ndarray, np.ndarray]] = []  # (entry row, channel)
        self._purchases: list[tuple[np.ndarray, int, np.ndarray]] = []  # (who, day, amount)

    def entered(self, who, phase, day: int) -> None:
        """People `who` entered journey phase(s) `phase` on `day`."""
        who = np.atleast_1d(np.asarray(who, dtype=np.int64))
        phase = np.broadcast_to(np.asarray(phase, dtype=np.int8), who.shape).copy()
        self.current_row[who] = np.arange(self.rows, self.rows + len(who))
        self.rows += len(who)
        self._entries.append((who.copy(), phase, day))

    def touched(self, who, channel) -> None:
        """People `who` had a touchpoint in `channel` in their current phase."""
        who = np.atleast_1d(np.asarray(who, dtype=np.int64))
        channel = np.broadcast_to(np.asarray(channel, dtype=np.int8), who.shape).copy()
        self._touches.append((self.current_row[who], channel))

    def bought(self, who, day: int, amount) -> None:
        """People `who` bought on `day` for `amount` EUR each."""
        who = np.atleast_1d(np.asarray(who, dtype=np.int64))
        amount = np.broadcast_to(np.asarray(amount, dtype=float), who.shape).copy()
        self._purchases.append((who.copy(), day, amount))

    def entries(self) -> dict[str, np.ndarray]:
        """Phase entries in recording order: person, phase, day, first channel (−1 if none)."""
        if not self._entries:
            empty = np.zeros(0, dtype=np.int64)
            return {"person": empty, "phase": empty, "day": empty, "channel": empty}
        person = np.concatenate([e[0] for e in self._entries])
        phase = np.concatenate([e[1] for e in self._entries])
        day = np.concatenate([np.full(len(e[0]), e[2]) for e in self._entries])
        return {"person": person, "phase": phase, "day": day, "channel": self._first_channel()}

    def _first_channel(self) -> np.ndarray:
        channel = np.full(self.rows, -1, dtype=np.int64)
        if self._touches:
            rows = np.concatenate([t[0] for t in self._touches])
            used = np.concatenate([t[1] for t in self._touches]).astype(np.int64)
            first_rows, first = np.unique(rows, return_index=True)  # first touch per entry
            channel[first_rows] = used[first]
        return channel

    def purchases(self) -> dict[str, np.ndarray]:
        """Purchases in recording order: person, day, amount (EUR)."""
        if not self._purchases:
            return {"person": np.zeros(0, dtype=np.int64), "day": np.zeros(0, dtype=np.int64),
                    "amount": np.zeros(0)}
        return {"person": np.concatenate([p[0] for p in self._purchases]),
                "day": np.concatenate([np.full(len(p[0]), p[1]) for p in self._purchases]),
                "amount": np.concatenate([p[2] for p in self._purchases])}


def record_day(recorder: JourneyRecorder, buffers, day: int) -> None:
    """Hand the day's touchpoints, phase entries and purchases to `recorder`.

    Touchpoints go first: they belong to the phase each person was in when the day began.
    """
    fill = buffers.fill
    recorder.touched(buffers.touch_who[:fill[TOUCHES]], buffers.touch_channel[:fill[TOUCHES]])
    recorder.entered(buffers.entry_who[:fill[ENTRIES]], buffers.entry_phase[:fill[ENTRIES]], day)
    recorder.bought(buffers.purchase_who[:fill[PURCHASES]], day,
                    buffers.purchase_amount[:fill[PURCHASES]])


@dataclass
class JourneyLog:
    """What a recorded run hands to the exports (picklable, engine-neutral)."""

    entries: dict[str, np.ndarray]  # person, phase, day, channel (−1: no touchpoint)
    purchases: dict[str, np.ndarray]  # person, day, amount
    archetype: np.ndarray  # per person, Archetype code
    status: np.ndarray  # per person at the end of the run, Status code (the simulation's truth)
    horizon_days: int

    @classmethod
    def of(cls, model) -> JourneyLog:
        """The log of a model run with `record_journeys=True` (either engine)."""
        if model.recorder is None:
            raise ValueError("the model was built without record_journeys=True")
        return cls(model.recorder.entries(), model.recorder.purchases(),
                   np.asarray(model.people.archetype), model.statuses().copy(),
                   model.scenario.horizon_days)
