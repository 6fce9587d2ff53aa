"""Running an experiment: every run through an executor into a sweep folder, then the analysis.

The driver keeps nothing per run in memory but its id: each result is written to the folder as it
arrives (`store.RunStore`), the executor keeps a bounded number of runs in flight, and the tables
are consolidated from disk at the end. A killed sweep resumes from the folder (`resume=True`)
without redoing finished runs.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from sim.experiments import analysis
from sim.experiments.design import Plan
from sim.experiments.store import RunStore, write_atomic
from sim.experiments.tasks import run_task
from sim.runs import provenance
from sim.runs.executors import Executor
from sim.runs.runner import compile_engine


@dataclass
class SweepOutcome:
    """What a sweep did: its folder, how many runs this session ran, and the wall time."""

    folder: Path
    runs: int
    ran_now: int
    seconds: float


def is_complete(folder: Path) -> bool:
    """Whether a sweep folder holds a finished sweep (its manifest is written last)."""
    return (Path(folder) / "manifest.json").is_file()


def run_sweep(plan: Plan, folder: Path, executor: Executor, *, resume: bool = False,
              progress: bool = True, command: list[str] | None = None,
              source: str = "") -> SweepOutcome:
    """Run every unfinished run of `plan` into `folder`, consolidate, analyse and report.

    Args:
        plan: The experiment's plan (`sim.experiments.loading.load_experiment`).
        folder: A new (absent or empty) folder, or with `resume` an interrupted sweep's folder.
        executor: Where runs execute (`sim.runs.executors.make_executor`).
        resume: Continue the sweep in `folder` instead of starting one.
        progress: Show a progress bar with the ETA.
        command: The command line, for the manifest.
        source: The experiment file, for the manifest.
    """
    folder = Path(folder)
    if resume and is_complete(folder):
        return SweepOutcome(folder, plan.n_runs, 0, 0.0)
    command = command or []
    with RunStore.resume(folder, plan) if resume else RunStore.create(folder, plan) as store:
        store.start_session(executor.describe(), command)
        before = len(store.done)
        compile_engine(plan.scenarios, progress=progress)  # before any worker starts
        started = time.perf_counter()
        todo = (plan.task(run) for run in range(plan.n_runs) if run not in store.done)
        with tqdm(total=plan.n_runs, initial=before, desc=plan.experiment.name, unit="run",
                  disable=not progress, leave=False, smoothing=0.05) as bar:
            for _, record in executor.imap_unordered(run_task, todo):
                store.add(record)
                bar.update()
        seconds = time.perf_counter() - started
        kpis = store.consolidate()
        timing = {"seconds": round(seconds, 2), "runs": plan.n_runs - before,
                  "runs_done_before": before}
        header = _header(command, executor, timing, plan.n_runs)
        write_report(folder, plan, kpis, header)
        info = manifest(plan, store, executor, timing, command, source)
        write_atomic(folder / "manifest.json", (json.dumps(info, indent=2) + "\n").encode())
        store.finish()
    return SweepOutcome(folder, plan.n_runs, plan.n_runs - before, seconds)


def write_report(folder: Path, plan: Plan, kpis: pd.DataFrame, header: list[str]) -> Path:
    """Per-point and per-level summaries, sensitivity indices, figures and summary.md."""
    from sim.experiments import figures, summary

    names = [c for c in kpis.columns if c not in plan.row(0)
             and pd.api.types.is_numeric_dtype(kpis[c])]
    factorial = plan.experiment.design.kind == "factorial"
    points = analysis.point_summary(kpis, plan, names)
    levels = analysis.level_summary(kpis, plan, names) if factorial else pd.DataFrame()
    indices = analysis.sensitivity(kpis, plan, names)
    points.to_csv(folder / "points.csv", index=False)
    if factorial:
        levels.to_csv(folder / "levels.csv", index=False)
    if not indices.empty:
        indices.to_csv(folder / "sensitivity.csv", index=False)
    scenarios = [s.name for s in plan.scenarios]
    drawn = figures.write_figures(kpis, points, levels, indices, plan.factors, plan.outcomes,
                                  scenarios, factorial, folder / "figures")
    # Linked relative to summary.md, so the links work wherever the folder is moved.
    linked = [path.relative_to(folder) for path in drawn]
    return summary.write_summary(folder, plan, levels, indices, linked, header)


def _header(command: list[str], executor: Executor, timing: dict, runs: int) -> list[str]:
    info = executor.describe()
    resumed = (f"; resumed after {timing['runs_done_before']} finished runs"
               if timing["runs_done_before"] else "")
    return [f"- **Command**: `{' '.join(command)}`" if command else "- **Command**: Python API",
            f"- **Executor**: {info['kind']}, {info['workers']} worker(s); {timing['runs']} of "
            f"{runs} runs in {timing['seconds']:.1f} s{resumed}."]


def _sessions(folder: Path, entries: dict[int, dict]) -> list[dict]:
    path = folder / "sessions.jsonl"
    sessions = []
    for line in path.read_text().splitlines() if path.exists() else []:
        try:
            sessions.append(json.loads(line))
        except json.JSONDecodeError:  # torn by a crash while starting
            continue
    for s in sessions:
        s["runs"] = sum(1 for e in entries.values() if e.get("session") == s["session"])
    return sessions


def manifest(plan: Plan, store: RunStore, executor: Executor, timing: dict,
             command: list[str], source: str) -> dict:
    """Everything needed to redo the sweep: configs, design, seeds, executor, timing, versions."""
    exp = plan.experiment
    entries = store.run_entries()
    run_seconds = [e["seconds"] for e in entries.values()]
    seeds = {"master": exp.seed, "mode": exp.seeds, "derivation":
             "child k of numpy.random.SeedSequence(master), as spawn() makes it "
             "(SeedSequence(master, spawn_key=(k,))), seed = generate_state(1, uint64)[0] >> 1; "
             "k = replication (common) or run id (independent)"}
    if exp.seeds == "common":
        seeds["replication_seeds"] = [plan.seed(r) for r in range(plan.replications)]
    return {
        "command": command, "experiment_file": source, "created": provenance.timestamp(),
        "fingerprint": plan.fingerprint(), "experiment": exp.model_dump(mode="json"),
        "scenarios": {s.name: s.model_dump(mode="json") for s in plan.scenarios},
        "design": {"kind": exp.design.kind, "factors": plan.factors, "points": len(plan.points),
                   "replications": plan.replications, "runs": plan.n_runs,
                   "outputs_kept": {"kpis": plan.kpis or "all", "series": plan.series,
                                    "breakdowns": plan.breakdowns}},
        "seeds": seeds,
        "executor": {**executor.describe(), **timing},
        "sessions": _sessions(store.folder, entries),
        "run_seconds": {"total": round(sum(run_seconds), 2),
                        "mean": round(sum(run_seconds) / max(len(run_seconds), 1), 4),
                        "max": round(max(run_seconds, default=0.0), 4)},
        "environment": provenance.environment(),
    }
