"""What customers would want changed, in the categories consumer surveys use (seed 000).

The Qualtrics consumer-trends survey quoted in `000_852f05d60f41a2d2.txt` reports what
consumers most want firms to change: the online resources they provide (29%) and the purchase
process (27%); its other categories include customer service. The model scores every
touchpoint on the six attributes of seed 003; a touchpoint's shortfall from the customer's
expectation is a complaint about where it happened:

- **purchase process**: any touchpoint of the action phase (buying, in any channel);
- **online resources**: the firm's own website and app outside the purchase (finding, reading,
  comparing, self-service after the sale);
- **customer service**: the staffed desks (phone, messaging, store) outside the purchase, and
  social media after the sale (where customers ask for help in public);
- **communication**: email, SMS and social media before the sale (what the firm tells them).

A customer's main complaint is the category where their experience fell shortest on average
(the mean shortfall of its touchpoints: one terrible checkout outweighs many fair web visits;
`mean_complaints`, `sim.metrics.breakdowns.main_shares`). The mapping is documented in
docs/ODD.md; the shares it gives for the reference firm are a calibration target
(docs/sensitivity.md), not a test of it.
"""

from __future__ import annotations

import numpy as np

from sim.rules.channels import Channel
from sim.rules.phases import JOURNEY, Phase

CATEGORIES = ("online_resources", "purchase_process", "customer_service", "communication")
ONLINE_RESOURCES, PURCHASE_PROCESS, CUSTOMER_SERVICE, COMMUNICATION = range(len(CATEGORIES))
_AFTER_SALE = (Phase.USE, Phase.ENGAGEMENT)


def _category(phase: Phase, channel: Channel) -> int:
    if phase == Phase.ACTION:
        return PURCHASE_PROCESS
    if channel in (Channel.WEB, Channel.APP):
        return ONLINE_RESOURCES
    if channel in (Channel.PHONE, Channel.MESSAGING, Channel.STORE):
        return CUSTOMER_SERVICE
    if channel == Channel.SOCIAL and phase in _AFTER_SALE:
        return CUSTOMER_SERVICE
    return COMMUNICATION  # email, SMS, social before the sale


# CATEGORY_OF[phase, channel]: the category a touchpoint's shortfall counts in (IDLE: unused).
CATEGORY_OF = np.zeros((len(Phase), len(Channel)), dtype=np.int64)
for _phase in JOURNEY:
    for _channel in Channel:
        CATEGORY_OF[_phase, _channel] = _category(_phase, _channel)


def mean_complaints(complaints: np.ndarray) -> np.ndarray:
    """(people, categories) mean shortfall per touchpoint, from the engines' sums and counts.

    0 where a person had no touchpoint in a category.
    """
    sums, counts = complaints[:, :len(CATEGORIES)], complaints[:, len(CATEGORIES):]
    return np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
