"""The state changes of one person, each one rule (sim/rules), as both engines use them.

A person here is a plain object with the fields of `sim.world.people.STATE` and `TRAITS`,
as a Mesa customer is; the last test runs the same rules compiled on the vectorized engine's
records and checks that they change a person exactly alike.
"""

from types import SimpleNamespace

import numba
import numpy as np
import pytest

from sim.rules import buffers as queues
from sim.rules import channels, counters, experience, journey, wom
from sim.rules.buffers import STORIES, TOUCHES, Buffers
from sim.rules.draws import Draws
from sim.rules.journey import Phase
from sim.rules.loyalty import Status
from sim.rules.tally import Tally
from sim.scenario.schema import Scenario
from sim.world.params import Params
from sim.world.people import STATE, TRAITS, draw_people, initial_state, traits_of
from sim.world.profiles import as_tuples, profiles_of

SCENARIO = Scenario()
PARAMS = Params.of(SCENARIO)
PEOPLE = draw_people(SCENARIO.model_copy(update={"population": SCENARIO.population.model_copy(
    update={"size": 50})}), np.random.default_rng(1))
PROFILES = profiles_of(SCENARIO)
PROFILE = as_tuples(PROFILES)[0]


def person(**changes) -> SimpleNamespace:
    """Person 0 of a small market, an idle prospect, as a plain object (as a Mesa customer)."""
    fields = {**_fields(initial_state(PEOPLE)[0]), **_fields(traits_of(PEOPLE)[0]),
              "status": int(Status.PROSPECT), "in_cohort": False}
    return SimpleNamespace(**{**fields, **changes})


def _fields(record) -> dict:
    return {name: record[name].item() for name in record.dtype.names}


def books(n=50, links=200) -> tuple[Tally, Buffers]:
    tally = Tally.empty()
    tally.in_phase[Phase.IDLE] = n
    tally.in_status[:] = [n, 0, 0]
    return tally, Buffers.sized(n, links, 1, recording=False)


def test_a_switch_is_fragmented_with_chance_one_minus_integration():
    g, trials, integration = np.random.default_rng(2), 20_000, 0.3
    fragmented = 0
    for _ in range(trials):
        someone = person(last_channel=0)
        switched, lost = channels.switch_to(someone, 1, integration, g)
        assert switched and someone.last_channel == 1
        fragmented += lost
    share, sd = fragmented / trials, np.sqrt(0.7 * 0.3 / trials)
    assert share == pytest.approx(1 - integration, abs=4 * sd)


def test_staying_in_the_channel_or_a_first_touchpoint_is_never_a_switch():
    g = np.random.default_rng(3)
    assert channels.switch_to(person(last_channel=4), 4, 0.0, g) == (False, False)
    assert channels.switch_to(person(last_channel=-1), 4, 0.0, g) == (False, False)


def test_a_touchpoint_is_queued_for_tonight_and_counted():
    tally, buffers = books()
    someone = person(phase=Phase.INTEREST, last_channel=-1)
    channel, fragmented = channels.interact(someone, PEOPLE.preferences[0], np.ones(8), PARAMS,
                                            np.random.default_rng(4), tally)
    queues.queue_touchpoint(buffers, 0, someone.phase, channel, fragmented)
    assert buffers.fill[TOUCHES] == 1 and buffers.touch_phase[0] == Phase.INTEREST
    assert buffers.touch_channel[0] == someone.last_channel == channel
    assert tally.counts[counters.INTERACTIONS] == 1
    assert tally.channel_mix[Phase.INTEREST].sum() == 1


def test_a_customer_who_buys_elsewhere_churns_and_leaves_the_cohort_for_good():
    tally, buffers = books()
    tally.in_status[:] = [49, 1, 0]
    hostile = person(status=Status.CUSTOMER, in_cohort=True, attitude=-1.0,
                     phase=Phase.CONSIDERATION, dwell=2)
    harsh = PARAMS._replace(purchase_intercept=-30.0)  # nobody chooses the firm
    following = journey.finish_phase(hostile, hostile, PROFILE, harsh, 0.0, 5,
                                     np.random.default_rng(5), tally)
    assert following == Phase.IDLE and hostile.status == Status.CHURNED
    assert not hostile.in_cohort
    assert tally.counts[counters.DEFECTIONS] == tally.counts[counters.COHORT_LOST] == 1
    assert list(tally.in_status) == [49, 0, 1]


def test_a_prospect_who_decides_against_the_firm_just_goes_idle():
    tally, buffers = books()
    prospect = person(attitude=-1.0, phase=Phase.CONSIDERATION, dwell=2)
    harsh = PARAMS._replace(purchase_intercept=-30.0)
    assert journey.finish_phase(prospect, prospect, PROFILE, harsh, 0.0, 5,
                                np.random.default_rng(5), tally) == Phase.IDLE
    assert prospect.status == Status.PROSPECT and tally.counts[counters.DEFECTIONS] == 0


def test_a_purchase_wins_a_prospect_through_what_started_the_journey():
    tally, buffers = books()
    prospect = person(phase=Phase.ACTION, dwell=1, source=counters.WORD_OF_MOUTH,
                      journey_start=3)
    steady = PARAMS._replace(purchase_spend_cv=0.0, checkout_abandonment=0.0)
    assert journey.finish_phase(prospect, prospect, PROFILE, steady, 0.0, 9,
                                np.random.default_rng(6), tally) == Phase.USE
    assert prospect.status == Status.CUSTOMER
    assert prospect.acquired_via == counters.WORD_OF_MOUTH
    assert prospect.revenue == prospect.spend == tally.sums[counters.REVENUE]
    assert tally.acquisitions[counters.WORD_OF_MOUTH, prospect.archetype] == 1
    assert tally.to_purchase_days[prospect.archetype] == 9 - 3 + 1


def test_a_detractor_is_recovered_only_when_the_firm_listens():
    def recovered_share(listening):
        tally, _ = books()
        params = PARAMS._replace(recovery_chance=listening * 0.5, product_quality=0.0,
                                 noise_sd=0.0)
        g = np.random.default_rng(7)
        for _ in range(4000):
            unhappy = person(touchpoint_sum=0.0, touchpoint_count=1, worst_touchpoint=0.0)
            experience.judge(unhappy, unhappy, PROFILE, params, g, tally)
        return tally.counts[counters.RECOVERED] / tally.counts[counters.RATED]

    assert recovered_share(0.0) == 0.0
    assert recovered_share(1.0) == pytest.approx(0.5, abs=4 * np.sqrt(0.25 / 4000))


def test_a_bad_story_reaches_about_negative_ratio_times_as_many_contacts():
    indptr, neighbours = np.array([0, 49] + [49] * 49), np.arange(1, 50)
    profile = PROFILE._replace(share_positive=1.0, share_negative=1.0)
    reach = {}
    for valence in (1, -1):
        told = 0
        g = np.random.default_rng(8)
        for _ in range(400):
            tally, buffers = books()
            wom.tell(0, valence, profile, PARAMS, g, indptr, neighbours, tally, buffers)
            told += buffers.fill[STORIES]
        reach[valence] = told
    assert reach[-1] / reach[1] == pytest.approx(PARAMS.negative_ratio, rel=0.1)


def test_a_good_story_tips_off_an_idle_prospect_but_never_a_customer():
    params = PARAMS._replace(awareness_probability=1.0)
    eager = PROFILE._replace(peer_susceptibility=1.0)
    prospect, customer = person(), person(status=Status.CUSTOMER)
    for someone in (prospect, customer):
        wom.hear(someone, eager, 1, params, 3, np.random.default_rng(9))
    assert prospect.tipped_off and not customer.tipped_off
    assert prospect.last_story == 1 and prospect.last_story_day == 3
    assert prospect.attitude > person().attitude


def test_a_tipped_off_prospect_starts_a_journey_through_word_of_mouth():
    prospect = person(tipped_off=True, next_event=journey.NEVER)
    source = journey.look_for_need(prospect, prospect, PROFILE, PARAMS, 0,
                                   np.random.default_rng(10))
    assert source == counters.WORD_OF_MOUTH and not prospect.tipped_off


def test_entering_a_phase_keeps_the_head_count_and_the_funnel():
    tally, buffers = books()
    someone = person()
    journey.enter_phase(someone, someone, PROFILE, Phase.AWARENESS, 0, PEOPLE.dwell_mean,
                        np.random.default_rng(11), tally)
    assert tally.in_phase[Phase.IDLE] == 49 and tally.in_phase[Phase.AWARENESS] == 1
    assert tally.funnel[Phase.AWARENESS] == 1 and someone.days_left >= 1


@numba.njit
def _day_in_a_journey(state, traits, profile, params, rng, tally, buffers, preferences,
                      dwell_mean, days):
    """A few days of person 0 compiled: the rules in the order of `Customer.step`."""
    person, trait = state[0], traits[0]
    for day in range(days):
        if person.phase == journey.IDLE:
            source = journey.look_for_need(person, trait, profile, params, day, rng)
            if source >= 0:
                journey.start_journey(person, source, day)
                journey.enter_phase(person, trait, profile, journey.AWARENESS, day, dwell_mean,
                                    rng, tally)
            continue
        chance = journey.touchpoint_chance(person, profile, params)
        if chance > 0 and rng.random() < chance:
            channel, fragmented = channels.interact(person, preferences, np.ones(8), params, rng,
                                                    tally)
            queues.queue_touchpoint(buffers, 0, person.phase, channel, fragmented)
        if journey.count_down(person):
            following = journey.finish_phase(person, trait, profile, params, 0.0, day, rng,
                                             tally)
            journey.enter_phase(person, trait, profile, following, day, dwell_mean, rng, tally)


def test_the_rules_change_a_record_compiled_exactly_as_a_mesa_customer_in_python():
    state, traits = initial_state(PEOPLE)[:1], traits_of(PEOPLE)[:1]
    state["tipped_off"], state["status"], state["in_cohort"] = True, Status.PROSPECT, False
    plain = person(tipped_off=True)
    tally_c, buffers_c = books()
    tally_p, buffers_p = books()
    record = PROFILES[traits[0]["archetype"]]
    generator = np.random.default_rng(12)  # Draws holds its address: keep it alive
    _day_in_a_journey(state, traits, record, PARAMS.as_record()[0], Draws.of(generator),
                      tally_c.record, buffers_c, PEOPLE.preferences[0], PEOPLE.dwell_mean, 30)
    _day_in_a_journey.py_func([plain], [plain], as_tuples(PROFILES)[plain.archetype], PARAMS,
                              np.random.default_rng(12), tally_p, buffers_p,
                              PEOPLE.preferences[0], PEOPLE.dwell_mean, 30)
    assert _fields(state[0]) == {name: getattr(plain, name) for name in STATE.names}
    assert all(np.array_equal(a, b) for a, b in zip(tally_c.arrays(), tally_p.arrays(),
                                                    strict=True))
    assert tally_c.funnel[Phase.AWARENESS] >= 1  # the test walked a journey
    assert TRAITS.names == ("archetype", "ad_reach", "expected", "need_rate", "organic_rate",
                            "loyalty", "spend")
