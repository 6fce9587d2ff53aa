"""The optimiser finds known answers, keeps its constraints, traces a true front, survives a kill.

Every search here is tiny (300 people, 60 days, a run in about 0.02 s) so the whole file runs
in well under a minute. Tolerances come from the replications: common random numbers make the
runs of two candidates on one seed differ only by their levers.
"""

import json
import math
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats
from test_sweep_failures import assert_no_process_left

from sim.cli import main
from sim.experiments.front import dominated
from sim.experiments.loading import load_experiment, load_optimisation
from sim.experiments.optimise import run_optimisation
from sim.experiments.sweep import run_sweep
from sim.metrics.money import MONEY_KPIS
from sim.runs.executors import DaskExecutor, SerialExecutor
from sim.runs.runner import run_scenario
from sim.scenario.loading import with_values

SMALL = "constants: {{population.size: 300, horizon_days: 60{extra}}}"


def write(folder, repo, body, name="search", extra=""):
    """An optimisation file on the multichannel firm, shrunk to run fast."""
    path = folder / f"{name}.yaml"
    path.write_text(f"name: {name}\nscenario: {repo}/scenarios/multichannel.yaml\n"
                    + SMALL.format(extra=extra) + "\n" + body)
    return path


def search(path, out, executor=None):
    with executor or SerialExecutor() as runner:
        run_optimisation(load_optimisation(path), out, runner, progress=False)
    return (pd.read_csv(out / "evaluations.csv"), pd.read_csv(out / "front.csv"),
            json.loads((out / "manifest.json").read_text()))


BUDGET_SEARCH = """
levers:
  strategy.integration: {low: 0.0, high: 1.0, step: 0.25}
  strategy.personalisation: {low: 0.0, high: 1.0, step: 0.25}
  strategy.self_service: {low: 0.0, high: 1.0}
objectives:
  - maximise: satisfaction_mean
  - minimise: cost_total
constraints:
  cost_total: {at_most: BUDGET}
candidates: 30
replications: 3
seed: 11
search: {batch: 6, startup: 12}
"""


@pytest.fixture(scope="module")
def budget(repo, small):
    """Halfway between the cost of every lever at 0 and every lever at 1 (one run each)."""
    base = small("multichannel", 300, 60)
    ends = [with_values(base, {f"strategy.{k}": level for k in
                               ("integration", "personalisation", "self_service")}, "end")
            for level in (0.0, 1.0)]
    return sum(run_scenario(config, 1).kpis["cost_total"] for config in ends) / 2


@pytest.fixture(scope="module")
def budget_file(repo, budget, tmp_path_factory):
    folder = tmp_path_factory.mktemp("budget")
    return write(folder, repo, BUDGET_SEARCH.replace("BUDGET", f"{budget:.2f}"))


@pytest.fixture(scope="module")
def budget_search(budget_file):
    out = budget_file.parent / "serial"
    return (*search(budget_file, out), out)


def test_a_lever_that_costs_but_does_nothing_changes_no_draw_and_no_other_kpi(small):
    # The premise of the next test: with its effect size at 0 (sim/rules/experience.py adds
    # content_relevance × content × ...), content changes no experience and no random draw.
    runs = [run_scenario(small("multichannel", 300, 60, **{
        "effects.content_relevance": 0.0, "strategy.content": level}), seed=4)
        for level in (0.0, 1.0)]
    money = set(MONEY_KPIS)
    assert {k: v for k, v in runs[0].kpis.items() if k not in money} == \
           {k: v for k, v in runs[1].kpis.items() if k not in money}
    pd.testing.assert_frame_equal(runs[0].series, runs[1].series)  # every day, every count
    assert runs[1].kpis["cost_content"] > runs[0].kpis["cost_content"] == 0.0


def test_a_lever_that_costs_but_does_nothing_goes_to_its_lower_bound(repo, tmp_path):
    path = write(tmp_path, repo, """
levers:
  strategy.content: {low: 0.0, high: 1.0, step: 0.25}
  strategy.integration: {low: 0.0, high: 1.0, step: 0.25}
objectives: [{maximise: operating_profit}]
candidates: 16
replications: 2
seed: 3
search: {batch: 4, startup: 8}
""", extra=", effects.content_relevance: 0.0")
    evaluations, front, manifest = search(path, tmp_path / "out")
    candidates = evaluations[evaluations.candidate != "baseline"]
    # Same integration, more content: exactly less profit (the same runs, a larger bill).
    for _, same in candidates.drop_duplicates(["strategy.content", "strategy.integration"]
                                              ).groupby("strategy.integration"):
        profit = same.sort_values("strategy.content")["operating_profit"].to_numpy()
        assert (np.diff(profit) < 0).all()
    assert front.iloc[0]["strategy.content"] == 0.0
    assert manifest["recommended"] == front.iloc[0]["candidate"]


def test_a_binding_budget_is_kept_by_every_recommended_point(budget_search, budget):
    evaluations, front, _, _ = budget_search
    candidates = evaluations[evaluations.candidate != "baseline"]
    assert not candidates.feasible.all()  # the budget binds: some candidates break it...
    most_satisfying = candidates.loc[candidates.satisfaction_mean.idxmax()]
    assert most_satisfying.cost_total > budget  # ...among them the one that satisfies most
    assert len(front) > 0 and (front.cost_total <= budget).all()


def test_the_front_holds_every_undominated_feasible_point_and_no_dominated_one(budget_search):
    evaluations, front, _, _ = budget_search
    scores = front[["satisfaction_mean", "cost_total"]].to_numpy() * [1, -1]
    assert not dominated(scores).any()
    feasible = evaluations[(evaluations.candidate != "baseline") & evaluations.feasible]
    levers = ["strategy.integration", "strategy.personalisation", "strategy.self_service"]
    for _, row in feasible.iterrows():
        on_front = (front[levers] == row[levers]).all(axis=1).any()
        point = np.array([row.satisfaction_mean, -row.cost_total])
        beaten = ((scores >= point).all(axis=1) & (scores > point).any(axis=1)).any()
        assert on_front != beaten, row.candidate  # on the front exactly when nobody beats it


def test_dominance_needs_better_somewhere_and_no_worse_anywhere():
    points = np.array([[1.0, 1.0], [1.0, 1.0], [2.0, 0.0], [0.5, 1.0], [0.0, 0.0]])
    assert dominated(points).tolist() == [False, False, False, True, True]


def test_recommended_files_are_complete_scenarios_that_repeat_the_search_runs(
        budget_search, budget, tmp_path, capsys):
    evaluations, front, manifest, out = budget_search
    files = sorted((out / "recommended").glob("*.yaml"))
    assert len(files) == len(front)
    best = out / "recommended" / f"multichannel-candidate-{manifest['recommended']}.yaml"
    assert "extends" not in yaml.safe_load(best.read_text())  # complete: no parent needed
    assert main(["run", str(best), "--seeds", "3", "--out", str(tmp_path / "run"),
                 "--no-progress"]) == 0
    capsys.readouterr()
    again = pd.read_csv(tmp_path / "run" / "kpis.csv")
    row = evaluations[evaluations.candidate == str(manifest["recommended"])].iloc[0]
    assert again.cost_total.mean() == pytest.approx(row.cost_total, rel=1e-12)
    assert again.satisfaction_mean.mean() == pytest.approx(row.satisfaction_mean, rel=1e-12)
    assert again.cost_total.mean() <= budget


def test_the_optimisers_best_is_within_the_noise_of_a_brute_force_grids_best(repo, tmp_path):
    levers = {"strategy.integration": [0.0, 0.25, 0.5, 0.75, 1.0],
              "strategy.personalisation": [0.0, 0.25, 0.5, 0.75, 1.0]}
    grid = tmp_path / "grid.yaml"
    grid.write_text(f"""
name: grid
scenarios: [{repo}/scenarios/multichannel.yaml]
constants: {{population.size: 300, horizon_days: 60}}
factors: {json.dumps(levers)}
replications: 4
seed: 9
""")
    with SerialExecutor() as executor:
        run_sweep(load_experiment(grid), tmp_path / "sweep", executor, progress=False)
    kpis = pd.read_csv(tmp_path / "sweep" / "kpis.csv")
    means = kpis.groupby(list(levers))["operating_profit"].mean()
    path = write(tmp_path, repo, """
levers:
  strategy.integration: {low: 0.0, high: 1.0, step: 0.25}
  strategy.personalisation: {low: 0.0, high: 1.0, step: 0.25}
objectives: [{maximise: operating_profit}]
candidates: 15
replications: 4
seed: 9
search: {batch: 5, startup: 8}
""")
    _, front, _ = search(path, tmp_path / "out")
    found = tuple(front.iloc[0][list(levers)])
    # The same seeds: the optimiser's runs of a point are the grid's runs of it.
    assert front.iloc[0]["operating_profit"] == pytest.approx(means[found], rel=1e-12)
    best = means.idxmax()
    at = kpis.set_index(list(levers)).sort_index()
    gap = at.loc[best, "operating_profit"].to_numpy() - at.loc[found, "operating_profit"].to_numpy()
    # Within the noise: the paired 95% CI of grid best − optimiser best reaches 0.
    half = stats.t.ppf(0.975, len(gap) - 1) * gap.std(ddof=1) / math.sqrt(len(gap))
    assert gap.mean() <= half


def test_a_search_killed_mid_way_resumes_without_redoing_or_losing_a_run(
        repo, budget_file, budget_search, tmp_path):
    out = tmp_path / "killed"
    command = [sys.executable, "run.py", "optimise", str(budget_file), "--workers", "2",
               "--no-progress"]
    driver = subprocess.Popen([*command, "--out", str(out)], cwd=repo, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    index = out / "runs.jsonl"
    try:
        while driver.poll() is None:
            if index.exists() and index.read_bytes().count(b"\n") >= 25:
                os.kill(driver.pid, signal.SIGKILL)  # the driver only, as `kill -9 PID` does
                break
            time.sleep(0.005)
        driver.wait(timeout=60)
    finally:
        assert_no_process_left(driver.pid)
    assert driver.returncode == -signal.SIGKILL, driver.stderr.read().decode()
    assert not (out / "manifest.json").exists()
    before = index.read_bytes().count(b"\n")

    resumed = subprocess.run([*command, "--resume", str(out)], capture_output=True, text=True,
                             timeout=300, cwd=repo)
    assert resumed.returncode == 0, resumed.stderr
    lines = [json.loads(line) for line in index.read_text().splitlines()]
    runs = [(line["candidate"], line["seed"]) for line in lines]
    assert len(runs) == len(set(runs))  # none redone
    expected, _, manifest, whole = budget_search
    assert len(runs) == (whole / "runs.jsonl").read_text().count("\n")  # none lost
    assert f"({len(runs) - before} runs now)" in resumed.stdout
    # The same candidates, the same results, as a search never interrupted.
    assert (out / "evaluations.csv").read_bytes() == (whole / "evaluations.csv").read_bytes()
    sessions = json.loads((out / "manifest.json").read_text())["sessions"]
    assert [s["runs"] for s in sessions] == [before, len(runs) - before]


def test_a_dask_cluster_finds_the_same_candidates_as_one_process(budget_file, budget_search,
                                                                 tmp_path):
    evaluations, _, _, _ = budget_search
    with DaskExecutor("local", 2) as executor:
        on_dask, _, manifest = search(budget_file, tmp_path / "dask", executor)
    pd.testing.assert_frame_equal(on_dask, evaluations)
    assert manifest["executor"]["kind"] == "dask"


def test_the_python_api_runs_an_optimisation_file_and_returns_its_front(budget_file,
                                                                         budget_search, tmp_path):
    import sim

    front = sim.optimise(budget_file, tmp_path / "api", workers=1, progress=False)
    pd.testing.assert_frame_equal(front, budget_search[1])
