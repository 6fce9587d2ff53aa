"""A one-shot word-of-mouth cascade on an Erdős–Rényi network: percolation's final size.

Each person reached tells each contact once with probability T (sim/validation/cascade.py).
Above ⟨k⟩T = 1 a large outbreak (more than 5% of the market) reaches S = 1 − exp(−⟨k⟩T·S);
below it nothing takes off. Tolerance: 4 binomial standard errors of the mean over the large
outbreaks, √(S(1−S)/(n·runs)), times the percolation susceptibility 1/(1 − ⟨k⟩T(1−S)) by
which a finite giant component fluctuates more than a binomial share.
"""

import numpy as np
import pandas as pd
import pytest

from sim.validation import cascade

RUNS = {"vectorized": 8, "agents": 4}


@pytest.mark.parametrize("engine, kts", [("vectorized", (1.5, 2.0, 3.0)), ("agents", (2.0,))])
def test_large_outbreaks_reach_the_percolation_final_size(engine, kts):
    runs = pd.concat([cascade.simulate(kt, RUNS[engine], engine) for kt in kts])
    for row in cascade.summary(runs).itertuples():
        assert row.large_outbreaks > 0, f"{engine} ⟨k⟩T={row.kt}: no outbreak took off"
        assert row.within, (f"{engine} ⟨k⟩T={row.kt}: large outbreaks reached "
                            f"{row.reached_in_large:.3f}, S = {row.closed_form:.3f} ± "
                            f"{row.tolerance:.3f}")


@pytest.mark.parametrize("engine, runs", [("vectorized", 40), ("agents", 8)])
def test_nothing_takes_off_below_the_threshold(engine, runs):
    for kt in (0.5, 0.8):
        reached = cascade.simulate(kt, runs, engine).reached
        assert reached.max() < cascade.LARGE, f"{engine} ⟨k⟩T={kt}: {reached.max():.3f}"


def test_small_outbreaks_have_the_branching_process_mean():
    # Below the threshold the cascade is a branching process with Poisson(⟨k⟩T) offspring:
    # mean size 1/(1−⟨k⟩T), variance ⟨k⟩T/(1−⟨k⟩T)³. Tolerance: 4 standard errors.
    kt, runs = 0.8, 60
    people = cascade.simulate(kt, runs, "vectorized").reached * 3000
    se = np.sqrt(kt / (1 - kt) ** 3 / runs)
    assert abs(people.mean() - 1 / (1 - kt)) < 4 * se, people.mean()


def test_final_size_equation():
    assert cascade.final_size(0.9) == 0.0
    s = cascade.final_size(2.0)
    assert s == pytest.approx(1 - np.exp(-2.0 * s)) and s == pytest.approx(0.7968, abs=1e-4)


def _runs(kt, large_reached, small_runs):
    reached = list(large_reached) + [0.001] * small_runs
    return pd.DataFrame({"kt": kt, "engine": "vectorized", "n": 3000, "replication":
                         range(len(reached)), "reached": reached,
                         "large": np.array(reached) > cascade.LARGE,
                         "closed_form": cascade.final_size(kt)})


def test_near_the_threshold_a_few_runs_may_see_no_large_outbreak():
    # At ⟨k⟩T = 1.2 a large outbreak happens with probability S ≈ 0.31: none in 5 runs
    # happens 16% of the time, and is no evidence against the model.
    assert cascade.summary(_runs(1.2, [], 5)).within.item()
    # At ⟨k⟩T = 2 (S ≈ 0.80), none in 20 runs would be: (0.2)^20.
    assert not cascade.summary(_runs(2.0, [], 20)).within.item()
    # And large outbreaks must still reach S.
    assert not cascade.summary(_runs(2.0, [0.5] * 16, 4)).within.item()
    assert cascade.summary(_runs(2.0, [0.797] * 16, 4)).within.item()
