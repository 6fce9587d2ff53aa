"""Where the vectorized engine's compiled day spends its time, part by part.

    python benchmarks/kernel_profile.py [--people 10000]

No Python profiler sees inside numba's compiled code, so this times the parts of a day
separately on a frozen state: the multichannel scenario is run for 150 days, then the person
loop (`day.live`) is timed for a few days from copies of that state: as it is, with everyone
idle (their next idle events drawn afresh), everyone in the use phase (a day with nothing to
do) and everyone researching (a touchpoint draw and often a touchpoint every day); and the end
of the day (`day.settle_touchpoints`) is timed on that day's touchpoints with and without the
desks. Each timed call also pays for passing the state from Python, about
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
from sim.engines.vectorized.day import (  # noqa: E402
    live,
    schedule_first_idle_events,
    settle_touchpoints,
)
from sim.engines.vectorized.model import _desks  # noqa: E402
from sim.rules.buffers import TOUCHES  # noqa: E402
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


def copy_tally(m: VectorizedModel):
    """A copy of the model's books as the kernels take them (the timed calls add to them)."""
    return m.tally.copy().record


def person_loop(m: VectorizedModel, state) -> float:
    """Nanoseconds per person-day of `live` over `DAYS` days from a copy of `state`."""
    def run(copies):
        people, tally = copies
        for d in range(DAYS):
            m.buffers.fill[:] = 0
            live(m.day + d, people, m.traits, m.profiles, m.people.dwell_mean,
                 m.people.preferences, m.firm.offered, m._params, m.review_mean, m._draws,
                 m._network, tally, m.buffers)
    return fastest(lambda: (state.copy(), copy_tally(m)), run) / DAYS / len(state) * 1e9


def end_of_day(m: VectorizedModel, touches: tuple, desks) -> float:
    """Nanoseconds per touchpoint of `settle_touchpoints` on a day's `touches` (saved)."""
    p, f, b = m.people, m.firm, m.buffers
    people, firm = (p.preferences, p.weights, p.patience, p.expected), (f.offered, f.quality,
                                                                        f.levers)

    def run(copies):
        state, shortfall, complaints, tally = copies
        for d in range(DAYS):
            for saved, buffer in zip(touches, (b.touch_who, b.touch_phase, b.touch_channel,
                                               b.touch_fragmented), strict=True):
                buffer[:len(saved)] = saved
            b.fill[TOUCHES] = len(touches[0])
            settle_touchpoints(m.day + d, state, people, firm, desks, shortfall, complaints,
                               m._draws, tally, m.buffers)
    prepare = lambda: (m.state.copy(), m.shortfall.copy(), m.complaints.copy(),  # noqa: E731
                       copy_tally(m))
    return fastest(prepare, run) / DAYS / len(touches[0]) * 1e9


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
    b = m.buffers
    touches = tuple(a[:b.fill[TOUCHES]].copy() for a in (b.touch_who, b.touch_phase,
                                                          b.touch_channel, b.touch_fragmented))
    idle, use, research = m.state.copy(), m.state.copy(), m.state.copy()
    idle["phase"] = Phase.IDLE
    schedule_first_idle_events(idle, m.traits, m.profiles, m.day, m._draws)  # as if just idle
    for state, phase in ((use, Phase.USE), (research, Phase.INTEREST)):
        state["phase"], state["days_left"], state["dwell"] = phase, 10**6, 10**7
    print(f"person loop, ns per person-day ({people:,} people, {DAYS} days):")
    for label, state in (("as on day 150", m.state), ("everyone idle", idle),
                         ("everyone in use", use), ("everyone researching", research)):
        print(f"  {label:<24}{person_loop(m, state):>8.1f}")
    print(f"end of day, ns per touchpoint ({len(touches[0])} touchpoints):")
    print(f"  {'with the desks':<24}{end_of_day(m, touches, m.desks):>8.1f}")
    print(f"  {'without desks':<24}{end_of_day(m, touches, _desks({}, 240.0)):>8.1f}")


if __name__ == "__main__":
    main()
