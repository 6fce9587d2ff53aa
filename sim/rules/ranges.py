"""The ranges of numbers the rules can use: one constrained number type for scenario files.

Every number a scenario may set is finite (no `.nan`, no `.inf`) and inside a range the model
can really use: a probability within 0..1, a logit within ±50 (beyond that a chance is 0 or 1
to 21 digits), a multiplier of an industry figure at most 100, a duration at most a century.
Validation and the run then agree: a value the schema accepts never crashes a draw, never
overflows an integer and never turns a KPI into infinity (issue 16).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

LOGIT_LIMIT = 50.0  # 1 / (1 + e^50) ≈ 2e-22; sums of such logits stay far from overflow
MULTIPLIER_MAX = 100.0  # × an industry or population figure
DAYS_MAX = 36_500.0  # a century: no phase, need interval or horizon is longer
MINUTES_PER_DAY = 1_440.0
EUR_MAX = 1_000_000.0  # one purchase; with the largest population and horizon, revenue < 1e20


def number(low: float, high: float, *, above: bool = False) -> Any:
    """A finite float from `low` to `high` inclusive (strictly more than `low` if `above`).

    Used as a type in pydantic models: ``size: number(0, 1) = 0.5``.
    """
    lower = {"gt": low} if above else {"ge": low}
    return Annotated[float, Field(allow_inf_nan=False, le=high, **lower)]


Share = number(0.0, 1.0)  # a probability or a share
Logit = number(-LOGIT_LIMIT, LOGIT_LIMIT)  # added to a logit
Multiplier = number(0.0, MULTIPLIER_MAX)  # × a figure, may be 0
PositiveMultiplier = number(0.0, MULTIPLIER_MAX, above=True)  # × a figure, never 0
Minutes = number(0.0, MINUTES_PER_DAY, above=True)  # at most a day
