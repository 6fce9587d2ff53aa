"""Every number a scenario holds is finite and in a range the model can use (issue 16).

Validation and the run agree: what `validate` accepts runs to the end with finite KPIs. The
property-based suite (tests/test_properties.py) tries many scenarios; these tests pin the rules.
"""

import json
import math

import pytest
from contract import unusable_kpis

from sim.runs.runner import run_scenario
from sim.scenario.errors import ScenarioError
from sim.scenario.loading import scenario_from_dict
from sim.scenario.schema import Scenario

TINY = {"population": {"size": 40}, "horizon_days": 3}


def numbers_in(schema: dict, defs: dict, path: str = ""):
    """(key path, JSON Schema of a number) for every number a scenario file may hold."""
    if "$ref" in schema:
        yield from numbers_in(defs[schema["$ref"].split("/")[-1]], defs, path)
        return
    for option in schema.get("anyOf", []):
        yield from numbers_in(option, defs, path)
    if schema.get("type") in ("number", "integer"):
        yield path, schema
    for key, sub in schema.get("properties", {}).items():
        yield from numbers_in(sub, defs, f"{path}.{key}".lstrip("."))
    for sub in schema.get("prefixItems", []):
        yield from numbers_in(sub, defs, f"{path}[]")
    if isinstance(schema.get("additionalProperties"), dict):
        yield from numbers_in(schema["additionalProperties"], defs, f"{path}.*")


def test_every_number_in_a_scenario_has_a_lower_and_an_upper_bound():
    schema = Scenario.model_json_schema()
    found = list(numbers_in(schema, schema["$defs"]))
    assert len(found) > 60  # the walk reaches the profiles and the dict values too
    unbounded = [path for path, s in found
                 if not ({"minimum", "exclusiveMinimum"} & set(s)
                         and {"maximum", "exclusiveMaximum"} & set(s))]
    assert unbounded == []


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_nan_and_infinity_are_refused_even_where_the_range_would_not_catch_them(value):
    with pytest.raises(ScenarioError, match="not a finite number"):
        scenario_from_dict({"word_of_mouth": {"negative_ratio": value}})


def test_shares_within_the_tolerance_are_rescaled_to_sum_to_exactly_one_and_run():
    # Off by 4e-7: inside the schema's 1e-6, outside numpy's 1.5e-8 for drawing with shares.
    shares = {"perilla": 0.3000004, "pez_dorado": 0.2, "trompeta": 0.2, "embudo": 0.3}
    s = scenario_from_dict({**TINY, "population": {"size": 40, "archetypes": shares}})
    assert math.fsum(s.population.archetypes.values()) == pytest.approx(1.0, abs=1e-15)
    assert s.population.archetypes["perilla"] == pytest.approx(0.3000004, abs=1e-6)
    result = run_scenario(s, seed=1)  # used to fail: "probabilities do not sum to 1"
    assert result.kpis["customers_start"] > 0


def test_shares_that_already_sum_to_one_are_kept_as_written():
    shares = {"boomers": 0.23, "x": 0.30, "millennials": 0.27, "z": 0.20}
    s = scenario_from_dict({"population": {"generations": shares}})
    assert s.population.generations == shares
    assert json.loads(s.model_dump_json())["population"]["generations"] == shares


@pytest.mark.parametrize("override", [
    {"generation_profiles": {"z": {"affinity": 0.01}, "boomers": {"affinity": 0.99}}},
    {"strategy": {"service": {"phone": {"staff_per_1000": 1000, "handle_minutes": 1440},
                              "messaging": {"staff_per_1000": 1e-9, "handle_minutes": 1e-9},
                              "store": {"staff_per_1000": 1, "handle_minutes": 10}}}},
    {"industry": {"basket_value": 1_000_000, "need_interval_days": 1}},
    {"behaviour": {"purchase_intercept": 50, "customer_bonus": 50, "purchase_slope": 50}},
    {"behaviour": {"purchase_intercept": -50, "customer_bonus": -50}},
    {"archetype_profiles": {"perilla": {"weights": [0, 0, 0, 0, 0, 1e-9], "loyalty": 50,
                                        "need_rate": 100, "basket": 100}}},
], ids=["extreme affinities", "extreme desks", "extreme industry", "logits at +50",
        "logits at -50", "extreme profile"])
@pytest.mark.parametrize("engine", ["vectorized", "agents"])
def test_values_at_the_edges_of_their_ranges_run_with_finite_kpis(override, engine):
    s = scenario_from_dict({**TINY, "engine": engine, "horizon_days": 20, **override})
    assert unusable_kpis(run_scenario(s, seed=3).kpis) == []
