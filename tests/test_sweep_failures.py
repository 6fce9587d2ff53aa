"""Sweeps survive failures: a killed worker is replaced and its runs give the same results, a
killed driver leaves no process and resumes byte-identical, workers that keep dying or a cluster
without workers stop the sweep with the resume command (issue 16)."""

import json
import os
import signal
import socket
import subprocess
import sys
import time

import psutil
import pytest

from sim.cli import main
from sim.experiments.loading import load_experiment
from sim.experiments.sweep import run_sweep
from sim.experiments.tasks import run_task
from sim.runs import executors
from sim.runs.executors import DaskExecutor, ProcessExecutor, SerialExecutor, WorkersLost

TABLES = ("kpis.csv", "kpis.parquet", "series.parquet", "breakdowns.parquet")
RUNS = 24


@pytest.fixture(scope="module")
def grid(repo, tmp_path_factory):
    folder = tmp_path_factory.mktemp("failures")
    path = folder / "grid.yaml"
    path.write_text(f"""
name: grid
scenarios: [{repo}/scenarios/multichannel.yaml, {repo}/scenarios/weak_digital.yaml]
constants: {{population.size: 150, horizon_days: 20}}
factors:
  strategy.integration: [0.1, 0.5, 0.9]
replications: 4
seed: 3
keep: {{kpis: all, series: [customers], breakdowns: [wait_by_desk]}}
""")
    with SerialExecutor() as executor:
        run_sweep(load_experiment(path), folder / "whole", executor, progress=False)
    return path, {name: (folder / "whole" / name).read_bytes() for name in TABLES}


def sweep(repo, path, out, *extra):
    return subprocess.Popen([sys.executable, "run.py", "sweep", str(path), "--workers", "2",
                             "--no-progress", *extra, "--out", str(out)], cwd=repo,
                            start_new_session=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finished_runs(out):
    index = out / "runs.jsonl"
    return index.read_bytes().count(b"\n") if index.exists() else -1


def wait_for(condition, seconds=120):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def processes_of_session(sid):
    found = []
    for p in psutil.process_iter():
        try:
            if os.getsid(p.pid) == sid:
                found.append(p)
        except (OSError, psutil.Error):
            continue
    return found


def assert_no_process_left(sid, seconds=10):
    deadline = time.monotonic() + seconds
    while processes_of_session(sid) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = processes_of_session(sid)
    for p in left:  # do not leak them into the rest of the suite
        p.kill()
    assert [" ".join(p.cmdline())[:80] for p in left] == []


def test_a_killed_worker_is_replaced_and_its_runs_give_the_same_results(grid):
    plan = load_experiment(grid[0])
    tasks = [plan.task(run) for run in range(plan.n_runs)]
    with SerialExecutor() as executor:
        expected = {i: record.kpis for i, record in executor.imap_unordered(run_task, tasks)}
    got, killed = {}, None
    with ProcessExecutor(1) as executor:  # one worker: the cheapest pool to restart
        for i, record in executor.imap_unordered(run_task, tasks):
            got[i] = record.kpis
            if killed is None:  # runs are still in flight: the pool breaks
                killed = [p for p in psutil.Process().children()
                          if "resource_tracker" not in " ".join(p.cmdline())][0]
                killed.kill()
        assert executor.restarts == 1
    same = json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True)
    assert same  # NaN KPIs (nothing rated yet) included
    assert not killed.is_running()


# Killed mid-way: tests/test_sweeps.py; here, the latest moment, while it consolidates.
def test_a_driver_killed_when_every_run_is_indexed_leaves_no_process_and_resumes_byte_identical(
        repo, grid, tmp_path):
    path, whole = grid
    out = tmp_path / "out"
    driver = sweep(repo, path, out)
    wait_for(lambda: finished_runs(out) >= RUNS or driver.poll() is not None)
    os.kill(driver.pid, signal.SIGKILL)
    driver.wait(timeout=60)
    assert_no_process_left(driver.pid)
    resumed = subprocess.run([sys.executable, "run.py", "sweep", str(path), "--workers", "2",
                              "--no-progress", "--resume", str(out)], cwd=repo,
                             capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert {name: (out / name).read_bytes() for name in TABLES} == whole


def _die(_):
    os._exit(3)  # as a worker killed by the kernel would


def test_workers_that_keep_dying_stop_the_pool_after_a_few_restarts(monkeypatch):
    monkeypatch.setattr(executors, "POOL_RESTARTS", 1)  # each restart starts new processes
    with ProcessExecutor(1) as executor, pytest.raises(WorkersLost, match="died 2 times"):
        list(executor.imap_unordered(_die, range(2)))


def test_a_sweep_that_lost_its_workers_prints_the_resume_command(repo, grid, tmp_path,
                                                                 monkeypatch, capsys):
    import sim.experiments.sweep as sweep_module

    def lost(*args, **kwargs):
        raise WorkersLost("worker processes died 4 times (killed, or out of memory?)")

    monkeypatch.setattr(sweep_module, "run_sweep", lost)
    out = tmp_path / "out"
    code = main(["sweep", str(grid[0]), "--workers", "2", "--out", str(out), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1
    assert "died 4 times" in err and "finished runs are kept in" in err
    assert f"--resume {out}" in err and "Traceback" not in err


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_dask_cluster_without_workers_stops_the_sweep_instead_of_waiting(grid, tmp_path):
    port = free_port()
    scheduler = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler",
                                  "--host", "127.0.0.1", "--port", str(port),
                                  "--dashboard-address", "127.0.0.1:0"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        address = f"tcp://127.0.0.1:{port}"
        wait_for(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0, 60)
        started = time.monotonic()
        with DaskExecutor(address, no_workers_seconds=2) as executor, \
                pytest.raises(WorkersLost, match="no worker for 2 s"):
            run_sweep(load_experiment(grid[0]), tmp_path / "out", executor, progress=False)
        assert time.monotonic() - started < 30
        assert not (tmp_path / "out" / "manifest.json").exists()
    finally:
        scheduler.terminate()
        scheduler.wait(timeout=30)


def test_the_readmes_dask_commands_listen_on_explicit_addresses(repo):
    # Dask's scheduler and workers listen on every interface unless told (issue 16).
    lines = [line.strip() for line in (repo / "README.md").read_text().splitlines()
             if line.strip().startswith(("dask scheduler", "dask worker"))]
    assert len(lines) >= 2
    for line in lines:
        assert "--host " in line and "--dashboard-address " in line, line
        assert "0.0.0.0" not in line
