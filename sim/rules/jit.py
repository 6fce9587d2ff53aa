"""How code is compiled: `@rule` for behaviour rules, `@kernel` for kernels.

docs/design.md Decision 1: the rules are written once, as pure functions of numbers (or arrays) and
an explicit generator. Called from Python (the Mesa agents, the tests) a rule is exactly the
function written; called from a kernel (sim/vectorized/), numba compiles the same source into
it. So rules use only what numba compiles: arithmetic, `min`, `max`, numpy ufuncs, the
generator's methods; no Python objects.

numba caches a compiled function by its own file only, but a kernel also contains the rules it
calls, compiled into it. So the cache lives in a folder named after a hash of every source
file of `sim` and `agents` and of the checkout's place: change any rule and the kernels are
compiled afresh (about 30 s, once per machine, version and checkout: numba also checks each
file's time stamp, which a second clone does not share); otherwise a new process loads them in
well under a second.
The root is `$NUMBA_CACHE_DIR` if set, else `$XDG_CACHE_HOME/cxsim` (`~/.cache/cxsim`).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numba
from numba import njit
from numba.extending import register_jitable

_SIM = Path(__file__).resolve().parents[1]
_PACKAGE_ROOTS = [_SIM, _SIM.parent / "agents"]


def _source_hash() -> str:
    digest = hashlib.sha256(numba.__version__.encode() + str(_SIM).encode())
    for root in _PACKAGE_ROOTS:
        for path in sorted(root.rglob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _cache_root() -> Path:
    if os.environ.get("NUMBA_CACHE_DIR"):
        return Path(os.environ["NUMBA_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cxsim"


numba.config.CACHE_DIR = str(_cache_root() / f"kernels-{_source_hash()}")


def rule(function):
    """Mark `function` as a behaviour rule: unchanged in Python, compilable into kernels."""
    return register_jitable(function)


def kernel(function):
    """Compile `function` (nopython, cached as above)."""
    return njit(cache=True)(function)

