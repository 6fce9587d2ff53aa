"""What every block of the scenario schema shares: strict models, citations, names of things.

Apart from `sim/scenario/schema.py` so that blocks in their own modules (economics.py) can use
them without importing the whole schema.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

ChannelName = Literal["web", "app", "social", "messaging", "phone", "email", "sms", "store"]
DeskName = Literal["messaging", "phone", "store"]
ArchetypeName = Literal["perilla", "pez_dorado", "trompeta", "embudo"]
GenerationName = Literal["boomers", "x", "millennials", "z"]


def cite(unit: str, source: str = "", plausible: tuple[float, float] | None = None) -> dict:
    """A setting's unit, source and plausible range, for `Field(json_schema_extra=...)`.

    They are part of the JSON Schema (editors show them) and of the generated base.yaml and
    docs/parameters.md (sim/scenario/defaults.py). `source` names a seed file
    (docs/sources.md), a publication (docs/parameters.md) or says "assumption"; `plausible`
    is the range the sensitivity analysis explores.
    """
    extra: dict = {"unit": unit, "source": source}
    if plausible is not None:
        extra["plausible"] = list(plausible)
    return extra


class Strict(BaseModel):
    """Base for every block: unknown keys are errors, values are checked on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)
