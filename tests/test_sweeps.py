"""Sweeps end to end: seeds, determinism across executors, streaming, resume after SIGKILL."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from test_sweep_failures import assert_no_process_left

from sim.experiments.loading import load_experiment
from sim.experiments.sweep import run_sweep
from sim.runs.executors import DaskExecutor, ProcessExecutor, SerialExecutor
from sim.runs.runner import replication_seeds


def experiment_file(folder, repo, runs_per_point=2, levels=(0.1, 0.5, 0.9)):
    path = folder / "grid.yaml"
    path.write_text(f"""
name: grid
scenarios: [{repo}/scenarios/multichannel.yaml, {repo}/scenarios/weak_digital.yaml]
constants: {{population.size: 200, horizon_days: 30}}
factors:
  strategy.integration: {list(levels)}
  strategy.personalisation: [0.2, 0.8]
replications: {runs_per_point}
seed: 7
keep: {{kpis: all, series: [customers], breakdowns: [wait_by_desk]}}
""")
    return path


@pytest.fixture(scope="module")
def grid(repo, tmp_path_factory):
    folder = tmp_path_factory.mktemp("grid")
    return experiment_file(folder, repo), folder


@pytest.fixture(scope="module")
def serial_sweep(grid):
    path, folder = grid
    here = os.getcwd()
    os.chdir(folder)  # a folder given relative to where the user is, as on the command line
    try:
        with SerialExecutor() as executor:
            run_sweep(load_experiment(path), Path("serial"), executor, progress=False)
    finally:
        os.chdir(here)
    return folder / "serial"


def files(folder):
    return {name: (folder / name).read_bytes() for name in
            ("kpis.csv", "kpis.parquet", "series.parquet", "breakdowns.parquet")}


def test_every_run_has_its_own_row_with_seeds_spawned_from_the_master_seed(serial_sweep):
    kpis = pd.read_csv(serial_sweep / "kpis.csv")
    assert list(kpis.run) == list(range(2 * 6 * 2))  # scenarios x points x replications
    # Common random numbers: replication r has child r of SeedSequence(7) everywhere.
    expected = replication_seeds(7, 2)
    assert (kpis.seed == kpis.replication.map(dict(enumerate(expected)))).all()
    index = [json.loads(line) for line in (serial_sweep / "runs.jsonl").read_text().splitlines()]
    assert sorted(e["run"] for e in index) == list(kpis.run)
    assert {e["run"]: e["seed"] for e in index} == dict(zip(kpis.run, kpis.seed, strict=True))


def test_summary_links_every_figure_relative_to_itself(serial_sweep):
    text = (serial_sweep / "summary.md").read_text()
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    figures = sorted(p.relative_to(serial_sweep).as_posix()
                     for p in (serial_sweep / "figures").glob("*.png"))
    assert figures and sorted(links) == figures
    assert all((serial_sweep / link).is_file() for link in links)


def test_series_and_breakdowns_keep_only_what_the_file_asks_for(serial_sweep):
    series = pd.read_parquet(serial_sweep / "series.parquet")
    assert set(series.metric) == {"customers"}
    assert len(series) == 24 * 30
    assert set(pd.read_parquet(serial_sweep / "breakdowns.parquet").table) == {"wait_by_desk"}
    assert not (serial_sweep / "parts").exists()


def test_summary_reports_each_level_with_ci_and_draws_bands_and_heatmaps(serial_sweep):
    text = (serial_sweep / "summary.md").read_text()
    assert "### retention_rate by `strategy.integration`" in text
    assert "| 0.9 |" in text and "[" in text  # mean [95% CI] per level
    levels = pd.read_csv(serial_sweep / "levels.csv")
    row = levels[(levels.kpi == "retention_rate") & (levels.level == 0.5)
                 & (levels.factor == "strategy.integration")].iloc[0]
    assert row.n == 2 and row.ci_low <= row["mean"] <= row.ci_high
    for figure in ("retention_rate_by_factor.png", "retention_rate_heatmap.png"):
        assert (serial_sweep / "figures" / figure).stat().st_size > 10_000
        assert f"figures/{figure}" in text
    manifest = json.loads((serial_sweep / "manifest.json").read_text())
    assert manifest["executor"]["kind"] == "serial" and manifest["executor"]["workers"] == 1
    assert manifest["executor"]["seconds"] > 0


def test_processes_and_a_dask_cluster_write_the_same_bytes_as_one_process(grid, serial_sweep):
    path, folder = grid
    with ProcessExecutor(2) as executor:
        run_sweep(load_experiment(path), folder / "processes", executor, progress=False)
    with DaskExecutor("local", 2) as executor:
        run_sweep(load_experiment(path), folder / "dask", executor, progress=False)
        assert executor.describe() == {"kind": "dask", "workers": 2, "address": "local"}
    serial = files(serial_sweep)
    assert files(folder / "processes") == serial
    assert files(folder / "dask") == serial
    manifest = json.loads((folder / "dask" / "manifest.json").read_text())
    assert manifest["executor"]["kind"] == "dask"


def test_a_sweep_killed_mid_way_resumes_to_the_same_tables(repo, tmp_path):
    path = experiment_file(tmp_path, repo, runs_per_point=4, levels=(0.1, 0.3, 0.5, 0.7, 0.9))
    out = tmp_path / "killed"
    command = [sys.executable, "run.py", "sweep", str(path), "--workers", "2", "--out", str(out),
               "--no-progress"]
    driver = subprocess.Popen(command, cwd=repo, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    index = out / "runs.jsonl"
    try:
        while driver.poll() is None:
            if index.exists() and index.read_bytes().count(b"\n") >= 10:
                os.kill(driver.pid, signal.SIGKILL)  # the driver only, as `kill -9 PID` does
                break
            time.sleep(0.01)
        driver.wait(timeout=60)
    finally:
        assert_no_process_left(driver.pid)  # workers end with their driver (issue 16)
    assert driver.returncode == -signal.SIGKILL, driver.stderr.read().decode()
    assert not (out / "manifest.json").exists()
    finished = index.read_bytes().count(b"\n")
    assert 10 <= finished < 80

    resumed = subprocess.run([*command[:-3], "--resume", str(out), "--no-progress"], cwd=repo,
                             capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{80 - finished} of 80 runs" in resumed.stdout

    runs = [json.loads(line)["run"] for line in index.read_text().splitlines()]
    assert sorted(runs) == list(range(80))  # each run once: none redone, none missing
    with SerialExecutor() as executor:
        run_sweep(load_experiment(path), tmp_path / "whole", executor, progress=False)
    assert files(out) == files(tmp_path / "whole")
    sessions = json.loads((out / "manifest.json").read_text())["sessions"]
    assert [s["runs"] for s in sessions] == [finished, 80 - finished]
