"""Where runs execute: in this process, on local processes, or on a Dask cluster.

Every executor has the same small interface (EMA Workbench's evaluators, smaller):
`imap_unordered(fn, items)` yields `(index, fn(item))` pairs as runs finish, in whatever order
they finish. Callers that need an order restore it from the index (`runner.run_jobs`) or write
results keyed by their run id and sort when consolidating (`sim.experiments.store`), so results
never depend on which executor ran them or how many workers it had (DESIGN.md Decision 4).

At most `window` items are in flight at once, so a sweep of a million runs holds a few dozen
results in memory, not a million (DESIGN.md Decision 6: results stream to disk).

Dask (`distributed`) is imported only when a Dask executor is asked for.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any

from sim.runs.orphans import die_with_parent
from sim.scenario.errors import UserError

IN_FLIGHT_PER_WORKER = 2  # enough to keep every worker busy while the driver writes results
POOL_RESTARTS = 3  # a pool whose workers die is rebuilt this often before giving up
DASK_POLL_SECONDS = 2.0
DASK_NO_WORKERS_SECONDS = 60.0  # a cluster without workers this long is given up


class WorkersLost(RuntimeError):
    """The executor lost its workers and cannot go on; finished results are unaffected."""


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


class ProcessExecutor(Executor):
    """Local worker processes (`concurrent.futures.ProcessPoolExecutor`, see `start_method`)."""

    kind = "processes"

    def __init__(self, workers: int | None = None) -> None:
        super().__init__(workers or default_workers())
        self._pool = self._new_pool()
        self.restarts = 0

    def _new_pool(self) -> ProcessPoolExecutor:
        # Workers end when this process ends, however it ends (kill -9 too): no orphans.
        return ProcessPoolExecutor(self.workers, initializer=die_with_parent,
                                   initargs=(os.getpid(),),
                                   mp_context=multiprocessing.get_context(start_method()))

    def imap_unordered(self, fn, items):
        """Keep `window` calls in flight; yield each as it finishes.

        If a worker dies (killed, out of memory), the pool is rebuilt and the calls that were
        lost are submitted again, up to `POOL_RESTARTS` times; then `WorkersLost` is raised.
        """
        numbered = enumerate(items)
        pending = {self._pool.submit(fn, item): (i, item)
                   for i, item in islice(numbered, self.window)}
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                lost = [f for f in done if isinstance(f.exception(), BrokenProcessPool)]
                for future in done:
                    if future not in lost:
                        i, _ = pending.pop(future)
                        yield i, future.result()
                if lost:
                    pending = self._restart(fn, list(pending.values()))
                    continue
                for j, item in islice(numbered, len(done)):
                    try:
                        pending[self._pool.submit(fn, item)] = (j, item)
                    except BrokenProcessPool:  # a worker died since the wait
                        pending = self._restart(fn, [*pending.values(), (j, item)])
        finally:
            for future in pending:
                future.cancel()

    def _restart(self, fn, calls: list[tuple[int, Any]]) -> dict:
        """A new pool running again the `(index, item)` calls the broken one had not finished."""
        self.restarts += 1
        if self.restarts > POOL_RESTARTS:
            raise WorkersLost(f"worker processes died {self.restarts} times (killed, or out "
                              "of memory?)")
        logging.getLogger(__name__).warning("a worker process died; restarting the pool")
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = self._new_pool()
        return {self._pool.submit(fn, item): (i, item) for i, item in calls}

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

    def __init__(self, address: str = "local", workers: int | None = None,
                 no_workers_seconds: float = DASK_NO_WORKERS_SECONDS) -> None:
        import dask
        from distributed import Client, LocalCluster

        self.address = address
        self.no_workers_seconds = no_workers_seconds
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
        """Submit `window` tasks, then one more each time one finishes.

        Raises `WorkersLost` if the cluster has had no worker for `no_workers_seconds`, or the
        scheduler is gone, rather than wait for ever.
        """
        numbered = enumerate(items)
        pending = {self._client.submit(fn, item, pure=False): i
                   for i, item in islice(numbered, self.window)}
        try:
            while pending:
                for future in self._finished(pending):
                    i = pending.pop(future)
                    result = self._result(future)
                    future.release()
                    yield i, result
                    for j, item in islice(numbered, 1):
                        pending[self._client.submit(fn, item, pure=False)] = j
        finally:
            for future in pending:
                future.release()

    def _finished(self, pending: dict) -> set:
        """Futures done now, waiting as long as the cluster has workers."""
        from distributed import wait as dask_wait

        alone_since = None
        while True:
            try:
                done, _ = dask_wait(list(pending), timeout=DASK_POLL_SECONDS,
                                    return_when="FIRST_COMPLETED")
                return done
            except TimeoutError:
                pass
            except OSError as exc:
                raise self._lost(f"lost the scheduler ({exc})") from None
            if self._workers_now():
                alone_since = None
            elif alone_since is None:
                alone_since = time.monotonic()
            elif time.monotonic() - alone_since > self.no_workers_seconds:
                raise self._lost(f"no worker for {self.no_workers_seconds:.0f} s")

    def _workers_now(self) -> int:
        try:
            return len(self._client.nthreads())
        except (OSError, TimeoutError) as exc:
            raise self._lost(f"lost the scheduler ({exc})") from None

    def _result(self, future):
        from distributed import KilledWorker

        try:
            return future.result()
        except KilledWorker as exc:  # the same run killed its workers again and again
            raise self._lost(f"workers died running a task ({exc})") from None
        except OSError as exc:
            raise self._lost(f"lost the scheduler ({exc})") from None

    def _lost(self, why: str) -> WorkersLost:
        return WorkersLost(f"Dask cluster at {self.address}: {why}")

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
