"""The daily series both engines record: named reporters of a model at the end of a day.

Reporters are named module-level functions, not lambdas (they pickle, and can be unit-tested);
Mesa's DataCollector calls them on the agents engine's model, the vectorized engine calls them
itself after each day. They read only `model.tally` (`sim.rules.tally.Tally`: head counts,
the day's flows and the run's totals) and `model.initial_customers`.
"""

from __future__ import annotations

from sim.rules.counters import COHORT_LOST, RATED, SATISFACTION
from sim.rules.journey import JOURNEY, Phase
from sim.rules.loyalty import Status

WOM_WINDOW_DAYS = 7  # word of mouth is bursty day to day: its charts show a trailing week


def customers(model) -> int:
    """People who are customers of the firm today."""
    return int(model.tally.in_status[Status.CUSTOMER])


def prospects(model) -> int:
    """People who never bought from the firm."""
    return int(model.tally.in_status[Status.PROSPECT])


def churned(model) -> int:
    """People who left the firm (and have not come back)."""
    return int(model.tally.in_status[Status.CHURNED])


def cohort_survival(model) -> float:
    """Share of day-0 customers who have never left."""
    start = model.initial_customers
    return (start - int(model.tally.totals[COHORT_LOST])) / start if start else 0.0


def acquisitions_today(model) -> float:
    """New customers won today."""
    return model.tally.today("acquisitions")


def defections_today(model) -> float:
    """Customers lost today."""
    return model.tally.today("defections")


def wom_positive_today(model) -> float:
    """Contacts told a good story today (they hear it tomorrow)."""
    return model.tally.today("wom_positive")


def wom_negative_today(model) -> float:
    """Contacts told a bad story today (they hear it tomorrow)."""
    return model.tally.today("wom_negative")


def fragmented_today(model) -> float:
    """Channel switches today that lost the customer's context."""
    return model.tally.today("fragmented")


def mean_wait_today(model) -> float:
    """Mean wait (minutes) of today's desk contacts (0 if none)."""
    waited = model.tally.today("waited")
    return model.tally.today("wait_sum") / waited if waited else 0.0


def satisfaction_to_date(model) -> float:
    """Mean satisfaction of the journeys rated so far (NaN before the first)."""
    rated = int(model.tally.totals[RATED])
    return float(model.tally.sums[SATISFACTION]) / rated if rated else float("nan")


def _phase_reporter(phase: Phase):
    def in_phase(model) -> int:
        return int(model.tally.in_phase[phase])

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
