"""cxsim: agent-based simulation of digital customer behaviour.

The notebook API (`sim.load_scenario`, `sim.compare`, `sim.CustomerJourneyModel`, ...) is
loaded on first use, so `import sim.rules.journey` (or any other module) imports only what
that module needs: no package-level import runs the whole stack, and no cycle can form here.
Layers, bottom to top (imports point down): `rules` (behaviour), `scenario` (schema and
loading), `world` (people, network, firm), `engines` (Mesa model and vectorized engine), `runs`
(runner, executors, provenance), `outputs` (metrics, reports, plots), then `experiments`,
`validation`, `dashboard`, and `api` / `cli` on top.
"""

from __future__ import annotations

import importlib
from typing import Any

_API = {
    "CustomerJourneyModel": "sim.engines.mesa_model",
    "Results": "sim.api", "compare": "sim.api", "load_scenario": "sim.api", "override": "sim.api",
    "run": "sim.api", "run_scenario": "sim.api", "optimise": "sim.api",
}
__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
