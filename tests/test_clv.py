"""A CLV model fitted to the transactions export recovers the simulated churn.

The cohort (tests/validation/scenarios/clv_cohort.yaml) is a firm's customers on day 0 with no
new customers won, so churn is final; each churns, or not, at each repurchase decision with the
model's own logit. BG/NBD (lifetimes) sees only the transactions and estimates the mean
probability a/(a+b) that a customer drops out after a purchase.

Tolerance, and why a bracket: customers differ in churn probability (attitudes differ), so the
simulated churn rate has two honest definitions. Per decision (churns / decisions) weighs
loyal customers more, as they decide more often; per customer (a shifted-beta-geometric fitted
to each customer's simulated decisions until churn, the truth no firm sees) weighs everyone
once. BG/NBD's Beta mean (maximum likelihood with PyMC-Marketing, sim/fit/bgnbd.py) is a
per-customer average estimated from purchase timing that is not quite Poisson (a journey takes
at least a week), so it must land between the two, with 10% slack for sampling (about 2,600
customers) and the timing misfit.
"""

import importlib.util

import numpy as np
import pytest
from scipy import optimize, special

from sim.fit.bgnbd import fit_bgnbd
from sim.outputs import exports
from sim.runs.runner import run_scenario
from sim.scenario.loading import load_scenario
from sim.validation import LIMIT_SCENARIOS

# Not importorskip: PyMC must be imported through sim.fit.bgnbd (its compile folder).
pytestmark = pytest.mark.skipif(importlib.util.find_spec("pymc_marketing") is None,
                                reason="the optional 'clv' extra")
CHURNED = 2  # agents.customer.Status.CHURNED
SLACK = 0.10


def cohort(strategy: str, engine: str, size: int):
    overrides = {"engine": engine, "population.size": size, "horizon_days": 365}
    if strategy != "multichannel":
        path = LIMIT_SCENARIOS.parents[2] / "scenarios" / f"{strategy}.yaml"
        strat = load_scenario(path).strategy.model_dump(mode="json")
        overrides["strategy"] = strat | {"advertising": 0.0}
    result = run_scenario(load_scenario(LIMIT_SCENARIOS / "clv_cohort.yaml", overrides), 7,
                          record_journeys=True)
    purchases = exports.transactions(result.journeys)
    rfm = exports.rfm_summary(purchases, exports.observation_end(365))
    churned = result.journeys.status[rfm.customer_id] == CHURNED
    return rfm, churned


def sbg_mean_churn(decisions: np.ndarray, churned: np.ndarray) -> float:
    """Shifted-beta-geometric MLE (Fader & Hardie 2007): mean churn probability α/(α+β)."""
    def nll(log_ab):
        a, b = np.exp(log_ab)
        lb = special.betaln(a, b)
        return -np.where(churned, special.betaln(a + 1, b + decisions - 1) - lb,
                         special.betaln(a, b + decisions) - lb).sum()

    a, b = np.exp(optimize.minimize(nll, [0.0, 1.0], method="Nelder-Mead").x)
    return a / (a + b)


def bg_nbd_dropout(rfm) -> float:
    weeks = rfm.set_index("customer_id")[["frequency", "recency", "T"]]
    return fit_bgnbd(weeks.assign(recency=weeks.recency / 7, T=weeks["T"] / 7)).dropout_mean


@pytest.mark.parametrize("strategy, engine, size", [("multichannel", "vectorized", 3000),
                                                    ("weak_digital", "vectorized", 3000),
                                                    ("multichannel", "agents", 1000)])
def test_bg_nbd_recovers_the_simulated_churn_rate(strategy, engine, size):
    rfm, churned = cohort(strategy, engine, size)
    # After the first purchase: every repeat purchase was a decision to stay, a churn the last.
    decisions = rfm.frequency.to_numpy() + churned
    decided = decisions > 0
    per_decision = churned.sum() / decisions.sum()
    per_customer = sbg_mean_churn(decisions[decided], churned[decided])
    estimate = bg_nbd_dropout(rfm)
    assert per_decision * (1 - SLACK) <= estimate <= per_customer * (1 + SLACK), (
        f"{strategy}/{engine}: BG/NBD {estimate:.3f}, simulated {per_decision:.3f} per "
        f"decision, {per_customer:.3f} per customer")


def test_bg_nbd_tells_a_leaky_firm_from_a_loyal_one():
    loyal, _ = cohort("omnichannel", "vectorized", 2000)
    leaky, _ = cohort("weak_digital", "vectorized", 2000)
    assert bg_nbd_dropout(leaky) > 3 * bg_nbd_dropout(loyal)
