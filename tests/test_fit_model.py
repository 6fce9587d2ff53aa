"""The model's side of the fit: the real cohort mapped onto a simulation, and the distance.

Fast: tiny hand-made logs and one small simulated cohort.
"""

import numpy as np
import pandas as pd
import pytest

from sim.fit.calibration import PARAMETERS, value_at
from sim.fit.cohort import Cohort, cohort_of, cohort_scenario
from sim.fit.distance import TOLERANCES, distance, misses
from sim.fit.statistics import cohort_statistics
from sim.fit.transactions import customer_days
from sim.fit.window import Window
from sim.runs.executors import SerialExecutor
from sim.scenario.schema import Scenario


def log(rows) -> pd.DataFrame:
    """Customer-days from (customer, day, amount) rows, day 0 = 2024-01-01."""
    frame = pd.DataFrame(rows, columns=["customer_id", "day", "amount"])
    frame["date"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(frame.pop("day"), unit="D")
    return customer_days(frame, pd.Timestamp("2024-01-01"))


def test_a_scaled_cohort_enters_with_the_real_distribution_over_days(cdnow):
    cohort = cohort_of(cdnow.statistics.summary["first_day"])
    assert (cohort.size, cohort.entry_days) == (23_570, 84)
    assert cohort.daily_entries().sum() == 23_570
    small = cohort.scaled(2_357)
    assert small.size == 2_357 and small.entry_days <= 84
    real_weeks = np.bincount(cohort.first_purchase_days // 7) / cohort.size
    small_weeks = np.bincount(small.first_purchase_days // 7, minlength=12) / small.size
    assert np.abs(real_weeks - small_weeks).max() < 1 / 2_357 + 1e-12  # quantiles: ≤ 1 each


def test_cohort_members_first_buy_on_days_drawn_from_the_entry_weights():
    from sim.engines.vectorized import VectorizedModel
    from sim.world.people import entry_days

    weights = [0.0, 3.0, 0.0, 1.0]  # day 1 three times as likely as day 3; never 0 or 2
    days = entry_days(weights, np.ones(40_000, dtype=bool), np.random.default_rng(1))
    share = (days == 1).mean()
    assert set(np.unique(days)) == {1, 3}
    assert share == pytest.approx(0.75, abs=4 * np.sqrt(0.75 * 0.25 / 40_000))
    # In a run, each member's first purchase is on their entry day, whatever the engine.
    scenario = cohort_scenario(Scenario(), Cohort(np.array([1, 1, 1, 3])), Window(1, 1), 300)
    model = VectorizedModel(scenario, seed=4, record_journeys=True)
    model.run()
    bought = model.recorder.purchases()
    first = pd.Series(bought["day"]).groupby(bought["person"]).min()
    assert len(first) == 300 and set(first) == {1, 3}
    assert (first.to_numpy() == model.people.entry_day[first.index]).all()


def test_the_cohort_scenario_is_a_closed_cohort_followed_through_the_window():
    scenario = cohort_scenario(Scenario(), Cohort(np.arange(84)), Window(39, 39), 500)
    assert scenario.population.size == 500
    assert scenario.population.initial_customer_share == 1.0
    assert scenario.strategy.advertising == 0 and scenario.behaviour.organic_awareness_rate == 0
    assert scenario.word_of_mouth.awareness_probability == 0
    assert scenario.horizon_days == 78 * 7
    assert scenario.population.entry_weights == [1.0] * 84


def test_distance_is_zero_for_the_same_cohort_and_grows_with_the_misfit():
    window = Window(4, 2)
    rows = [(c, d, 10.0 + c) for c in range(40) for d in range(c % 5, 42, 7 + c % 9)]
    real = cohort_statistics(log(rows), window)
    assert distance(real, real) == 0
    # Drop every third repeat purchase: fewer repeats, more one-time buyers, longer gaps.
    thinner = [r for i, r in enumerate(rows) if i % 3 or r[1] == r[0] % 5]
    worse = cohort_statistics(log(thinner), window)
    terms = misses(real, worse)
    assert set(terms) == set(TOLERANCES)
    assert terms["mean"] < 0 and terms["gaps"] > 0
    assert distance(real, worse) > 1
    # A cohort twice as large with the same customers is the same cohort: scale-free.
    doubled = rows + [(c + 1000, d, a) for c, d, a in rows]
    assert distance(real, cohort_statistics(log(doubled), window)) == pytest.approx(0, abs=1e-20)


def test_the_declared_parameters_are_scenario_keys_with_their_bounds():
    base = Scenario()
    for parameter in PARAMETERS:
        assert parameter.low < parameter.high and parameter.meaning
        value_at(base, parameter.key)  # the key exists


def test_a_simulated_cohort_comes_out_in_the_real_logs_shape(cdnow):
    from sim.fit.calibration import CohortFit

    cohort = cohort_of(cdnow.statistics.summary["first_day"])
    window = Window(8, 4)
    scenario = cohort_scenario(Scenario(), cohort, window, 300)
    search = CohortFit(cdnow.statistics, scenario, cohort, window, 2, SerialExecutor(),
                       progress=False)
    days = search.simulate({"industry.need_interval_days": 20.0})
    assert set(days.columns) >= {"customer_id", "date", "day", "amount"}
    assert days.customer_id.nunique() > 300  # two replications pooled, ids kept apart
    first = days.groupby("customer_id").day.min()
    assert first.max() < 84 and days.day.max() <= window.holdout_end
    # Entry follows CDNOW's: about a twelfth of the cohort in each of the first 12 weeks.
    per_week = np.bincount(first // 7, minlength=12) / len(first)
    assert np.abs(per_week - 1 / 12).max() < 0.035
    again = search.simulate({"industry.need_interval_days": 20.0})
    pd.testing.assert_frame_equal(days, again)  # common seeds: the same people each time
