"""Where the vectorized engine's compiled day spends its time, part by part.

    python benchmarks/kernel_profile.py [--people 10000]

No Python profiler sees inside numba's compiled code, so this times the parts of a day
separately on a frozen state: the multichannel scenario is run for 150 days, then the person
loop (`journeys.live_day`) is timed for a few days from copies of that state: as it is, with
everyone idle (their next idle events drawn afresh), everyone in the use phase (a day with
nothing to do) and everyone researching (a touchpoint draw and often a touchpoint every day);
and the end of the day (`touchpoints.settle_touchpoints`) is timed on that day's touchpoints
with and without the desks. Each timed call also pays for passing the state from Python, about
7 µs (under 1 ns per person-day at 10,000 people; a whole run makes one call, `run_days`).
Times are the fastest of five, per person-day or per touchpoint. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sim.engines.vectorized import VectorizedModel  # noqa: E402
from sim.engines.vectorized.journeys import live_day, schedule_idle_events  # noqa: E402
from sim.engines.vectorized.model import _desks  # noqa: E402
from sim.engines.vectorized.touchpoints import settle_touchpoints  # noqa: E402
from sim.rules.journey import Phase  # noqa: E402
from sim.scenario.loading import load_scenario  # noqa: E402

DAYS, REPEATS = 5, 5  # few days: the frozen states drift (idle people start journeys)


def fastest(prepare, run) -> float:
    """Fastest of `REPEATS` calls of `run(prepare())`, in seconds, preparing untimed."""
    times = []
    for _ in range(REPEATS):
        state = prepare()
        started = time.perf_counter()
        run(state)
        times.append(time.perf_counter() - started)
    return min(times)


def person_loop(m: VectorizedModel, crowd) -> float:
    """Nanoseconds per person-day of `live_day` over `DAYS` days from a copy of `crowd`."""
    def run(state):
        c, census = state
        for d in range(DAYS):
            m.buffers.fill[:] = 0
            live_day(m.day + d, c, m.folk, m.kinds, m.people.dwell_mean, m.people.preferences,
                     m.firm.offered, m.rules, m.review_mean, m._draws, m._network, m.buffers,
                     m._tallies, census)
    return fastest(lambda: (crowd.copy(), m.census.copy()), run) / DAYS / len(crowd) * 1e9


def end_of_day(m: VectorizedModel, touches, desks) -> float:
    """Nanoseconds per touchpoint of `settle_touchpoints` on `touches`, a day at a time."""
    def prepare():
        return (m.crowd.copy(), m.shortfall.copy(), m.buffers.sums.copy(),
                m.tally.wait_sum.copy(), m.tally.wait_count.copy())

    def run(state):
        crowd, shortfall, sums, wait_sum, wait_count = state
        for d in range(DAYS):
            settle_touchpoints(m.day + d, touches, crowd, m.folk, m.people.preferences,
                               m.people.weights, shortfall, m.firm.quality, m.firm.levers,
                               desks, m._draws, sums, wait_sum, wait_count)
    return fastest(prepare, run) / DAYS / len(touches) * 1e9


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    people = parser.parse_args().people
    scenario = load_scenario(REPO / "scenarios" / "multichannel.yaml",
                             {"population.size": people})
    m = VectorizedModel(scenario, seed=1)
    for _ in range(150):
        m.step()
    touches = m.buffers.touches[:m.buffers.fill[0]].copy()
    idle, use, research = m.crowd.copy(), m.crowd.copy(), m.crowd.copy()
    idle["phase"] = Phase.IDLE
    schedule_idle_events(idle, m.folk, m.kinds, m.day, m._draws)  # idle days, as if just idle
    for crowd, phase in ((use, Phase.USE), (research, Phase.INTEREST)):
        crowd["phase"], crowd["days_left"], crowd["dwell"] = phase, 10**6, 10**7
    print(f"person loop, ns per person-day ({people:,} people, {DAYS} days):")
    for label, crowd in (("as on day 150", m.crowd), ("everyone idle", idle),
                         ("everyone in use", use), ("everyone researching", research)):
        print(f"  {label:<24}{person_loop(m, crowd):>8.1f}")
    print(f"end of day, ns per touchpoint ({len(touches)} touchpoints):")
    print(f"  {'with the desks':<24}{end_of_day(m, touches, m.desks):>8.1f}")
    print(f"  {'without desks':<24}{end_of_day(m, touches, _desks({}, 240.0)):>8.1f}")


if __name__ == "__main__":
    main()
