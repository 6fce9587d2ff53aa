"""The golden baseline: a few small runs whose KPI and breakdown tables are stored in git.

`tests/golden/test_golden.py` reruns them on every `make test` and compares the tables exactly
(every digit), so a change that alters behaviour cannot pass unnoticed. When a change is meant
to alter behaviour, `make golden` (python tests/golden/update.py) rewrites the stored tables
and prints what changed, for the commit message and the issue's note.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from sim.runs.runner import jobs_for, run_jobs, tables
from sim.scenario.loading import load_scenario

HERE = Path(__file__).resolve().parent
SCENARIOS = HERE.parents[1] / "scenarios"
STORED = HERE / "stored"
# name -> (scenario file, overrides). Small enough to run in seconds on both engines.
SMALL = {"population.size": 500, "horizon_days": 150}
HOMOGENEOUS = {f"heterogeneity.{key}": 0.0 for key in
               ("need_rate_cv", "loyalty_sd", "spend_cv", "purchase_spend_cv")}
CASES = {
    f"{name}-{engine}": (f"{name}.yaml", {**SMALL, "engine": engine})
    for name in ("omnichannel", "multichannel", "weak_digital", "industries/shampoo")
    for engine in ("vectorized", "agents")
}
# People all alike (every spread 0): the model as it was before heterogeneous customers.
CASES["weak_digital-homogeneous"] = ("weak_digital.yaml", {**SMALL, **HOMOGENEOUS})
SEEDS = 2


def case_tables(case: str) -> dict[str, pd.DataFrame]:
    """The KPI and breakdown tables of one case, and a digest of its daily series."""
    path, overrides = CASES[case]
    scenario = load_scenario(SCENARIOS / path, overrides)
    runs = list(run_jobs(jobs_for([scenario], SEEDS), workers=1, progress=False))
    kpis, series, breakdowns = tables(runs)
    digest = hashlib.sha256(series.to_csv(index=False).encode()).hexdigest()
    return {"kpis": kpis, "breakdowns": breakdowns,
            "series_digest": pd.DataFrame({"sha256": [digest]})}


def file_name(case: str, table: str) -> Path:
    """Where a case's table is stored."""
    return STORED / f"{case.replace('/', '_')}.{table}.csv"


def as_text(frame: pd.DataFrame) -> str:
    """A table as CSV with every float written exactly (repr), so equality is bit equality."""
    return frame.to_csv(index=False, float_format="%r", lineterminator="\n")
