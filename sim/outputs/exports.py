"""Journeys for other tools: a process-mining event log and CLV transactions (opt-in exports).

- **Event log** (`run --events`): one event per journey phase entered, in the columns process
  mining expects (`case:concept:name` = one journey, `concept:name` = the phase,
  `time:timestamp` = the day it was entered), plus the channel of the phase's first touchpoint,
  the archetype and the customer id; as CSV and Parquet, and as XES through pm4py when the
  optional `events` extra is installed.
- **Transactions** (`run --transactions`): one row per purchase (customer id, date, amount) and
  the per-customer summary CLV libraries take (frequency, recency, T, monetary value), with the
  conventions of PyMC-Marketing's `clv.utils.rfm_summary` (daily periods; lifetimes' before it).
  `sim.fit` computes its calibration-window summaries with the same function.

Simulated day *d* is the date `START_DATE + d days`; the dates carry no meaning beyond order and
spacing.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from agents.archetypes import ARCHETYPE_NAMES
from sim.engines.recorder import JourneyLog
from sim.rules.channels import CHANNEL_NAMES
from sim.rules.journey import Phase

START_DATE = pd.Timestamp("2026-01-01", tz="UTC")
PHASE_LABELS = np.array([p.label for p in Phase])
CASE, ACTIVITY, TIMESTAMP = "case:concept:name", "concept:name", "time:timestamp"


def event_log(log: JourneyLog, replication: int = 0) -> pd.DataFrame:
    """One row per phase entered, sorted by case and time; a case is one customer's journey."""
    e = log.entries
    frame = pd.DataFrame({"customer_id": e["person"], "phase": e["phase"], "day": e["day"],
                          "channel": e["channel"]})
    frame = frame.sort_values(["customer_id", "day"], kind="stable", ignore_index=True)
    # A journey starts at awareness; number each customer's journeys 1, 2, ...
    journey = (frame.phase == Phase.AWARENESS).groupby(frame.customer_id).cumsum()
    channels = np.array([*CHANNEL_NAMES, ""])  # −1 (no touchpoint in the phase) → ""
    return pd.DataFrame({
        CASE: [f"r{replication}-c{c}-j{j}" for c, j in zip(frame.customer_id, journey,
                                                          strict=True)],
        ACTIVITY: PHASE_LABELS[frame.phase],
        TIMESTAMP: START_DATE + pd.to_timedelta(frame.day, unit="D"),
        "channel": channels[frame.channel],
        "archetype": np.array(ARCHETYPE_NAMES)[log.archetype[frame.customer_id]],
        "customer_id": frame.customer_id,
        "journey": journey.to_numpy(),
        "replication": replication,
    })


def transactions(log: JourneyLog, replication: int = 0) -> pd.DataFrame:
    """One row per purchase: customer id, date, amount (EUR), sorted by customer and date."""
    p = log.purchases
    frame = pd.DataFrame({"customer_id": p["person"], "day": p["day"], "amount": p["amount"]})
    frame = frame.sort_values(["customer_id", "day"], kind="stable", ignore_index=True)
    frame.insert(1, "date", START_DATE + pd.to_timedelta(frame.pop("day"), unit="D"))
    frame["archetype"] = np.array(ARCHETYPE_NAMES)[log.archetype[frame.customer_id]]
    frame["replication"] = replication
    return frame


def observation_end(horizon_days: int) -> pd.Timestamp:
    """The date of the last simulated day, the end of the observation period."""
    return START_DATE + pd.Timedelta(days=horizon_days - 1)


def rfm_summary(purchases: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """Per customer: frequency, recency, T, monetary_value in days and EUR.

    The conventions of PyMC-Marketing's ``clv.utils.rfm_summary(time_unit="D")`` (and of
    lifetimes' ``summary_data_from_transaction_data(freq="D")`` before it): purchases
    on the same day count as one period (amounts summed); frequency = repeat periods (periods
    − 1); recency = days from first to last purchase; T = days from first purchase to `end`;
    monetary_value = mean amount of the repeat periods (0 without repeats). Keyed by
    `replication` and `customer_id` when those columns are present.
    """
    keys = [k for k in ("replication", "customer_id") if k in purchases.columns]
    daily = purchases.groupby([*keys, "date"], as_index=False)["amount"].sum()
    grouped = daily.groupby(keys)
    repeat = daily["date"] > grouped["date"].transform("min")
    out = pd.DataFrame({
        "frequency": grouped.size() - 1,
        "recency": (grouped["date"].max() - grouped["date"].min()).dt.days,
        "T": (end - grouped["date"].min()).dt.days,
        "monetary_value": daily["amount"].where(repeat).groupby(
            [daily[k] for k in keys]).mean().fillna(0.0),
    })
    return out.astype({"frequency": int, "recency": float, "T": float}).reset_index()


def write_exports(folder: Path, results, events: bool, purchases: bool) -> list[Path]:
    """Write the chosen exports of recorded runs into `folder`; return the files written."""
    written: list[Path] = []
    if events:
        frame = pd.concat([event_log(r.journeys, r.replication).assign(scenario=r.scenario)
                           for r in results], ignore_index=True)
        written += _write(folder, "events", frame)
        written += write_xes(folder / "events.xes", frame)
    if purchases:
        frame = pd.concat([transactions(r.journeys, r.replication).assign(scenario=r.scenario)
                           for r in results], ignore_index=True)
        written += _write(folder, "transactions", frame)
        end = {r.scenario: observation_end(r.journeys.horizon_days) for r in results}
        summary = pd.concat([rfm_summary(frame[frame.scenario == name], end[name]).assign(
            scenario=name) for name in frame.scenario.unique()], ignore_index=True)
        written += _write(folder, "rfm", summary)
    return written


def _write(folder: Path, name: str, frame: pd.DataFrame) -> list[Path]:
    frame.to_csv(folder / f"{name}.csv", index=False)
    frame.to_parquet(folder / f"{name}.parquet", index=False)
    return [folder / f"{name}.csv", folder / f"{name}.parquet"]


def write_xes(path: Path, frame: pd.DataFrame) -> list[Path]:
    """The event log as XES (IEEE 1849) through pm4py; skipped if pm4py is not installed."""
    try:
        import pm4py
        from pm4py.util import constants
    except ImportError:
        return []
    constants.SHOW_PROGRESS_BAR = False  # our own progress bar is enough
    with warnings.catch_warnings():  # pm4py suggests an optional faster backend; noise here
        warnings.simplefilter("ignore", UserWarning)
        pm4py.write_xes(frame, str(path), case_id_key=CASE)
    return [path]

