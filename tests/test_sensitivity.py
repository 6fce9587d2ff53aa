"""Sensitivity indices come out right: Ishigami's known values, and a lever with no effect."""

import numpy as np
import pandas as pd
import pytest
from SALib.test_functions import Ishigami

from sim.experiments.analysis import sensitivity
from sim.experiments.design import Plan, design_points
from sim.experiments.loading import load_experiment
from sim.experiments.schema import Experiment
from sim.experiments.sweep import run_sweep
from sim.runs.executors import SerialExecutor
from sim.scenario.schema import Scenario

# Ishigami (a = 7, b = 0.1): analytic first-order and total indices (Saltelli et al. 2008).
ISHIGAMI_S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ISHIGAMI_ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}


def test_sobol_indices_of_the_ishigami_function_match_their_analytic_values():
    bounds = {"low": -np.pi, "high": np.pi}
    experiment = Experiment.model_validate({
        "name": "ishigami", "scenarios": ["none.yaml"], "replications": 1, "seed": 3,
        "factors": {"x1": bounds, "x2": bounds, "x3": bounds},
        "design": {"kind": "sobol", "samples": 2048}})
    plan = Plan(experiment, [Scenario()], design_points(experiment))
    x = np.array([[p["x1"], p["x2"], p["x3"]] for p in plan.points])
    kpis = pd.DataFrame({"scenario": "base", "point": range(len(x)), "replication": 0,
                         "y": Ishigami.evaluate(x)})
    indices = sensitivity(kpis, plan, ["y"]).set_index(["factor", "index"])["value"]
    for factor in ISHIGAMI_S1:
        assert indices[(factor, "S1")] == pytest.approx(ISHIGAMI_S1[factor], abs=0.04)
        assert indices[(factor, "ST")] == pytest.approx(ISHIGAMI_ST[factor], abs=0.04)


def test_a_lever_that_cannot_move_retention_gets_zero_sobol_indices(repo, tmp_path):
    # The discount rate only enters customer lifetime value: with common random numbers its
    # indices for retention are exactly zero, while for CLV they are not.
    path = tmp_path / "sobol.yaml"
    path.write_text(f"""
name: levers
scenarios: [{repo}/scenarios/multichannel.yaml]
constants: {{population.size: 200, horizon_days: 60}}
factors:
  strategy.integration: {{low: 0.0, high: 1.0}}
  strategy.personalisation: {{low: 0.0, high: 1.0}}
  behaviour.discount_rate: {{low: 0.01, high: 0.3}}
design: {{kind: sobol, samples: 8}}
replications: 1
seed: 5
keep: {{kpis: [retention_rate, clv_mean]}}
outcomes: [retention_rate, clv_mean]
""")
    out = tmp_path / "out"
    with SerialExecutor() as executor:
        run_sweep(load_experiment(path), out, executor, progress=False)
    indices = pd.read_csv(out / "sensitivity.csv").set_index(["kpi", "factor", "index"])["value"]
    assert indices[("retention_rate", "behaviour.discount_rate", "ST")] == 0
    assert indices[("retention_rate", "behaviour.discount_rate", "S1")] == 0
    assert indices[("retention_rate", "strategy.integration", "ST")] > 0.1
    assert indices[("clv_mean", "behaviour.discount_rate", "ST")] > 0.01
    text = (out / "summary.md").read_text()
    assert "## Sensitivity (Sobol)" in text and "figures/sensitivity.png" in text
    assert (out / "figures" / "sensitivity.png").stat().st_size > 10_000
