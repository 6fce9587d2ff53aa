"""KPIs, daily reporters and breakdown tables, computed from a model's state and tally.

Reporters are named module-level functions (they pickle and can be unit-tested).
Retention uses the standard definition: (customers at end − acquired during) / customers at start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from agents.archetypes import Archetype
from sim.channels import DESK_CHANNELS, Channel
from sim.experience import ATTRIBUTE_NAMES
from sim.journey import JOURNEY, Phase
from sim.tally import SOURCES

if TYPE_CHECKING:
    from sim.model import CustomerJourneyModel


WOM_WINDOW_DAYS = 7  # word of mouth is bursty day to day: its charts show a trailing week


def retention_rate(customers_end: int, acquired: int, customers_start: int) -> float:
    """Standard customer retention rate: (E − N) / S."""
    return (customers_end - acquired) / customers_start if customers_start else float("nan")


def customers(model: CustomerJourneyModel) -> int:
    """People who are customers of the firm today."""
    return int(model.status_counts()[1])


def prospects(model: CustomerJourneyModel) -> int:
    """People who never bought from the firm."""
    return int(model.status_counts()[0])


def churned(model: CustomerJourneyModel) -> int:
    """People who left the firm (and have not come back)."""
    return int(model.status_counts()[2])


def cohort_survival(model: CustomerJourneyModel) -> float:
    """Share of day-0 customers who have never left."""
    return model.initial_retained / model.initial_customers if model.initial_customers else 0.0


def acquisitions_today(model: CustomerJourneyModel) -> float:
    """New customers won today."""
    return model.tally.today["acquisitions"]


def defections_today(model: CustomerJourneyModel) -> float:
    """Customers lost today."""
    return model.tally.today["defections"]


def wom_positive_today(model: CustomerJourneyModel) -> float:
    """People told a good story today (they hear it tomorrow)."""
    return model.tally.today["wom_positive"]


def wom_negative_today(model: CustomerJourneyModel) -> float:
    """People told a bad story today (they hear it tomorrow)."""
    return model.tally.today["wom_negative"]


def fragmented_today(model: CustomerJourneyModel) -> float:
    """Channel switches today that lost the customer's context."""
    return model.tally.today["fragmented"]


def mean_wait_today(model: CustomerJourneyModel) -> float:
    """Mean wait (minutes) of today's desk contacts (0 if none)."""
    t = model.tally.today
    return t["wait_sum"] / t["waits"] if t["waits"] else 0.0


def satisfaction_to_date(model: CustomerJourneyModel) -> float:
    """Mean satisfaction of the journeys rated so far."""
    rated = model.tally.counts["rated"]
    return model.tally.satisfaction_sum / rated if rated else float("nan")


def _phase_reporter(phase: Phase):
    def in_phase(model: CustomerJourneyModel) -> int:
        return int(model.phase_counts[phase])

    in_phase.__name__ = f"in_{phase.label}"
    return in_phase


DAILY_REPORTERS = {
    "customers": customers,
    "prospects": prospects,
    "churned": churned,
    "cohort_survival": cohort_survival,
    "acquisitions": acquisitions_today,
    "defections": defections_today,
    "wom_positive": wom_positive_today,
    "wom_negative": wom_negative_today,
    "fragmented": fragmented_today,
    "mean_wait_minutes": mean_wait_today,
    "satisfaction_mean": satisfaction_to_date,
    **{f"phase:{p.label}": _phase_reporter(p) for p in JOURNEY},
}


def kpis(model: CustomerJourneyModel) -> dict[str, float]:
    """Headline numbers of a finished run (see docs/results-format.md)."""
    t = model.tally
    end = customers(model)
    acquired = int(t.acquisitions.sum())
    rated = int(t.nps.sum())
    switches = t.counts["switches"]
    waits = t.wait_count[list(DESK_CHANNELS)].sum()
    retention = retention_rate(end, acquired, model.initial_customers)
    return {
        "retention_rate": retention,
        "cohort_survival": cohort_survival(model),
        "customers_start": model.initial_customers,
        "customers_end": end,
        "acquisitions": acquired,
        "acquisitions_wom_share": _share(t.acquisitions[SOURCES.index("word_of_mouth")].sum(),
                                         acquired),
        "churned": t.counts["defections"],
        "purchases": t.counts["purchases"],
        "revenue": t.revenue,
        "clv_mean": _clv(model, retention),
        "nps": 100.0 * _share(t.nps[2] - t.nps[0], rated),
        "promoters_share": _share(t.nps[2], rated),
        "detractors_share": _share(t.nps[0], rated),
        "detractors_recovered": t.counts["recovered"],
        "satisfaction_mean": satisfaction_to_date(model),
        "wom_positive": t.wom_reach[0],
        "wom_negative": t.wom_reach[1],
        "reviews_positive": int(t.reviews[0]),
        "reviews_negative": int(t.reviews[1]),
        "wom_reach_positive_mean": _share(t.wom_reach[0], t.wom_sharers[0]),
        "wom_reach_negative_mean": _share(t.wom_reach[1], t.wom_sharers[1]),
        "interactions": t.counts["interactions"],
        "channel_switches": switches,
        "fragmented_experiences": t.counts["fragmented"],
        "fragmented_share": _share(t.counts["fragmented"], switches),
        "mean_wait_minutes": _share(t.wait_sum.sum(), waits),
        "awareness_to_purchase_days": _share(t.to_purchase_days.sum(), t.to_purchase_count.sum()),
    }


def _share(part, whole) -> float:
    return float(part) / float(whole) if whole else 0.0


def _clv(model: CustomerJourneyModel, retention: float) -> float:
    from sim.loyalty import clv

    state = model.people_state()
    buyers = state["revenue"][state["purchases"] > 0]
    if not len(buyers):
        return 0.0
    years = model.scenario.horizon_days / 365.0
    annual_revenue = buyers.mean() / years
    annual_retention = max(retention, 0.0) ** (1.0 / years)
    b = model.behaviour
    return float(clv(annual_revenue, model.industry.margin, annual_retention, b.discount_rate))


def breakdowns(model: CustomerJourneyModel) -> pd.DataFrame:
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
    rows += _pain_points(state["shortfall"])
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


def _pain_points(short: np.ndarray) -> list[tuple[str, str, str, float]]:
    """Share of people with any shortfall whose largest shortfall is each attribute."""
    hurt = short.sum(axis=1) > 0
    main = np.bincount(short[hurt].argmax(axis=1), minlength=len(ATTRIBUTE_NAMES))
    total = max(int(hurt.sum()), 1)
    return [("pain_point", name, "", main[i] / total) for i, name in enumerate(ATTRIBUTE_NAMES)]


def _retention_by_archetype(state: dict) -> list[tuple[str, str, str, float]]:
    rows = []
    for a in Archetype:
        cohort = (state["archetype"] == a) & state["initial_customer"]
        share = state["in_cohort"][cohort].mean() if cohort.any() else np.nan
        rows.append(("retention_by_archetype", a.label, "", float(share)))
    return rows
