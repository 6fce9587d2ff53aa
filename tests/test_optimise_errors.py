"""Bad optimisation files: one clear message naming file, key and what is allowed; exit code 2;
nothing written."""

import pytest
from refusals import assert_file_refused

from sim.cli import main

GOOD = """
name: search
scenario: {repo}/scenarios/multichannel.yaml
constants: {population.size: 200, horizon_days: 10}
levers:
  strategy.integration: {low: 0.0, high: 1.0}
  strategy.channels.messaging: {offer: {quality: 0.8}}
objectives:
  - maximise: operating_profit
constraints:
  cost_total: {at_most: 5000}
candidates: 4
replications: 1
seed: 1
"""

BAD = {
    "unknown_top_key": (
        GOOD.replace("candidates:", "candidate:"),
        ["candidate", "did you mean 'candidates'"]),
    "wrong_type": (
        GOOD.replace("candidates: 4", "candidates: many"),
        ["candidates = 'many'", "a whole number"]),
    "bound_outside_the_settings_range": (
        GOOD.replace("{low: 0.0, high: 1.0}", "{low: 0.0, high: 1.5}"),
        ["levers:", "strategy.integration", "1.5", "allowed: 0 to 1", "scenario 'multichannel'"]),
    "unknown_lever_key": (
        GOOD.replace("strategy.integration:", "strategy.integraton:"),
        ["strategy.integraton", "did you mean 'integration'"]),
    "whatsapp_named_as_a_channel": (
        GOOD.replace("channels.messaging", "channels.whatsapp"),
        ["strategy.channels.whatsapp", "'messaging'", "allowed: web, app"]),
    "a_channel_given_a_range": (
        GOOD.replace("{offer: {quality: 0.8}}", "{low: 0, high: 1}"),
        ["levers.strategy.channels.messaging", "offered or not", "offer:"]),
    "offer_on_a_setting_that_is_not_a_channel": (
        GOOD.replace("{low: 0.0, high: 1.0}", "{offer: {quality: 0.8}}"),
        ["levers.strategy.integration", "'offer' is for a channel lever"]),
    "step_that_misses_the_high_end": (
        GOOD.replace("{low: 0.0, high: 1.0}", "{low: 0.0, high: 1.0, step: 0.3}"),
        ["levers.strategy.integration", "step", "try high: 0.9 or 1.2"]),
    "unknown_kpi_as_objective": (
        GOOD.replace("maximise: operating_profit", "maximise: profit"),
        ["objectives[0]", "unknown KPI 'profit'", "operating_profit"]),
    "objective_spelled_the_american_way": (
        GOOD.replace("maximise: operating_profit", "maximize: operating_profit"),
        ["objectives.0", "unknown key 'maximize'", "did you mean 'maximise'",
         "allowed: maximise, minimise"]),
    "unknown_kpi_in_a_constraint": (
        GOOD.replace("cost_total:", "budget:"),
        ["constraints", "unknown KPI 'budget'", "cost_total"]),
    "constraint_without_a_bound": (
        GOOD.replace("{at_most: 5000}", "{}"),
        ["constraints.cost_total", "'at_most', 'at_least' or both"]),
    "reserved_key_as_lever": (
        GOOD.replace("strategy.integration:", "seed:"),
        ["levers.seed", "not allowed as a lever"]),
    "missing_scenario_file": (
        GOOD.replace("multichannel.yaml", "multichanel.yaml"),
        ["scenario = ", "multichanel.yaml", "not found"]),
    "an_experiment_file": (
        GOOD + "factors: {strategy.integration: [0.1, 0.9]}\n",
        ["factors", "looks like an experiment file"]),
}


@pytest.mark.parametrize("kind", BAD)
def test_bad_optimisation_files_are_refused_with_file_key_and_allowed_values(
        kind, repo, tmp_path, capsys):
    text, expected = BAD[kind]
    assert_file_refused("optimise", text, expected, repo, tmp_path, capsys)


def test_a_folder_is_resumed_only_by_the_search_that_made_it(repo, tmp_path, capsys):
    path = tmp_path / "search.yaml"
    path.write_text(GOOD.replace("{repo}", str(repo)))
    out = tmp_path / "out"
    assert main(["optimise", str(path), "--out", str(out), "--workers", "1",
                 "--no-progress"]) == 0
    assert main(["optimise", str(path), "--resume", str(out), "--no-progress"]) == 0
    assert "already complete" in capsys.readouterr().out
    (out / "manifest.json").unlink()  # as if killed while finishing
    before = sorted(p.name for p in out.iterdir())
    assert main(["optimise", str(path), "--resume", str(out), "--set", "seed=2",
                 "--no-progress"]) == 2
    assert "made by a different search" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == before  # nothing written
    assert main(["optimise", str(path), "--resume", str(tmp_path), "--no-progress"]) == 2
    assert "not an optimisation folder" in capsys.readouterr().err
