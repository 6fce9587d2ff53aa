"""What a valid experiment or calibration file is (pydantic v2, unknown keys refused).

An experiment file names base scenarios, the factors to vary (explicit values for a full
factorial, or ranges for Latin hypercube, Sobol or Morris sampling), replications and the master
seed, and what to keep. A calibration file names parameters with bounds and the KPI values the
runs should hit. Loading, the checks that need the scenarios, and the error messages (the same
as for scenarios: file, key path, value, what is allowed) are in `sim/experiments/loading.py`.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from sim.scenario.messages import yaml_kind
from sim.scenario.names import check_name
from sim.scenario.schema import SEED_MAX, Strict

SAMPLED = ("latin_hypercube", "sobol", "morris")
RESERVED_FACTORS = {"seed": "every run's seed is derived from the experiment's master 'seed'",
                    "name": "a factor would rename the scenario mid-sweep"}


class Factor(Strict):
    """One factor: explicit `values`, or a range `low`..`high` (with `levels` for a factorial)."""

    values: list[Any] | None = Field(None, min_length=1, description="levels (factorial)")
    low: float | None = Field(None, description="lower bound of the range")
    high: float | None = Field(None, description="upper bound of the range")
    levels: int | None = Field(None, ge=2, le=1000, description="evenly spaced levels (factorial)")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value):
        if isinstance(value, list):
            return {"values": value}
        if not isinstance(value, dict):
            raise ValueError(f"expected a list of values such as [0.1, 0.5, 0.9] or a range "
                             f"such as {{low: 0.1, high: 0.9}}, found {yaml_kind(value)}")
        return value

    @model_validator(mode="after")
    def _one_form(self):
        ranged = self.low is not None or self.high is not None
        if self.values is not None and (ranged or self.levels is not None):
            raise ValueError("give either 'values' or a range 'low'/'high', not both")
        if self.values is None and (self.low is None or self.high is None):
            raise ValueError("a range needs both 'low' and 'high'")
        if self.values is None and not self.high > self.low:
            raise ValueError(f"'high' ({self.high:g}) must be greater than 'low' ({self.low:g})")
        for i, v in enumerate(self.values or []):
            if not isinstance(v, bool | int | float | str):
                raise ValueError(f"values[{i}] is {yaml_kind(v)}; factor values must be "
                                 "numbers, text or true/false")
        return self

    @property
    def is_range(self) -> bool:
        """True for a range without levels: a sampling design draws values from it."""
        return self.values is None and self.levels is None


class Design(Strict):
    """How the factor space is covered (`design: sobol` is short for `design: {kind: sobol}`)."""

    kind: Literal["factorial", "latin_hypercube", "sobol", "morris"] = "factorial"
    samples: int | None = Field(
        None, ge=1, le=1_000_000,
        description="latin_hypercube: points; sobol: base samples N (a power of 2), giving "
                    "N(D+2) points, N(2D+2) with second_order; morris: trajectories, "
                    "giving N(D+1) points")
    second_order: bool = Field(False, description="sobol: also second-order indices")
    levels: int = Field(4, ge=2, le=100, description="morris: grid levels per factor")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value):
        return {"kind": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _samples_fit_kind(self):
        if self.kind == "factorial" and self.samples is not None:
            raise ValueError("a factorial design runs every combination of the factors' values; "
                             "'samples' is for latin_hypercube, sobol and morris")
        if self.kind != "factorial" and self.samples is None:
            raise ValueError(f"a {self.kind} design needs 'samples' (how many to draw)")
        if self.kind == "sobol" and self.samples & (self.samples - 1):
            below = 2 ** int(math.log2(self.samples))
            raise ValueError(f"sobol 'samples' must be a power of 2 (Sobol' sequences lose "
                             f"their balance otherwise), found {self.samples}; try {below} "
                             f"or {2 * below}")
        return self


def _all_or_list(value):
    if value == "all":
        return None
    return [value] if isinstance(value, str) else value


class Keep(Strict):
    """Which outputs every run keeps (`all`, a list of names, or [] for none)."""

    kpis: list[str] | None = Field(None, description="KPI columns (default: all)")
    series: list[str] | None = Field(default_factory=list, description="daily series metrics")
    breakdowns: list[str] | None = Field(default_factory=list, description="breakdown tables")

    @field_validator("kpis", "series", "breakdowns", mode="before")
    @classmethod
    def _all_or_list(cls, value):
        return _all_or_list(value)


class _Common(Strict):
    """Keys shared by experiment and calibration files."""

    name: str
    description: str = ""
    scenarios: list[str] = Field(min_length=1, description="scenario files, relative to this file")
    constants: dict[str, Any] = Field(
        default_factory=dict, description="key path → value applied to every run, like --set")
    replications: int = Field(ge=1, le=100_000, description="runs per design point and scenario")
    seed: int = Field(ge=0, le=SEED_MAX,
                      description="master seed; every run's seed is spawned from it")

    @field_validator("name")
    @classmethod
    def _plain_name(cls, value):
        return check_name(value)


class Experiment(_Common):
    """A sweep: base scenarios × design points × replications."""

    factors: dict[str, Factor] = Field(min_length=1, description="key path → values or range")
    design: Design = Field(default_factory=Design)
    seeds: Literal["common", "independent"] = Field(
        "common", description="common: replication r has the same seed at every design point "
                              "and in every scenario (common random numbers); independent: "
                              "every run has its own seed")
    keep: Keep = Field(default_factory=Keep)
    outcomes: list[str] | None = Field(
        None, description="KPIs summarised and plotted in summary.md (default: retention_rate "
                          "and nps if kept)")


class Parameter(Strict):
    """A parameter the optimiser may move, within bounds."""

    low: float
    high: float
    start: float | None = Field(None, description="first guess (default: middle of the range)")

    @model_validator(mode="after")
    def _start_in_range(self):
        if not self.high > self.low:
            raise ValueError(f"'high' ({self.high:g}) must be greater than 'low' ({self.low:g})")
        if self.start is not None and not self.low <= self.start <= self.high:
            raise ValueError(f"'start' ({self.start:g}) must lie between 'low' ({self.low:g}) "
                             f"and 'high' ({self.high:g})")
        return self


class Target(Strict):
    """A KPI value to hit (`retention_rate: 0.9` is short for `{value: 0.9}`)."""

    value: float
    tolerance: float = Field(0.03, gt=0, description="a fit within ± tolerance counts as hit")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value):
        return {"value": value} if isinstance(value, int | float) else value


class Optimiser(Strict):
    """The scipy.optimize method and its budget."""

    method: Literal["auto", "nelder-mead", "powell", "bounded-scalar"] = Field(
        "auto", description="auto: bounded-scalar (Brent) for one parameter, nelder-mead for more")
    max_evaluations: int = Field(40, ge=2, le=100_000, description="candidates to simulate")


class Calibration(_Common):
    """Find parameter values that make chosen KPIs hit targets in chosen scenarios."""

    parameters: dict[str, Parameter] = Field(min_length=1, description="key path → bounds")
    targets: dict[str, dict[str, Target]] = Field(
        min_length=1, description="scenario name → KPI → target value")
    optimiser: Optimiser = Field(default_factory=Optimiser)
