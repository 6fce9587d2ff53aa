"""Headline KPIs of a finished run, computed from a model's state and tally (either engine).

Retention uses the standard definition: (customers at end − acquired during) / customers at start.
A ratio over nothing (NPS when no journey was rated, a mean wait when nobody reached a desk) is
NaN, not 0: nothing was measured, and reports show it as n/a rather than as a measured zero.
"""

from __future__ import annotations

from sim.engines.daily import cohort_survival, customers, satisfaction_to_date
from sim.metrics.breakdowns import main_shares
from sim.metrics.money import money_kpis
from sim.rules.channels import DESK_CHANNELS
from sim.rules.complaints import CATEGORIES, mean_complaints
from sim.rules.counters import REVENUE, SOURCES


def retention_rate(customers_end: int, acquired: int, customers_start: int) -> float:
    """Standard customer retention rate: (E − N) / S."""
    return (customers_end - acquired) / customers_start if customers_start else float("nan")


# Counts and money: reported for the real market (× economics.market_scale); the other KPIs
# are shares, means and rates, the same at any scale.
EXTENSIVE = ("customers_start", "customers_end", "acquisitions", "churned", "purchases",
             "revenue", "detractors_recovered", "wom_positive", "wom_negative",
             "reviews_positive", "reviews_negative", "interactions", "channel_switches",
             "fragmented_experiences", "checkouts_abandoned")


def kpis(model) -> dict[str, float]:
    """Headline numbers of a finished run, for the real market (see docs/results-format.md)."""
    values = simulated_kpis(model)
    scale = model.scenario.economics.market_scale
    if scale != 1.0:  # (at scale 1 the counts stay whole numbers)
        values.update({k: values[k] * scale for k in EXTENSIVE})
    return values | money_kpis(
        model.scenario, values["revenue"], model.tally.channel_mix, values["acquisitions"],
        (values["customers_start"], values["customers_end"]), values["clv_mean"])


def simulated_kpis(model) -> dict[str, float]:
    """The KPIs that are not money, counted over the simulated people."""
    t = model.tally
    end = customers(model)
    acquired = int(t.acquisitions.sum())
    rated = int(t.nps.sum())
    switches = t.total("switches")
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
        "churned": t.total("defections"),
        "purchases": t.total("purchases"),
        "revenue": float(t.sums[REVENUE]),
        "clv_mean": _clv(model, retention),
        "nps": 100.0 * _share(t.nps[2] - t.nps[0], rated),
        "promoters_share": _share(t.nps[2], rated),
        "detractors_share": _share(t.nps[0], rated),
        "detractors_recovered": t.total("recovered"),
        "satisfaction_mean": satisfaction_to_date(model),
        "wom_positive": t.wom_reach[0],
        "wom_negative": t.wom_reach[1],
        "reviews_positive": int(t.reviews[0]),
        "reviews_negative": int(t.reviews[1]),
        "wom_reach_positive_mean": _share(t.wom_reach[0], t.wom_sharers[0]),
        "wom_reach_negative_mean": _share(t.wom_reach[1], t.wom_sharers[1]),
        "interactions": t.total("interactions"),
        "channel_switches": switches,
        "fragmented_experiences": t.total("fragmented"),
        "fragmented_share": _share(t.total("fragmented"), switches),
        "mean_wait_minutes": _share(t.wait_sum.sum(), waits),
        "awareness_to_purchase_days": _share(t.to_purchase_days.sum(), t.to_purchase_count.sum()),
        "checkouts_abandoned": t.total("abandoned"),
        **_complaints(model),
    }


def _complaints(model) -> dict[str, float]:
    """Share of customers whose main complaint is in each of the survey's categories."""
    shares = main_shares(mean_complaints(model.complaints))
    return {f"complaint_{name}": float(shares[i]) for i, name in enumerate(CATEGORIES)}


# KPIs that are ratios over something a run may not have (ratings, sharers, switches, desk
# contacts, buyers, people let down): NaN ("n/a") when there was nothing to divide by.
RATIOS = frozenset({
    "retention_rate", "acquisitions_wom_share", "clv_mean", "nps", "promoters_share",
    "detractors_share", "satisfaction_mean", "wom_reach_positive_mean",
    "wom_reach_negative_mean", "fragmented_share", "mean_wait_minutes",
    "awareness_to_purchase_days", *(f"complaint_{name}" for name in CATEGORIES),
    "cac", "clv_to_cac", "cost_to_serve"})


def _share(part, whole) -> float:
    return float(part) / float(whole) if whole else float("nan")


def _clv(model, retention: float) -> float:
    from sim.rules.loyalty import clv

    state = model.people_state()
    buyers = state["revenue"][state["purchases"] > 0]
    if not len(buyers):
        return float("nan")  # no buyer, no lifetime value to average
    years = model.scenario.horizon_days / 365.0
    annual_revenue = buyers.mean() / years
    annual_retention = max(retention, 0.0) ** (1.0 / years)
    b = model.behaviour
    return float(clv(annual_revenue, model.industry.margin, annual_retention, b.discount_rate))
