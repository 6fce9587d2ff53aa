"""Where runs execute: in this process, on local processes, or on a Dask cluster.

Every executor has the same small interface (EMA Workbench's evaluators, smaller):
`imap_unordered(fn, items)` yields `(index, fn(item))` pairs as runs finish, in whatever order
they finish. Callers that need an order restore it from the index (`runner.run_jobs`) or write
results keyed by their run id and sort when consolidating (`sim.experiments.store`), so results
never depend on which executor ran them or how many workers it had (docs/design.md Decision 4).

At most `window` items are in flight at once, so a sweep of a million runs holds a few dozen
results in memory, not a million (docs/design.md Decision 6: results stream to disk).

Dask (`distributed`) is imported only when a Dask executor is asked for.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any

from sim.scenario.errors import UserError

IN_FLIGHT_PER_WORKER = 2  # enough to keep every worker busy while the driver writes results


def default_workers() -> int:
    """All the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


class Executor:
    """Maps a function over items; subclasses say where the calls run."""

    kind = "abstract"

    def __init__(self, workers: int) -> None:
        self.workers = workers

    @property
    def window(self) -> int:
        """Most items in flight at once (bounds the driver's memory)."""
        return max(1, self.workers * IN_FLIGHT_PER_WORKER)

    def imap_unordered(self, fn: Callable[[Any], Any],
                       items: Iterable[Any]) -> Iterator[tuple[int, Any]]:
        """Yield `(i, fn(items[i]))` as each call finishes; `items` is consumed lazily."""
        raise NotImplementedError

    def describe(self) -> dict:
        """What the manifest records about this executor."""
        return {"kind": self.kind, "workers": self.workers}

    def close(self) -> None:
        """Release workers (processes, cluster connections)."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class SerialExecutor(Executor):
    """Runs everything in this process, one call after another (debugging, profiling)."""

    kind = "serial"

    def __init__(self) -> None:
        super().__init__(1)

    def imap_unordered(self, fn, items):
        """Call `fn` on each item in turn."""
        for i, item in enumerate(items):
            yield i, fn(item)


def start_method() -> str:
    """How worker processes start: 'fork' on Linux, 'spawn' elsewhere.

    Importing Mesa sets the global start method to 'spawn', and a spawned worker first re-runs
    the top level of the user's script, so `sim.compare(...)` in a plain script (no
    `if __name__ == "__main__":`) would start workers from inside workers and fail. A forked
    worker starts from a copy of this process instead (and skips the imports): scripts and
    notebooks work as written. macOS and Windows keep 'spawn' (fork is unsafe or missing there).
    """
    return "fork" if sys.platform.startswith("linux") else "spawn"


BROKEN_POOL = ("a worker process ended abruptly (killed, or out of memory; on macOS and Windows "
               "also when a script that starts runs lacks `if __name__ == \"__main__\":`, "
               "since Python re-runs the script in every worker); nothing was lost that had "
               "finished: run again, or with workers=1 (--workers 1)")


class ProcessExecutor(Executor):
    """Local worker processes (`concurrent.futures.ProcessPoolExecutor`, see `start_method`)."""

    kind = "processes"

    def __init__(self, workers: int | None = None) -> None:
        super().__init__(workers or default_workers())
        context = multiprocessing.get_context(start_method())
        self._pool = ProcessPoolExecutor(self.workers, mp_context=context)

    def imap_unordered(self, fn, items):
        """Keep `window` calls in flight; yield each as it finishes."""
        numbered = enumerate(items)
        pending = {}
        try:
            pending = {self._pool.submit(fn, item): i
                       for i, item in islice(numbered, self.window)}
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    i = pending.pop(future)
                    yield i, future.result()
                for j, item in islice(numbered, len(done)):
                    pending[self._pool.submit(fn, item)] = j
        except BrokenProcessPool:
            raise RuntimeError(BROKEN_POOL) from None
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        """Stop the worker processes."""
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor(Executor):
    """A Dask distributed cluster: a new local one, or a running one at an address.

    Args:
        address: `"local"` starts a `LocalCluster` of `workers` single-threaded worker
            processes; anything else (e.g. `tcp://10.0.0.5:8786`) connects to that scheduler.
        workers: Worker processes of a local cluster (default: all cores); ignored for a
            running cluster, whose size is read from the scheduler.
    """

    kind = "dask"

    def __init__(self, address: str = "local", workers: int | None = None) -> None:
        import dask
        from distributed import Client, LocalCluster

        self.address = address
        self._cluster = None
        if address == "local":
            # Workers' statistical profiler samples the running task's stack every 10 ms while
            # holding the GIL; it feeds only the dashboard we do not start, and costs about 5%
            # of each run (measured: 10,000 people x 365 days, 0.60 s against 0.64 s).
            with dask.config.set({"distributed.worker.profile.enabled": False}):
                self._cluster = LocalCluster(n_workers=workers or default_workers(),
                                             threads_per_worker=1, processes=True,
                                             dashboard_address=None, silence_logs=logging.ERROR)
            self._client = Client(self._cluster)
        else:
            try:
                self._client = Client(address, timeout="10s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise UserError(f"--dask {address}: cannot reach a Dask scheduler there "
                                f"({exc}); start one with `dask scheduler`") from None
        super().__init__(max(1, sum(self._client.nthreads().values())))

    def imap_unordered(self, fn, items):
        """Submit `window` tasks, then one more each time one finishes."""
        from distributed import as_completed

        numbered = enumerate(items)
        index = {}
        futures = as_completed()
        for i, item in islice(numbered, self.window):
            future = self._client.submit(fn, item, pure=False)
            index[future.key] = i
            futures.add(future)
        try:
            for future in futures:
                i = index.pop(future.key)
                result = future.result()
                future.release()
                yield i, result
                for j, item in islice(numbered, 1):
                    nxt = self._client.submit(fn, item, pure=False)
                    index[nxt.key] = j
                    futures.add(nxt)
        finally:
            futures.clear()

    def describe(self) -> dict:
        """Kind, workers and the scheduler's address (`local` for a LocalCluster)."""
        return {**super().describe(), "address": self.address}

    def close(self) -> None:
        """Disconnect; shut a local cluster down."""
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(workers: int | None = None, dask: str | None = None) -> Executor:
    """The executor the command line asks for.

    Dask if `dask` is given; otherwise serial for one worker and local processes for more
    (default: all cores).
    """
    if dask:
        return DaskExecutor(dask, workers)
    workers = workers or default_workers()
    return SerialExecutor() if workers == 1 else ProcessExecutor(workers)


def in_order(pairs: Iterable[tuple[int, Any]]) -> Iterator[Any]:
    """Results of `imap_unordered` in item order, holding only those that arrived early."""
    early: dict[int, Any] = {}
    following = 0
    for i, result in pairs:
        early[i] = result
        while following in early:
            yield early.pop(following)
            following += 1
