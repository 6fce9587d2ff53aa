"""From the dashboard's controls to validated scenarios, with the same messages as the CLI.

Strategy A is a scenario file (its market, channels and staffing) whose levers and archetype
mix are set by the sliders; strategy B, shown side by side, is another file's `strategy:` block
on A's market, population, network and seed, so the two differ only in strategy. Every value
goes through `sim.scenario.loading.set_path` and `scenario_from_dict`, so a slider set that
cannot work (archetype shares that do not sum to 1) is refused with the message a YAML author
would get.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agents.archetypes import ARCHETYPE_NAMES
from sim.scenario.errors import UserError
from sim.scenario.loading import as_dict, load_scenario, scenario_from_dict, set_path
from sim.scenario.schema import SEED_MAX, Scenario

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"
SCENARIO_ENV = "CXSIM_DASHBOARD_SCENARIO"  # the scenario given on the command line, if any
# Above this many people the page no longer renders a day within 300 ms (README, Dashboard).
MAX_PEOPLE = 2_000
DEFAULT_PEOPLE = 1_000
MAX_TIES = 25_000  # drawn once per network in well under a second; a complete network is more
DEFAULT_SEED = 42
NO_COMPARISON = "none"
SHARE_TOLERANCE = 1e-6  # the scenario schema's own tolerance for shares summing to 1
LEVERS = ("integration", "personalisation", "self_service", "one_click", "social_listening",
          "content", "advertising")
SOURCE = "dashboard controls"
_DIGITS = re.compile(r"[0-9]+")  # ASCII digits only
_FIRST = ("omnichannel", "multichannel", "weak_digital", "base")  # the strategies, in this order


def catalogue(extra: str | Path | None = None) -> dict[str, Path]:
    """Scenario choices by name: the bundled strategies, then industries, then `extra` (a file)."""
    files = sorted(SCENARIO_DIR.glob("*.yaml")) + sorted(SCENARIO_DIR.glob("industries/*.yaml"))
    found = {p.relative_to(SCENARIO_DIR).with_suffix("").as_posix(): p for p in files}
    ordered = {k: found[k] for k in _FIRST if k in found} | found
    if extra is not None:
        ordered.setdefault(key_of(Path(extra)), Path(extra).resolve())
    return ordered


def key_of(path: Path) -> str:
    """A scenario file's name in the catalogue ('omnichannel', 'industries/housing', or a path)."""
    try:
        return path.resolve().relative_to(SCENARIO_DIR).with_suffix("").as_posix()
    except ValueError:
        return str(path)


def command_line_scenario() -> Path | None:
    """The scenario `python run.py dashboard SCENARIO` was given (passed to the server by env)."""
    given = os.environ.get(SCENARIO_ENV)
    return Path(given) if given else None


@dataclass(frozen=True)
class Setup:
    """What the controls ask for, validated: one or two scenarios, their labels and the seed."""

    sides: tuple[Scenario, ...]
    labels: tuple[str, ...]
    seed: int
    changes: tuple[str, ...]  # A's values moved away from its file, e.g. "integration 0.95 → 0.5"


def defaults(start: str, choices: dict[str, Path]) -> dict[str, Any]:
    """Initial control values: scenario `start` as its file says, at a size the page draws well."""
    s = load_scenario(choices[start])
    other = "omnichannel" if s.name == "weak_digital" else "weak_digital"
    values: dict[str, Any] = {
        "scenario": start,
        "compare_with": other if other in choices else NO_COMPARISON,
        "population": str(min(s.population.size, DEFAULT_PEOPLE)),
        "seed": str(DEFAULT_SEED),
    }
    values |= {lever: getattr(s.strategy, lever) for lever in LEVERS}
    values |= {a: s.population.archetypes.get(a, 0.0) for a in ARCHETYPE_NAMES}
    return values


def setup(values: dict[str, Any], choices: dict[str, Path]) -> Setup:
    """Validated scenarios for the control values; raises `UserError` with a clear message."""
    people, seed = people_count(values["population"]), whole_number(values["seed"], "seed")
    file_a = load_scenario(_path(values["scenario"], choices, "scenario"))
    data = set_path(as_dict(file_a), "population.size", people)
    for lever in LEVERS:
        data = set_path(data, f"strategy.{lever}", _number(values[lever], lever))
    shares = archetype_mix(values)
    data = set_path(data, "population.archetypes", shares)
    a = scenario_from_dict(data, SOURCE)
    check_network_size(a)
    changes = _changes(file_a, a)
    sides, labels = [a], [f"A · {a.name}" + (" (your levers)" if changes else "")]
    if values["compare_with"] != NO_COMPARISON:
        file_b = load_scenario(_path(values["compare_with"], choices, "compare with"))
        data_b = set_path(as_dict(a), "strategy", as_dict(file_b)["strategy"])
        sides.append(scenario_from_dict(set_path(data_b, "name", file_b.name),
                                        f"{SOURCE} (strategy of {values['compare_with']})"))
        labels.append(f"B · {file_b.name}")
    return Setup(tuple(sides), tuple(labels), seed, changes)


def check_network_size(scenario: Scenario) -> None:
    """Refuse networks with more ties than the picture draws well (a dense or complete one)."""
    n, network = scenario.population.size, scenario.network
    ties = n * (n - 1) // 2 if network.kind == "complete" else network.mean_degree * n // 2
    if network.kind != "edge_list" and ties > MAX_TIES:
        raise UserError(f"network: a {network.kind} network of {n:,} people has about "
                        f"{ties:,} ties, more than the dashboard draws well (at most "
                        f"{MAX_TIES:,}); lower People, or network.mean_degree in the file, "
                        "or use `python run.py run`")


def archetype_mix(values: dict[str, Any]) -> dict[str, float]:
    """The four archetype sliders as shares; refused, saying by how much, unless they sum to 1."""
    shares = {a: _number(values[a], f"share of {a}") for a in ARCHETYPE_NAMES}
    total = round(sum(shares.values()), 6)
    if abs(total - 1.0) > SHARE_TOLERANCE:
        terms = " + ".join(f"{a.replace('_', ' ').title()} {v:g}" for a, v in shares.items())
        fix = "lower" if total > 1 else "raise"
        raise UserError(f"archetype shares: {terms} = {total:.2f}, but they must sum to 1; "
                        f"{fix} one or more of the Share sliders by {abs(total - 1):.2f} in all")
    return shares


def people_count(text: Any) -> int:
    """The population control as a number of people within what the page draws well."""
    n = whole_number(text, "population")
    if n < 10:
        raise UserError(f"population: {n} people is too few (at least 10)")
    if n > MAX_PEOPLE:
        raise UserError(f"population: {n:,} people is more than the dashboard draws well "
                        f"(at most {MAX_PEOPLE:,}, so that a day renders within 300 ms); "
                        "for bigger runs use `python run.py run`")
    return n


def whole_number(text: Any, name: str) -> int:
    """A text field as a whole number from 0 to 2⁶³ − 1 ('1,000' and '1000' both read as 1000).

    Only the digits 0-9 count: '²' or '٣' are digits to Python's `isdigit` but not numbers here.
    """
    cleaned = str(text).strip().replace(",", "").replace("_", "")
    shown = str(text) if len(str(text)) <= 30 else str(text)[:27] + "..."
    if not _DIGITS.fullmatch(cleaned) or len(cleaned) > 19 or int(cleaned) > SEED_MAX:
        raise UserError(f"{name}: expected a whole number from 0 to {SEED_MAX:,}, "
                        f"got {shown!r}")
    return int(cleaned)


def _number(value: Any, name: str) -> float:
    try:
        return round(float(value), 6)  # slider steps such as 0.1 + 0.2 must sum exactly
    except (TypeError, ValueError):
        raise UserError(f"{name}: expected a number, got {value!r}") from None


def _path(key: str, choices: dict[str, Path], control: str) -> Path:
    if key not in choices:
        raise UserError(f"{control}: unknown scenario {key!r}; choose one of {sorted(choices)}")
    return choices[key]


def _changes(file: Scenario, chosen: Scenario) -> tuple[str, ...]:
    moved = [(lever, getattr(file.strategy, lever), getattr(chosen.strategy, lever))
             for lever in LEVERS]
    moved += [(f"share of {a}", file.population.archetypes.get(a, 0.0),
               chosen.population.archetypes.get(a, 0.0)) for a in ARCHETYPE_NAMES]
    return tuple(f"{name} {old:g} → {new:g}" for name, old, new in moved if abs(old - new) > 1e-9)
