"""Whether this machine can hold the runs asked for, decided before anything is allocated.

A run's peak memory is estimated from its scenario: so many bytes per person (the engine's
arrays or Mesa agents) plus so many per network tie (the network's construction dominates).
The constants were measured with `resource.getrusage` peaks of runs of 20,000 to 1,000,000
people (issue 16) and rounded up. A run that cannot fit in the memory available is refused with
the estimate in the message; parallel workers are reduced until their runs fit together.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

from sim.scenario.errors import UserError
from sim.scenario.schema import Scenario

BYTES_PER_PERSON = {"vectorized": 300, "agents": 1_500}  # measured: 234 and 1,160
BYTES_PER_TIE_END = {"small_world": 30, "complete": 30, "random": 40,  # measured: 24, 24, 34
                     "scale_free": 170, "edge_list": 170}  # networkx graphs; measured: 142
EDGE_LIST_BYTES_PER_TIE = 6  # the shortest line of an edge list, "1 2\n", is 4 bytes
WORKER_BYTES = 250 * 2**20  # a worker process's interpreter and libraries (measured: 300 MB)
RESERVE = 0.8  # share of the available memory the runs may plan to use
GIB = 2**30


def run_bytes(s: Scenario) -> int:
    """Estimated peak memory of one run of `s` beyond the interpreter's own (bytes)."""
    n, net = s.population.size, s.network
    if net.kind == "complete":
        ends = n * (n - 1)
    elif net.kind == "edge_list" and net.path is not None:
        ends = 2 * _file_size(net.path) // EDGE_LIST_BYTES_PER_TIE
    else:
        ends = n * max(min(net.mean_degree, n - 1), 2)
    return n * BYTES_PER_PERSON[s.engine] + ends * BYTES_PER_TIE_END[net.kind]


def available_bytes() -> int:
    """Memory this process may still use: the smaller of the machine's and the cgroup's."""
    known = [x for x in (_meminfo_available(), _cgroup_room()) if x is not None]
    return min(known) if known else sys.maxsize


def fit_workers(scenarios: Iterable[Scenario], workers: int) -> int:
    """The number of workers whose runs fit in memory together (at most `workers`).

    Raises:
        UserError: one run of the largest scenario cannot fit, with the estimate.
    """
    largest = max(scenarios, key=run_bytes)
    need, room = run_bytes(largest), int(available_bytes() * RESERVE)
    if need > room:
        raise UserError(
            f"scenario '{largest.name}': one run needs about {need / GIB:,.1f} GiB "
            f"({largest.population.size:,} people, {largest.network.kind} network of mean "
            f"degree {largest.network.mean_degree}, {largest.engine} engine), more than the "
            f"{room / GIB:,.1f} GiB this machine can give it; lower population.size or "
            "network.mean_degree")
    fitting = max(1, room // (need + WORKER_BYTES)) if workers > 1 else 1
    if fitting < workers:
        print(f"note: {workers} runs at once would need about {workers * need / GIB:,.1f} GiB; "
              f"running {fitting} at a time", file=sys.stderr)
    return int(min(workers, fitting))


def _meminfo_available() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def _cgroup_room() -> int | None:
    # cgroup v2: a container's limit may be far below the machine's memory.
    root = Path("/sys/fs/cgroup")
    try:
        limit = (root / "memory.max").read_text().strip()
        used = int((root / "memory.current").read_text())
    except (OSError, ValueError):
        return None
    return None if limit == "max" else max(int(limit) - used, 0)


def _file_size(path: Path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0
