"""Docking, exactly: the two engines run the same rules in the same order on the same draws.

The agents engine (Mesa agents calling the rules as Python) and the vectorized engine (the
same rules compiled into kernels) build the same market from a seed and then draw the same
numbers in the same order: each person's day calls the same rule functions (sim/rules/), and
the one part written twice, the service desks (SimPy processes against an exact FIFO queue),
serves the same contacts with the same waits (tests/test_service.py). So a seed gives the
very same run, to the last digit of every KPI, breakdown and daily value, on every bundled
scenario and in the validation limits. (Axtell et al. 1996 call this docking; the statistical
version, which only asks the two to agree in distribution, is tests/validation/test_docking.py.)
"""

from pathlib import Path

import pandas as pd
import pytest

from sim.runs.runner import jobs_for, run_jobs, tables
from sim.scenario.loading import load_scenario
from sim.validation import LIMIT_SCENARIOS

SCENARIOS = Path(__file__).parents[2] / "scenarios"
BUNDLED = sorted(str(p.relative_to(SCENARIOS)) for p in SCENARIOS.rglob("*.yaml")
                 if "experiments" not in p.parts)
LIMITS = sorted(p.name for p in LIMIT_SCENARIOS.glob("*.yaml"))
SIZE, SEEDS = 300, 2


def both_engines(path: Path) -> dict[str, tuple[pd.DataFrame, ...]]:
    """KPIs, series and breakdowns of `SEEDS` runs of each engine (same seeds)."""
    out = {}
    for engine in ("agents", "vectorized"):
        scenario = load_scenario(path, {"population.size": SIZE, "engine": engine})
        out[engine] = tables(list(run_jobs(jobs_for([scenario], SEEDS), 1, progress=False)))
    return out


def assert_same_run(path: Path) -> None:
    runs = both_engines(path)
    for name, agents, vectorized in zip(("kpis", "series", "breakdowns"), runs["agents"],
                                        runs["vectorized"], strict=True):
        pd.testing.assert_frame_equal(agents, vectorized, check_exact=True, obj=name)


@pytest.mark.parametrize("scenario", BUNDLED)
def test_a_seed_gives_the_very_same_run_on_both_engines(scenario):
    assert_same_run(SCENARIOS / scenario)


@pytest.mark.parametrize("limit", LIMITS)
def test_the_validation_limits_run_the_same_on_both_engines(limit):
    assert_same_run(LIMIT_SCENARIOS / limit)
