"""The `validation:` switches and the complete network: off by default, exact when on."""

import numpy as np
import pytest

from sim.cli import main
from sim.rules.journey import Phase
from sim.runs.runner import build_model
from sim.scenario.schema import Network, Scenario
from sim.world.network import build_csr


def test_a_complete_network_links_everyone_and_draws_nothing():
    rng = np.random.default_rng(1)
    indptr, neighbours = build_csr(Network(kind="complete"), 50, rng)
    assert np.all(np.diff(indptr) == 49)
    assert neighbours[indptr[3]:indptr[4]].tolist() == [i for i in range(50) if i != 3]
    assert rng.random() == np.random.default_rng(1).random()  # the stream is untouched


def test_the_model_itself_is_the_default():
    assert Scenario().validation.advocacy == "journey"
    assert Scenario().validation.index_cases == 0


def fully_mixed(small, engine, advocacy):
    return small("base", 60, 5, engine=engine, **{
        "population.initial_customer_share": 0.0, "network.kind": "complete",
        "strategy.advertising": 0.0, "behaviour.organic_awareness_rate": 0.0,
        "word_of_mouth.share_probability": 1.0, "word_of_mouth.awareness_probability": 1.0,
        "archetype_profiles": {a: {"share_positive": 1.0, "peer_susceptibility": 1.0}
                               for a in ("perilla", "pez_dorado", "trompeta", "embudo")},
        "validation.index_cases": 3, "validation.advocacy": advocacy})


@pytest.mark.parametrize("engine", ["vectorized", "agents"])
def test_index_cases_start_on_day_0_and_daily_advocates_are_heard_the_next_day(small, engine):
    model = build_model(fully_mixed(small, engine, "daily"), seed=4)
    model.step()  # day 0: three index cases start a journey and tell everyone
    assert model.phase_counts[Phase.IDLE] == 60 - 3
    assert model.tally.acquisitions.sum() == 0
    model.step()  # day 1: everyone heard them and starts a journey through word of mouth
    assert model.phase_counts[Phase.IDLE] == 0


@pytest.mark.parametrize("engine", ["vectorized", "agents"])
def test_without_daily_advocacy_nobody_talks_before_judging_a_journey(small, engine):
    model = build_model(fully_mixed(small, engine, "journey"), seed=4)
    model.step()
    model.step()
    assert model.phase_counts[Phase.IDLE] == 60 - 3


@pytest.mark.parametrize("overrides, phrase", [
    ({"population.size": 6000, "network.kind": "complete"}, "at most 5,000 people"),
    ({"validation.index_cases": 20, "population.size": 10}, "exceeds population.size"),
    ({"validation.advocacy": "weekly"},
     "validation.advocacy = 'weekly': not allowed (allowed: journey, daily)"),
])
def test_bad_limits_are_refused_with_the_key_and_what_is_allowed(tmp_path, capsys, overrides,
                                                                 phrase, repo):
    args = [x for key, value in overrides.items() for x in ("--set", f"{key}={value}")]
    assert main(["run", str(repo / "scenarios" / "base.yaml"), *args, "--out",
                 str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert phrase in err and not (tmp_path / "out").exists()
