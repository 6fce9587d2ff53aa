"""The scenario schema: typed, validated; the one source of every default, unit and source.

Loading (YAML, `extends:`, error messages) lives in `sim/scenario/loading.py`; this module
only says what a valid scenario is: every number finite and in a usable range, shares that sum
to 1, no unknown key. `scenarios/base.yaml` and docs/parameters.md are generated from it
(`make defaults`, sim/scenario/defaults.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from agents.archetypes import DEFAULT_PROFILES, Archetype, ArchetypeProfile
from agents.generations import DEFAULT_GENERATIONS, Generation, GenerationProfile
from sim.rules.channels import DESK_CHANNELS, Channel
from sim.rules.journey import Phase
from sim.rules.ranges import (
    DAYS_MAX,
    EUR_MAX,
    MINUTES_PER_DAY,
    Logit,
    Minutes,
    Multiplier,
    Share,
    number,
)
from sim.scenario.economics import Economics
from sim.scenario.names import check_name
from sim.scenario.schema_base import (  # noqa: F401  (re-exported: the schema's names)
    ArchetypeName,
    ChannelName,
    DeskName,
    GenerationName,
    Strict,
    cite,
)

Days = number(1.0, DAYS_MAX)  # a phase lasts at least one day (one tick), at most a century
NEVER_DAYS = 1e9  # an interval this long means "never" within any horizon
SHARE_TOLERANCE = 1e-6  # shares summing to 1 within this are rescaled to sum to exactly 1
SEED_MAX = 2**63 - 1  # seeds are stored as 64-bit integers
COMPLETE_MAX = 5_000  # people: a complete network has n(n−1) links
JOURNEY_PHASES = Literal[
    "awareness", "discovery", "interest", "consideration", "action", "use", "engagement"
]
def _check_shares(shares: dict, what: str) -> dict:
    # numpy's draws refuse shares off by more than about 1e-8: accepted ones are rescaled.
    total = sum(shares.values())
    if abs(total - 1.0) > SHARE_TOLERANCE:
        raise ValueError(f"{what} shares must sum to 1, they sum to {total:.6g} (sums within "
                         f"{SHARE_TOLERANCE:g} of 1 are accepted and rescaled to exactly 1)")
    if abs(total - 1.0) > 1e-12:
        return {key: value / total for key, value in shares.items()}
    return shares


class Population(Strict):
    """Who the customers are."""

    size: int = Field(10_000, ge=10, le=5_000_000, description="customers and prospects",
        json_schema_extra=cite('people'))
    initial_customer_share: Share = Field(0.5, description="share who are customers on day 0",
        json_schema_extra=cite('share', 'assumption', (0.2, 0.8)))
    archetypes: dict[ArchetypeName, Share] = Field(
        default_factory=lambda: {"perilla": 0.30, "pez_dorado": 0.20, "trompeta": 0.20,
                                 "embudo": 0.30}, description="buyer archetypes",
        json_schema_extra=cite('shares',
            'the four archetypes of 002_622c1351b7e0738c.txt; the '
            'mix is an assumption'))
    generations: dict[GenerationName, Share] = Field(
        default_factory=lambda: {"boomers": 0.23, "x": 0.30, "millennials": 0.27, "z": 0.20},
        description="generational cohorts",
        json_schema_extra=cite('shares',
            '002_622c1351b7e0738c.txt: natives (millennials + z) '
            '47% of Spain in 2026'))
    entry_weights: list[number(0.0, 1e9)] | None = Field(
        None, max_length=3650, description="a cohort entering over time (fitting to a "
        "transaction log): day-0 customers make their first purchase on day d with relative "
        "weight entry_weights[d]; none: they are the firm's existing customers, idle on day 0",
        json_schema_extra=cite('relative weight per day',
            'the fit sets them from a transaction '
            'log'))

    @field_validator("archetypes", "generations")
    @classmethod
    def _sum_to_one(cls, v, info):
        return _check_shares(v, info.field_name)

    @field_validator("entry_weights")
    @classmethod
    def _some_weight(cls, v):
        if v is not None and not sum(v) > 0:
            raise ValueError("entry_weights must have at least one positive weight")
        return v


class Heterogeneity(Strict):
    """How much people differ from their archetype's means (customer-base analysis).

    Each person's need (purchase) rate and mean spend are the archetype's times a Gamma draw
    of mean 1 (as Pareto/NBD, BG/NBD and Gamma-Gamma assume); their habit (the logit added to
    a customer's decision to buy here again, hence their propensity to drop out) is the
    archetype's plus a normal draw. A spread of 0 makes everyone their archetype's mean.
    """

    need_rate_cv: number(0.0, 5.0) = Field(
        1.0, description="coefficient of variation of people's need rates",
        json_schema_extra=cite('coefficient of variation',
            'Gamma purchase rates of Pareto/NBD '
            'and BG/NBD (Fader, Hardie & Lee '
            '2005; CDNOW: r 0.25, CV 2)', (0.5, 2.5)))
    loyalty_sd: number(0.0, 5.0) = Field(
        1.0, description="sd of people's habit around the archetype's (logit)",
        json_schema_extra=cite('logit', 'assumption; fitted to CDNOW in docs/fit.md', (0.0, 3.0)))
    spend_cv: number(0.0, 5.0) = Field(
        0.5, description="coefficient of variation of people's mean spend",
        json_schema_extra=cite('coefficient of variation',
            'Gamma-Gamma spend model (Fader, '
            'Hardie & Lee 2005b); assumption', (0.2, 1.0)))
    purchase_spend_cv: number(0.0, 5.0) = Field(
        0.5, description="coefficient of variation of spend between one person's "
        "purchases",
        json_schema_extra=cite('coefficient of variation',
            "CDNOW: the fit gives 0.2 around a customer's mean, "
            'the spread between customers being spend_cv '
            '(docs/validation.md section 4)', (0.1, 1.0)))


class Network(Strict):
    """The social network word of mouth travels on."""

    kind: Literal["small_world", "scale_free", "random", "complete", "edge_list"] = Field(
        "small_world", description="complete: everyone knows everyone (fully mixed; ignores "
        "mean_degree; at most 5,000 people)")
    mean_degree: int = Field(10, ge=1, le=1000, description="mean contacts per person",
        json_schema_extra=cite('contacts', 'assumption', (4.0, 50.0)))
    rewiring: Share = Field(0.1, description="small-world rewiring probability",
        json_schema_extra=cite('probability', 'Watts & Strogatz 1998; assumption', (0.01, 0.3)))
    path: Path | None = Field(None, description="edge list file (kind: edge_list)")

    @model_validator(mode="after")
    def _path_for_edge_list(self):
        if self.kind == "edge_list" and self.path is None:
            raise ValueError("kind 'edge_list' needs a 'path' to an edge list file")
        return self


class WordOfMouth(Strict):
    """Sharing, reach and influence of opinions (seeds 001, 002)."""

    share_probability: Share = Field(0.08, description="per neighbour, satisfied customer",
        json_schema_extra=cite('probability per contact', 'assumption', (0.02, 0.2)))
    negative_ratio: float = Field(2.0, ge=0.0, le=20.0, description="bad vs good sharing (TARP)",
        json_schema_extra=cite('ratio',
            'TARP/Goodman 1999: bad experiences told twice as often; '
            '002_622c1351b7e0738c.txt trait 7; Anderson 1998: the '
            'gap is smaller than folklore', (1.3, 3.0)))
    review_probability: Share = Field(0.05, description="chance a satisfied sharer posts a review",
        json_schema_extra=cite('probability', 'assumption', (0.01, 0.1)))
    peer_influence: float = Field(0.15, ge=0.0, le=1.0, description="attitude shift per story",
        json_schema_extra=cite('attitude (−1..1) per story',
            'peers weigh more than ads: '
            '001_7fa830da7b82e4df.txt; Nielsen '
            "2015: 83% trust friends' "
            'recommendations; magnitude an '
            'assumption', (0.05, 0.3)))
    review_influence: float = Field(0.10, ge=0.0, le=1.0, description="weight of review average",
        json_schema_extra=cite('weight',
            'Nielsen 2015: 66% trust consumer opinions posted '
            'online; magnitude an assumption', (0.0, 0.3)))
    awareness_probability: Share = Field(0.15, description="good story starts a prospect's journey",
        json_schema_extra=cite('probability', 'assumption', (0.05, 0.3)))
    review_memory: Share = Field(
        0.05, description="weight of each new review in the public average (recent weigh more)",
        json_schema_extra=cite('weight per review', 'assumption', (0.01, 0.2)))


class Validation(Strict):
    """Switches that put the model in limits where closed forms hold (docs/validation.md).

    The defaults are the model itself; real scenarios leave this block alone.
    """

    advocacy: Literal["journey", "daily"] = Field(
        "journey", description="journey: a customer tells contacts about each judged journey "
        "(the model); daily: everyone in a journey or a customer tells each contact a good "
        "story every day (mass-action word of mouth, the Bass limit)",
        json_schema_extra=cite('', 'docs/validation.md'))
    index_cases: int = Field(
        0, ge=0, le=1000, description="prospects who heard of the firm before day 0 and start "
        "a journey on day 0 (the seeds of a word-of-mouth cascade)",
        json_schema_extra=cite('people', 'docs/validation.md'))


class Industry(Strict):
    """Purchase cycle and time spent per phase (seed 004: phases fixed, their durations vary)."""

    name: str = Field("fashion retail", description="what is sold (free text)")
    need_interval_days: number(1.0, NEVER_DAYS) = Field(
        45.0, description="mean days between needs (idle time; 1e9: no new need)",
        json_schema_extra=cite('days',
            'fashion retail, an assumption; phases fixed, durations '
            'vary by industry: 004_f577f70e35375867.txt', (20.0, 120.0)))
    phase_days: dict[JOURNEY_PHASES, Days] = Field(default_factory=lambda: {
        "awareness": 1.0, "discovery": 3.0, "interest": 3.0, "consideration": 2.0,
        "action": 1.0, "use": 20.0, "engagement": 3.0},
        description="mean days in each phase (research phases × the archetype's `research`)",
        json_schema_extra=cite('days',
            '004_f577f70e35375867.txt: the phases do not change by '
            'industry, the time in each does; values an assumption'))
    basket_value: number(0.0, EUR_MAX, above=True) = Field(
        60.0, description="EUR per purchase, average archetype",
        json_schema_extra=cite('EUR per purchase', 'assumption'))
    margin: Share = Field(0.55, description="gross margin share of revenue (before the "
        "channel, service and lever costs of `economics`)",
        json_schema_extra=cite('share of revenue',
            'listed fashion retailers report gross margins of 50-60% of sales (e.g. Inditex, '
            'annual report FY2023); docs/economics.md', (0.3, 0.65)))
    product_quality: Share = Field(0.75, description="product experience, 0..1, any strategy",
        json_schema_extra=cite('0..1', 'assumption', (0.6, 0.9)))
    support_contact_probability: Share = Field(0.30, description="after-sales contact per purchase",
        json_schema_extra=cite('probability per purchase', 'assumption', (0.1, 0.5)))

    @field_validator("phase_days")
    @classmethod
    def _every_phase(cls, v):
        missing = [p.label for p in Phase if p is not Phase.IDLE and p.label not in v]
        if missing:
            raise ValueError(f"phase_days is missing {', '.join(missing)}")
        return v


class ChannelOffer(Strict):
    """One channel the firm offers and its quality on each attribute (0..1)."""

    quality: Share = 0.7
    convenience: Share | None = None
    simplicity: Share | None = None
    coherence: Share | None = None
    relevance: Share | None = None
    control: Share | None = None
    agility: Share | None = None


class Desk(Strict):
    """Staffing of a service desk (phone, messaging or store)."""

    staff_per_1000: number(0.0, 1000.0, above=True) = Field(
        description="agents on duty per 1,000 people in the market (at most one per person)")
    handle_minutes: Minutes = Field(description="mean handling time per contact (minutes)")


class Strategy(Strict):
    """The firm's levers (seeds 000, 003, 004)."""

    channels: dict[ChannelName, ChannelOffer] = Field(
        default_factory=lambda: {c.label: ChannelOffer() for c in Channel} | {
            # The reference firm's online resources are less relevant than its other channels:
            # calibrated to the survey's complaints (scenarios/experiments/calibrate_complaints).
            "web": ChannelOffer(relevance=0.54), "app": ChannelOffer(relevance=0.61)},
        min_length=1,
        description="the channels offered and their quality (`quality`, or one per attribute: "
        "convenience, simplicity, coherence, relevance, control, agility)",
        json_schema_extra=cite('quality 0..1 per attribute',
            '000_852f05d60f41a2d2.txt, '
            '003_bcd81d781a89aac1.txt'))
    integration: Share = Field(0.5, description="chance a channel switch keeps the context",
        json_schema_extra=cite('probability',
            '004_f577f70e35375867.txt: silos fragment the '
            'journey; Aberdeen 2013: 77% of top performers vs '
            '48% keep contact data across channels'))
    personalisation: Share = Field(0.5, description="observe + learn → relevance",
        json_schema_extra=cite('level 0..1', '003_bcd81d781a89aac1.txt: observe + learn'))
    self_service: Share = Field(0.5, description="delegate → control",
        json_schema_extra=cite('level 0..1', '003_bcd81d781a89aac1.txt: delegate'))
    one_click: Share = Field(0.5, description="simplify → simplicity at purchase",
        json_schema_extra=cite('level 0..1', '003_bcd81d781a89aac1.txt: simplify'))
    social_listening: Share = Field(0.5, description="converse → fast answers, recovery",
        json_schema_extra=cite('level 0..1', '003_bcd81d781a89aac1.txt: converse'))
    content: Share = Field(0.5, description="share → relevance while researching",
        json_schema_extra=cite('level 0..1', '003_bcd81d781a89aac1.txt: share'))
    advertising: Share = Field(
        0.003, description="daily ad reach: share of people exposed (× ad effectiveness)",
        json_schema_extra=cite('share of people a day', 'assumption'))
    service: dict[DeskName, Desk] = Field(default_factory=lambda: {
        "phone": Desk(staff_per_1000=0.5, handle_minutes=8.0),
        "messaging": Desk(staff_per_1000=0.5, handle_minutes=6.0),
        "store": Desk(staff_per_1000=1.0, handle_minutes=10.0)},
        description="staffing of the desks of the offered phone, messaging and store",
        json_schema_extra=cite('agents per 1,000 people; minutes per contact', 'assumption'))

    @model_validator(mode="after")
    def _desks_are_staffed(self):
        unstaffed = [d.label for d in DESK_CHANNELS
                     if d.label in self.channels and d.label not in self.service]
        if unstaffed:
            raise ValueError(f"offered channels need staffing under 'service': {unstaffed}")
        return self


class Behaviour(Strict):
    """Response constants shared by all strategies; set by calibration (docs/ODD.md)."""

    expectation_base: Share = Field(0.45, description="expected experience of an analogue customer",
        json_schema_extra=cite('0..1', 'assumption', (0.3, 0.6)))
    expectation_digital: Share = Field(0.25, description="extra expectation at full affinity",
        json_schema_extra=cite('0..1',
            '000_852f05d60f41a2d2.txt: digital customers are '
            'demanding; magnitude calibrated', (0.1, 0.4)))
    satisfaction_sensitivity: number(0.0, 100.0, above=True) = Field(
        2.0, description="satisfaction per unit of gap",
        json_schema_extra=cite('satisfaction per unit of gap', 'assumption', (1.0, 4.0)))
    journey_weight: Share = Field(
        0.6, description="weight of the journey's experience in satisfaction (the product: 1 − it)",
        json_schema_extra=cite('share', 'assumption', (0.4, 0.8)))
    attitude_memory: Share = Field(0.5, description="weight of the last journey in attitude",
        json_schema_extra=cite('share', 'assumption', (0.2, 0.8)))
    initial_attitude_customer: number(-1.0, 1.0) = Field(
        0.3, description="mean day-0 attitude of customers (they chose the firm)",
        json_schema_extra=cite('−1..1', 'assumption'))
    initial_attitude_prospect: number(-1.0, 1.0) = Field(
        0.0, description="mean day-0 attitude of prospects",
        json_schema_extra=cite('−1..1', 'assumption'))
    attitude_spread: Share = Field(0.2, description="sd of day-0 attitudes",
        json_schema_extra=cite('−1..1', 'assumption'))
    purchase_intercept: Logit = Field(-0.5, description="logit of choosing the firm at attitude 0",
        json_schema_extra=cite('logit', 'calibrated to the headline of 000_852f05d60f41a2d2.txt'))
    purchase_slope: number(0.0, 50.0) = Field(10.0, description="logit per unit of attitude",
        json_schema_extra=cite('logit per unit of attitude',
            'calibrated to the headline of '
            '000_852f05d60f41a2d2.txt'))
    customer_bonus: Logit = Field(1.19, description="switching costs of existing customers (logit)",
        json_schema_extra=cite('logit', 'calibrated to the headline of 000_852f05d60f41a2d2.txt'))
    ad_immunity: Share = Field(0.8, description="how far full digital affinity blunts ads",
        json_schema_extra=cite('share',
            '000_852f05d60f41a2d2.txt: natives nearly immune to '
            "traditional advertising (the seed's claim; Nielsen 2015 "
            'and GWI 2015 support about 0.4)', (0.2, 0.8)))
    ad_attitude_effect: Share = Field(0.02, description="attitude shift per ad exposure",
        json_schema_extra=cite('attitude per ad', 'assumption'))
    organic_awareness_rate: Share = Field(0.0005, description="daily chance a prospect finds us",
        json_schema_extra=cite('probability a day', 'assumption'))
    awareness_touchpoint: Share = Field(
        0.5, description="chance of a touchpoint on an awareness day (an ad, a post, a search)",
        json_schema_extra=cite('probability a day', 'assumption'))
    affinity_concentration: number(1.0, 1000.0) = Field(
        20.0, description="Beta concentration of digital affinity around the generation mean",
        json_schema_extra=cite('Beta concentration', 'assumption'))
    channel_stickiness: Multiplier = Field(1.0, description="extra weight of the last channel",
        json_schema_extra=cite('× weight', 'assumption'))
    noise_sd: Share = Field(0.08, description="attribute noise per interaction",
        json_schema_extra=cite('attribute units', 'assumption'))
    discount_rate: Share = Field(0.10, description="annual discount rate for CLV",
        json_schema_extra=cite('per year', 'assumption', (0.05, 0.15)))
    open_minutes: number(1.0, MINUTES_PER_DAY) = Field(
        240.0, description="busy minutes a day (desk arrivals)",
        json_schema_extra=cite('minutes a day', 'assumption'))
    messaging_patience: number(1.0, 1000.0) = Field(
        40.0, description="× patience when waiting for a message reply (hours, not minutes, "
        "are expected)",
        json_schema_extra=cite('× patience',
            'Baer 2022 (Time to Win): a 4-hour reply meets '
            'expectations; Sprout Social 2016: 4 h expected', (10.0, 100.0)))


class Effects(Strict):
    """How much each lever, or its absence, changes an interaction (docs/parameters.md)."""

    relevance_floor: Share = Field(
        0.6, description="relevance without personalisation, as a share of channel quality",
        json_schema_extra=cite('share of quality',
            'McKinsey 2023: personalisation lifts revenue '
            '5–15%, a modest effect (research notes)', (0.4, 0.8)))
    content_relevance: Share = Field(
        0.3, description="share of missing relevance that full content adds while researching",
        json_schema_extra=cite('share of the gap',
            'Google ZMOT 2011: shoppers consult 10.4 '
            "sources, the firm's content is one of them; "
            'magnitude an assumption', (0.15, 0.5)))
    self_service_control: Share = Field(
        0.5, description="control lost in digital channels without self-service",
        json_schema_extra=cite('share of control',
            'Gartner 2019: 70% use self-service, 9% '
            'resolve fully in it; HBR 2017: 81% try it '
            'first; magnitude an assumption', (0.3, 0.7)))
    one_click_simplicity: Share = Field(
        1.0, description="share of missing simplicity that full one-click adds at purchase",
        json_schema_extra=cite('share of the gap', 'assumption', (0.5, 1.0)))
    listening_agility: Share = Field(
        0.7, description="agility lost after purchase in social/messaging without listening",
        json_schema_extra=cite('share of agility',
            'Sprout Social Index 2015: 7 in 8 messages to '
            'brands unanswered within 72 h', (0.5, 0.9)))
    self_service_deflection: Share = Field(
        0.3, description="share of after-sales contacts that full self-service serves in the "
        "website or app instead of a desk",
        json_schema_extra=cite('share of contacts',
            'Gartner 2020: 20–40% of live contacts could '
            'be resolved by existing self-service', (0.1, 0.4)))
    checkout_abandonment: Share = Field(
        0.2, description="share of online purchases abandoned at a long checkout without "
        "one-click",
        json_schema_extra=cite('share of online purchases',
            'Baymard Institute 2016–2024: 17–27% '
            'of those who abandon blame a long '
            'or complicated checkout', (0.1, 0.3)))
    forced_channel_convenience: Share = Field(
        0.5, description="convenience lost in a channel the customer dislikes",
        json_schema_extra=cite('share of convenience', 'assumption', (0.3, 0.7)))
    fragmentation_coherence: Share = Field(
        0.7, description="coherence lost when a channel switch loses the context",
        json_schema_extra=cite('share of coherence',
            'assumption; [24]7 2014: 77% name having to '
            'start over as a top frustration', (0.5, 0.9)))
    fragmentation_agility: Share = Field(
        0.35, description="agility lost when a channel switch loses the context (start over)",
        json_schema_extra=cite('share of agility',
            'assumption: re-explaining costs 1–4 minutes', (0.1, 0.5)))
    complaint_voice_share: Share = Field(
        0.32, description="share of detractors who tell the firm (in public or to it)",
        json_schema_extra=cite('share of detractors',
            'Qualtrics 2025 Consumer Trends: 32% share '
            'feedback directly with the company', (0.2, 0.45)))
    recovery_rate: Share = Field(
        0.6, description="share of voiced complaints that a fast answer recovers (full "
        "listening)",
        json_schema_extra=cite('share of voiced complaints',
            'Twitter/Applied Marketing Science '
            '2016: 69% felt more favourable '
            'after a reply; Gunarathne et al. '
            '2017: over half felt worse', (0.4, 0.8)))
    recovered_satisfaction: Share = Field(
        0.75, description="satisfaction of a recovered detractor (0.75: a passive, scores 8)",
        json_schema_extra=cite('0..1',
            'de Matos, Henrique & Rossi 2007: recovery lifts '
            'satisfaction, not repurchase or word of mouth (a '
            'passive)', (0.7, 0.8)))


class Scenario(Strict):
    """A whole scenario: defaults equal scenarios/base.yaml."""

    name: str = Field("base", description="names the results folder: letters, digits, "
                      "'_', '-', '.' (not first), at most 64 characters")
    description: str = Field(
        "A mid-range firm in fashion retail: the reference market every bundled scenario "
        "extends.", description="what the scenario is (free text)")
    seed: int = Field(20261124, ge=0, le=SEED_MAX, description="master seed of the replications")
    horizon_days: int = Field(365, ge=1, le=36500, description="days simulated (a tick is a day)")
    engine: Literal["vectorized", "agents"] = Field(
        "vectorized", description="vectorized (arrays, fast) or agents (Mesa agents, reference)")
    population: Population = Field(default_factory=Population)
    heterogeneity: Heterogeneity = Field(default_factory=Heterogeneity)
    network: Network = Field(default_factory=Network)
    word_of_mouth: WordOfMouth = Field(default_factory=WordOfMouth)
    industry: Industry = Field(default_factory=Industry)
    strategy: Strategy = Field(default_factory=Strategy)
    behaviour: Behaviour = Field(default_factory=Behaviour)
    effects: Effects = Field(default_factory=Effects)
    validation: Validation = Field(default_factory=Validation)
    economics: Economics = Field(default_factory=Economics)
    archetype_profiles: dict[ArchetypeName, ArchetypeProfile] = Field(
        default_factory=lambda: {a.label: p for a, p in DEFAULT_PROFILES.items()})
    generation_profiles: dict[GenerationName, GenerationProfile] = Field(
        default_factory=lambda: {g.label: p for g, p in DEFAULT_GENERATIONS.items()})

    @field_validator("name")
    @classmethod
    def _safe_name(cls, value):
        return check_name(value)

    @field_validator("archetype_profiles", "generation_profiles", mode="before")
    @classmethod
    def _complete_profiles(cls, value, info):
        # A scenario may change one number of one profile; the rest keeps its default.
        defaults = cls.model_fields[info.field_name].default_factory()
        if not isinstance(value, dict):
            return value
        merged = {k: p.model_dump() for k, p in defaults.items()}
        for key, override in value.items():
            if key in merged and isinstance(override, dict):
                merged[key] = {**merged[key], **override}
            else:
                merged[key] = override
        return merged

    # Field validators see the fields declared before them (population), so the error names
    # the block at fault rather than the whole scenario.
    @field_validator("network")
    @classmethod
    def _complete_network_fits(cls, network, info):
        population = info.data.get("population")
        if network.kind == "complete" and population and population.size > COMPLETE_MAX:
            raise ValueError(f"kind 'complete' links everyone to everyone: allowed for at most "
                             f"{COMPLETE_MAX:,} people, population.size is "
                             f"{population.size:,}")
        return network

    @field_validator("validation")
    @classmethod
    def _index_cases_fit(cls, validation, info):
        population = info.data.get("population")
        if population and validation.index_cases > population.size:
            raise ValueError(f"index_cases ({validation.index_cases}) exceeds population.size "
                             f"({population.size})")
        return validation

    def profile(self, archetype: Archetype) -> ArchetypeProfile:
        """The behavioural profile of an archetype."""
        return self.archetype_profiles.get(archetype.label, DEFAULT_PROFILES[archetype])

    def generation(self, generation: Generation) -> GenerationProfile:
        """The profile of a generation."""
        return self.generation_profiles.get(generation.label, DEFAULT_GENERATIONS[generation])
