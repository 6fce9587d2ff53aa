"""Shared fixtures: small scenarios that run in a second or two."""

import importlib.util
from pathlib import Path

import pytest

from sim.scenario.loading import load_scenario

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = REPO / "scenarios"


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root."""
    return REPO


def shrink(name: str, size: int = 400, days: int = 120, **overrides):
    """A bundled scenario shrunk to `size` people and `days` days, plus dotted overrides."""
    return load_scenario(SCENARIOS / f"{name}.yaml",
                         {"population.size": size, "horizon_days": days, **overrides})


@pytest.fixture(scope="session")
def small():
    """`small(name, size=400, days=120, **{"dotted.key": value})` loads a shrunk scenario."""
    return shrink


@pytest.fixture(scope="session")
def cdnow():
    """The bundled CDNOW log, read and summarised over 39 calibration + 39 holdout weeks."""
    from sim.fit import cdnow as data
    from sim.fit.fitting import read_real

    return read_real(data.MASTER, data.CALIBRATION_WEEKS, data.HOLDOUT_WEEKS)


@pytest.fixture(scope="session")
def cdnow_bgnbd(cdnow):
    """BG/NBD fitted by PyMC-Marketing to CDNOW's calibration weeks, with its forecasts.

    The one PyMC fit of CDNOW in the suite: about 50 s the first time on a machine (pytensor
    compiles into the cache), a few seconds after.
    """
    if importlib.util.find_spec("pymc_marketing") is None:  # not importorskip: see bgnbd.py
        pytest.skip("the optional 'clv' extra")
    from sim.fit.fitting import forecast_bgnbd

    return forecast_bgnbd(cdnow)
