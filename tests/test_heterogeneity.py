"""People differ from their archetype's means as customer-base analysis assumes (issue 15).

Each person's need rate and mean spend are the archetype's times a Gamma multiplier of mean 1
and the requested coefficient of variation; their habit is the archetype's plus a normal draw.
Tolerances are four standard errors of the statistic checked, from the exact moments of the
distribution drawn (a Gamma(k, 1/k) multiplier has variance 1/k and fourth central moment
3(k + 2)/k³, so its sample variance has variance (3(k + 2)/k³ − 1/k²)/n).
"""

from types import SimpleNamespace

import numpy as np
import pytest

from agents.archetypes import Archetype
from sim.rules import loyalty
from sim.scenario.loading import with_values
from sim.scenario.schema import Scenario
from sim.world.params import Params
from sim.world.people import draw_people, mean_one

N = 200_000


def sample_variance_se(k: float, n: int) -> float:
    """Standard error of the sample variance of n Gamma(k, 1/k) draws."""
    return np.sqrt((3 * (k + 2) / k**3 - 1 / k**2) / n)


@pytest.mark.parametrize("cv", [0.5, 1.0, 2.0])
def test_gamma_multipliers_have_mean_one_and_the_requested_spread(cv):
    k = 1 / cv**2
    draws = mean_one(cv, N, np.random.default_rng(1))
    assert draws.mean() == pytest.approx(1.0, abs=4 * cv / np.sqrt(N))
    assert draws.var() == pytest.approx(cv**2, abs=4 * sample_variance_se(k, N))


def test_no_spread_means_everyone_is_their_archetype_and_nothing_is_drawn():
    g = np.random.default_rng(2)
    before = g.bit_generator.state
    assert (mean_one(0.0, 10, g) == 1).all()
    assert g.bit_generator.state == before


def market(**heterogeneity) -> tuple[Scenario, object]:
    values = {"population.size": 60_000, **{f"heterogeneity.{k}": v
                                             for k, v in heterogeneity.items()}}
    scenario = with_values(Scenario(), values, "test")
    return scenario, draw_people(scenario, np.random.default_rng(3))


def test_each_archetype_keeps_its_mean_need_rate_habit_and_spend():
    scenario, people = market(need_rate_cv=1.0, loyalty_sd=1.5, spend_cv=0.5)
    for a in Archetype:
        mine = people.archetype == a
        n, profile = mine.sum(), scenario.profile(a)
        rate = profile.need_rate / scenario.industry.need_interval_days
        assert people.need_rate[mine].mean() == pytest.approx(rate, abs=4 * rate / np.sqrt(n))
        assert people.loyalty[mine].mean() == pytest.approx(profile.loyalty,
                                                            abs=4 * 1.5 / np.sqrt(n))
        assert people.loyalty[mine].std() == pytest.approx(1.5, rel=4 / np.sqrt(2 * n))
        basket = scenario.industry.basket_value * profile.basket
        assert people.spend[mine].mean() == pytest.approx(basket, abs=4 * 0.5 * basket
                                                          / np.sqrt(n))


def test_spend_varies_from_one_purchase_to_the_next_around_the_persons_mean():
    params = Params.of(with_values(Scenario(), {"heterogeneity.purchase_spend_cv": 0.8}, "t"))
    someone, g = SimpleNamespace(spend=40.0), np.random.default_rng(4)
    amounts = np.array([loyalty.spend(someone, params, g) for _ in range(50_000)])
    assert amounts.mean() == pytest.approx(40.0, abs=4 * 0.8 * 40 / np.sqrt(50_000))
    assert amounts.std() / amounts.mean() == pytest.approx(0.8, rel=0.03)
    steady = Params.of(with_values(Scenario(), {"heterogeneity.purchase_spend_cv": 0.0}, "t"))
    assert loyalty.spend(someone, steady, g) == 40.0


def test_customers_who_differ_give_the_overdispersed_repeat_counts_of_real_customer_bases():
    """The clockwork of identical customers (issue 15's table: CV of repeats 0.41) gives way
    to the spread real logs show (CDNOW: 2.2) once purchase rates and habits differ.

    By the law of total variance, people whose rates differ add the variance of their means to
    the counts: the CV must rise by more than four bootstrap standard errors of the difference.
    """
    from sim.runs.runner import run_scenario

    def repeat_counts(**heterogeneity):
        values = {"population.size": 3000, "population.initial_customer_share": 1.0,
                  "strategy.advertising": 0.0, "behaviour.organic_awareness_rate": 0.0,
                  **{f"heterogeneity.{k}": v for k, v in heterogeneity.items()}}
        scenario = with_values(Scenario(), values, "test")
        result = run_scenario(scenario, seed=5, record_journeys=True)
        return np.bincount(result.journeys.purchases["person"], minlength=3000)

    def cv(counts):
        return counts.std(axis=-1) / counts.mean(axis=-1)

    alike = repeat_counts(need_rate_cv=0.0, loyalty_sd=0.0)
    differing = repeat_counts(need_rate_cv=1.5, loyalty_sd=1.5)
    g = np.random.default_rng(0)
    boot = (cv(differing[g.integers(0, 3000, (400, 3000))])
            - cv(alike[g.integers(0, 3000, (400, 3000))]))
    assert cv(differing) - cv(alike) > 4 * boot.std()


@pytest.mark.parametrize("cv", [0.0, 1e-300, 2.9e-275, 5e-4])
def test_a_negligible_spread_is_no_spread(cv):
    # Found by make fuzz: a CV of 1e-275 squared is 0 and its Gamma shape infinite.
    g = np.random.default_rng(0)
    assert np.array_equal(mean_one(cv, 5, g), np.ones(5))
    params = Params.of(with_values(Scenario(), {"heterogeneity.purchase_spend_cv": cv}, "t"))
    assert loyalty.spend(SimpleNamespace(spend=40.0), params, g) == 40.0
