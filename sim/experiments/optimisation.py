"""What a valid optimisation file is (pydantic v2, unknown keys refused).

An optimisation file names one base scenario (the firm as it is: the baseline), the levers the
search may move (a range with an optional step, or a channel offered or not), one objective or
several (a Pareto front), constraints on any KPI (an annual budget: `cost_total: {at_most: X}`),
how many candidates to try and on how many seeds each. Checks that need the scenario (a lever's
bounds within the setting's valid range, KPI names) are in `sim/experiments/loading.py`; the
search itself in `sim/experiments/optimise.py`.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from sim.rules.ranges import number
from sim.scenario.names import check_name
from sim.scenario.schema import SEED_MAX, ChannelOffer, Scenario, Strict

Finite = number(-1e15, 1e15)
STEP_SLACK = 1e-9  # (high − low) / step may miss a whole number by float rounding only


class Lever(Strict):
    """One setting the search may move.

    A range `low`..`high`, continuous or on a grid of `step`; whole-number `low`, `high` and
    `step` give whole-number values. On `strategy.channels.<name>`, `offer:` instead: the
    channel is either offered with that quality or not offered at all.
    """

    low: Finite | None = Field(None, description="lowest value tried")
    high: Finite | None = Field(None, description="highest value tried")
    step: number(0.0, 1e15, above=True) | None = Field(
        None, description="values on a grid low, low + step, ..., high (default: continuous)")
    offer: ChannelOffer | None = Field(
        None, description="a channel lever: offered with this quality, or not offered")

    @model_validator(mode="after")
    def _one_form(self):
        ranged = self.low is not None or self.high is not None or self.step is not None
        if self.offer is not None and ranged:
            raise ValueError("give either a range (low, high, step) or 'offer' (a channel "
                             "offered or not), not both")
        if self.offer is None and (self.low is None or self.high is None):
            raise ValueError("a lever needs 'low' and 'high' (or, for a channel, 'offer')")
        if self.offer is None and not self.high > self.low:
            raise ValueError(f"'high' ({self.high:g}) must be greater than 'low' ({self.low:g})")
        if self.step is not None:
            _check_grid(self.low, self.high, self.step)
        return self

    @property
    def kind(self) -> Literal["channel", "integer", "number"]:
        """What kind of values: "channel" (offered or not), "integer" or "number"."""
        if self.offer is not None:
            return "channel"
        whole = all(float(v).is_integer() for v in (self.low, self.high, self.step or 0.5))
        return "integer" if whole else "number"


def _check_grid(low: float, high: float, step: float) -> None:
    """The grid must end at `high`: a search told 0..1 must be able to reach 1."""
    if step > high - low:
        raise ValueError(f"'step' ({step:g}) is larger than the range {low:g}..{high:g}")
    steps = (high - low) / step
    if abs(steps - round(steps)) > STEP_SLACK * max(1.0, steps):
        end = low + math.floor(steps) * step
        raise ValueError(f"'step' ({step:g}) does not divide {low:g}..{high:g} into whole "
                         f"steps; try high: {end:g} or {end + step:g}")


class Objective(Strict):
    """One KPI to maximise or minimise (`- maximise: operating_profit`)."""

    maximise: str | None = Field(None, description="KPI to make as large as possible")
    minimise: str | None = Field(None, description="KPI to make as small as possible")

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, value):
        # Said here, with the allowed keys: an unknown key inside a list item would otherwise
        # be reported without them (and 'maximize' is a likely spelling).
        if isinstance(value, dict):
            for key in value:
                if key not in cls.model_fields:
                    hint = difflib.get_close_matches(str(key), list(cls.model_fields), n=1)
                    said = f"; did you mean '{hint[0]}'?" if hint else ""
                    raise ValueError(f"unknown key '{key}'{said} (allowed: maximise, minimise)")
        return value

    @model_validator(mode="after")
    def _one_direction(self):
        if (self.maximise is None) == (self.minimise is None):
            raise ValueError("give exactly one of 'maximise: KPI' or 'minimise: KPI'")
        return self

    @property
    def kpi(self) -> str:
        """The KPI's name."""
        return self.maximise or self.minimise

    @property
    def sign(self) -> int:
        """+1 to maximise, −1 to minimise: sign × value is always 'more is better'."""
        return 1 if self.maximise else -1


class Bound(Strict):
    """A constraint on a KPI's mean over the seeds (`cost_total: {at_most: 5000000}`)."""

    at_most: Finite | None = Field(None, description="the KPI's mean may not exceed this")
    at_least: Finite | None = Field(None, description="the KPI's mean may not fall below this")

    @model_validator(mode="after")
    def _some_bound(self):
        if self.at_most is None and self.at_least is None:
            raise ValueError("give 'at_most', 'at_least' or both")
        if self.at_most is not None and self.at_least is not None \
                and self.at_least > self.at_most:
            raise ValueError(f"'at_least' ({self.at_least:g}) is above 'at_most' "
                             f"({self.at_most:g}): nothing could satisfy it")
        return self

    def violation(self, mean: float) -> float:
        """How far `mean` lies outside the bound (≤ 0 inside it; NaN counts as outside)."""
        if not math.isfinite(mean):
            return math.inf
        over = mean - self.at_most if self.at_most is not None else -math.inf
        under = self.at_least - mean if self.at_least is not None else -math.inf
        return max(over, under)


class Search(Strict):
    """How candidates are proposed (optuna's samplers)."""

    sampler: Literal["tpe", "nsga2"] = Field(
        "tpe", description="tpe: Tree-structured Parzen Estimator, one objective or several "
        "(recommended for a hundred or so candidates); nsga2: the genetic NSGA-II, several "
        "objectives and many candidates")
    batch: int = Field(10, ge=1, le=1000, description="candidates proposed at once and run in "
                       "parallel; part of the search's definition (the worker count is not)")
    startup: int = Field(10, ge=1, le=100_000, description="tpe: random candidates before the "
                         "sampler models the results")

    @model_validator(mode="after")
    def _population(self):
        if self.sampler == "nsga2" and self.batch < 2:
            raise ValueError("nsga2 breeds each batch (a generation) from the last one: "
                             "'batch' must be at least 2")
        return self


class Optimisation(Strict):
    """Search the levers of one scenario for the best strategy under constraints."""

    name: str
    description: str = ""
    scenario: str = Field(description="the base scenario file (the baseline), relative to "
                                      "this file")
    constants: dict[str, Any] = Field(
        default_factory=dict, description="key path → value applied to every run, like --set")
    levers: dict[str, Lever] = Field(min_length=1, description="key path → range or offer")
    objectives: list[Objective] = Field(min_length=1, max_length=4,
                                        description="one KPI, or several for a Pareto front")
    constraints: dict[str, Bound] = Field(default_factory=dict,
                                          description="KPI → bound on its mean over the seeds")
    candidates: int = Field(ge=1, le=10_000, description="strategies to simulate")
    replications: int = Field(ge=1, le=1000, description="seeds per candidate, the same seeds "
                              "for every candidate (common random numbers)")
    seed: int = Field(ge=0, le=SEED_MAX, description="master seed of the replications and the "
                      "sampler")
    search: Search = Field(default_factory=Search)

    @field_validator("name")
    @classmethod
    def _plain_name(cls, value):
        return check_name(value)

    @field_validator("objectives")
    @classmethod
    def _distinct(cls, value):
        kpis = [o.kpi for o in value]
        twice = sorted({k for k in kpis if kpis.count(k) > 1})
        if twice:
            raise ValueError(f"each KPI may be an objective once; {', '.join(twice)} appears "
                             "twice")
        return value


@dataclass
class Problem:
    """A validated optimisation file with its base scenario (constants and --set applied)."""

    optimisation: Optimisation
    base: Scenario

    def fingerprint(self) -> str:
        """What the search depends on, hashed: a folder is resumed only by the same problem."""
        text = json.dumps({"optimisation": self.optimisation.model_dump(mode="json"),
                           "base": self.base.model_dump(mode="json")}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()
