"""Bass diffusion: the model in a fully mixed market follows F(t) on both engines.

Advertising is the innovation coefficient p (`strategy.advertising`), word of mouth the
imitation coefficient q (`word_of_mouth.share_probability` on a complete network, adopters
talking every day: `validation.advocacy: daily`); see sim/validation/bass.py for the mapping.
Tolerance, at every day: 8 binomial standard errors of the mean curve, √(F(1−F)/(N·runs)),
which is about 4 standard errors of the diffusion itself (its run-to-run spread is up to about
2× binomial; 4 rather than 3 since every day must be inside at once, see bass.py), and never
below 1/N. The one-day lag of word of mouth adds a bias of at most
0.006 (time units of 20 days), well inside it.
"""

import numpy as np
import pytest

from sim.validation import bass

SIZE, RUNS = 500, 6


@pytest.mark.parametrize("p, q", bass.PAIRS)
def test_adoption_follows_the_bass_curve(p, q):
    # The vectorized engine; the agents engine gives the very same runs for the same seeds
    # (tests/validation/test_docking_exact.py, which includes this limit's scenario).
    engine = "vectorized"
    curve = bass.simulate(p, q, RUNS, engine, size=SIZE, horizon_units=bass.HORIZON_UNITS[p, q])
    worst = curve.loc[(curve.simulated - curve.closed_form).abs().idxmax()]
    assert curve.within.all(), (
        f"{engine} p={p} q={q}: at t={worst.t:.2f} simulated {worst.simulated:.3f}, "
        f"closed form {worst.closed_form:.3f}, tolerance {worst.tolerance:.3f}")
    assert curve.simulated.iloc[-1] > 0.8  # the curve was followed to saturation, not near 0


def test_the_closed_form_is_the_textbook_curve():
    t = np.linspace(0, 20, 201)
    f = bass.closed_form(t, 0.03, 0.38)
    assert f[0] == 0 and np.all(np.diff(f) > 0) and f[-1] == pytest.approx(1, abs=5e-3)
    # The peak of adoptions is at t* = ln(q/p)/(p+q) (Bass 1969).
    assert t[np.argmax(np.gradient(f, t))] == pytest.approx(np.log(0.38 / 0.03) / 0.41, abs=0.1)


def test_a_bass_curve_with_other_coefficients_is_rejected():
    # The test can fail: the same runs are far outside the tolerance of a different q.
    curve = bass.simulate(0.03, 0.38, 2, "vectorized", size=SIZE, horizon_units=8)
    other = bass.closed_form(curve.t, 0.03, 0.25)
    assert (np.abs(curve.simulated - other) > curve.tolerance).any()
