"""Reading scenario files: safe YAML, `extends:` chains, overrides, and clear error messages.

Every problem becomes a `ScenarioError` whose text names the file, the key path, the value and
what is allowed (docs/design.md Decision 5). Nothing here writes anything.
"""

from __future__ import annotations

import copy
import os
import stat
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.scenario.edge_list import read_edge_list
from sim.scenario.errors import ScenarioError
from sim.scenario.files import read_yaml, real_path
from sim.scenario.messages import describe_errors
from sim.scenario.schema import Scenario

MAX_EXTENDS = 32  # files in one `extends:` chain

# Maps that a child replaces whole instead of merging: a firm that offers four channels
# offers four, not four plus the parent's eight; shares must sum to 1 on their own.
REPLACED_KEYS = {
    ("population", "archetypes"),
    ("population", "generations"),
    ("strategy", "channels"),
    ("strategy", "service"),
}


def resolve(path: Path) -> dict[str, Any]:
    """The file's data with its `extends:` parents merged in (parents first).

    A parent is named relative to the folder of the file that names it, after following
    symbolic links: a scenario linked from elsewhere still finds the parents beside it.
    """
    chain = _extends_chain(Path(path))
    data = chain[-1]
    for child in reversed(chain[:-1]):
        data = merge(data, child)
    return data


def _extends_chain(path: Path) -> list[dict[str, Any]]:
    """The data of `path` and of each parent in turn, without their `extends:` keys."""
    chain: list[dict[str, Any]] = []
    seen: list[Path] = []
    while True:
        try:
            here = real_path(path)
            data = read_yaml(path)
        except ScenarioError as exc:
            raise _reached_from(exc, seen) from None
        if here in seen:
            cycle = " -> ".join(str(p) for p in (*seen, here))
            raise ScenarioError(f"{seen[0]}: extends: circular chain {cycle}")
        seen.append(here)
        parent = data.pop("extends", None)
        chain.append(data)
        if parent is None:
            return chain
        if not isinstance(parent, str) or not parent or "\0" in parent:
            raise _reached_from(ScenarioError(
                f"{path}: extends: expected a file name, found {parent!r}"), seen[:-1])
        if len(chain) > MAX_EXTENDS:
            raise ScenarioError(f"{seen[0]}: extends: a chain of more than {MAX_EXTENDS} files "
                                f"(stopped at {path}); merge some of them")
        parent_path = here.parent / parent
        if not os.path.lexists(parent_path):
            raise _reached_from(ScenarioError(
                f"{path}: extends: '{parent}' not found (looked for {parent_path}; a parent is "
                f"named relative to the folder of the file that names it, after following "
                f"symbolic links)"), seen[:-1])
        path = parent_path


def _reached_from(exc: ScenarioError, seen: list[Path]) -> ScenarioError:
    # The fault is in a parent and the message names it; add the file the user gave.
    if not seen:
        return exc
    return ScenarioError(f"{exc}\n  (reached from {seen[0]} through 'extends:')")


def merge(parent: dict, child: dict, at: tuple[str, ...] = ()) -> dict:
    """Deep merge: the child's values win; nested mappings merge unless listed in REPLACED_KEYS."""
    out = copy.deepcopy(parent)
    for key, value in child.items():
        where = (*at, key)
        nested = isinstance(value, dict) and isinstance(out.get(key), dict)
        if nested and where not in REPLACED_KEYS:
            out[key] = merge(out[key], value, where)
        else:
            out[key] = copy.deepcopy(value)
    return out


def set_path(data: dict, dotted: str, value: Any) -> dict:
    """Return a copy of `data` with `a.b.c` set to `value` (creating mappings on the way)."""
    out = copy.deepcopy(data)
    node = out
    *parents, last = dotted.split(".")
    for key in parents:
        node = node.setdefault(key, {})
        if not isinstance(node, dict):
            raise ScenarioError(f"override {dotted}: '{key}' is {node!r}, not a mapping")
    node[last] = value
    return out


def validate(data: dict[str, Any], source: str) -> Scenario:
    """Validate resolved scenario data; `source` names the file(s) in error messages."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(describe_errors(exc, data, source, Scenario)) from None


def load_scenario(path: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load, merge, override and validate a scenario file.

    Args:
        path: the YAML file.
        overrides: dotted key paths to values, e.g. ``{"strategy.integration": 0.9}``.
    """
    path = Path(path)
    data = resolve(path)
    try:
        for dotted, value in (overrides or {}).items():
            data = set_path(data, dotted, value)
    except ScenarioError as exc:  # set_path knows the key, not the file it is applied to
        raise ScenarioError(f"{path}: {exc}") from None
    scenario = validate(data, _source(path, overrides))
    return _with_edge_list(scenario, path)


def repeated_names(scenarios: list[Scenario]) -> list[str]:
    """Scenario names used more than once (compared scenarios need distinct names)."""
    names = [s.name for s in scenarios]
    return sorted({n for n in names if names.count(n) > 1})


def _source(path: Path, overrides: dict[str, Any] | None) -> str:
    # A bad value may come from the command line rather than the file: show both.
    if not overrides:
        return str(path)
    given = ", ".join(f"{key}={value!r}" for key, value in overrides.items())
    return f"{path} (with overrides {given})"


def _with_edge_list(scenario: Scenario, path: Path) -> Scenario:
    # An edge list is named relative to the scenario file given (after following symbolic
    # links, as `extends:` is), and is read here, at the door, so that a bad file is refused
    # before any simulation starts.
    net = scenario.network
    if net.path is None:
        return scenario
    if not net.path.is_absolute():
        net.path = real_path(path).parent / net.path
    problem = _not_a_file(net.path)
    if problem:
        raise ScenarioError(f"{path}: network.path: edge list file '{net.path}' {problem}")
    if net.kind == "edge_list":
        try:
            read_edge_list(net.path, scenario.population.size)
        except ScenarioError as exc:  # its message names the edge list; add the scenario
            raise ScenarioError(f"{path}: {exc}") from None
    return scenario


def _not_a_file(path: Path) -> str | None:
    """Why `path` is not a readable regular file, or None if it is one."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return "not found (a relative path is taken from the scenario file's folder)"
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if stat.S_ISDIR(info.st_mode):
        return "is a folder, expected a file of 'node node' lines"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a device, pipe or socket)"
    return None


def scenario_from_dict(data: dict[str, Any], source: str = "<dict>") -> Scenario:
    """Validate a scenario given as a Python mapping (notebooks, tests, the dashboard)."""
    return validate(data, source)


def as_dict(model: BaseModel) -> dict[str, Any]:
    """A scenario as plain JSON-ready data (for manifests and overrides)."""
    return model.model_dump(mode="json")


def with_values(scenario: Scenario | dict[str, Any], values: dict[str, Any],
                source: str) -> Scenario:
    """A validated copy of `scenario` (or of its `as_dict` data) with dotted keys replaced.

    `source` names the result in error messages, as in `validate`.
    """
    data = as_dict(scenario) if isinstance(scenario, BaseModel) else scenario
    for key, value in values.items():
        data = set_path(data, key, value)
    return validate(data, source)
