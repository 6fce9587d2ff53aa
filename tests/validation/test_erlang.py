"""Erlang C: both service desks the engines use match the M/M/c mean wait and P(wait).

The desks are driven through `serve_day`, the call the engines make every simulated day,
over one long busy period (sim/validation/erlang.py). Tolerance: 4 standard errors by batch
means (30 batches of consecutive contacts).
"""

import pytest

from sim.validation import erlang
from sim.validation.erlang import erlang_c


@pytest.mark.parametrize("desk", erlang.DESKS)
def test_desks_match_erlang_c(desk):
    table = erlang.table(desks=[desk], contacts=40_000)
    for row in table.itertuples():
        assert row.within, (f"{row.desk} desk λ={row.arrivals_per_min} h={row.handle_minutes} "
                            f"c={row.agents}: wait {row.mean_wait:.3f} vs {row.erlang_c_wait:.3f}"
                            f" (± {row.wait_tolerance:.3f}), P(wait) {row.p_wait:.3f} vs "
                            f"{row.erlang_c_p_wait:.3f} (± {row.p_tolerance:.3f})")
    simpy_row, fifo_row = table.itertuples()
    assert simpy_row.mean_wait == pytest.approx(fifo_row.mean_wait, rel=1e-9)  # same draws


def test_a_desk_with_one_agent_fewer_is_told_apart():
    # The comparison can fail: ten agents' waits are far outside Erlang C for nine.
    row = erlang.compare("fifo", 0.8, 10.0, 10, contacts=40_000)
    _, nine_agents_wait = erlang_c(0.8, 0.1, 9)
    assert abs(row["mean_wait"] - nine_agents_wait) > row["wait_tolerance"]
