"""Hypothesis strategies for scenario files and command lines: valid, at the edges, and wrong.

Keys and ranges are read from the scenario's JSON Schema, so a field added to the schema is
fuzzed without touching this file. Valid runs are kept tiny (tens of people, a few days).
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

from sim.scenario.schema import Scenario

SCHEMA = Scenario.model_json_schema()
DEFS = SCHEMA["$defs"]
SIZE = (10, 60)  # people of a valid generated run
DAYS = (1, 6)  # its horizon
WHOLE_MAPS = {("population", "archetypes"), ("population", "generations")}
STRANGE = [math.nan, math.inf, -math.inf, 1e308, -1e308, 5e-324, -0.0, 2**63, -(2**63) - 1,
           10**30]
WRONG_TYPES = st.one_of(st.none(), st.booleans(), st.text(max_size=8),
                        st.lists(st.integers(), max_size=3),
                        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = DEFS[schema["$ref"].split("/")[-1]]
    options = [o for o in schema.get("anyOf", []) if o.get("type") != "null"]
    return _resolve(options[0]) if len(options) == 1 else schema


def leaves(schema: dict = SCHEMA, path: tuple = ()) -> list[tuple[tuple, dict]]:
    """(key path, schema) of every value a scenario file may set; '*' stands for a map key."""
    schema = _resolve(schema)
    if path in WHOLE_MAPS:
        return [(path, schema)]
    if "properties" in schema:
        return [leaf for key, sub in schema["properties"].items()
                for leaf in leaves(sub, (*path, key))]
    if isinstance(schema.get("additionalProperties"), dict) and "propertyNames" in schema:
        return leaves(schema["additionalProperties"], (*path, "*"))
    return [(path, schema)]


def _bounds(schema: dict) -> tuple[float, float, bool]:
    low = schema.get("minimum", schema.get("exclusiveMinimum", -1e6))
    high = schema.get("maximum", schema.get("exclusiveMaximum", 1e6))
    return low, high, "exclusiveMinimum" in schema


def valid_value(path: tuple, schema: dict) -> st.SearchStrategy:
    """Values the schema accepts (and runs stay tiny with)."""
    if path == ("population", "size"):
        return st.integers(*SIZE)
    if path == ("horizon_days",):
        return st.integers(*DAYS)
    if path in WHOLE_MAPS:
        names = schema["propertyNames"]["enum"]
        return st.lists(st.floats(0.01, 1.0), min_size=len(names), max_size=len(names)).map(
            lambda xs: dict(zip(names, (x / sum(xs) for x in xs), strict=True)))
    kind = schema.get("type")
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if kind == "integer":
        low, high, _ = _bounds(schema)
        return st.integers(int(low), int(min(high, low + 1000)))
    if kind == "number":
        low, high, above = _bounds(schema)
        edges = [high] + ([] if above else [low])
        return st.one_of(st.floats(low, high, exclude_min=above), st.sampled_from(edges))
    if kind == "array" and "prefixItems" in schema:
        return st.tuples(*(valid_value((), item) for item in schema["prefixItems"])).map(list)
    if kind == "string":
        return st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
    return st.just(None)


def wrong_value(path: tuple, schema: dict) -> st.SearchStrategy:
    """Values the schema should refuse, or that sit right at what it allows."""
    kind = schema.get("type")
    if kind in ("number", "integer"):
        low, high, _ = _bounds(schema)
        return st.one_of(st.sampled_from([*STRANGE, low - 1, high + 1, high * 10]), WRONG_TYPES)
    if kind == "array":
        return st.one_of(st.lists(st.sampled_from(STRANGE), max_size=8), WRONG_TYPES)
    if kind == "string":
        return st.one_of(st.text(max_size=300), st.sampled_from(
            ["../../x", "a/b", "", ".", "..", "a\0b", "-x", "n" * 400]), WRONG_TYPES)
    return WRONG_TYPES


LEAVES = leaves()


@st.composite
def scenario_data(draw) -> dict[str, Any]:
    """A scenario as data: a few keys set to valid, edge or wrong values; tiny when valid."""
    data: dict[str, Any] = {"population": {"size": draw(st.integers(*SIZE))},
                            "horizon_days": draw(st.integers(*DAYS))}
    chosen = draw(st.lists(st.sampled_from(LEAVES), max_size=6, unique_by=lambda x: x[0]))
    for path, schema in chosen:
        if path == ("network", "path"):
            continue  # files are fuzzed by the loader tests
        keys = [draw(st.sampled_from(_map_keys(path[:i]))) if key == "*" else key
                for i, key in enumerate(path)]
        wrong = draw(st.integers(0, 4)) == 0
        value = draw(wrong_value(path, schema) if wrong else valid_value(path, schema))
        _set(data, keys, value)
    if draw(st.integers(0, 9)) == 0:
        data[draw(st.text(min_size=1, max_size=12))] = 1  # an unknown key
    return data


def _map_keys(path: tuple) -> list[str]:
    schema = SCHEMA
    for key in path:
        schema = _resolve(schema)
        schema = schema["properties"][key] if key in schema.get("properties", {}) else \
            schema["additionalProperties"]
    return _resolve(schema)["propertyNames"]["enum"]


def _set(data: dict, keys: list[str], value: Any) -> None:
    node = data
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value
