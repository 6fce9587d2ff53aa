"""Stylized facts from the source documents (docs/sources.md) that the model must show.

Each test runs a few small replications (common seeds across the compared arms) and compares
means; the margins are several standard errors wide at these sizes. Every fact is checked on
both engines.
"""

import numpy as np
import pytest

from agents.generations import Generation
from sim.runs.runner import build_model, replication_seeds, run_scenario

SEEDS = replication_seeds(20261124, 4)


@pytest.fixture(params=["agents", "vectorized"])
def small(request, small):
    """The shared `small` scenario loader, on one engine or the other."""
    return lambda name, size=400, days=120, **o: small(name, size, days,
                                                       **{"engine": request.param, **o})


def mean_over_seeds(scenario, extract, seeds=SEEDS):
    return np.mean([extract(run_scenario(scenario, s)) for s in seeds], axis=0)


def table(result, name):
    b = result.breakdowns
    return b[b.table == name].set_index(["dim1", "dim2"]).value


def test_pez_dorado_takes_several_times_longer_than_perilla_to_buy(small):
    """Seed 002: Pez Dorado researches thoroughly; Perilla buys with little research."""
    days = mean_over_seeds(small("base", 1000, 240), lambda r: [
        table(r, "awareness_to_purchase")[("pez_dorado", "")],
        table(r, "awareness_to_purchase")[("perilla", "")]])
    assert days[0] > 3 * days[1]


def test_trompeta_wins_the_largest_share_of_its_customers_through_word_of_mouth(small):
    """Seed 002: word of mouth and the influence of others govern Trompeta's category."""
    def wom_share(r):
        acq = table(r, "acquisitions_by_source").unstack("dim1")
        return (acq["word_of_mouth"] / acq.sum(axis=1).clip(lower=1)).to_dict()

    shares = mean_over_seeds(small("omnichannel", 1500, 365),
                             lambda r: list(wom_share(r).values()))
    names = list(wom_share(run_scenario(small("omnichannel", 100, 5), 1)).keys())
    assert names[int(np.argmax(shares))] == "trompeta"


def test_a_dissatisfied_customer_reaches_more_people_than_a_satisfied_one(small):
    """Seed 002: "if I like it, some will know; if I don't, very many will know"."""
    reach = mean_over_seeds(small("multichannel", 1000, 240), lambda r: [
        r.kpis["wom_reach_negative_mean"], r.kpis["wom_reach_positive_mean"]])
    assert reach[0] > 1.5 * reach[1]


def test_advertising_moves_digital_natives_less_than_digital_immigrants(small):
    """Seeds 000, 002: digital customers are nearly immune to traditional advertising."""
    def acquired_by_ads(advertising, seed):
        model = build_model(small("base", 3000, 180, **{"strategy.advertising": advertising}),
                            seed)
        model.run()
        state = model.people_state()
        prospect = ~state["initial_customer"]
        native = np.isin(state["generation"], [Generation.MILLENNIALS, Generation.Z])
        won = state["acquired_via"] == "advertising"
        return np.array([won[prospect & native].mean(), won[prospect & ~native].mean()])

    lift = np.mean([acquired_by_ads(0.01, s) - acquired_by_ads(0.0, s) for s in SEEDS[:2]],
                   axis=0)
    natives, immigrants = lift
    assert immigrants > 0 and natives < 0.75 * immigrants


def test_raising_integration_helps_embudo_retention_the_most(small):
    """Seed 002: Embudo is won with a fluid experience at every touchpoint."""
    def by_archetype(integration):
        scenario = small("multichannel", 1500, 365, **{"strategy.integration": integration})
        return mean_over_seeds(scenario, lambda r: table(r, "retention_by_archetype").values)

    gain = by_archetype(0.9) - by_archetype(0.1)
    names = table(run_scenario(small("base", 100, 5), 1), "retention_by_archetype").index
    assert names[int(np.argmax(gain))][0] == "embudo"


def test_a_housing_journey_is_at_least_ten_times_longer_than_a_shampoo_journey(small):
    """Seed 004: the phases are the same; the time spent in them is not."""
    def to_purchase(industry, days):
        scenario = small(f"industries/{industry}", 600, days)
        return mean_over_seeds(scenario, lambda r: r.kpis["awareness_to_purchase_days"],
                               SEEDS[:2])

    assert to_purchase("housing", 900) >= 10 * to_purchase("shampoo", 120)


@pytest.mark.parametrize("desk", ["phone", "store"])
def test_more_service_staff_means_shorter_waits(small, desk):
    def wait(staff):
        scenario = small("weak_digital", 1000, 120,
                         **{f"strategy.service.{desk}.staff_per_1000": staff})
        return mean_over_seeds(scenario, lambda r: table(r, "wait_by_desk")[(desk, "")],
                               SEEDS[:2])

    assert wait(1.0) > wait(2.0) > wait(4.0)  # 1, 2 and 4 agents for 1,000 people
