"""The scenario's `economics:` block: what each lever costs, and how big the real market is.

Every cost is per 1,000 people of the market (or per contact, agent or person reached), so the
money of a run scales exactly with `market_scale` while retention does not (issue 14). A lever
at level 0 costs nothing; between 0 and 1 its cost rises steeply (`lever_cost`). Sources and
the reasoning behind each default are in docs/economics.md.
"""

from __future__ import annotations

import math

from pydantic import Field

from sim.rules.ranges import number
from sim.scenario.schema_base import ChannelName, Strict, cite

Money = number(0.0, 1e12)  # EUR: finite, never negative
_GARTNER = ("Gartner's 2019 Customer Service and Support Leader poll (CRM magazine, 26 Nov "
            "2019): self-service channels cost about $0.10 per contact, live ones (phone, "
            "email, chat) $8.01")


class LeverCost(Strict):
    """What a lever costs at full level (1); lower levels cost `lever_cost(level)` of it."""

    per_1000_per_year: Money = Field(
        description="running cost at level 1, EUR per year per 1,000 people in the market")
    setup_per_1000: Money = Field(
        description="one-off cost of reaching level 1, EUR per 1,000 people in the market")


def _price(per_year: float, setup: float):
    return Field(default_factory=lambda: LeverCost(per_1000_per_year=per_year,
                                                   setup_per_1000=setup),
                 json_schema_extra=cite('EUR per 1,000 people', 'assumption (docs/economics.md)'))


class LeverCosts(Strict):
    """The price of each experience lever of `strategy` at full level.

    Assumptions (docs/economics.md): together about 4% of the omnichannel firm's revenue at
    full level, in line with retail IT and digital spending of 2-5% of revenue.
    """

    integration: LeverCost = _price(2500.0, 5000.0)
    personalisation: LeverCost = _price(1500.0, 2000.0)
    self_service: LeverCost = _price(1200.0, 2000.0)
    one_click: LeverCost = _price(400.0, 500.0)
    social_listening: LeverCost = _price(1000.0, 500.0)
    content: LeverCost = _price(1000.0, 500.0)


LEVERS = tuple(LeverCosts.model_fields)


class Economics(Strict):
    """Prices of the firm's levers, channels and staff; the size of the real market."""

    market_scale: number(1e-6, 1e6) = Field(
        1.0, description="real people each simulated person stands for: money and head counts "
        "are reported for population.size × market_scale people",
        json_schema_extra=cite('people per simulated person', 'as Covasim\'s pop_scale'))
    channel_per_1000_per_year: dict[ChannelName, Money] = Field(
        default_factory=lambda: {"web": 1000.0, "app": 1500.0, "social": 300.0,
                                 "messaging": 300.0, "phone": 500.0, "email": 200.0,
                                 "sms": 200.0, "store": 15000.0},
        description="fixed running cost of each offered channel (platform, rent; staff apart)",
        json_schema_extra=cite('EUR per year per 1,000 people', 'assumption (docs/economics.md)'))
    cost_per_contact: dict[ChannelName, Money] = Field(
        default_factory=lambda: {"web": 0.10, "app": 0.10, "social": 1.00, "messaging": 0.50,
                                 "phone": 0.80, "email": 0.50, "sms": 0.05, "store": 1.00},
        description="variable cost of one touchpoint; agents' time is in staff_cost_per_year",
        json_schema_extra=cite('EUR per touchpoint', _GARTNER))
    staff_cost_per_year: Money = Field(
        38000.0, description="fully loaded cost of one desk agent for a year",
        json_schema_extra=cite('EUR per agent-year',
                               'assumption: EU contact-centre wage plus overheads',
                               (25000.0, 55000.0)))
    levers: LeverCosts = Field(default_factory=LeverCosts,
                               description="cost of each experience lever at full level")
    lever_cost_steepness: number(0.0, 20.0) = Field(
        3.0, description="how steeply a lever's cost rises towards level 1 (0: linear)",
        json_schema_extra=cite('1', 'assumption: the last steps of a capability cost most',
                               (1.0, 5.0)))
    cost_per_1000_reached: Money = Field(
        60.0, description="advertising: cost per 1,000 people effectively reached "
        "(strategy.advertising is the daily share reached)",
        json_schema_extra=cite('EUR per 1,000 people reached',
                               'assumption: about 10 impressions at a EUR 6 CPM'))


def lever_cost(level: float, steepness: float) -> float:
    """Share of a lever's full cost paid at `level`: 0 at 0, 1 at 1, convex in between.

    (e^{s·level} − 1)/(e^s − 1): the first steps (a basic app, a CRM field) are cheap, the
    last ones (real-time personalisation, every system integrated) cost most; s = 0 is linear.
    """
    if steepness == 0:
        return level
    return math.expm1(steepness * level) / math.expm1(steepness)
