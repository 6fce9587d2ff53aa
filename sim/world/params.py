"""The scenario's numbers the daily rules read, as one named tuple (the kernels take it as is)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.scenario.schema import Scenario


class Params(NamedTuple):
    """Numbers of a scenario read by the rules of sim/rules (units as in the schema)."""

    awareness_touchpoint: float  # chance of a touchpoint on an awareness day
    ad_attitude_effect: float  # attitude shift per effective ad seen by an idle customer
    support_contact_probability: float  # after-sales contact per purchase
    channel_stickiness: float  # extra weight of the journey's last channel
    integration: float  # chance a channel switch keeps the context
    review_influence: float  # weight of the public review average in the decision
    purchase_intercept: float  # logit of choosing the firm at attitude 0
    purchase_slope: float  # logit per unit of attitude
    customer_bonus: float  # switching costs of an existing customer (logit)
    purchase_spend_cv: float  # variation of spend between one person's purchases
    product_quality: float  # product experience, 0..1
    noise_sd: float  # variation of an experience, per interaction
    satisfaction_sensitivity: float  # satisfaction per unit of gap
    journey_weight: float  # weight of the journey against the product in satisfaction
    recovery_chance: float  # chance a detractor is recovered (listening × voice × recovery)
    deflection: float  # share of after-sales contacts self-service takes (× self_service)
    checkout_abandonment: float  # online purchases abandoned at checkout (× 1 − one_click)
    recovered_satisfaction: float  # satisfaction of a recovered detractor
    attitude_memory: float  # weight of the latest journey in attitude
    share_probability: float  # per contact, a satisfied customer's story
    negative_ratio: float  # bad stories told this many times as often
    review_probability: float  # chance a satisfied sharer posts a review
    review_memory: float  # weight of each new review in the public average
    peer_influence: float  # attitude shift per story heard
    awareness_probability: float  # chance a good story starts a prospect's journey

    def as_record(self) -> np.ndarray:
        """The same numbers as a one-record array, for the kernels.

        A record travels by reference; a named tuple would be copied into every call of a
        rule, all its numbers each time.
        """
        dtype = np.dtype([(name, np.float64) for name in self._fields], align=True)
        return np.array([tuple(self)], dtype=dtype)

    @classmethod
    def of(cls, s: Scenario) -> Params:
        """The numbers of scenario `s`."""
        b, w, ind, fx = s.behaviour, s.word_of_mouth, s.industry, s.effects
        return cls(
            awareness_touchpoint=b.awareness_touchpoint, ad_attitude_effect=b.ad_attitude_effect,
            support_contact_probability=ind.support_contact_probability,
            channel_stickiness=b.channel_stickiness, integration=s.strategy.integration,
            review_influence=w.review_influence, purchase_intercept=b.purchase_intercept,
            purchase_slope=b.purchase_slope, customer_bonus=b.customer_bonus,
            purchase_spend_cv=s.heterogeneity.purchase_spend_cv,
            product_quality=ind.product_quality,
            noise_sd=b.noise_sd, satisfaction_sensitivity=b.satisfaction_sensitivity,
            journey_weight=b.journey_weight,
            recovery_chance=(s.strategy.social_listening * fx.complaint_voice_share
                             * fx.recovery_rate),
            deflection=fx.self_service_deflection * s.strategy.self_service,
            checkout_abandonment=fx.checkout_abandonment * (1.0 - s.strategy.one_click),
            recovered_satisfaction=fx.recovered_satisfaction, attitude_memory=b.attitude_memory,
            share_probability=w.share_probability, negative_ratio=w.negative_ratio,
            review_probability=w.review_probability, review_memory=w.review_memory,
            peer_influence=w.peer_influence, awareness_probability=w.awareness_probability)
