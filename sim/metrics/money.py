"""The money of a finished run: what the strategy cost, item by item, and what it earned.

Costs follow the scenario's `economics:` block (sim/scenario/economics.py, docs/economics.md):
running costs accrue over the horizon (a 365-day run is one year of them), set-up costs are paid
once. Every amount is for the real market, `population.size × economics.market_scale` people,
so money scales exactly with the scale factor while shares and rates do not move.
"""

from __future__ import annotations

import numpy as np

from sim.rules.channels import DESK_CHANNELS, Channel
from sim.scenario.economics import LEVERS, lever_cost

# Cost items in the order they are summed (accounting: profit = margin − their sum, exactly).
RUNNING = ("channels", "contacts", "staff", *LEVERS, "advertising")
COST_ITEMS = (*RUNNING, "setup")
# What it costs to win customers (CAC) and to serve them (cost to serve).
ACQUIRING = ("advertising", "content")
SERVING = ("channels", "contacts", "staff")
MONEY_KPIS = ("gross_margin", *(f"cost_{item}" for item in COST_ITEMS), "cost_total",
              "operating_profit", "cac", "clv_to_cac", "cost_to_serve")


def market_people(scenario) -> float:
    """Real people in the market: simulated people × the people each stands for."""
    return scenario.population.size * scenario.economics.market_scale


def costs(scenario, channel_mix: np.ndarray) -> dict[str, float]:
    """Cost of each item over the run's horizon, EUR for the real market.

    Args:
        scenario: the run's scenario.
        channel_mix: touchpoints by (phase, channel) of the simulated people.
    """
    economics, strategy = scenario.economics, scenario.strategy
    thousands = market_people(scenario) / 1000.0
    years = scenario.horizon_days / 365.0
    touchpoints = np.asarray(channel_mix).sum(axis=0)
    offered = [c for c in Channel if c.label in strategy.channels]
    items = {
        "channels": sum(economics.channel_per_1000_per_year[c.label] for c in offered)
        * thousands * years,
        "contacts": sum(float(touchpoints[c]) * economics.cost_per_contact[c.label]
                        for c in offered) * economics.market_scale,
        "staff": sum(strategy.service[d.label].staff_per_1000 for d in DESK_CHANNELS
                     if d.label in strategy.channels)
        * thousands * economics.staff_cost_per_year * years,
    }
    setup = 0.0
    for lever in LEVERS:
        share = lever_cost(getattr(strategy, lever), economics.lever_cost_steepness)
        price = getattr(economics.levers, lever)
        items[lever] = share * price.per_1000_per_year * thousands * years
        setup += share * price.setup_per_1000 * thousands
    reached = strategy.advertising * scenario.horizon_days * thousands  # thousands reached
    items["advertising"] = reached * economics.cost_per_1000_reached
    items["setup"] = setup
    return items


def money_kpis(scenario, revenue: float, channel_mix: np.ndarray, acquisitions: float,
               customers: tuple[float, float], clv_mean: float) -> dict[str, float]:
    """Financial KPIs of a run (docs/results-format.md), all for the real market.

    Args:
        scenario: the run's scenario.
        revenue: the run's revenue, already for the real market.
        channel_mix: touchpoints by (phase, channel) of the simulated people.
        acquisitions: customers won during the run (real market).
        customers: customers at the start and at the end (real market).
        clv_mean: lifetime value of a buying customer (EUR).
    """
    items = costs(scenario, channel_mix)
    total = 0.0
    for item in COST_ITEMS:
        total += items[item]
    margin = revenue * scenario.industry.margin
    cac = _ratio(sum(items[i] for i in ACQUIRING), acquisitions)
    years = scenario.horizon_days / 365.0
    served = sum(items[i] for i in SERVING) / years
    return {
        "gross_margin": margin,
        **{f"cost_{item}": items[item] for item in COST_ITEMS},
        "cost_total": total,
        "operating_profit": margin - total,
        "cac": cac,
        "clv_to_cac": _ratio(clv_mean, cac),
        "cost_to_serve": _ratio(served, (customers[0] + customers[1]) / 2.0),
    }


def _ratio(part: float, whole: float) -> float:
    return float(part) / float(whole) if whole and np.isfinite(whole) else float("nan")
