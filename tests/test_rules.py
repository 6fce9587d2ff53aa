"""The behaviour rules as units: pure functions of numbers and an explicit generator."""

import numpy as np
import pytest

from agents.generations import draw_affinity
from sim import metrics
from sim.rules import experience, journey, loyalty, wom
from sim.rules.channels import Channel, choice_weights, choose_channel
from sim.rules.experience import Attribute
from sim.rules.journey import Phase
from sim.scenario.schema import Scenario
from sim.world.firm import firm_of

DEFAULT_LEVERS = firm_of(Scenario()).levers  # the default effect sizes


def levers(personalisation=0.5, self_service=0.5, one_click=0.5, social_listening=0.5,
           content=0.5, noise_sd=0.0):
    return DEFAULT_LEVERS._replace(
        personalisation=personalisation, self_service=self_service, one_click=one_click,
        social_listening=social_listening, content=content, noise_sd=noise_sd)


LEVERS = levers()


def rng(seed=0):
    return np.random.default_rng(seed)


def score(levers=LEVERS, channel=Channel.WEB, phase=Phase.INTEREST, preference=1.0,
          fragmented=False, wait=0.0, patience=10.0, quality=0.7):
    return experience.score_interactions(
        np.full((1, 6), quality), np.array([channel]), np.array([phase]), np.array([preference]),
        np.array([fragmented]), np.array([wait]), np.array([patience]), levers, rng())[0]


def test_dwell_time_is_at_least_one_day_with_the_requested_mean():
    days = journey.dwell_days(np.full(200_000, 6.0), rng())
    assert days.min() >= 1
    assert days.mean() == pytest.approx(6.0, rel=0.01)


def test_a_one_day_phase_always_lasts_exactly_one_day():
    assert set(journey.dwell_days(np.ones(1000), rng())) == {1}


def idle_events(first, second, people=200_000):
    """Waits to, and kinds of, `people` idle events (both engines draw them this way)."""
    g = rng()
    waits = np.array([journey.days_to_idle_event(first, second, g) for _ in range(people)])
    events = np.array([journey.idle_event(first, second, g) for _ in range(people)])
    return waits, events


def test_an_idle_customer_gets_needs_and_ads_at_their_daily_rates():
    first, second = journey.idle_chances(True, 0.02, 0.3, 0.001)
    waits, events = idle_events(first, second)
    per_day = 1 / waits.mean()  # events a day, then split by kind
    assert per_day * (events == journey.FIRST_EVENT).mean() == pytest.approx(0.02, rel=0.05)
    assert per_day * (events == journey.SECOND_EVENT).mean() == pytest.approx(0.98 * 0.3,
                                                                              rel=0.02)


def test_an_idle_prospect_notices_ads_or_finds_the_firm_at_their_daily_rates():
    first, second = journey.idle_chances(False, 0.02, 0.3, 0.001)
    waits, events = idle_events(first, second)
    per_day = 1 / waits.mean()
    assert per_day * (events == journey.FIRST_EVENT).mean() == pytest.approx(0.3, rel=0.02)
    assert per_day * (events == journey.SECOND_EVENT).mean() == pytest.approx(0.001, rel=0.2)


@pytest.mark.parametrize("first, second", [(0.01, 0.002), (0.2, 0.3)])
def test_waiting_for_an_idle_event_is_the_same_as_a_daily_chance(first, second):
    """Drawing the wait at once (docs/ODD.md 7.1) is the day-by-day process: geometric waits."""
    people = 20_000
    waits, events = idle_events(first, second, people)
    p = first + second
    assert waits.min() >= 1
    assert waits.mean() == pytest.approx(1 / p, rel=0.04)
    assert (waits == 1).mean() == pytest.approx(p, abs=4 * np.sqrt(p * (1 - p) / people))
    share = (events == journey.FIRST_EVENT).mean()
    assert share == pytest.approx(first / p, abs=4 * np.sqrt(first * second / p**2 / people))


def test_an_idle_event_that_cannot_happen_never_comes():
    assert journey.days_to_idle_event(0.0, 0.0, rng()) == journey.NEVER


def test_engagement_returns_to_idle():
    assert journey.next_phase(Phase.ENGAGEMENT) == Phase.IDLE
    assert journey.next_phase(Phase.AWARENESS) == Phase.DISCOVERY


def test_a_channel_the_firm_does_not_offer_is_never_chosen():
    offered = np.zeros(8)
    offered[[Channel.PHONE, Channel.STORE]] = 1
    picks = {choose_channel(np.ones(8), offered, Phase.DISCOVERY, -1, 1.0, g)
             for g in [rng(i) for i in range(300)]}
    assert picks == {Channel.PHONE, Channel.STORE}


def test_channels_are_chosen_in_proportion_to_their_weights():
    g = rng()
    liking = np.array([1.0, 0.5, 0.2, 0, 0, 0, 0, 0.8])
    weights = choice_weights(liking, np.ones(8), Phase.INTEREST, Channel.APP, 1.0)
    picks = np.array([choose_channel(liking, np.ones(8), Phase.INTEREST, Channel.APP, 1.0, g)
                      for _ in range(20_000)])
    assert np.bincount(picks, minlength=8) / len(picks) == pytest.approx(
        weights / weights.sum(), abs=0.015)


def test_staying_in_the_last_channel_gets_extra_weight():
    base = choice_weights(np.ones(8), np.ones(8), Phase.INTEREST, -1, 1.0)
    sticky = choice_weights(np.ones(8), np.ones(8), Phase.INTEREST, Channel.APP, 1.0)
    assert sticky[Channel.APP] == pytest.approx(2 * base[Channel.APP])


def test_a_fragmented_switch_hurts_coherence_and_agility():
    clean, broken = score(), score(fragmented=True)
    assert broken[Attribute.COHERENCE] < clean[Attribute.COHERENCE]
    assert broken[Attribute.AGILITY] < clean[Attribute.AGILITY]
    assert broken[Attribute.RELEVANCE] == clean[Attribute.RELEVANCE]


def test_waiting_costs_agility_more_for_impatient_customers():
    patient, impatient = score(wait=10, patience=20), score(wait=10, patience=4)
    assert impatient[Attribute.AGILITY] < patient[Attribute.AGILITY] < score()[Attribute.AGILITY]


def test_each_lever_raises_its_own_attribute():
    low = levers(0, 0, 0, 0, 0)
    high = levers(1, 1, 1, 1, 1)
    assert score(high)[Attribute.RELEVANCE] > score(low)[Attribute.RELEVANCE]
    assert score(high)[Attribute.CONTROL] > score(low)[Attribute.CONTROL]
    buy = {"phase": Phase.ACTION}
    assert score(high, **buy)[Attribute.SIMPLICITY] > score(low, **buy)[Attribute.SIMPLICITY]
    talk = {"channel": Channel.SOCIAL, "phase": Phase.USE}
    assert score(high, **talk)[Attribute.AGILITY] > score(low, **talk)[Attribute.AGILITY]


def test_one_click_only_helps_digital_purchases():
    on = levers(0, 0, 1, 0, 0)
    off = levers(0, 0, 0, 0, 0)
    store = {"channel": Channel.STORE, "phase": Phase.ACTION}
    assert score(on, **store)[Attribute.SIMPLICITY] == score(off, **store)[Attribute.SIMPLICITY]
    research = {"phase": Phase.INTEREST}
    assert score(on, **research)[Attribute.SIMPLICITY] == score(off, **research)[
        Attribute.SIMPLICITY]


def test_a_disliked_channel_is_less_convenient():
    assert score(preference=0.2)[Attribute.CONVENIENCE] < score()[Attribute.CONVENIENCE]


def test_scores_stay_within_zero_and_one_even_with_noise():
    noisy = levers(1, 1, 1, 1, 1, noise_sd=0.5)
    x = experience.score_interactions(np.full((5000, 6), 0.9), np.zeros(5000, int),
                                      np.full(5000, Phase.ACTION), np.ones(5000),
                                      np.zeros(5000, bool), np.zeros(5000), np.ones(5000),
                                      noisy, rng())
    assert x.min() >= 0 and x.max() <= 1


def test_digital_customers_expect_more():
    assert experience.expectation(0.9, 0.45, 0.25) > experience.expectation(0.3, 0.45, 0.25)


def test_the_worst_touchpoint_weighs_on_an_embudo_journey():
    stats = (2.6, 4, 0.2)  # four touchpoints 0.8, 0.8, 0.8, 0.2: sum, count, worst
    assert experience.journey_experience(*stats, 0.0) == pytest.approx(0.65)
    assert experience.journey_experience(*stats, 0.8) < experience.journey_experience(*stats, 0.2)
    assert np.isnan(experience.journey_experience(0.0, 0, np.inf, 0.5))


def test_satisfaction_rises_with_the_gaps_and_is_bounded():
    s = experience.satisfaction(np.array([-1.0, -0.1, 0.0, 0.1, 1.0]), 0.0, 2.0, 0.6)
    assert np.all(np.diff(s) > 0)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5


def test_nps_classes_follow_the_standard_thresholds():
    assert list(experience.nps_class(np.arange(11))) == [-1] * 7 + [0, 0, 1, 1]


def test_bad_experiences_are_shared_negative_ratio_times_as_often():
    good = wom.share_probability(1, 0.05, 2.0, 1.0, 1.0)
    bad = wom.share_probability(-1, 0.05, 2.0, 1.0, 1.0)
    assert bad == pytest.approx(2 * good)
    assert wom.share_probability(0, 0.05, 2.0, 1.0, 1.0) == 0.0


def test_only_good_stories_start_journeys():
    assert not wom.starts_journey(-1, 1.0, 1.0, rng())
    assert wom.starts_journey(1, 1.0, 1.0, rng())


def test_hearing_a_story_moves_attitude_in_its_direction():
    assert wom.attitude_shift(1, 0.15, 2.0) == pytest.approx(0.3)
    assert wom.attitude_shift(-1, 0.15, 1.0) == pytest.approx(-0.15)


def test_choosing_the_firm_grows_with_attitude_and_customers_are_stickier():
    p = loyalty.choose_firm_probability(np.array([-0.5, 0.0, 0.5]), False, -0.5, 4.0, 2.5, 0.0)
    assert np.all(np.diff(p) > 0)
    assert loyalty.choose_firm_probability(0.0, True, -0.5, 4.0, 2.5, 0.0) > p[1]


def test_advertising_moves_digital_natives_less():
    assert loyalty.ad_effectiveness(0.9, 0.8, 1.0) < loyalty.ad_effectiveness(0.3, 0.8, 1.0)


def test_attitude_moves_toward_the_last_journey():
    assert loyalty.updated_attitude(0.0, 1.0, 0.5) == pytest.approx(0.5)
    assert loyalty.updated_attitude(0.0, 0.0, 0.5) == pytest.approx(-0.5)


def test_customer_lifetime_value_matches_the_closed_form():
    # m·R·(1+d)/(1+d−r) with m=0.3, R=100, r=0.9, d=0.1: 30·1.1/0.2 = 165
    assert loyalty.clv(100.0, 0.3, 0.9, 0.1) == pytest.approx(165.0)


def test_retention_rate_is_the_standard_definition():
    # 1000 at start, 950 at end of which 100 were acquired during the period: 85%.
    assert metrics.retention_rate(950, 100, 1000) == pytest.approx(0.85)


def test_digital_affinity_centres_on_the_generation_mean():
    a = draw_affinity(np.full(50_000, 0.85), rng())
    assert a.mean() == pytest.approx(0.85, abs=0.005) and a.min() >= 0 and a.max() <= 1
