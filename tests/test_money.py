"""Money in the model (issue 14): the accounting holds exactly, per run.

Operating profit is gross margin minus the sum of the cost items; every amount scales linearly
with the market-scale factor while retention does not move; a lever at 0 costs nothing.
"""

import numpy as np
import pytest

from sim.metrics.money import COST_ITEMS, RUNNING, costs, market_people
from sim.runs.runner import run_scenario
from sim.scenario.economics import LEVERS, lever_cost

MONEY = ("revenue", "gross_margin", *(f"cost_{i}" for i in COST_ITEMS), "cost_total",
         "operating_profit")


@pytest.fixture(scope="module")
def runs(small):
    """The same small run at market scale 1 and 250."""
    return {scale: run_scenario(small("multichannel", 300, 60,
                                      **{"economics.market_scale": scale}), 4).kpis
            for scale in (1.0, 250.0)}


def test_profit_is_margin_minus_the_sum_of_the_cost_items(runs):
    for kpis in runs.values():
        items = sum(kpis[f"cost_{i}"] for i in COST_ITEMS)
        assert kpis["cost_total"] == pytest.approx(items, rel=1e-12)
        assert kpis["operating_profit"] == pytest.approx(
            kpis["gross_margin"] - items, rel=1e-12, abs=1e-6)
        assert kpis["gross_margin"] == pytest.approx(kpis["revenue"] * 0.55, rel=1e-12)


def test_money_and_head_counts_scale_with_the_market_and_shares_do_not(runs):
    one, many = runs[1.0], runs[250.0]
    for kpi in (*MONEY, "customers_end", "acquisitions", "purchases"):
        assert many[kpi] == pytest.approx(250.0 * one[kpi], rel=1e-9), kpi
    for kpi in ("retention_rate", "nps", "cost_to_serve", "cac", "satisfaction_mean"):
        assert many[kpi] == pytest.approx(one[kpi], rel=1e-9), kpi


def test_a_lever_at_zero_costs_nothing_and_at_one_its_full_price(small):
    zero = small("base", **{f"strategy.{lever}": 0.0 for lever in LEVERS},
                 **{"strategy.advertising": 0.0})
    items = costs(zero, np.zeros((7, 8)))
    assert all(items[lever] == 0.0 for lever in LEVERS)
    assert items["advertising"] == 0.0 and items["setup"] == 0.0
    full = small("base", **{f"strategy.{lever}": 1.0 for lever in LEVERS})
    thousands, years = market_people(full) / 1000, full.horizon_days / 365
    items = costs(full, np.zeros((7, 8)))
    for lever in LEVERS:
        price = getattr(full.economics.levers, lever)
        assert items[lever] == pytest.approx(price.per_1000_per_year * thousands * years)


def test_contacts_cost_their_price_and_an_unoffered_channel_nothing(small):
    scenario = small("weak_digital")
    mix = np.ones((7, 8))  # one touchpoint per phase and channel
    offered = scenario.strategy.channels
    expected = sum(7 * scenario.economics.cost_per_contact[c] for c in offered)
    assert costs(scenario, mix)["contacts"] == pytest.approx(expected)
    assert len(offered) < 8  # the weak-digital firm does not offer every channel


@pytest.mark.parametrize("steepness", [0.0, 0.5, 3.0, 10.0])
def test_lever_cost_is_zero_at_zero_one_at_one_and_rises_ever_faster(steepness):
    levels = np.linspace(0, 1, 21)
    share = np.array([lever_cost(x, steepness) for x in levels])
    assert share[0] == 0.0 and share[-1] == pytest.approx(1.0)
    assert np.all(np.diff(share) > 0)
    assert np.all(np.diff(share, 2) >= -1e-12)  # convex: the last steps cost most


def test_running_costs_accrue_with_the_horizon_and_set_up_does_not(small):
    short, long = small("omnichannel", days=100), small("omnichannel", days=200)
    a, b = costs(short, np.zeros((7, 8))), costs(long, np.zeros((7, 8)))
    for item in RUNNING:
        if item != "contacts":
            assert b[item] == pytest.approx(2 * a[item]), item
    assert b["setup"] == pytest.approx(a["setup"]) and a["setup"] > 0
