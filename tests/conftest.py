"""Shared fixtures: small scenarios that run in a second or two."""

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
