"""Output folders are checked and claimed before the work; nothing outside them is written or
deleted, and finished work is never lost to an output error (issue 16)."""

import errno
import subprocess
import sys
import time

import pytest

from sim.cli import main
from sim.outputs import results
from sim.runs.runner import run_scenario
from sim.runs.staging import MARKER, OutputError, output_folder, reserve
from sim.scenario.errors import UserError
from sim.scenario.loading import scenario_from_dict

TINY = ["--set", "population.size=40", "--set", "horizon_days=3", "--seeds", "1",
        "--workers", "1", "--no-progress"]


def run(repo, out, *extra):
    return main(["run", str(repo / "scenarios/base.yaml"), *TINY, "--out", str(out), *extra])


def listing(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture(scope="module")
def finished_run():
    s = scenario_from_dict({"population": {"size": 40}, "horizon_days": 3})
    return s, [run_scenario(s, seed=1)]


def test_a_users_partial_folder_is_never_deleted(repo, tmp_path, capsys):
    mine = tmp_path / ".X.partial"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me\n")
    assert run(repo, tmp_path / "X") == 2
    err = capsys.readouterr().err
    assert ".X.partial exists" in err and "move or remove it" in err
    assert (mine / "notes.txt").read_text() == "keep me\n"
    assert listing(tmp_path) == [".X.partial", ".X.partial/notes.txt"]


def test_a_staging_folder_left_by_a_killed_run_is_cleared_and_the_run_goes_on(tmp_path, capsys):
    left = tmp_path / ".X.partial"
    left.mkdir()
    (left / MARKER).write_text("")  # ours, and nobody holds its lock: the run was killed
    (left / "kpis.csv").write_text("half\n")
    with reserve(tmp_path / "X") as reservation:
        assert listing(reservation.staging) == [MARKER]
    assert "left by an interrupted run" in capsys.readouterr().err
    assert listing(tmp_path) == []


def test_a_folder_another_run_is_writing_is_refused_before_any_work(tmp_path):
    with reserve(tmp_path / "X"):
        with pytest.raises(UserError, match="another run is writing there"):
            reserve(tmp_path / "X")
    assert listing(tmp_path) == []


@pytest.mark.parametrize(("out", "phrase"), [
    ("afile/sub", "afile is a file"), ("/proc/cxsim-out", "cannot write there"),
    ("link", "is a symbolic link")])
def test_an_unusable_out_is_refused_before_the_runs(repo, tmp_path, capsys, monkeypatch,
                                                    out, phrase):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("a file\n")
    (tmp_path / "target").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "target")
    before = listing(tmp_path)
    started = time.perf_counter()
    assert run(repo, out) == 2
    err = capsys.readouterr().err
    assert phrase in err and "Traceback" not in err
    assert time.perf_counter() - started < 5  # refused before anything ran
    assert listing(tmp_path) == before


def test_two_runs_given_one_out_at_once_the_second_is_refused_and_the_first_finishes(
        repo, tmp_path, capsys):
    out = tmp_path / "X"
    first = subprocess.Popen([sys.executable, "run.py", "run", "scenarios/base.yaml",
                              "--set", "population.size=1000", "--set", "horizon_days=30",
                              "--seeds", "1", "--workers", "1", "--no-progress", "--out",
                              str(out)], cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / ".X.partial").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert run(repo, out) == 2
        assert "another run is writing there" in capsys.readouterr().err
    finally:
        stdout, stderr = first.communicate(timeout=300)
    assert first.returncode == 0, stderr
    assert (out / "kpis.csv").exists() and listing(tmp_path)[0] == "X"


def test_results_that_cannot_be_moved_into_place_are_kept_and_their_place_is_said(
        tmp_path, finished_run):
    scenario, done = finished_run
    out = tmp_path / "X"
    reservation = reserve(out)
    out.mkdir()
    (out / "someone-elses.txt").write_text("made during the runs\n")
    with pytest.raises(OutputError, match=r"could not move the results into .*kept in") as err:
        results.save(reservation, [scenario], done, ["test"], 1.0, 1, "t")
    assert err.value.exit_code == 1
    assert (reservation.staging / "kpis.csv").exists()
    assert not (reservation.staging / MARKER).exists()  # now the user's: never auto-removed
    assert listing(out) == ["someone-elses.txt"]


def test_a_write_that_fails_keeps_what_was_written(tmp_path, finished_run, monkeypatch):
    scenario, done = finished_run

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(results.plots, "write_figures", disk_full)
    with pytest.raises(OutputError, match="No space left on device.*kept in"):
        results.save(tmp_path / "X", [scenario], done, ["test"], 1.0, 1, "t")
    assert (tmp_path / ".X.partial" / "kpis.csv").exists()


def test_a_failed_run_removes_only_what_its_reservation_made(tmp_path):
    given = tmp_path / "given"
    given.mkdir()  # an empty --out of the user's is kept
    for out in (given, tmp_path / "new" / "deeper" / "X"):
        with pytest.raises(RuntimeError), reserve(out):
            raise RuntimeError("a run failed")
    assert listing(tmp_path) == ["given"]


def test_schema_never_overwrites_a_file(tmp_path, capsys):
    target = tmp_path / "schema.json"
    target.write_text("{}\n")
    assert main(["schema", "--out", str(target)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert target.read_text() == "{}\n"
    fresh = tmp_path / "fresh.json"
    assert main(["schema", "--out", str(fresh)]) == 0
    assert '"$defs"' in fresh.read_text() and listing(tmp_path) == ["fresh.json", "schema.json"]


def test_default_folders_are_one_plain_folder_under_results(tmp_path):
    long = "-".join(["omnichannel"] * 30)  # `compare` joins the scenarios' names
    folder = output_folder(long, tmp_path)
    assert folder.parent == tmp_path and len(folder.name) < 160
    assert output_folder("..", tmp_path).parent == tmp_path
    for bad in ("../../x", "a/b", "a\0b"):
        with pytest.raises(UserError, match="cannot name a folder"):
            output_folder(bad, tmp_path)


@pytest.mark.parametrize(("out", "phrase"), [("afile/sweep", "afile is a file"),
                                             ("link", "is a symbolic link")])
def test_a_sweep_refuses_an_unusable_out_before_any_run(repo, tmp_path, capsys, out, phrase):
    (tmp_path / "afile").write_text("a file\n")
    (tmp_path / "target").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "target")
    grid = tmp_path / "grid.yaml"
    grid.write_text(f"name: grid\nscenarios: [{repo}/scenarios/base.yaml]\n"
                    "constants: {population.size: 50, horizon_days: 2}\n"
                    "factors: {strategy.integration: [0.1, 0.9]}\nreplications: 1\nseed: 1\n")
    before = listing(tmp_path)
    assert main(["sweep", str(grid), "--workers", "1", "--no-progress",
                 "--out", str(tmp_path / out)]) == 2
    err = capsys.readouterr().err
    assert phrase in err and "Traceback" not in err
    assert listing(tmp_path) == before
