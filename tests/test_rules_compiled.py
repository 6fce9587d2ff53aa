"""Rules once (docs/design.md Decision 1): every rule gives the same answer as Python and compiled.

The Mesa agents run the rules of sim/ as plain Python; the vectorized engine's kernels compile
the same source with numba (sim/jit.py). numba's generator draws from the same bit generator
with numpy's algorithms, so with the same inputs and the same generator state the two must
agree draw for draw, whether the kernel draws from the Generator itself or, as the engine's
kernels do, through `sim.rules.draws.Draws`. A rule that used something numba reads differently
would fail here.
"""

import numba
import numpy as np
import pytest

from sim.rules import channels, experience, journey, limits, loyalty, wom
from sim.rules.draws import Draws
from sim.rules.experience import Levers

N = 40
G = np.random.default_rng(7)
QUALITY, LIKING, WEIGHTS = G.random((N, 6)), G.random(N), G.dirichlet(np.ones(6), N)
CHANNEL, PHASE = G.integers(0, 8, N), G.integers(1, 8, N)
LEVERS = Levers(0.3, 0.6, 0.5, 0.8, 0.4, 0.4, 0.3, 0.5, 1.0, 0.5, 0.5, 0.7, 0.35, 40.0, 0.1)

DRAWING = {  # rule: arguments before the generator
    "dwell_days (short)": (journey.dwell_days, (3.7,)),
    "dwell_days (long)": (journey.dwell_days, (63.0,)),
    "days_to_idle_event (rare)": (journey.days_to_idle_event, (0.002, 0.01)),
    "days_to_idle_event (common)": (journey.days_to_idle_event, (0.3, 0.2)),
    "days_to_idle_event (never)": (journey.days_to_idle_event, (0.0, 0.0)),
    "idle_event": (journey.idle_event, (0.02, 0.01)),
    "choose_channel": (channels.choose_channel, (G.random(8), np.ones(8), 4, 2, 1.5)),
    "starts_journey": (wom.starts_journey, (1, 0.5, 1.2)),
    "score_interactions": (experience.score_interactions, (
        QUALITY, CHANNEL, PHASE, LIKING, (G.random(N) < 0.3) * 1.0, G.exponential(3, N),
        G.uniform(5, 20, N), LEVERS)),
}
PLAIN = {
    "touchpoint_score": (experience.touchpoint_score, (QUALITY, WEIGHTS)),
    "shortfall": (experience.shortfall, (QUALITY, WEIGHTS, G.random(N))),
    "next_phase": (journey.next_phase, (7,)),
    "idle_chances (customer)": (journey.idle_chances, (True, 0.02, 0.3, 0.001)),
    "idle_chances (prospect)": (journey.idle_chances, (False, 0.02, 0.3, 0.001)),
    "journey_experience": (experience.journey_experience, (2.6, 4, 0.2, 0.7)),
    "satisfaction": (experience.satisfaction, (0.13, -0.2, 2.0, 0.6)),
    "nps_class of a score": (experience.nps_class, (experience.recommend_score(0.64),)),
    "choose_firm_probability": (loyalty.choose_firm_probability,
                                (0.2, True, -0.5, 4.0, 2.5, 0.3)),
    "updated_attitude": (loyalty.updated_attitude, (0.1, 0.8, 0.3)),
    "share_probability": (wom.share_probability, (-1, 0.08, 2.0, 1.0, 1.5)),
    "review_probability": (wom.review_probability, (-1, 0.05, 2.0)),
    "review_average": (wom.review_average, (0.1, np.array([1, -1, -1, 1], dtype=np.int8), 0.05)),
    "attitude_shift": (wom.attitude_shift, (-1, 0.1, 1.2)),
    "advocates": (limits.advocates, (G.integers(0, 8, N), G.integers(0, 3, N))),
}


@pytest.mark.parametrize("as_kernels_draw", [False, True], ids=["Generator", "Draws"])
@pytest.mark.parametrize("name", DRAWING)
def test_a_drawing_rule_draws_the_same_compiled(name, as_kernels_draw):
    rule, args = DRAWING[name]
    compiled = numba.njit(rule)
    for seed in range(25):
        plain = rule(*args, np.random.default_rng(seed))
        generator = np.random.default_rng(seed)
        fast = compiled(*args, Draws.of(generator) if as_kernels_draw else generator)
        np.testing.assert_allclose(fast, plain, rtol=1e-12, atol=0)


@pytest.mark.parametrize("name", PLAIN)
def test_a_rule_computes_the_same_compiled(name):
    rule, args = PLAIN[name]
    np.testing.assert_allclose(numba.njit(rule)(*args), rule(*args), rtol=1e-12, atol=0)


@numba.njit
def _poissons(draws, lam, n):
    out = np.empty(n, np.int64)
    for i in range(n):
        out[i] = draws.poisson(lam)
    return out


@pytest.mark.parametrize("lam", [10.0, 13.0, 1799.0])
def test_long_runs_of_poisson_draws_stay_in_step_with_numpy(lam):
    # numba's own PTRS port parts from numpy about once in 230,000 draws at mean 13
    # (sim/rules/draws.py `_poisson_ptrs`); a phase's dwell is such a draw.
    plain, compiled = np.random.default_rng(1), np.random.default_rng(1)
    expected = [plain.poisson(lam) for _ in range(300_000)]
    assert np.array_equal(_poissons(Draws.of(compiled), lam, 300_000), expected)
    assert plain.bit_generator.state == compiled.bit_generator.state
