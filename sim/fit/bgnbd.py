"""BG/NBD beside the model: fitted with PyMC-Marketing, forecasting a cohort's holdout.

BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way", Marketing Science
24(2)): while alive a customer buys as a Poisson process with a rate drawn from Gamma(r, alpha)
(per week); after each purchase they drop out with a probability drawn from Beta(a, b). It is
fitted on the calibration summary (frequency, recency, T in weeks) by PyMC-Marketing, the
maintained successor of the archived `lifetimes`, as a maximum a posteriori estimate under flat
priors (`HalfFlat` on r, alpha, a, b), which is the maximum-likelihood estimate of FHL 2005
(the library's default priors move a and b by 11–14% on CDNOW). On the 1/10 CDNOW sample it
gives FHL's Table 1 (r 0.243, alpha 4.414, a 0.793, b 2.426); on all of CDNOW r 0.2516,
alpha 4.789, a 0.7234, b 2.1611.

PyMC-Marketing is the optional `clv` extra; `require_clv` says how to install it. Its compiler
(pytensor) caches C code under `$XDG_CACHE_HOME/cxsim/pytensor` (`~/.cache/cxsim/pytensor`),
the project's cache root (sim/rules/jit.py), instead of `~/.pytensor`, unless PYTENSOR_FLAGS
already names a compile folder. The first fit on a machine compiles for about 50 s; later fits
take a few seconds.
"""

from __future__ import annotations

import importlib.util
import os
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.fit.summary import as_clv_data
from sim.fit.window import DAYS_PER_WEEK, Window
from sim.rules.jit import _cache_root
from sim.scenario.errors import UserError

PARAMETERS = ("r", "alpha", "a", "b")


def require_clv() -> None:
    """Refuse early, with the install command, when PyMC-Marketing is missing."""
    if importlib.util.find_spec("pymc_marketing") is None:
        raise UserError("the BG/NBD comparison needs PyMC-Marketing, the optional 'clv' extra: "
                        "pip install -e '.[clv]'")


def _compile_in_project_cache() -> None:
    """Point pytensor's compile folder at the project's cache root (before it is imported)."""
    flags = os.environ.get("PYTENSOR_FLAGS", "")
    if "compiledir" not in flags:  # the user's base_compiledir or compiledir wins
        folder = _cache_root() / "pytensor"
        os.environ["PYTENSOR_FLAGS"] = ",".join(filter(None, [flags,
                                                              f"base_compiledir={folder}"]))


def clv_library():
    """PyMC-Marketing's `clv` module, imported quietly and compiling into the project's cache.

    Import PyMC-Marketing through this (or any function here) rather than directly: pytensor
    reads its compile folder once, when it is first imported.
    """
    return _library()[0]


def _library():
    """PyMC-Marketing's CLV module and its Prior class, imported quietly."""
    require_clv()
    _compile_in_project_cache()
    with warnings.catch_warnings():  # ArviZ announces its refactor on import: noise here
        warnings.simplefilter("ignore")
        import pymc_marketing.clv as clv
        from pymc_extras.prior import Prior
    return clv, Prior


@dataclass(frozen=True)
class BgNbd:
    """A fitted BG/NBD model.

    Attributes:
        r: Shape of the Gamma distribution of purchase rates.
        alpha: Its scale parameter (weeks): mean rate r/alpha purchases a week.
        a: First shape of the Beta distribution of dropout probabilities.
        b: Its second shape: mean dropout a/(a+b) after each purchase.
        model: The fitted `pymc_marketing.clv.BetaGeoModel`.
    """

    r: float
    alpha: float
    a: float
    b: float
    model: object = field(repr=False, compare=False)

    @property
    def dropout_mean(self) -> float:
        """Mean probability of dropping out after a purchase, a / (a + b)."""
        return self.a / (self.a + self.b)

    def parameters(self) -> dict[str, float]:
        """r, alpha, a, b by name."""
        return {name: getattr(self, name) for name in PARAMETERS}


def fit_bgnbd(summary: pd.DataFrame) -> BgNbd:
    """Fit BG/NBD by MAP under flat priors (= maximum likelihood).

    Args:
        summary: Indexed by customer_id, with `frequency` (repeat transactions), `recency`
            and `T` (weeks), as `summary.customer_summary` makes.
    """
    clv, prior = _library()
    model = clv.BetaGeoModel(model_config={name: prior("HalfFlat") for name in PARAMETERS})
    with warnings.catch_warnings():  # the optimiser's and ArviZ's notes are not the user's
        warnings.simplefilter("ignore")
        model.fit(data=as_clv_data(summary), method="map", progressbar=False)
    posterior = model.idata.posterior
    return BgNbd(*(float(posterior[name].values.squeeze()) for name in PARAMETERS), model)


def expected_repeats(fit: BgNbd, weeks: np.ndarray) -> np.ndarray:
    """E[X(t)]: a new customer's expected repeat transactions within t weeks (FHL eq. 7)."""
    t = np.asarray(weeks, dtype=float)
    grid = pd.DataFrame({"customer_id": np.arange(t.size)})
    values = fit.model.expected_purchases_new_customer(data=grid, t=t.ravel())
    return np.asarray(values).reshape(t.shape)


def cohort_cumulative_repeats(fit: BgNbd, first_days: pd.Series, window: Window) -> pd.Series:
    """The cohort's expected cumulative repeat transactions at the end of each week.

    Each customer contributes E[X(age)], age being the weeks from their first purchase to the
    last day of week w (0 before it). Customers are grouped by first-purchase day, so only
    (distinct days) × (weeks) values are computed.

    Args:
        fit: The fitted model.
        first_days: Each customer's first-purchase day (days since day 0).
        window: Weeks 1..W+H to forecast.

    Returns:
        Expected cumulative repeat transactions, indexed by week 1..W+H.
    """
    per_day = first_days.value_counts().sort_index()
    week_ends = np.arange(1, window.weeks + 1) * DAYS_PER_WEEK - 1
    age = np.clip((week_ends[None, :] - per_day.index.to_numpy()[:, None]) / DAYS_PER_WEEK,
                  0.0, None)
    cumulative = per_day.to_numpy() @ expected_repeats(fit, age)
    return pd.Series(cumulative, index=pd.RangeIndex(1, window.weeks + 1, name="week"),
                     name="bgnbd_cumulative")


def conditional_expectation(fit: BgNbd, summary: pd.DataFrame, weeks: float) -> pd.Series:
    """E[Y(t) | x, t_x, T]: each customer's expected transactions in the next t weeks (eq. 10).

    Args:
        fit: The fitted model.
        summary: Per customer, frequency, recency and T in weeks (index customer_id).
        weeks: t, the length of the holdout.
    """
    values = fit.model.expected_purchases(data=as_clv_data(summary), future_t=weeks)
    return pd.Series(np.asarray(values).ravel(), index=summary.index, name="bgnbd")
