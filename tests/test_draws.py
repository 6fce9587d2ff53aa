"""The kernels' draws (sim/draws.py) are the generator's own stream, number for number."""

import numba
import numpy as np
import pytest

from sim.rules import draws
from sim.rules.draws import Draws

CALLS = 3_000


@numba.njit
def _mixed(draws, out):
    """Every method the kernels use, interleaved; scalars and arrays."""
    for k in range(len(out)):
        kind = k % 8
        if kind == 0:
            out[k] = draws.random()
        elif kind == 1:
            out[k] = draws.normal(0.3, 2.0)
        elif kind == 2:
            out[k] = draws.poisson(3.5) + draws.poisson(40.0)  # both of numpy's methods
        elif kind == 3:
            out[k] = draws.uniform(5.0, 20.0, 3)[2]
        elif kind == 4:
            out[k] = draws.exponential(2.0, 2)[1]
        elif kind == 5:
            out[k] = draws.geometric(0.01) + draws.geometric(0.5)  # inversion, search
        elif kind == 6:
            out[k] = draws.gamma(0.4, 2.0) + draws.gamma(4.0, 0.5)  # both of numpy's methods
        else:
            out[k] = draws.normal(0.0, 0.1, (2, 3))[1, 2]


def _mixed_numpy(generator, out):
    for k in range(len(out)):
        out[k] = [
            lambda: generator.random(),
            lambda: generator.normal(0.3, 2.0),
            lambda: generator.poisson(3.5) + generator.poisson(40.0),
            lambda: generator.uniform(5.0, 20.0, 3)[2],
            lambda: generator.exponential(2.0, 2)[1],
            lambda: generator.geometric(0.01) + generator.geometric(0.5),
            lambda: generator.gamma(0.4, 2.0) + generator.gamma(4.0, 0.5),
            lambda: generator.normal(0.0, 0.1, (2, 3))[1, 2],
        ][k % 8]()


def test_kernels_draw_what_numpy_draws_and_leave_the_generator_where_numpy_would():
    drawn, expected = np.empty(CALLS), np.empty(CALLS)
    generator, reference = np.random.default_rng(11), np.random.default_rng(11)
    _mixed(Draws.of(generator), drawn)
    _mixed_numpy(reference, expected)
    np.testing.assert_array_equal(drawn, expected)
    assert generator.random(5).tolist() == reference.random(5).tolist()


def test_python_draws_in_between_continue_the_same_stream():
    generator, reference = np.random.default_rng(3), np.random.default_rng(3)
    drawn, expected = np.empty(70), np.empty(70)
    draws = Draws.of(generator)
    for half in (slice(0, 35), slice(35, 70)):
        _mixed(draws, drawn[half])
        generator.normal(size=4)
    for half in (slice(0, 35), slice(35, 70)):
        _mixed_numpy(reference, expected[half])
        reference.normal(size=4)
    np.testing.assert_array_equal(drawn, expected)


def test_only_pcg64_generators_can_be_drawn_from_in_kernels():
    with pytest.raises(TypeError, match="PCG64"):
        Draws.of(np.random.Generator(np.random.SFC64(1)))


def test_a_numpy_whose_pcg64_is_laid_out_otherwise_is_refused(monkeypatch):
    monkeypatch.setattr(draws, "_first_uniform", lambda d: -1.0)  # as a swapped layout would
    draws._check_layout.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="not laid out as"):
            Draws.of(np.random.default_rng(5))
    finally:
        draws._check_layout.cache_clear()
