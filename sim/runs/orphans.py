"""Worker processes that end with the process that started them, however it ends.

A driver killed with `kill -9` cannot stop its workers; they would run on, orphaned, for
minutes. Each worker therefore asks Linux to kill it when its parent dies
(`prctl(PR_SET_PDEATHSIG, SIGKILL)`), and, on every system, watches its parent from a thread.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_SECONDS = 0.5


def die_with_parent(parent: int) -> None:
    """Pool-worker initializer: end this process as soon as process `parent` is gone."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass  # the thread below still watches
    if os.getppid() != parent:  # the parent died before the request above
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="cxsim-orphan").start()


def _watch(parent: int) -> None:
    # A worker's thread holds the GIL only between a run's steps; this one wakes often enough.
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
