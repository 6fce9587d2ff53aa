"""The bundled scenarios: valid, equal to the schema defaults, differing only where they should."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from sim.cli import main
from sim.scenario.loading import load_scenario
from sim.scenario.schema import Scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
BUNDLED = sorted(SCENARIOS.glob("*.yaml")) + sorted((SCENARIOS / "industries").glob("*.yaml"))
STRATEGIES = ["omnichannel", "multichannel", "weak_digital"]
LABELS = {"name", "description"}


def resolved(name: str) -> dict:
    return load_scenario(SCENARIOS / f"{name}.yaml").model_dump(mode="json")


def test_the_four_strategy_scenarios_and_the_industries_are_bundled():
    names = {p.stem for p in BUNDLED}
    assert {"base", *STRATEGIES} <= names
    assert len(list((SCENARIOS / "industries").glob("*.yaml"))) >= 5


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: str(p.relative_to(SCENARIOS)))
def test_bundled_scenario_validates_and_is_named_after_its_file(path):
    scenario = load_scenario(path)
    assert isinstance(scenario, Scenario)
    assert scenario.name == path.stem  # results folders and compare tables are labelled by it


def test_base_yaml_equals_the_schema_defaults():
    base = resolved("base")
    defaults = Scenario().model_dump(mode="json")
    for key in defaults.keys() - LABELS:
        assert base[key] == defaults[key], f"base.yaml and the schema disagree on '{key}'"


def test_base_yaml_writes_out_every_setting_of_every_block():
    # Equal dumps alone would let a new schema field hide in the defaults, undocumented.
    raw = yaml.safe_load((SCENARIOS / "base.yaml").read_text())
    assert set(raw) == set(Scenario.model_fields)
    for key, value in raw.items():
        block = Scenario.model_fields[key].annotation
        if isinstance(block, type) and issubclass(block, BaseModel):
            assert set(value) == set(block.model_fields), f"base.yaml '{key}' is incomplete"


@pytest.mark.parametrize("name", STRATEGIES)
def test_strategy_scenario_differs_from_base_only_under_strategy(name):
    base, other = resolved("base"), resolved(name)
    assert base.keys() == other.keys()
    differing = {key for key in base if base[key] != other[key]}
    assert differing - LABELS == {"strategy"}


def test_the_strategies_differ_from_each_other_in_their_levers():
    strategies = [resolved(name)["strategy"] for name in ["base", *STRATEGIES]]
    integration = [s["integration"] for s in strategies]
    assert len(set(integration)) == len(strategies)
    weak_channels = set(resolved("weak_digital")["strategy"]["channels"])
    assert weak_channels == {"web", "email", "phone", "store"}


def test_extends_overrides_only_what_it_names(tmp_path):
    (tmp_path / "parent.yaml").write_text(
        "name: parent\nhorizon_days: 200\nindustry: {basket_value: 40.0, margin: 0.2}\n"
        "strategy: {integration: 0.3, content: 0.6}\n")
    (tmp_path / "child.yaml").write_text(
        "extends: parent.yaml\nname: child\nindustry: {basket_value: 90.0}\n"
        "strategy: {integration: 0.9}\n")
    parent = load_scenario(tmp_path / "parent.yaml").model_dump(mode="json")
    child = load_scenario(tmp_path / "child.yaml").model_dump(mode="json")
    assert child["industry"]["basket_value"] == 90.0
    assert child["strategy"]["integration"] == 0.9
    assert child["industry"]["margin"] == 0.2  # siblings of an override come from the parent
    assert child["strategy"]["content"] == 0.6
    assert child["horizon_days"] == 200
    child["industry"]["basket_value"] = parent["industry"]["basket_value"]
    child["strategy"]["integration"] = parent["strategy"]["integration"]
    child["name"] = parent["name"]
    assert child == parent


def test_extends_replaces_channel_and_share_maps_whole(tmp_path):
    # A firm offering two channels offers two, not two plus the parent's eight.
    (tmp_path / "child.yaml").write_text(
        f"extends: {SCENARIOS / 'base.yaml'}\nname: lean\n"
        "strategy:\n  channels: {web: {quality: 0.9}, store: {}}\n"
        "population:\n  archetypes: {perilla: 0.5, embudo: 0.5}\n")
    child = load_scenario(tmp_path / "child.yaml")
    assert set(child.strategy.channels) == {"web", "store"}
    assert child.population.archetypes == {"perilla": 0.5, "embudo": 0.5}
    assert child.population.generations == Scenario().population.generations


def test_a_chain_of_extends_applies_grandparent_then_parent_then_child(tmp_path):
    (tmp_path / "a.yaml").write_text("name: a\nseed: 1\nhorizon_days: 10\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\nname: b\nseed: 2\n")
    (tmp_path / "c.yaml").write_text("extends: b.yaml\nname: c\n")
    c = load_scenario(tmp_path / "c.yaml")
    assert (c.name, c.seed, c.horizon_days) == ("c", 2, 10)


def test_schema_command_prints_json_schema_with_every_top_level_key(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert set(schema["properties"]) == set(Scenario.model_fields)
    assert schema["additionalProperties"] is False  # editors flag unknown keys too


def test_schema_command_writes_the_same_schema_to_a_file(tmp_path, capsys):
    target = tmp_path / "scenario.schema.json"
    assert main(["schema", "--out", str(target)]) == 0
    assert json.loads(target.read_text()) == Scenario.model_json_schema()


def test_validate_prints_one_ok_line_per_bundled_scenario(capsys):
    assert main(["validate", *map(str, BUNDLED)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(BUNDLED)
    for path, line in zip(BUNDLED, lines, strict=True):
        assert line.startswith(f"ok: {path}") and f"scenario '{path.stem}'" in line
