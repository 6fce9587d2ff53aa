"""The Mesa model as Mesa users expect it: keyword parameters, a seed, one day per step."""

import numpy as np
import pytest

from agents.customer import Customer
from sim.engines.mesa_model import CustomerJourneyModel
from sim.rules.journey import Phase


def test_model_builds_from_keywords_and_a_seed():
    model = CustomerJourneyModel(n_customers=300, integration=0.9, seed=5)
    assert len(model.agents) == 300
    assert all(isinstance(a, Customer) for a in model.agents)
    assert model.scenario.strategy.integration == 0.9


def test_unknown_keyword_is_refused_with_the_allowed_names():
    with pytest.raises(TypeError, match="n_customers"):
        CustomerJourneyModel(n_customer=300)


def test_invalid_value_is_refused_with_the_key_path():
    from sim.scenario.errors import ScenarioError

    with pytest.raises(ScenarioError, match="strategy.integration"):
        CustomerJourneyModel(integration=1.5)


def test_same_seed_draws_the_same_numbers_and_the_same_history():
    a = CustomerJourneyModel(n_customers=300, seed=11)
    b = CustomerJourneyModel(n_customers=300, seed=11)
    assert a.rng.random() == b.rng.random()
    for model in (a, b):
        for _ in range(40):
            model.step()
    assert [c.attitude for c in a.customers] == [c.attitude for c in b.customers]
    assert a.datacollector.get_model_vars_dataframe().equals(
        b.datacollector.get_model_vars_dataframe())


def test_different_seeds_give_different_histories():
    a = CustomerJourneyModel(n_customers=300, seed=1)
    b = CustomerJourneyModel(n_customers=300, seed=2)
    for model in (a, b):
        for _ in range(30):
            model.step()
    assert [c.attitude for c in a.customers] != [c.attitude for c in b.customers]


def test_model_stops_at_the_horizon_and_collects_one_row_per_day():
    model = CustomerJourneyModel(n_customers=200, horizon_days=25, seed=3)
    model.run()
    assert model.day == 25 and not model.running
    assert len(model.datacollector.get_model_vars_dataframe()) == 25


def test_everyone_is_in_exactly_one_phase_every_day():
    model = CustomerJourneyModel(n_customers=300, seed=4)
    for _ in range(60):
        model.step()
        assert model.phase_counts.sum() == 300
        actual = np.bincount([c.phase for c in model.customers], minlength=len(Phase))
        assert np.array_equal(actual, model.phase_counts)


@pytest.mark.parametrize("engine", ["agents", "vectorized"])
def test_a_story_is_heard_the_day_after_it_is_told(engine):
    """Told on day d (during the step), heard when day d + 1 starts, by every neighbour."""
    from sim.runs.runner import build_model

    scenario = CustomerJourneyModel(n_customers=200, seed=9, overrides={
        "word_of_mouth.share_probability": 1.0, "word_of_mouth.peer_influence": 0.3}).scenario
    model = build_model(scenario.model_copy(update={"engine": engine}), seed=9)
    listeners = model.neighbours[model.indptr[0]:model.indptr[1]]
    model.tell(0, -1)
    before = model.state_records()["attitude"].copy()
    model.step()  # the next day starts by hearing yesterday's stories
    after = model.state_records()["attitude"]
    assert np.all(after[listeners] < before[listeners])


def test_the_vectorized_run_is_the_same_as_stepping_day_by_day():
    """`run()` simulates all days in one compiled call and books them afterwards."""
    from sim import metrics
    from sim.engines.vectorized import VectorizedModel

    at_once = VectorizedModel(n_customers=400, seed=4, horizon_days=90)
    at_once.run()
    stepped = VectorizedModel(n_customers=400, seed=4, horizon_days=90)
    while stepped.running:
        stepped.step()
    assert at_once.series().equals(stepped.series())
    assert metrics.kpis(at_once) == metrics.kpis(stepped)
    assert np.array_equal(at_once.state, stepped.state)
