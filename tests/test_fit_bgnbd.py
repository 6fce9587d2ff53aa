"""BG/NBD by PyMC-Marketing reproduces the published estimates and the known CDNOW forecast.

Known answers. Fader, Hardie & Lee (2005), Table 1: r 0.243, alpha 4.414, a 0.793, b 2.426 on
the 1/10 sample, published to three decimals, hence ±0.0005. On all of CDNOW the maximum
likelihood estimates r 0.2516, alpha 4.7889, a 0.7234, b 2.1611, the holdout forecast of 16,849.2
repeat transactions against 19,684 (−14.40%) and the weekly MAE of 85.24 were computed once by
an independent implementation (scipy, the likelihood of FHL eq. 6 and eq. 7 written out); the
two optima agree to 1e-4 in each parameter (the likelihood is flattest along alpha), which moves
the forecast total by less than 0.1 and the MAE by less than 0.01.
"""

import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest

from sim.fit import cdnow as data
from sim.fit import comparison
from sim.fit.statistics import cohort_statistics
from sim.fit.transactions import customer_days

# Not importorskip: PyMC must be imported through sim.fit.bgnbd (its compile folder).
pytestmark = pytest.mark.skipif(importlib.util.find_spec("pymc_marketing") is None,
                                reason="the optional 'clv' extra")


def test_bg_nbd_on_the_one_in_ten_sample_gives_fader_hardie_lees_estimates(cdnow):
    from sim.fit.bgnbd import fit_bgnbd

    days = customer_days(data.sample(data.master()), cdnow.start)
    fitted = fit_bgnbd(cohort_statistics(days, cdnow.window).summary).parameters()
    for name, published in data.FHL_SAMPLE_ESTIMATES.items():
        assert fitted[name] == pytest.approx(published, abs=5e-4), name


def test_bg_nbd_on_all_of_cdnow_gives_the_maximum_likelihood_estimates(cdnow_bgnbd):
    fitted = cdnow_bgnbd.model.parameters()
    known = {"r": 0.2516, "alpha": 4.7889, "a": 0.7234, "b": 2.1611}
    for name, value in known.items():
        assert fitted[name] == pytest.approx(value, abs=1e-4), name


def test_bg_nbd_forecasts_the_cdnow_holdout_as_known(cdnow, cdnow_bgnbd):
    table = comparison.tracking(cdnow.statistics, cdnow_bgnbd.cumulative)
    scores = comparison.holdout_scores(table, cdnow.window).loc["bgnbd"]
    assert scores.actual == 19_684
    assert scores.forecast == pytest.approx(16_849.2, abs=0.1)
    assert scores.error_pct == pytest.approx(-14.40, abs=0.005)
    assert scores.weekly_mae == pytest.approx(85.24, abs=0.01)
    assert table.loc[39, "bgnbd_cumulative"] == pytest.approx(24_451.9, abs=0.1)
    # Customers are forecast from their own first purchase: week 1 has only the first week's.
    assert 0 < table.loc[1, "bgnbd"] < 0.02 * table.loc[12, "bgnbd"] * 12


def test_the_conditional_expectation_rises_with_calibration_repeats(cdnow, cdnow_bgnbd):
    table = comparison.conditional_expectations(cdnow.statistics, cdnow_bgnbd.expected)
    assert table.customers.sum() == 23_570
    assert table.loc["0", "actual"] == pytest.approx(0.251, abs=5e-4)
    assert table.loc["0", "bgnbd"] == pytest.approx(0.231, abs=5e-4)
    assert table.loc["7+", "bgnbd"] == pytest.approx(6.469, abs=5e-4)
    assert np.all(np.diff(table.bgnbd) > 0) and np.all(np.diff(table.actual) > 0)
    # Eq. 10 summed over customers is the individual-level forecast, close to eq. 7's total.
    assert cdnow_bgnbd.expected.sum() == pytest.approx(16_873.7, abs=0.1)


def test_pytensor_compiles_into_the_project_cache_not_the_home_folder(cdnow_bgnbd):
    import pytensor

    from sim.rules.jit import _cache_root

    if "compiledir" in os.environ.get("PYTENSOR_FLAGS", "").replace(
            f"base_compiledir={_cache_root() / 'pytensor'}", ""):
        pytest.skip("PYTENSOR_FLAGS names a compile folder of the user's own")
    folder = _cache_root() / "pytensor"
    assert Path(pytensor.config.base_compiledir) == folder
    assert Path(pytensor.config.compiledir).parent == folder
