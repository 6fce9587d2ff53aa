"""Bad experiment and calibration files: one clear message, exit code 2, nothing written."""

import subprocess
import sys

import pytest
from refusals import assert_file_refused

from sim.cli import main

GOOD = """
name: grid
scenarios: [{repo}/scenarios/multichannel.yaml]
constants: {population.size: 200, horizon_days: 10}
factors:
  strategy.integration: [0.1, 0.9]
replications: 2
seed: 1
"""

BAD = {
    "unknown_top_key": (
        GOOD.replace("replications:", "replication:"),
        ["replication", "did you mean 'replications'"]),
    "factor_value_out_of_range": (
        GOOD.replace("[0.1, 0.9]", "[0.1, 1.5]"),
        ["strategy.integration", "1.5", "scenario 'multichannel'"]),
    "factor_key_not_in_scenarios": (
        GOOD.replace("strategy.integration:", "strategy.integraton:"),
        ["strategy.integraton", "did you mean 'integration'"]),
    "sobol_samples_not_a_power_of_two": (
        GOOD.replace("[0.1, 0.9]", "{low: 0.1, high: 0.9}") + "design: {kind: sobol, samples: 10}",
        ["design", "power of 2", "try 8 or 16"]),
    "factorial_given_a_range": (
        GOOD.replace("[0.1, 0.9]", "{low: 0.1, high: 0.9}"),
        ["factors.strategy.integration", "factorial design needs 'values'"]),
    "unknown_kpi_kept": (
        GOOD + "keep: {kpis: [retention]}",
        ["keep.kpis", "unknown KPI 'retention'", "retention_rate"]),
    "missing_scenario_file": (
        GOOD.replace("multichannel.yaml", "multichanel.yaml"),
        ["scenarios[0]", "multichanel.yaml", "file not found"]),
    "invalid_yaml": (
        GOOD.replace("[0.1, 0.9]", "[0.1, 0.9"),
        ["invalid YAML", "line"]),
    "calibration_keys_in_an_experiment": (
        GOOD + "targets: {multichannel: {retention_rate: 0.5}}",
        ["targets", "looks like a calibration file"]),
}


@pytest.mark.parametrize("kind", BAD)
def test_bad_experiment_files_are_refused_with_file_key_and_allowed_values(
        kind, repo, tmp_path, capsys):
    text, expected = BAD[kind]
    assert_file_refused("sweep", text, expected, repo, tmp_path, capsys)


def test_bad_calibration_names_the_unknown_scenario_in_targets(repo, tmp_path, capsys):
    path = tmp_path / "cal.yaml"
    path.write_text(f"""
name: cal
scenarios: [{repo}/scenarios/weak_digital.yaml]
parameters: {{behaviour.customer_bonus: {{low: 1, high: 4}}}}
targets: {{weak_digtal: {{retention_rate: 0.3}}}}
replications: 1
seed: 1
""")
    assert main(["calibrate", str(path), "--out", str(tmp_path / "out")]) == 2
    message = capsys.readouterr().err
    assert "targets: unknown scenario 'weak_digtal'; did you mean 'weak_digital'" in message
    assert not (tmp_path / "out").exists()


def test_resume_of_a_folder_that_is_not_a_sweep_is_refused(repo, tmp_path, capsys):
    path = tmp_path / "good.yaml"
    path.write_text(GOOD.replace("{repo}", str(repo)))
    assert main(["sweep", str(path), "--resume", str(tmp_path), "--no-progress"]) == 2
    assert "not a sweep folder (no plan.json in it)" in capsys.readouterr().err


def test_the_command_line_exits_2_without_a_traceback(repo, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace("{repo}", str(repo)).replace("seed: 1", "seed: -1"))
    done = subprocess.run([sys.executable, "run.py", "sweep", str(path), "--out",
                           str(tmp_path / "out")], cwd=repo, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert "seed" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()
