"""Reading experiment and calibration files, refusing bad ones at the door.

Same rules and the same messages as scenario files (docs/design.md Decision 5, `sim/loading.py`):
safe YAML, `extends:`, unknown keys with did-you-mean, and every problem named by file, key
path, value and what is allowed. Everything a sweep will do is checked before anything is
written: the base scenarios with the constants, every factor value, every design point, and the
names of the KPIs, series and breakdown tables to keep.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.experiments.design import Plan, design_points, factor_levels
from sim.experiments.levers import channel_of, corners, scenario_with
from sim.experiments.optimisation import Lever, Optimisation, Problem
from sim.experiments.schema import RESERVED_FACTORS, SAMPLED, Calibration, Experiment
from sim.runs.capacity import run_bytes
from sim.scenario.errors import ScenarioError
from sim.scenario.loading import load_scenario, repeated_names, resolve, with_values
from sim.scenario.messages import describe_errors
from sim.scenario.schema import Scenario

# Keys that tell one kind of file from the others, for a helpful hint when mixed up.
_CALIBRATION = ({"targets", "parameters"}, "a calibration file: use `run.py calibrate`")
_EXPERIMENT = ({"factors", "design"}, "an experiment file: use `run.py sweep`")
_OPTIMISATION = ({"levers", "objectives"}, "an optimisation file: use `run.py optimise`")
_KIND_HINTS = {Experiment: (_CALIBRATION, _OPTIMISATION),
               Calibration: (_EXPERIMENT, _OPTIMISATION),
               Optimisation: (_EXPERIMENT, _CALIBRATION)}
DEFAULT_OUTCOMES = ("retention_rate", "nps")


def _read(path: Path, model: type[BaseModel]) -> BaseModel:
    data = resolve(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        message = describe_errors(exc, data, str(path), model)
        for keys, hint in _KIND_HINTS[model]:
            if keys & set(data):
                message += f"\n  (this looks like {hint})"
                break
        raise ScenarioError(message) from None


def _check_design(path: Path, experiment: Experiment) -> None:
    """Factors must suit the design: values for a factorial, ranges for a sampled design."""
    sampled = experiment.design.kind in SAMPLED
    for key, factor in experiment.factors.items():
        if key in RESERVED_FACTORS:
            raise ScenarioError(f"{path}: factors.{key}: not allowed as a factor: "
                                f"{RESERVED_FACTORS[key]}")
        if sampled and not factor.is_range:
            raise ScenarioError(f"{path}: factors.{key}: a {experiment.design.kind} design "
                                "samples ranges; give {low: ..., high: ...} without 'values' "
                                "or 'levels'")
        if not sampled and factor.is_range:
            raise ScenarioError(f"{path}: factors.{key}: a factorial design needs 'values' (a "
                                "list) or 'levels' with its range, e.g. {low: 0.1, high: 0.9, "
                                "levels: 5}; or choose a sampling design such as "
                                "'design: {kind: latin_hypercube, samples: 50}'")


def _check_parameters(path: Path, calibration: Calibration) -> None:
    for key in calibration.parameters:
        if key in RESERVED_FACTORS:
            raise ScenarioError(f"{path}: parameters.{key}: not allowed as a parameter: "
                                f"{RESERVED_FACTORS[key]}")
    if calibration.optimiser.method == "bounded-scalar" and len(calibration.parameters) != 1:
        raise ScenarioError(f"{path}: optimiser.method: 'bounded-scalar' fits exactly one "
                            f"parameter, this file has {len(calibration.parameters)} (allowed "
                            "for several: auto, nelder-mead, powell)")


def _scenarios(path: Path, entries: list[str], constants: dict[str, Any]) -> list[Scenario]:
    """The base scenarios, relative to the file that lists them, with the constants applied."""
    scenarios = []
    for i, entry in enumerate(entries):
        try:
            scenarios.append(load_scenario(path.parent / entry, constants))
        except ScenarioError as exc:
            raise ScenarioError(f"{path}: scenarios[{i}] = {entry!r}: {exc}") from None
    twice = repeated_names(scenarios)
    if twice:
        raise ScenarioError(f"{path}: scenarios: names must differ, {', '.join(twice)} appears "
                            "more than once (set 'name:' in the scenario files)")
    return scenarios


def _check_value(path: Path, where: str, scenario: Scenario, key: str, value: Any) -> None:
    """Refuse a factor or parameter value the scenario schema would refuse."""
    try:
        with_values(scenario, {key: value},
                    f"{where} {key}={value!r} on scenario '{scenario.name}'")
    except ScenarioError as exc:
        raise ScenarioError(f"{path}: {exc}") from None


def _unknown(path: Path, where: str, name: str, allowed: list[str], what: str) -> ScenarioError:
    hint = difflib.get_close_matches(name, allowed, n=1)
    said = f"; did you mean '{hint[0]}'?" if hint else ""
    return ScenarioError(f"{path}: {where}: unknown {what} '{name}'{said} "
                         f"(allowed: {', '.join(allowed)})")


@lru_cache(maxsize=4)
def output_names(engine: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """KPI names, series metrics and breakdown tables the engine produces (from a 1-day run)."""
    from sim.runs.runner import run_scenario

    probe = Scenario.model_validate({"engine": engine, "horizon_days": 1,
                                     "population": {"size": 100}})
    result = run_scenario(probe, seed=0)
    return (tuple(result.kpis), tuple(dict.fromkeys(result.series["metric"])),
            tuple(dict.fromkeys(result.breakdowns["table"])))


def _kept(path: Path, where: str, given: list[str] | None, allowed: tuple[str, ...],
          what: str) -> tuple[str, ...] | None:
    if given is None:
        return None
    for name in given:
        if name not in allowed:
            raise _unknown(path, where, name, list(allowed), what)
    return tuple(dict.fromkeys(given))


def _outcomes(path: Path, experiment: Experiment, kept: tuple[str, ...]) -> list[str]:
    if experiment.outcomes is None:
        return [k for k in DEFAULT_OUTCOMES if k in kept] or list(kept[:1])
    for name in experiment.outcomes:
        if name not in kept:
            raise ScenarioError(f"{path}: outcomes: '{name}' is not among the kept KPIs "
                                f"(keep.kpis: {', '.join(kept)})")
    return list(dict.fromkeys(experiment.outcomes))


def load_experiment(path: str | Path, overrides: dict[str, Any] | None = None) -> Plan:
    """Read, validate and plan an experiment file.

    Args:
        path: The experiment YAML file.
        overrides: Key paths to values applied to every base scenario after the file's
            `constants` (the command line's `--set`).

    Returns:
        The plan of every run, each design point already validated on every base scenario.
    """
    path = Path(path)
    experiment = _read(path, Experiment)
    _check_design(path, experiment)
    scenarios = _scenarios(path, experiment.scenarios,
                           {**experiment.constants, **(overrides or {})})
    for key, factor in experiment.factors.items():
        values = [factor.low, factor.high] if factor.is_range else factor_levels(factor)
        for scenario in scenarios:
            for value in values:
                _check_value(path, "factors:", scenario, key, value)
    kpis, series, tables = output_names(scenarios[0].engine)
    keep = experiment.keep
    plan = Plan(experiment, scenarios, design_points(experiment),
                _kept(path, "keep.kpis", keep.kpis, kpis, "KPI"),
                _kept(path, "keep.series", keep.series, series, "series metric"),
                _kept(path, "keep.breakdowns", keep.breakdowns, tables, "breakdown table"))
    plan.outcomes = _outcomes(path, experiment, plan.kpis or kpis)
    for s in range(len(scenarios)):  # combinations too (e.g. shares that must sum to 1)
        for p in range(len(plan.points)):
            try:
                config = plan.config(s, p)
            except ScenarioError as exc:
                raise ScenarioError(f"{path}: factors: {exc}") from None
            if plan.largest is None or run_bytes(config) > run_bytes(plan.largest):
                plan.largest = config  # the run that needs the most memory
    plan.config.cache_clear()
    return plan


def load_calibration(path: str | Path, overrides: dict[str, Any] | None = None
                     ) -> tuple[Calibration, list[Scenario]]:
    """Read and validate a calibration file; return it with its base scenarios."""
    path = Path(path)
    calibration = _read(path, Calibration)
    _check_parameters(path, calibration)
    scenarios = _scenarios(path, calibration.scenarios,
                           {**calibration.constants, **(overrides or {})})
    names = [s.name for s in scenarios]
    kpis = output_names(scenarios[0].engine)[0]
    for name, targets in calibration.targets.items():
        if name not in names:
            raise _unknown(path, "targets", name, names, "scenario")
        for kpi in targets:
            if kpi not in kpis:
                raise _unknown(path, f"targets.{name}", kpi, list(kpis), "KPI")
    untargeted = [n for n in names if n not in calibration.targets]
    if untargeted:
        raise ScenarioError(f"{path}: targets: scenario {', '.join(map(repr, untargeted))} has "
                            "no targets; give it some or remove it from 'scenarios'")
    for key, parameter in calibration.parameters.items():
        for scenario in scenarios:
            for value in (parameter.low, parameter.high):
                _check_value(path, "parameters:", scenario, key, value)
    return calibration, scenarios


def load_optimisation(path: str | Path, overrides: dict[str, Any] | None = None) -> Problem:
    """Read and validate an optimisation file; return it with its base scenario.

    Every lever's bounds (or both choices of a channel lever) are checked on the base scenario,
    and so are the two corners (every lever at its lowest, every lever at its highest), so a
    search never meets a candidate the scenario schema refuses. Objectives and constraints must
    name KPIs a run reports.
    """
    path = Path(path)
    optimisation = _read(path, Optimisation)
    base = _base_scenario(path, optimisation.scenario,
                          {**optimisation.constants, **(overrides or {})})
    levers = optimisation.levers
    for key, lever in levers.items():
        _check_lever(path, base, key, lever, levers)
    for corner, words in zip(corners(levers), ("lowest", "highest"), strict=True):
        _check_candidate(path, f"levers (every lever at its {words}):", base, corner, levers)
    kpis = list(output_names(base.engine)[0])
    for i, objective in enumerate(optimisation.objectives):
        if objective.kpi not in kpis:
            raise _unknown(path, f"objectives[{i}]", objective.kpi, kpis, "KPI")
    for kpi in optimisation.constraints:
        if kpi not in kpis:
            raise _unknown(path, "constraints", kpi, kpis, "KPI")
    return Problem(optimisation, base)


def _base_scenario(path: Path, entry: str, constants: dict[str, Any]) -> Scenario:
    try:
        return load_scenario(path.parent / entry, constants)
    except ScenarioError as exc:
        raise ScenarioError(f"{path}: scenario = {entry!r}: {exc}") from None


def _check_lever(path: Path, base: Scenario, key: str, lever: Lever,
                 levers: dict[str, Lever]) -> None:
    """A lever must fit its key: `offer` on a channel, a range elsewhere, both ends valid."""
    where = f"levers.{key}"
    if key in RESERVED_FACTORS:
        raise ScenarioError(f"{path}: {where}: not allowed as a lever: {RESERVED_FACTORS[key]}")
    channel = channel_of(key)
    if lever.kind == "channel" and channel is None:
        raise ScenarioError(f"{path}: {where}: 'offer' is for a channel lever, a key "
                            "strategy.channels.<name> (e.g. strategy.channels.messaging)")
    if channel is not None and lever.kind != "channel":
        raise ScenarioError(f"{path}: {where}: a channel is offered or not; give "
                            "'offer: {quality: 0.8}' (its quality when offered), not a range")
    ends = (True, False) if channel else (lever.low, lever.high)
    for value in ends:
        value = int(value) if lever.kind == "integer" else value
        _check_candidate(path, "levers:", base, {key: value}, levers)


def _check_candidate(path: Path, where: str, base: Scenario, values: dict[str, Any],
                     levers: dict[str, Lever]) -> None:
    shown = ", ".join(f"{key}={value!r}" for key, value in values.items())
    try:
        scenario_with(base, levers, values, f"{where} {shown} on scenario '{base.name}'")
    except ScenarioError as exc:
        raise ScenarioError(f"{path}: {exc}") from None
