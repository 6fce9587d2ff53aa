"""cxsim: agent-based simulation of digital customer behaviour.

Everything except the Mesa agents lives here; the notebook API is re-exported below.
"""

from sim.api import Results, compare, load_scenario, override, run, run_scenario
from sim.model import CustomerJourneyModel

__all__ = ["CustomerJourneyModel", "Results", "compare", "load_scenario", "override", "run",
           "run_scenario"]
