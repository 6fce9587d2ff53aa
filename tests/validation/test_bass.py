"""Bass diffusion: in a fully mixed market the model is the exact finite-population Bass chain.

Advertising is the innovation coefficient p (`strategy.advertising`), word of mouth the
imitation coefficient q (`word_of_mouth.share_probability` on a complete network, adopters
talking every day: `validation.advocacy: daily`). Read from the code, the adopters on whole days
form the Markov chain A(d) = A(d−1) + Binomial(N − A(d−1), 1 − e^(−(p + q·A(d−1)/N)/u))
(sim/validation/bass_chain.py). Its distribution is computed exactly, so the tolerance is exact
too: on every day the simulated mean curve must lie in the band that holds the mean of that many
correct runs with probability 1 − 1%/days; a correct model then fails anywhere on the curve with
probability at most 1% (Bonferroni), whatever p, q and N.

Measured on the chain itself (`bass.rejection_rate`, 4,000 sets each, N = 250/500/1000, 3 or 6
runs): false rejections 0.00–0.15% at q/p = 3, 12.7, 50 and 300; power against q × 1.2 at
500 people and 6 runs (the vectorized test): 0.85 at (0.05, 0.15), 0.998 at (0.03, 0.38),
0.99 at (0.01, 0.5), 0.48 at (0.002, 0.6), where the random take-off time dominates; 3 runs
(the agents test): 0.36, 0.81, 0.78, 0.22 (docs/validation.md). The continuous closed form F(t)
is not the model's exact law: the chain lags it by a discrete-days part and a finite-N part
(about c/N), checked below.
"""

import numpy as np
import pytest

from sim.validation import bass, bass_chain

SIZE, RUNS = 500, 6


@pytest.mark.parametrize("p, q", bass.PAIRS)
def test_adoption_follows_the_exact_finite_population_bass_chain(p, q):
    # The vectorized engine; the agents engine gives the very same runs for the same seeds
    # (tests/validation/test_docking_exact.py runs this limit's scenario on both).
    engine = "vectorized"
    curve = bass.simulate(p, q, RUNS, engine, size=SIZE, horizon_units=bass.HORIZON_UNITS[p, q])
    outside = curve[~curve.within]
    worst = outside.iloc[0] if len(outside) else curve.iloc[-1]
    assert curve.within.all(), (
        f"{engine} p={p} q={q}: {len(outside)} days outside; at t={worst.t:.2f} simulated "
        f"{worst.simulated:.4f}, exact mean {worst.exact_mean:.4f}, band "
        f"[{worst.band_low:.4f}, {worst.band_high:.4f}]")
    assert curve.simulated.iloc[-1] > 0.8  # the curve was followed to saturation, not near 0


@pytest.mark.parametrize("model_q", [0.38 * 1.2, 0.38 / 1.2])
def test_a_model_whose_imitation_is_off_by_a_fifth_is_rejected(model_q):
    curve = bass.simulate(0.03, 0.38, RUNS, "vectorized", size=SIZE,
                          horizon_units=bass.HORIZON_UNITS[0.03, 0.38], model_q=model_q)
    assert not curve.within.all()


def test_the_test_rarely_rejects_the_chain_and_usually_rejects_a_wrong_q():
    rng = np.random.default_rng(2026)
    false = bass.rejection_rate(0.01, 0.5, SIZE, 6, 2000, 16, rng)
    assert false <= bass.FAMILY_ALPHA + 3 * (0.01 * 0.99 / 2000) ** 0.5  # the Bonferroni bound
    assert bass.rejection_rate(0.01, 0.5, SIZE, 6, 500, 16, rng, model_q=0.6) > 0.9


def test_the_gap_to_the_closed_form_is_discrete_days_plus_a_finite_population():
    p, q, u, days = 0.01, 0.5, 20, 320
    t = (np.arange(days) + 1) / u
    f_inf = bass.closed_form(t, p, q)
    discrete = bass_chain.mean_field(p, q, u, days) - f_inf
    # Discrete days: the N → ∞ daily recursion lags F(t) by a part that halves as u doubles.
    finer = bass_chain.mean_field(p, q, 2 * u, 2 * days)[1::2] - f_inf
    assert np.abs(finer).max() == pytest.approx(np.abs(discrete).max() / 2, rel=0.1)
    # Finite N: the chain's mean lags the recursion by about c/N (c ≈ 7 at q/p = 50).
    lag = {}
    for n in (250, 500):
        mean, _ = bass_chain.moments(bass_chain.distributions(p, q, n, u, days))
        lag[n] = (mean - bass_chain.mean_field(p, q, u, days)).min() * n
    assert lag[250] == pytest.approx(-7.4, abs=0.2) and lag[500] == pytest.approx(-7.4, abs=0.2)


def test_the_chains_distribution_is_a_distribution_with_the_binomial_first_day():
    rows = bass_chain.distributions(0.03, 0.38, 300, 20, 40)
    assert np.allclose(rows.sum(axis=1), 1.0)
    mean, sd = bass_chain.moments(rows)
    a = -np.expm1(-0.03 / 20)  # day 0: only ads, Binomial(N, a)
    assert mean[0] == pytest.approx(a) and sd[0] == pytest.approx((a * (1 - a) / 300) ** 0.5)
    assert np.all(np.diff(mean) > 0)


def test_the_closed_form_is_the_textbook_curve():
    t = np.linspace(0, 20, 201)
    f = bass.closed_form(t, 0.03, 0.38)
    assert f[0] == 0 and np.all(np.diff(f) > 0) and f[-1] == pytest.approx(1, abs=5e-3)
    # The peak of adoptions is at t* = ln(q/p)/(p+q) (Bass 1969).
    assert t[np.argmax(np.gradient(f, t))] == pytest.approx(np.log(0.38 / 0.03) / 0.41, abs=0.1)
