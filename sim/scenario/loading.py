"""Reading scenario files: safe YAML, `extends:` chains, overrides, and clear error messages.

Every problem becomes a `ScenarioError` whose text names the file, the key path, the value and
what is allowed (docs/design.md Decision 5). Nothing here writes anything.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from sim.scenario.edge_list import read_edge_list
from sim.scenario.errors import ScenarioError
from sim.scenario.messages import describe_errors, yaml_kind
from sim.scenario.schema import Scenario

# Maps that a child replaces whole instead of merging: a firm that offers four channels
# offers four, not four plus the parent's eight; shares must sum to 1 on their own.
REPLACED_KEYS = {
    ("population", "archetypes"),
    ("population", "generations"),
    ("strategy", "channels"),
    ("strategy", "service"),
}


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that also refuses duplicate keys (the later one would silently win)."""


def _no_duplicates(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def read_yaml(path: Path) -> dict[str, Any]:
    """Parse one YAML file into a mapping, refusing anything but plain data."""
    if not path.exists():
        raise ScenarioError(f"{path}: file not found")
    if path.is_dir():
        raise ScenarioError(f"{path}: is a folder, expected a YAML file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not a YAML text file (it is not UTF-8 text)") from None
    except OSError as exc:  # e.g. no permission to read it
        raise ScenarioError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ScenarioError(_yaml_message(path, exc)) from None
    if data is None:
        raise ScenarioError(f"{path}: the file is empty; expected a mapping such as 'name: ...'")
    if not isinstance(data, dict):
        # Plain text, CSV or code parses as one YAML string: say so rather than "found str".
        raise ScenarioError(f"{path}: is not a scenario file: expected a mapping of keys such as "
                            f"'name: ...' at the top level, found {yaml_kind(data)}")
    return data


def _yaml_message(path: Path, exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.reader.ReaderError):  # control characters: a binary file
        return (f"{path}: not a YAML text file (character #x{exc.character:04x} at position "
                f"{exc.position} is not allowed in YAML)")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
    problem = getattr(exc, "problem", None) or str(exc)
    if "constructor for the tag" in str(exc):
        problem = ("YAML tags that build Python objects are refused; scenarios are plain data "
                   f"({problem.strip()})")
    opened = getattr(exc, "context_mark", None)
    if opened and mark and opened.line != mark.line:
        # An unclosed bracket or quote is reported where the file ends; point at its start too.
        problem += f" ({exc.context} started on line {opened.line + 1})"
    return f"{path}: invalid YAML{where}: {problem}"


def resolve(path: Path) -> dict[str, Any]:
    """The file's data with its `extends:` parents merged in (parents first)."""
    try:
        return _resolve(Path(path), ())
    except ScenarioError as exc:
        if str(path) in str(exc):
            raise
        # The fault is in a parent and the message names it; add the file the user gave.
        raise ScenarioError(f"{exc}\n  (reached from {path} through 'extends:')") from None


def _resolve(path: Path, chain: tuple[Path, ...]) -> dict[str, Any]:
    here = path.resolve()
    if here in chain:
        cycle = " -> ".join(str(p) for p in (*chain, here))
        raise ScenarioError(f"{chain[0]}: extends: circular chain {cycle}")
    data = read_yaml(path)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(f"{path}: extends: expected a file name, found {parent!r}")
    parent_path = path.parent / parent
    if not parent_path.exists():
        raise ScenarioError(f"{path}: extends: '{parent}' not found (looked for {parent_path})")
    return merge(_resolve(parent_path, (*chain, here)), data)


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
    # An edge list is named relative to the scenario file that mentions it, and is read here,
    # at the door, so that a bad file is refused before any simulation starts.
    net = scenario.network
    if net.path is None:
        return scenario
    if not net.path.is_absolute():
        net.path = (path.parent / net.path).resolve()
    if not net.path.is_file():
        raise ScenarioError(f"{path}: network.path: edge list file '{net.path}' not found")
    if net.kind == "edge_list":
        try:
            read_edge_list(net.path, scenario.population.size)
        except ScenarioError as exc:  # its message names the edge list; add the scenario
            raise ScenarioError(f"{path}: {exc}") from None
    return scenario


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
