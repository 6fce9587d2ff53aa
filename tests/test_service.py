"""Service desks against the Erlang C closed form for M/M/c queues."""

import numpy as np
import pytest
import simpy

from sim.engines.desks import ServiceDesk
from sim.rules.service import servers_for
from sim.validation.erlang import erlang_c


def test_erlang_c_reduces_to_m_m_1():
    lam, mu = 0.8, 1.0
    p_wait, wait = erlang_c(lam, mu, 1)
    assert p_wait == pytest.approx(lam / mu)
    assert wait == pytest.approx(lam / (mu * (mu - lam)))


def test_erlang_c_textbook_value():
    # 2 Erlangs offered to 3 agents: P(wait) = 4/9 (Erlang C table).
    p_wait, _ = erlang_c(2.0, 1.0, 3)
    assert p_wait == pytest.approx(4 / 9)


def test_erlang_c_refuses_an_unstable_queue():
    with pytest.raises(ValueError, match="unstable"):
        erlang_c(3.0, 1.0, 3)


@pytest.mark.parametrize("lam, mu, c", [(0.6, 0.25, 3), (1.5, 0.5, 4)])
def test_simpy_desk_matches_erlang_c(lam, mu, c):
    """Poisson arrivals (uniform given their count) and exponential handling: M/M/c.

    Tolerance: 10% of the mean wait. Over 60,000 contacts at these loads (ρ = 0.8, 0.75)
    the standard error of the mean wait, with the queue's autocorrelation, is about 3%.
    """
    g = np.random.default_rng(7)
    horizon = 60_000 / lam
    n = g.poisson(lam * horizon)
    desk = ServiceDesk(simpy.Environment(), c, 1 / mu, open_minutes=horizon)
    waits = desk.serve(0.0, g.uniform(0, horizon, n), g.exponential(1 / mu, n))
    p_wait, mean_wait = erlang_c(lam, mu, c)
    assert waits.mean() == pytest.approx(mean_wait, rel=0.10)
    assert (waits > 0).mean() == pytest.approx(p_wait, abs=0.03)


def test_more_staff_means_shorter_waits_at_the_desk():
    def mean_wait(servers):
        g = np.random.default_rng(3)
        desk = ServiceDesk(simpy.Environment(), servers, 8.0, open_minutes=600)
        return np.mean([desk.serve_day(day, 120, g).mean() for day in range(30)])

    assert mean_wait(3) > mean_wait(4) > mean_wait(6)


def test_a_queue_left_at_closing_time_is_served_in_overtime():
    desk = ServiceDesk(simpy.Environment(), 1, 10.0, open_minutes=60)
    waits = desk.serve_day(0, 30, np.random.default_rng(1))
    assert len(waits) == 30 and waits.max() > 60


def test_staff_scale_with_the_market_and_never_drop_to_zero():
    assert servers_for(0.5, 10_000) == 5
    assert servers_for(0.5, 100) == 1


def test_desks_sharing_one_clock_do_not_hold_each_other_up():
    """All desks of a model admit their day's contacts before the shared clock runs."""
    from sim.engines.desks import run_until_served

    env, g = simpy.Environment(), np.random.default_rng(0)
    first, second = ServiceDesk(env, 1, 8.0), ServiceDesk(env, 1, 8.0)
    waits = [[], []]
    for day in range(300):
        wa, pa = first.admit_day(day, 40, g)
        wb, pb = second.admit_day(day, 40, g)
        run_until_served(env, pa + pb)
        waits[0].append(wa.mean())
        waits[1].append(wb.mean())
    assert np.mean(waits[1]) == pytest.approx(np.mean(waits[0]), rel=0.15)


def test_fifo_queue_gives_the_simpy_desk_waits_contact_by_contact():
    from sim.engines.queueing import FifoDesk

    g1, g2 = np.random.default_rng(5), np.random.default_rng(5)
    simpy_desk = ServiceDesk(simpy.Environment(), 3, 9.0, open_minutes=240)
    fifo_desk = FifoDesk(3, 9.0, open_minutes=240)
    for day in range(40):  # heavy load: queues spill into overtime and the next day
        expected = simpy_desk.serve_day(day, 90, g1)
        assert np.allclose(fifo_desk.serve_day(day, 90, g2), expected, atol=1e-9)


def test_fifo_queue_follows_the_simpy_desk_when_overtime_runs_past_the_next_morning():
    """More work than a day holds: the next day's contacts find the desk's clock past their
    arrival time and, as in SimPy, arrive when it gets there."""
    from sim.engines.queueing import FifoDesk

    g1, g2 = np.random.default_rng(8), np.random.default_rng(8)
    simpy_desk = ServiceDesk(simpy.Environment(), 1, 30.0, open_minutes=240)
    fifo_desk = FifoDesk(1, 30.0, open_minutes=240)
    for day in range(6):  # 60 contacts × 30 minutes a day: about 1,800 minutes of work
        expected = simpy_desk.serve_day(day, 60, g1)
        assert np.allclose(fifo_desk.serve_day(day, 60, g2), expected, atol=1e-6)
    assert simpy_desk.env.now > 6 * 1440  # the overtime did run past the next mornings


def test_fifo_queue_matches_erlang_c():
    from sim.engines.queueing import FifoDesk

    lam, mu, c = 1.5, 0.5, 4
    g = np.random.default_rng(11)
    horizon = 60_000 / lam
    n = g.poisson(lam * horizon)
    waits = FifoDesk(c, 1 / mu).serve(0.0, g.uniform(0, horizon, n), g.exponential(1 / mu, n))
    p_wait, mean_wait = erlang_c(lam, mu, c)
    assert waits.mean() == pytest.approx(mean_wait, rel=0.10)
    assert (waits > 0).mean() == pytest.approx(p_wait, abs=0.03)
