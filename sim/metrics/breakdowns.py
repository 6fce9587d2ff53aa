"""Breakdown tables of a finished run: per phase, channel, archetype (docs/results-format.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from agents.archetypes import Archetype
from sim.rules.channels import Channel
from sim.rules.complaints import CATEGORIES, mean_complaints
from sim.rules.counters import SOURCES
from sim.rules.experience import ATTRIBUTE_NAMES
from sim.rules.journey import JOURNEY


def breakdowns(model) -> pd.DataFrame:
    """Long table of per-phase, per-channel, per-archetype results (docs/results-format.md)."""
    rows: list[tuple[str, str, str, float]] = []
    t = model.tally
    entered = [int(t.funnel[p]) for p in JOURNEY]
    for i, p in enumerate(JOURNEY):
        rows.append(("funnel", p.label, "", entered[i]))
        nxt = entered[i + 1] / entered[i] if i + 1 < len(JOURNEY) and entered[i] else np.nan
        rows.append(("funnel_conversion", p.label, "", nxt))
        for a in Archetype:
            n = t.dwell_count[p, a]
            days = t.dwell_days[p, a] / n if n else np.nan
            rows.append(("time_in_phase", p.label, a.label, days))
        for c in Channel:
            rows.append(("channel_mix", p.label, c.label, int(t.channel_mix[p, c])))
    state = model.people_state()
    rows += _pain_points(state)
    for s, source in enumerate(SOURCES):
        if source == "need":
            continue  # needs start existing customers' journeys; they win no one new
        for a in Archetype:
            rows.append(("acquisitions_by_source", source, a.label, int(t.acquisitions[s, a])))
    rows += _retention_by_archetype(state)
    for a in Archetype:
        n = t.to_purchase_count[a]
        rows.append(("awareness_to_purchase", a.label, "",
                     t.to_purchase_days[a] / n if n else np.nan))
    for ch in model.firm.desks:
        n = t.wait_count[ch]
        rows.append(("wait_by_desk", Channel(ch).label, "", t.wait_sum[ch] / n if n else np.nan))
    rows.append(("wom_by_valence", "positive", "", t.wom_reach[0]))
    rows.append(("wom_by_valence", "negative", "", t.wom_reach[1]))
    return pd.DataFrame(rows, columns=["table", "dim1", "dim2", "value"])


def main_shares(shortfall: np.ndarray) -> np.ndarray:
    """Among people with any shortfall, the share whose largest is each column's.

    `shortfall` is (people, columns): by attribute (pain points) or by where it happened
    (complaint categories, `sim.rules.complaints`). All NaN if nobody fell short.
    """
    hurt = shortfall.sum(axis=1) > 0
    main = np.bincount(shortfall[hurt].argmax(axis=1), minlength=shortfall.shape[1])
    return main / hurt.sum() if hurt.any() else np.full(shortfall.shape[1], np.nan)


def _pain_points(state: dict) -> list[tuple[str, str, str, float]]:
    """Main pain point by attribute, and main complaint in the survey's categories."""
    by_attribute = main_shares(state["shortfall"])
    by_category = main_shares(mean_complaints(state["complaints"]))
    return ([("pain_point", name, "", by_attribute[i]) for i, name in enumerate(ATTRIBUTE_NAMES)]
            + [("complaint", name, "", by_category[i]) for i, name in enumerate(CATEGORIES)])


def _retention_by_archetype(state: dict) -> list[tuple[str, str, str, float]]:
    rows = []
    for a in Archetype:
        cohort = (state["archetype"] == a) & state["initial_customer"]
        share = state["in_cohort"][cohort].mean() if cohort.any() else np.nan
        rows.append(("retention_by_archetype", a.label, "", float(share)))
    return rows
