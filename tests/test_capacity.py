"""Runs that this machine cannot hold are refused before anything is allocated (issue 16)."""

import json
import subprocess
import sys
import textwrap

import pytest

from sim.cli import main
from sim.runs import capacity
from sim.runs.runner import MAX_REPLICATIONS, jobs_for
from sim.scenario.errors import UserError
from sim.scenario.loading import scenario_from_dict

GIB = 2**30


def test_a_run_too_large_for_memory_is_refused_with_the_estimate(tmp_path, capsys, repo):
    out = tmp_path / "out"
    code = main(["run", str(repo / "scenarios/base.yaml"), "--set", "population.size=5000000",
                 "--set", "network.mean_degree=1000", "--seeds", "1", "--out", str(out),
                 "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "one run needs about 141" in err and "GiB" in err and "5,000,000 people" in err
    assert "lower population.size or network.mean_degree" in err
    assert "Traceback" not in err and not out.exists()


def test_validate_refuses_what_the_run_would_refuse(tmp_path, capsys):
    path = tmp_path / "huge.yaml"
    path.write_text("population: {size: 5000000}\nnetwork: {kind: random, mean_degree: 1000}\n")
    assert main(["validate", str(path)]) == 2
    assert "GiB" in capsys.readouterr().err


def test_workers_are_reduced_until_their_runs_fit_together(monkeypatch, capsys):
    s = scenario_from_dict({"population": {"size": 1_000_000}, "network": {"mean_degree": 50}})
    need = capacity.run_bytes(s)
    room = 3 * (need + capacity.WORKER_BYTES)
    monkeypatch.setattr(capacity, "available_bytes", lambda: room / capacity.RESERVE)
    assert capacity.fit_workers([s], 8) == 3
    assert "running 3 at a time" in capsys.readouterr().err
    assert capacity.fit_workers([s], 2) == 2


def test_the_estimate_covers_a_measured_peak_without_overstating_it_much():
    # The peak is sampled from /proc while the run goes, above the memory held before it: the
    # process's own peak may come from compiling the kernels, which is not the run's.
    script = textwrap.dedent("""
        import json, os, threading, time
        from sim.runs.runner import run_scenario
        from sim.runs.capacity import run_bytes
        from sim.scenario.loading import scenario_from_dict

        def resident():
            with open("/proc/self/statm") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

        run_scenario(scenario_from_dict({"population": {"size": 100}, "horizon_days": 2}), 1)
        before, peak, running = resident(), [0], [True]

        def sample():
            while running[0]:
                peak[0] = max(peak[0], resident())
                time.sleep(0.002)

        watcher = threading.Thread(target=sample)
        watcher.start()
        s = scenario_from_dict({"population": {"size": 200000}, "network": {"mean_degree": 40},
                                "horizon_days": 2})
        run_scenario(s, 1)
        running[0] = False
        watcher.join()
        print(json.dumps({"measured": peak[0] - before, "estimate": run_bytes(s)}))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    numbers = json.loads(done.stdout.splitlines()[-1])
    assert numbers["measured"] <= numbers["estimate"] <= 2.5 * numbers["measured"], numbers


def test_seeds_beyond_the_limit_are_refused_before_any_seed_is_made(tmp_path, capsys, repo):
    with pytest.raises(SystemExit) as stop:
        main(["run", str(repo / "scenarios/base.yaml"), "--seeds", "1000000000",
              "--out", str(tmp_path / "out")])
    assert stop.value.code == 2
    assert f"at most {MAX_REPLICATIONS:,} replications" in capsys.readouterr().err
    with pytest.raises(UserError, match="allowed 1 to 100,000"):
        jobs_for([scenario_from_dict({})], 10**9)
