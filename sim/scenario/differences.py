"""Which settings two scenarios differ in: the levers an alternative pulls against a baseline.

Compares the validated models, not their YAML: a value a file inherits through `extends:` or
leaves at its default counts like one it states, and two spellings of one value (`0.5`,
`5e-1`) are the same setting. Names and descriptions are left out: they are labels, not levers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, NamedTuple

from sim.scenario.schema import Scenario

LABELS = ("name", "description")  # say what a scenario is called, not what it does
ABSENT = "(absent)"  # a key one scenario has and the other has not (a channel not offered)


class SettingChange(NamedTuple):
    """One setting in which a scenario differs from the baseline, with both values as text."""

    key: str  # dotted key path, as `--set` takes it, e.g. strategy.integration
    baseline: str
    value: str


def setting_changes(baseline: Scenario, other: Scenario) -> list[SettingChange]:
    """Every setting of `other` that differs from `baseline`, in schema order.

    A key present in only one of them (a channel one firm offers and the other not) is one
    row for the whole entry, shown as `(absent)` on the side that lacks it.
    """
    a = baseline.model_dump(mode="json", exclude=set(LABELS))
    b = other.model_dump(mode="json", exclude=set(LABELS))
    return list(_walk(a, b, ""))


def changes_from(scenarios: list[Scenario], baseline: str) -> dict[str, list[SettingChange]]:
    """The settings in which each scenario but `baseline` differs from it, by scenario name."""
    base = next(s for s in scenarios if s.name == baseline)
    return {s.name: setting_changes(base, s) for s in scenarios if s.name != baseline}


def _walk(a: Any, b: Any, path: str) -> Iterator[SettingChange]:
    """Depth first through two dumped models, yielding the leaves (or whole entries) that differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in [*a, *(k for k in b if k not in a)]:
            here = f"{path}.{key}" if path else str(key)
            if key not in a or key not in b:
                yield SettingChange(here, _text(a.get(key, ABSENT), key in a),
                                    _text(b.get(key, ABSENT), key in b))
            else:
                yield from _walk(a[key], b[key], here)
    elif a != b:
        yield SettingChange(path, _text(a), _text(b))


def _text(value: Any, present: bool = True) -> str:
    """A value as one short line: numbers as written, entries as compact JSON without nulls."""
    if not present:
        return ABSENT
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if v is not None}
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(", ", ": "))
    return "null" if value is None else str(value)
