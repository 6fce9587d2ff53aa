"""Property-based tests of the contract with users (issue 16), on generated inputs.

Every generated scenario, command line, file or control value gets one of two answers: a clean
refusal (exit code 2, one message naming the file or control, nothing written) or a run that
finishes with usable KPIs; and nothing is ever written or deleted outside the output folder.

In `make test` each property tries a bounded number of cases (about 40 s in all on two cores);
`make fuzz FUZZ_MINUTES=10` runs them round after round for that long (tests/fuzz.py);
`HYPOTHESIS_PROFILE=fuzz` (or `CXSIM_PROPERTY_SCALE=N`) multiplies the cases of a pytest run.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import yaml
from contract import unusable_kpis
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from scenario_strategies import LEAVES, scenario_data, valid_value, wrong_value

from sim.cli import main
from sim.runs.runner import run_scenario
from sim.runs.staging import output_folder
from sim.scenario.errors import ScenarioError, UserError
from sim.scenario.loading import load_scenario
from sim.scenario.names import check_name

REPO = Path(__file__).resolve().parents[1]
BASE = REPO / "scenarios" / "base.yaml"
SCALE = int(os.environ.get("CXSIM_PROPERTY_SCALE",
                           25 if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else 1))
TALLY: Counter = Counter()  # cases tried and how they ended (read by tests/fuzz.py)


def budget(cases: int):
    """Settings for a property: `cases` examples in the suite, SCALE times more when fuzzing."""
    return settings(max_examples=cases * SCALE, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


def snapshot(folder: Path) -> dict[str, float]:
    """Every path under `folder` with its modification time."""
    return {str(p.relative_to(folder)): p.lstat().st_mtime_ns for p in folder.rglob("*")}


def results_listing() -> list[str]:
    root = REPO / "results"
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def call(argv: list[str], cwd: Path) -> tuple[int, str]:
    """`run.py argv` in this process, from `cwd`: (exit code, stderr)."""
    err, here = io.StringIO(), os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                code = main(argv)
            except SystemExit as stop:  # argparse refuses an option
                code = stop.code
    finally:
        os.chdir(here)
    return code, err.getvalue()


@budget(100)
@given(scenario_data(), st.sampled_from(["vectorized", "agents"]))
def test_a_scenario_is_refused_clearly_or_runs_to_the_end_with_usable_kpis(data, engine):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "generated.yaml"
        path.write_text(yaml.safe_dump({"extends": str(BASE), "engine": engine, **data},
                                       allow_unicode=True), encoding="utf-8")
        try:
            scenario = load_scenario(path)
        except ScenarioError as refusal:
            assert str(path) in str(refusal)
            assert len(str(refusal)) < 5000
            TALLY["scenario refused"] += 1
            return
        kpis = run_scenario(scenario, seed=data["horizon_days"]).kpis  # never raises
        assert unusable_kpis(kpis) == []
        TALLY["scenario ran"] += 1


def option_value(draw) -> str:
    path, schema = draw(st.sampled_from([leaf for leaf in LEAVES if "*" not in leaf[0]]))
    value = draw(wrong_value(path, schema) if draw(st.booleans()) else valid_value(path, schema))
    return f"{'.'.join(path)}={yaml.safe_dump(value, default_flow_style=True).strip()}"


@st.composite
def command_lines(draw) -> tuple[list[str], str]:
    """A command and its options: valid, at the edges, or wrong; outputs named in many ways."""
    command = draw(st.sampled_from(["run", "run", "compare", "validate", "schema"]))
    out = draw(st.sampled_from(["out", "new/deeper/out", "empty", "afile", "afile/out", "link",
                                "..", ".", "/proc/cxsim-out", "o" * 300, ".out.partial",
                                "keep/.out.partial", "keep/out", "dots..", "-x"]))
    if command == "schema":
        return ["schema", "--out", out], out
    scenarios = ["scenario.yaml"] if command != "compare" else ["scenario.yaml", "twin.yaml"]
    argv = [command, *scenarios]
    if command == "validate":
        return argv, out
    argv += ["--out", out, "--no-progress", "--workers", draw(st.sampled_from(["1", "1", "0"])),
             "--seeds", draw(st.sampled_from(["1", "2", "0", "-1", "x", "100001"]))]
    for _ in range(draw(st.integers(0, 3))):
        argv += ["--set", option_value(draw)]
    if draw(st.booleans()):
        argv += ["--engine", draw(st.sampled_from(["vectorized", "agents", "mesa"]))]
    return argv, out


def sandbox(folder: Path) -> None:
    """A user's folder: scenarios, an empty folder, a file, a link, a folder of their own."""
    tiny = "population: {size: 30}\nhorizon_days: 3\n"
    (folder / "scenario.yaml").write_text(f"extends: {BASE}\nname: one\n{tiny}")
    (folder / "twin.yaml").write_text(f"extends: {BASE}\nname: two\n{tiny}")
    (folder / "empty").mkdir()
    (folder / "afile").write_text("a file of the user's\n")
    (folder / "target").mkdir()
    (folder / "link").symlink_to(folder / "target")
    (folder / "keep").mkdir()
    (folder / "keep" / ".out.partial").mkdir()
    (folder / "keep" / ".out.partial" / "mine.txt").write_text("the user's\n")


@budget(12)
@given(command_lines())
# Found by the fuzzer (each was a traceback): a schema under a file, too long, or a folder.
@example((["schema", "--out", "afile/out"], "afile/out"))
@example((["schema", "--out", "o" * 300], "o" * 300))
@example((["schema", "--out", "."], "."))
@example((["run", "scenario.yaml", "--out", "o" * 300, "--seeds", "1", "--workers", "1"],
          "o" * 300))
def test_a_command_is_refused_cleanly_or_writes_only_inside_its_output_folder(given_argv):
    argv, out = given_argv
    results_before = results_listing()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sandbox(root)
        before = snapshot(root)
        code, err = call(argv, root)
        after = snapshot(root)
        assert "Traceback" not in err
        assert {k: v for k, v in before.items() if k not in after} == {}, "something deleted"
        changed = [k for k in after if before.get(k) != after[k]]
        if code == 0:
            target = (root / out).resolve()
            inside = [k for k in changed if (root / k).resolve().is_relative_to(target)
                      or (root / k) in (root / out).parents]
            assert sorted(inside) == sorted(changed), "written outside the output folder"
            if argv[0] in ("run", "compare"):
                kpis = pd.read_csv(root / out / "kpis.csv")
                kpis = kpis.drop(columns=["scenario", "replication", "seed"])
                assert all(unusable_kpis(row) == [] for row in kpis.to_dict("records"))
            TALLY["command ran"] += 1
        else:
            assert code == 2, err
            assert err.count("error:") == 1, err
            assert changed == [], f"refused, yet wrote {changed}"
            TALLY["command refused"] += 1
    assert results_listing() == results_before


@budget(150)
@given(st.one_of(st.text(max_size=200), st.binary(max_size=200).map(
    lambda b: b.decode("latin-1")), st.recursive(
        st.one_of(st.none(), st.booleans(), st.floats(), st.integers(), st.text(max_size=5)),
        lambda inner: st.one_of(st.lists(inner, max_size=4),
                                st.dictionaries(st.text(max_size=6), inner, max_size=4)),
        max_leaves=12).map(lambda d: yaml.safe_dump(d, allow_unicode=True))))
def test_any_file_given_as_a_scenario_is_refused_clearly_or_loads(text):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "given.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogateescape")
        try:
            load_scenario(path)
            TALLY["file loaded"] += 1
        except ScenarioError as refusal:
            assert str(path) in str(refusal)
            TALLY["file refused"] += 1


@budget(40)
@given(st.dictionaries(st.sampled_from(["population", "seed", "integration", "advertising",
                                        "perilla", "scenario", "compare_with"]),
                       st.one_of(st.text(max_size=30), st.integers().map(str),
                                 st.floats().map(str), st.sampled_from(["²", "9" * 5000])),
                       max_size=3))
def test_any_dashboard_control_value_gets_a_message_never_a_traceback(changed):
    pytest.importorskip("solara")
    from sim.dashboard import controls

    choices = controls.catalogue()
    values = {**controls.defaults("omnichannel", choices), **changed}
    try:
        controls.setup(values, choices)
        TALLY["controls accepted"] += 1
    except UserError:
        TALLY["controls refused"] += 1


@budget(200)
@given(st.text(max_size=400))
def test_a_name_is_refused_or_names_one_folder_inside_results(name):
    try:
        check_name(name)
    except ValueError:
        TALLY["name refused"] += 1
        return
    root = Path("results")
    folder = output_folder(name, root / "never-made")
    assert folder.parent == root / "never-made" and len(folder.name.encode()) < 255
    TALLY["name accepted"] += 1


def teardown_module():
    print(f"\ncases tried: {dict(TALLY)}")
