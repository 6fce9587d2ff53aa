"""Reading one scenario or experiment file: safe YAML, plain data, bounded work.

A file is refused, with its name and the limit, before it can cost much: it must be a regular
file of at most `MAX_BYTES`; its YAML may nest at most `MAX_DEPTH` levels and, with every alias
expanded, hold at most `MAX_NODES` values (an "alias bomb" of a few hundred bytes would otherwise
expand to gigabytes); keys must be plain text or numbers; tags that build Python objects and
duplicate keys are refused. A scenario is a few hundred lines, so none of this bites a real one.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml

from sim.scenario.errors import ScenarioError
from sim.scenario.messages import yaml_kind

MAX_BYTES = 1_000_000  # a bundled scenario is about 5 kB
MAX_DEPTH = 40  # nested mappings and lists; a scenario nests 4 deep
MAX_NODES = 20_000  # values, aliases expanded; a scenario with every profile has about 500
_SCALAR_KEYS = (str, int, float, bool)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that bounds nesting and refuses duplicate and non-scalar keys."""

    _depth = 0
    _nodes = 0

    def compose_node(self, parent, index):
        # The composer recurses once per level: bound it before Python's stack gives out, and
        # stop counting values early rather than parse a megabyte of them.
        self._depth += 1
        self._nodes += 1
        try:
            if self._depth > MAX_DEPTH or self._nodes > MAX_NODES:
                problem = (f"nested more than {MAX_DEPTH} levels deep"
                           if self._depth > MAX_DEPTH else
                           f"more than {MAX_NODES:,} values; a scenario needs a few hundred")
                raise yaml.composer.ComposerError(None, None, problem,
                                                  self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _no_duplicates(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, _SCALAR_KEYS):
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be plain text or a number, found {yaml_kind(key)}",
                key_node.start_mark)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def read_text(path: Path) -> str:
    """The file's text, if it is a regular UTF-8 file of at most MAX_BYTES."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ScenarioError(f"{path}: file not found") from None
    except OSError as exc:  # a symbolic link loop, a name too long, no permission
        raise ScenarioError(f"{path}: cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ScenarioError(f"{path}: is a folder, expected a YAML file")
    if not stat.S_ISREG(info.st_mode):  # /dev/zero or a pipe would never end
        raise ScenarioError(f"{path}: is not a regular file (a device, pipe or socket); "
                            "expected a YAML file")
    if info.st_size > MAX_BYTES:
        raise ScenarioError(f"{path}: is {info.st_size:,} bytes; a scenario file may have at "
                            f"most {MAX_BYTES:,}")
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as exc:  # e.g. no permission to read it
        raise ScenarioError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:  # it grew since stat
        raise ScenarioError(f"{path}: a scenario file may have at most {MAX_BYTES:,} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not a YAML text file (it is not UTF-8 text)") from None


def read_yaml(path: Path) -> dict[str, Any]:
    """Parse one YAML file into a mapping, refusing anything but plain data."""
    text = read_text(path)
    try:
        loader = _StrictLoader(text)  # checks the characters: may raise a ReaderError
        try:
            node = loader.get_single_node()
            if node is not None:
                _check_expanded_size(path, node)
            data = None if node is None else loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise ScenarioError(_yaml_message(path, exc)) from None
    if data is None:
        raise ScenarioError(f"{path}: the file is empty; expected a mapping such as 'name: ...'")
    if not isinstance(data, dict):
        # Plain text, CSV or code parses as one YAML string: say so rather than "found str".
        raise ScenarioError(f"{path}: is not a scenario file: expected a mapping of keys such as "
                            f"'name: ...' at the top level, found {yaml_kind(data)}")
    return data


def _check_expanded_size(path: Path, root: yaml.Node) -> None:
    """Refuse a document that, with its aliases expanded, holds more than MAX_NODES values."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:  # post-order without recursion; aliases share nodes, counted once each
        node, children_done = stack.pop()
        if id(node) in sizes and sizes[id(node)] >= 0:
            continue
        children = _children(node)
        if not children_done:
            if sizes.get(id(node)) == -1:
                raise ScenarioError(f"{path}: invalid YAML (line {node.start_mark.line + 1}): "
                                    "an alias refers to a value that contains it")
            sizes[id(node)] = -1  # in progress
            stack.append((node, True))
            stack.extend((child, False) for child in children if sizes.get(id(child), -2) < 0)
            continue
        sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
        if sizes[id(node)] > MAX_NODES:
            raise ScenarioError(f"{path}: holds more than {MAX_NODES:,} values once its "
                                "aliases (*name) are expanded; a scenario needs a few hundred "
                                "(is it an alias bomb?)")


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


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


def real_path(path: Path) -> Path:
    """`path` with symbolic links followed, or a clear error for a loop."""
    try:
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        raise ScenarioError(f"{path}: file not found") from None
    except (OSError, RuntimeError) as exc:  # ELOOP: a symbolic link loop
        raise ScenarioError(f"{path}: cannot be read "
                            f"({getattr(exc, 'strerror', None) or exc})") from None
