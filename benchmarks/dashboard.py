"""Time one dashboard day: simulate every strategy on the page, then render what the page shows.

Rendering here is everything the server does for a day: both network pictures (PNG) and the six
chart options serialised as the JSON the browser receives. Browser painting is not included
(tests/test_dashboard.py exercises that). Usage: `python benchmarks/dashboard.py [PEOPLE ...]`.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

from sim.dashboard import charts, controls, picture
from sim.dashboard.model import DashboardModel

DAYS = 365


def render(model: DashboardModel) -> int:
    """Everything the page draws for the current day; returns the bytes sent."""
    sent = 0
    for side in model.sides:
        people = side.people()
        for mode in picture.MODES[:1]:  # one colour mode is shown at a time
            day = side.model.day
            sent += len(picture.draw(side.scenario.network.kind, side.model.indptr,
                                     side.model.neighbours, picture.colours(mode, people, day),
                                     picture.sizes_for(mode, people, day), side.model.tellings,
                                     day))
    options = [f(model.sides, model.horizon) for f in (charts.retention, charts.nps,
                                                       charts.word_of_mouth)]
    options += [f(model.sides) for f in (charts.funnel, charts.channel_mix, charts.waits)]
    return sent + sum(len(json.dumps(o)) for o in options)


def measure(people: int, compare_with: str) -> list[float]:
    """Milliseconds per day (simulate + render) over a simulated year."""
    model = DashboardModel(population=str(people), compare_with=compare_with)
    render(model)  # the first picture also draws the network's ties (cached afterwards)
    times = []
    while model.running:
        start = time.perf_counter()
        model.step()
        render(model)
        times.append(1000 * (time.perf_counter() - start))
    return times


def main(sizes: list[int]) -> None:
    """Print median, 95th percentile and worst day for each size, one and two strategies."""
    controls.MAX_PEOPLE = max(sizes)  # measure beyond the page's cap too (that is how it was set)
    print(f"{'people':>7} {'strategies':>10} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for people in sizes:
        for compare_with, count in ((controls.NO_COMPARISON, 1), ("weak_digital", 2)):
            ms = sorted(measure(people, compare_with))
            p95 = ms[int(0.95 * (len(ms) - 1))]
            print(f"{people:>7} {count:>10} {statistics.median(ms):>10.1f} {p95:>8.1f} "
                  f"{ms[-1]:>8.1f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 2000])
