"""The survey's complaints (seed 000, Qualtrics), a calibration target stated as such.

Asked what they would most want businesses to change, consumers named the online resources (29%)
and the purchase process (27%) first. The base firm's web and app relevance were calibrated to
reproduce them (scenarios/experiments/calibrate_complaints.yaml); this checks, over 10 seeds at
the default size, that the model still does within 4 points (issue 18), and that the levers
aimed at each complaint move it the right way.
"""

import pandas as pd
import pytest

from sim.runs.runner import jobs_for, run_jobs, tables
from sim.scenario.loading import load_scenario

TARGETS = {"complaint_online_resources": 0.29, "complaint_purchase_process": 0.27}


@pytest.fixture(scope="module")
def kpis(repo) -> pd.DataFrame:
    base = repo / "scenarios" / "base.yaml"
    scenarios = [load_scenario(base),
                 load_scenario(base, {"name": "self_served", "strategy.self_service": 1.0,
                                      "strategy.content": 1.0}),
                 load_scenario(base, {"name": "one_click", "strategy.one_click": 1.0})]
    results = list(run_jobs(jobs_for(scenarios, 10), progress=False))
    return tables(results)[0].groupby("scenario").mean(numeric_only=True)


@pytest.mark.parametrize("kpi", TARGETS)
def test_the_base_firm_reproduces_the_surveys_main_complaints(kpis, kpi):
    assert kpis.loc["base", kpi] == pytest.approx(TARGETS[kpi], abs=0.04)


def test_self_service_and_content_answer_the_online_resources_complaint(kpis):
    complaint = kpis["complaint_online_resources"]
    assert complaint["self_served"] < complaint["base"]


def test_one_click_answers_the_purchase_process_complaint(kpis):
    assert kpis.loc["one_click", "checkouts_abandoned"] == 0
    abandoned = kpis["checkouts_abandoned"]
    assert abandoned["base"] > 0
