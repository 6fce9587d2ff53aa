"""The seed 000 headline: omnichannel keeps about 9 in 10 customers, weak digital about 3 in 10.

Runs the three bundled strategy scenarios at their default size over 10 seeds (`make run` uses 20),
and checks that the outputs show *why*: fewer fragmented experiences, shorter waits, fewer
detractors and less negative word of mouth under omnichannel.
"""

import pandas as pd
import pytest

from sim.runs.runner import jobs_for, run_jobs, tables
from sim.scenario.loading import load_scenario

STRATEGIES = ["omnichannel", "multichannel", "weak_digital"]


@pytest.fixture(scope="module")
def kpis(repo) -> pd.DataFrame:
    scenarios = [load_scenario(repo / "scenarios" / f"{s}.yaml") for s in STRATEGIES]
    results = list(run_jobs(jobs_for(scenarios, 10), progress=False))
    return tables(results)[0].groupby("scenario").mean(numeric_only=True)


def test_omnichannel_keeps_about_nine_in_ten(kpis):
    assert 0.87 <= kpis.loc["omnichannel", "retention_rate"] <= 0.93


def test_weak_digital_keeps_about_three_in_ten(kpis):
    assert 0.25 <= kpis.loc["weak_digital", "retention_rate"] <= 0.35


def test_siloed_multichannel_lies_strictly_between(kpis):
    r = kpis["retention_rate"]
    assert r["weak_digital"] < r["multichannel"] < r["omnichannel"]


@pytest.mark.parametrize("kpi", ["fragmented_share", "mean_wait_minutes", "detractors_share",
                                 "wom_negative"])
def test_the_mechanism_is_visible_in_the_outputs(kpis, kpi):
    k = kpis[kpi]
    assert k["omnichannel"] < k["multichannel"] < k["weak_digital"]
