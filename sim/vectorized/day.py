"""One day of the journey for arrays of people: `agents.Customer.step` written for everyone.

Each function takes the model and the indices of the people it concerns, and applies the same
rules from sim/ that a `Customer` applies to itself, as one array operation.
"""

from __future__ import annotations

import numpy as np

from agents.customer import AWARENESS_TOUCHPOINT, Status
from sim import experience, journey, loyalty, wom
from sim.channels import choice_weights, choose_channel
from sim.journey import RESEARCH_PHASES, Phase
from sim.model import RECOVERED_SATISFACTION
from sim.vectorized.state import ADVERTISING, NEED, ORGANIC, WORD_OF_MOUTH


def deliver_stories(m) -> None:
    """Yesterday's stories change attitudes; good ones tip idle prospects off."""
    listeners, valence = _gather(m.outbox)  # told yesterday
    m.outbox = []
    if not len(listeners):
        return
    c = m.crowd
    archetype = m.people.archetype[listeners]
    shift = wom.attitude_shift(valence, m.wom.peer_influence,
                               m.profiles.peer_susceptibility[archetype])
    np.add.at(c.attitude, listeners, shift)
    np.clip(c.attitude, -1.0, 1.0, out=c.attitude)
    open_minded = (c.phase[listeners] == Phase.IDLE) & (c.status[listeners] != Status.CUSTOMER)
    heard = listeners[open_minded]
    tipped = wom.starts_journey(valence[open_minded], m.wom.awareness_probability,
                                m.profiles.peer_susceptibility[archetype[open_minded]], m.rng,
                                len(heard))
    c.tipped_off[heard[tipped]] = True


def _gather(outbox):
    if not outbox:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int8)
    return np.concatenate([o[0] for o in outbox]), np.concatenate([o[1] for o in outbox])


def look_for_needs(m, idle: np.ndarray) -> None:
    """Customers get needs (or see an ad); prospects are tipped off, see an ad, or search."""
    c, p = m.crowd, m.people
    customer = idle[c.status[idle] == Status.CUSTOMER]
    need = journey.need_arrives(p.need_rate[p.archetype[customer]], m.rng, len(customer))
    start_journeys(m, customer[need], NEED)
    rest = customer[~need]
    saw_ad = rest[m.rng.random(len(rest)) < p.ad_reach[rest]]
    c.attitude[saw_ad] = np.minimum(1.0, c.attitude[saw_ad] + m.behaviour.ad_attitude_effect)
    others = idle[c.status[idle] != Status.CUSTOMER]
    was_tipped = c.tipped_off[others]
    tipped = others[was_tipped]
    c.tipped_off[tipped] = False
    start_journeys(m, tipped, WORD_OF_MOUTH)
    others = others[~was_tipped]
    u, ad = m.rng.random(len(others)), p.ad_reach[others]
    start_journeys(m, others[u < ad], ADVERTISING)
    organic = (u >= ad) & (u < ad + p.organic_rate[p.archetype[others]])
    start_journeys(m, others[organic], ORGANIC)


def start_journeys(m, who: np.ndarray, source: int) -> None:
    """Needs become awareness."""
    c = m.crowd
    c.source[who] = source
    c.journey_start[who] = m.day
    c.touchpoint_sum[who], c.touchpoint_count[who], c.worst_touchpoint[who] = 0.0, 0, np.inf
    c.last_channel[who] = -1
    enter(m, who, Phase.AWARENESS)


def enter(m, who: np.ndarray, phase) -> None:
    """Move people to `phase` (one phase or one per person) and draw their days in it."""
    c = m.crowd
    c.phase[who] = phase
    moving = who if np.ndim(phase) == 0 else who[phase != Phase.IDLE]
    if not len(moving) or (np.ndim(phase) == 0 and phase == Phase.IDLE):
        return
    phase = c.phase[moving]
    m.tally.funnel += np.bincount(phase, minlength=len(Phase))
    if m.recorder is not None:
        m.recorder.entered(moving, phase, m.day)
    mean = m.people.dwell_mean[m.people.archetype[moving], phase]
    c.dwell[moving] = c.days_left[moving] = journey.dwell_days(mean, m.rng)


def live_phases(m, busy: np.ndarray) -> None:
    """People in a journey: act in their phase, count the day, finish the phase if done."""
    c = m.crowd
    phase = c.phase[busy]
    first_day = c.days_left[busy] == c.dwell[busy]
    chance = np.zeros(len(busy))
    chance[phase == Phase.AWARENESS] = AWARENESS_TOUCHPOINT
    research = (phase >= RESEARCH_PHASES[0]) & (phase <= RESEARCH_PHASES[-1])
    chance[research] = m.profiles.touchpoints[m.people.archetype[busy[research]]]
    chance[phase == Phase.ACTION] = c.days_left[busy[phase == Phase.ACTION]] == 1
    chance[phase == Phase.USE] = m.industry.support_contact_probability * first_day[
        phase == Phase.USE]
    judge(m, busy[(phase == Phase.ENGAGEMENT) & first_day])
    acting = chance > 0
    interact(m, busy[acting][m.rng.random(int(acting.sum())) < chance[acting]])
    c.days_left[busy] -= 1
    finish_phases(m, busy[c.days_left[busy] <= 0])


def interact(m, who: np.ndarray) -> None:
    """Each picks a channel among those offered; the touchpoints are scored at day's end."""
    if not len(who):
        return
    c = m.crowd
    last, phase = c.last_channel[who], c.phase[who]
    weights = choice_weights(m.people.preferences[who], m.firm.offered, phase, last,
                             m.behaviour.channel_stickiness)
    channel = choose_channel(weights, m.rng).astype(np.int8)
    switched = (last >= 0) & (channel != last)
    fragmented = switched & (m.rng.random(len(who)) >= m.strategy.integration)
    c.last_channel[who] = channel
    m.touchpoints.append((who, channel, phase, fragmented))
    if m.recorder is not None:
        m.recorder.touched(who, channel)
    m.tally.touchpoints(phase, channel, switched, fragmented)


def finish_phases(m, who: np.ndarray) -> None:
    """Leave the current phase: decide, buy, or move on."""
    c, t = m.crowd, m.tally
    phase, archetype = c.phase[who], m.people.archetype[who]
    np.add.at(t.dwell_days, (phase, archetype), c.dwell[who])
    np.add.at(t.dwell_count, (phase, archetype), 1)
    decide(m, who[phase == Phase.CONSIDERATION])
    buy(m, who[phase == Phase.ACTION])
    rest = who[(phase != Phase.CONSIDERATION) & (phase != Phase.ACTION)]
    enter(m, rest, np.where(c.phase[rest] == Phase.ENGAGEMENT, Phase.IDLE, c.phase[rest] + 1))


def decide(m, who: np.ndarray) -> None:
    """End of consideration: buy from the firm or from a competitor (customers then churn)."""
    c, b = m.crowd, m.behaviour
    seen = c.attitude[who] + m.wom.review_influence * m.review_mean
    is_customer = c.status[who] == Status.CUSTOMER
    p = loyalty.choose_firm_probability(seen, is_customer, b.purchase_intercept,
                                        b.purchase_slope, b.customer_bonus,
                                        m.profiles.loyalty[m.people.archetype[who]])
    buys = m.rng.random(len(who)) < p
    enter(m, who[buys], Phase.ACTION)
    churn(m, who[~buys & is_customer])
    enter(m, who[~buys], Phase.IDLE)


def churn(m, who: np.ndarray) -> None:
    """Take the business elsewhere."""
    c = m.crowd
    c.status[who] = Status.CHURNED
    m.tally.add("defections", len(who))
    m.initial_retained -= int(c.in_cohort[who].sum())
    c.in_cohort[who] = False


def buy(m, who: np.ndarray) -> None:
    """The purchase: revenue, and new customers among those who were not."""
    c, t = m.crowd, m.tally
    archetype = m.people.archetype[who]
    basket = m.industry.basket_value * m.profiles.basket[archetype]
    c.purchases[who] += 1
    c.revenue[who] += basket
    t.revenue += basket.sum()
    t.add("purchases", len(who))
    if m.recorder is not None:
        m.recorder.bought(who, m.day, basket)
    np.add.at(t.to_purchase_days, archetype, m.day - c.journey_start[who] + 1)
    np.add.at(t.to_purchase_count, archetype, 1)
    new = who[c.status[who] != Status.CUSTOMER]
    c.status[new] = Status.CUSTOMER
    c.acquired_via[new] = c.source[new]
    np.add.at(t.acquisitions, (c.source[new], m.people.archetype[new]), 1)
    t.today["acquisitions"] += len(new)
    enter(m, who, Phase.USE)


def judge(m, who: np.ndarray) -> None:
    """First day of engagement: rate the journey, update attitude, talk about it."""
    if not len(who):
        return
    c, b, p = m.crowd, m.behaviour, m.profiles
    expected = m.people.expected[who]
    score = experience.journey_experience(c.touchpoint_sum[who], c.touchpoint_count[who],
                                          c.worst_touchpoint[who],
                                          p.worst_touchpoint[m.people.archetype[who]])
    journey_gap = np.where(np.isnan(score), 0.0, score - expected)
    product_gap = m.industry.product_quality + m.rng.normal(0, b.noise_sd, len(who)) - expected
    sat = experience.satisfaction(journey_gap, product_gap, b.satisfaction_sensitivity)
    valence = experience.nps_class(experience.recommend_score(sat))
    recovered = (valence < 0) & (m.rng.random(len(who)) <
                                 m.strategy.social_listening * b.recovery_rate)
    sat[recovered], valence[recovered] = RECOVERED_SATISFACTION, 0
    m.tally.add("recovered", int(recovered.sum()))
    m.tally.satisfaction_sum += sat.sum()
    m.tally.nps += np.bincount(valence + 1, minlength=3)
    c.attitude[who] = loyalty.updated_attitude(c.attitude[who], sat, b.attitude_memory)
    talking = valence != 0
    share(m, who[talking], valence[talking].astype(np.int8))


def share(m, who: np.ndarray, valence: np.ndarray) -> None:
    """Sharers tell each neighbour with their probability (heard tomorrow) and may review."""
    archetype = m.people.archetype[who]
    p = wom.share_probability(valence, m.wom.share_probability, m.wom.negative_ratio,
                              m.profiles.share_positive[archetype],
                              m.profiles.share_negative[archetype])
    degree = m.indptr[who + 1] - m.indptr[who]
    sharer = np.repeat(np.arange(len(who)), degree)
    offset = np.arange(len(sharer)) - np.repeat(np.cumsum(degree) - degree, degree)
    listeners = m.neighbours[m.indptr[who][sharer] + offset]
    heard = m.rng.random(len(sharer)) < p[sharer]
    m.outbox.append((listeners[heard], valence[sharer[heard]]))
    reached = np.bincount(sharer[heard], minlength=len(who))
    m.tally.word_of_mouth_many(valence, reached)
    posts = m.rng.random(len(who)) < wom.review_probability(valence, m.wom.review_probability,
                                                            m.wom.negative_ratio)
    m.tally.reviews += [int((valence[posts] > 0).sum()), int((valence[posts] < 0).sum())]
    m.reviews_today.append(valence[posts])


def publish_reviews(m) -> None:
    """Today's reviews join the public average, read from tomorrow on."""
    if m.reviews_today:
        m.review_mean = wom.review_average(m.review_mean, np.concatenate(m.reviews_today))
    m.reviews_today = []
