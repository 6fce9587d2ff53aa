"""Writing a run's outputs: tidy tables, figures, report and manifest, all or nothing.

Everything is written into a staging folder renamed into place at the end (`sim.staging`), so
an interrupted or failed run leaves no half-written results folder.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from sim.outputs import plots, report, waterfall
from sim.outputs.against import Against, against, changes_table
from sim.runs import provenance
from sim.runs.runner import RunResult, tables
from sim.runs.staging import Reservation, path_of, staged
from sim.scenario.differences import changes_from
from sim.scenario.schema import Scenario

TABLES = ("kpis", "series", "breakdowns")


def write_tables(folder: Path, frames: dict[str, pd.DataFrame]) -> None:
    """Each table as CSV and Parquet (byte-identical for the same scenario and seed)."""
    for name, frame in frames.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
        frame.to_parquet(folder / f"{name}.parquet", index=False)


def manifest(scenarios: list[Scenario], results: list[RunResult], command: list[str],
             seconds: float, workers: int, api_call: str | None = None) -> dict:
    """Resolved configs, seeds, versions, commit and command: enough to redo every run.

    `command` is the command line, or for the Python API the script and its arguments;
    `api_call` the API call that made the runs (recorded only when given).
    """
    return {
        "command": command,
        **({"api_call": api_call} if api_call else {}),
        "created": provenance.timestamp(),
        "scenarios": {s.name: s.model_dump(mode="json") for s in scenarios},
        "runs": [{"scenario": r.scenario, "replication": r.replication, "seed": r.seed}
                 for r in results],
        "executor": {"kind": "serial" if workers == 1 else "processes", "workers": workers,
                     "seconds": round(seconds, 2)},
        "environment": provenance.environment(),
    }


def write_against(folder: Path, seen: Against | None, scenarios: list[Scenario]) -> None:
    """The baseline's tables: paired differences, ROI and payback, the settings that differ."""
    if seen is None:
        return
    frames = {"differences": seen.differences,
              "levers": changes_table(changes_from(scenarios, seen.baseline), seen.baseline)}
    if seen.returns is not None:
        frames["returns"] = seen.returns
    write_tables(folder, frames)


def save(folder: Path | Reservation, scenarios: list[Scenario], results: list[RunResult],
         command: list[str], seconds: float, workers: int, title: str,
         extras: Callable[[Path], object] | None = None, api_call: str | None = None,
         baseline: str | None = None) -> Path:
    """Write every output of a run or comparison into `folder` atomically; return it.

    `folder` is a path, or a `sim.runs.staging.reserve` made before the runs (which checked
    it). `extras(staging)` may add files (e.g. the opt-in exports) before the folder is renamed
    into place, so they too appear all at once or not at all. A comparison is also written
    against `baseline` (a scenario's name; default the first scenario).
    """
    kpis, series, breakdowns = tables(results)
    horizons = {s.name: s.horizon_days for s in scenarios}
    seen = against(kpis, baseline, horizons)
    with staged(folder) as staging:
        write_tables(staging, {"kpis": kpis, "series": series, "breakdowns": breakdowns})
        write_against(staging, seen, scenarios)
        offered = {s.name: list(s.strategy.channels) for s in scenarios}
        figures = plots.write_figures(kpis, series, breakdowns, staging / "figures", offered)
        figures += waterfall.write_waterfalls(seen, report.summarise(kpis),
                                              horizons.get(seen.baseline) if seen else None,
                                              staging / "figures")
        relative = [f.relative_to(staging) for f in figures]
        report.write_summary(kpis, breakdowns, staging, relative, title, horizons=horizons,
                             baseline=seen.baseline if seen else None,
                             changes=changes_from(scenarios, seen.baseline) if seen else None)
        info = manifest(scenarios, results, command, seconds, workers, api_call)
        (staging / "manifest.json").write_text(json.dumps(info, indent=2, default=str) + "\n")
        if extras is not None:
            extras(staging)
    return path_of(folder)
