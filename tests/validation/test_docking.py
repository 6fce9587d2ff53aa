"""Docking (Axtell et al. 1996) in distribution: the two engines agree at a larger size.

The engines run the same rules on the same draws, so a seed gives the very same run on both
(tests/validation/test_docking_exact.py checks every bundled scenario at 300 people). This
test keeps the weaker, statistical check where the exact one is not run: the three strategy
scenarios at 1,000 people, 10 replications of each engine (same seeds). Each KPI, the funnel
and the daily cohort-survival curve at four dates are compared with the two-sample
Kolmogorov–Smirnov test (any difference in distribution) and Welch's t-test (a difference in
means); the engines must not differ at α = 0.001 per test. The seeds are fixed, so the outcome
is deterministic and a failure after a change means the change broke their agreement.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.runs.runner import jobs_for, run_jobs, tables
from sim.scenario.loading import load_scenario

SCENARIOS = ["omnichannel.yaml", "multichannel.yaml", "weak_digital.yaml"]
KPIS = ["retention_rate", "cohort_survival", "acquisitions", "nps", "wom_positive",
        "wom_negative", "purchases", "fragmented_share", "mean_wait_minutes"]
ALPHA, SEEDS, SIZE = 0.001, 10, 1000


@pytest.fixture(scope="module", params=SCENARIOS)
def runs(request, repo):
    scenarios = [load_scenario(repo / "scenarios" / request.param,
                               {"population.size": SIZE, "engine": engine,
                                "name": engine})
                 for engine in ("agents", "vectorized")]
    return request.param, tables(list(run_jobs(jobs_for(scenarios, SEEDS), progress=False)))


def compare(name: str, agents: np.ndarray, vectorized: np.ndarray):
    # A KPI can go unmeasured in a run (NaN: NPS when no journey was rated within the
    # horizon). How often that happens must agree too (Fisher's exact test); the values are
    # compared where they were measured.
    measured = np.isfinite(agents), np.isfinite(vectorized)
    counts = [[m.sum(), (~m).sum()] for m in measured]
    fisher = stats.fisher_exact(counts).pvalue
    assert fisher > ALPHA, f"{name}: measured in {counts[0][0]} vs {counts[1][0]} runs"
    agents, vectorized = agents[measured[0]], vectorized[measured[1]]
    if len(agents) < 2 or len(vectorized) < 2:
        return  # measured in (almost) no run of an engine: nothing to compare
    means = f"agents {agents.mean():.4g}, vectorized {vectorized.mean():.4g}"
    ks = stats.ks_2samp(agents, vectorized).pvalue
    assert ks > ALPHA, f"{name}: KS p = {ks:.2g}; {means}"
    if agents.std() == 0 and vectorized.std() == 0:
        assert agents[0] == vectorized[0], f"{name}: constant but different; {means}"
        return
    welch = stats.ttest_ind(agents, vectorized, equal_var=False).pvalue
    assert welch > ALPHA, f"{name}: Welch p = {welch:.2g}; {means}"


def by_engine(frame: pd.DataFrame, column: str = "value"):
    return (frame.loc[frame.scenario == "agents", column].to_numpy(),
            frame.loc[frame.scenario == "vectorized", column].to_numpy())


def test_kpis_agree_in_distribution(runs):
    name, (kpis, _, _) = runs
    for kpi in KPIS:
        compare(f"{name} {kpi}", *by_engine(kpis, kpi))


def test_funnel_agrees_in_distribution(runs):
    name, (_, _, breakdowns) = runs
    funnel = breakdowns[breakdowns.table == "funnel"]
    for phase in funnel.dim1.unique():
        compare(f"{name} funnel {phase}", *by_engine(funnel[funnel.dim1 == phase]))


def test_daily_retention_curves_agree(runs):
    name, (_, series, _) = runs
    curve = series[series.metric == "cohort_survival"]
    last = int(curve.day.max())
    for day in (last // 4, last // 2, 3 * last // 4, last):
        compare(f"{name} survival on day {day}", *by_engine(curve[curve.day == day]))
