"""Levers of an optimisation: the search space optuna samples, and a candidate as a scenario.

A candidate is a mapping lever key → value: a number for a range lever, true/false for a
channel lever (offered with the lever's `offer`, or removed from `strategy.channels`). The
same mapping, written canonically (`candidate_key`), keys the runs cached on disk, so a
candidate proposed twice is never simulated twice.
"""

from __future__ import annotations

import json
from typing import Any

from optuna.distributions import (
    BaseDistribution,
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)

from sim.experiments.optimisation import Lever
from sim.scenario.loading import as_dict, set_path, validate
from sim.scenario.schema import Scenario

CHANNELS = "strategy.channels."


def channel_of(key: str) -> str | None:
    """The channel a `strategy.channels.<name>` key names, else None."""
    if key.startswith(CHANNELS) and "." not in key[len(CHANNELS):]:
        return key[len(CHANNELS):]
    return None


def distribution(lever: Lever) -> BaseDistribution:
    """What optuna may propose for a lever."""
    if lever.kind == "channel":
        return CategoricalDistribution([False, True])
    if lever.kind == "integer":
        return IntDistribution(int(lever.low), int(lever.high), step=int(lever.step or 1))
    return FloatDistribution(lever.low, lever.high, step=lever.step)


def scenario_with(base: Scenario, levers: dict[str, Lever], values: dict[str, Any],
                  source: str) -> Scenario:
    """The base scenario with a candidate's lever values, validated (`source` names it)."""
    data = as_dict(base)
    for key, value in values.items():
        channel = channel_of(key)
        if channel is None:
            data = set_path(data, key, value)
        elif value:
            data = set_path(data, key, levers[key].offer.model_dump(mode="json"))
        else:
            data["strategy"]["channels"].pop(channel, None)
    return validate(data, source)


def base_values(base: Scenario, levers: dict[str, Lever]) -> dict[str, Any]:
    """Each lever's value in the base scenario: the baseline as a candidate."""
    data = as_dict(base)
    values = {}
    for key in levers:
        channel = channel_of(key)
        if channel is not None:
            values[key] = channel in base.strategy.channels
            continue
        node = data
        for part in key.split("."):
            node = node[part]
        values[key] = node
    return values


def corners(levers: dict[str, Lever]) -> list[dict[str, Any]]:
    """Every lever at its lowest (channels not offered), then every lever at its highest."""
    return [{key: _end(lever, high) for key, lever in levers.items()} for high in (False, True)]


def _end(lever: Lever, high: bool) -> Any:
    if lever.kind == "channel":
        return high
    end = lever.high if high else lever.low
    return int(end) if lever.kind == "integer" else end


def candidate_key(values: dict[str, Any]) -> str:
    """A candidate's values as canonical JSON (key order and number format fixed)."""
    return json.dumps(values, sort_keys=True)
