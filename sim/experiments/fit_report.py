"""What a calibration writes: the fitted scenarios, every candidate, the fit report, a manifest.

The folder appears whole or not at all (staged under a hidden name and renamed, like
`sim/results.py`). The fitted scenarios are complete scenario files: `run.py run` and `compare`
accept them as they are.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import yaml

from sim.experiments.calibration import Calibrator, Evaluation
from sim.outputs.report import markdown_table
from sim.outputs.units import format_interval
from sim.runs import provenance
from sim.runs.executors import Executor
from sim.runs.staging import Reservation, path_of, staged
from sim.scenario.schema import Scenario


def evaluations_table(calibrator: Calibrator) -> pd.DataFrame:
    """One row per candidate: its number, parameter values, loss and mean of each target KPI."""
    rows = []
    for e in calibrator.evaluations:
        means = e.summary().set_index(["scenario", "kpi"])["mean"]
        rows.append({"candidate": e.number, **e.values, "loss": e.loss,
                     **{f"{s}.{k}": v for (s, k), v in means.items()}})
    return pd.DataFrame(rows)


def fitted_yaml(calibrator: Calibrator, best: Evaluation, config: Scenario) -> str:
    """A complete scenario file: `config` (a base scenario with the fitted values), a header."""
    fitted = ", ".join(f"{k} = {v:.6g}" for k, v in best.values.items())
    header = (f"# Calibrated by `run.py calibrate` ({calibrator.calibration.name}): {fitted}.\n"
              "# Complete scenario: every value is stated, no `extends:` needed.\n")
    body = yaml.safe_dump(config.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
    return header + body


def fit_markdown(calibrator: Calibrator, best: Evaluation, message: str,
                 seconds: float, executor: Executor) -> str:
    """fit.md: targets against what the fitted values achieve, the values, the optimiser."""
    cal = calibrator.calibration
    summary = best.summary().set_index(["scenario", "kpi"])
    lines = [f"# Calibration: {cal.name}", "", *([cal.description, ""] if cal.description else []),
             f"Best of {len(calibrator.evaluations)} candidates (candidate {best.number}), each "
             f"simulated over {cal.replications} replications with the same seeds "
             f"(spawned from master seed {cal.seed}); loss {best.loss:.3g} "
             "(sum of squared misses in tolerance units; below 1 means every target is hit).",
             "", "## Targets", ""]
    rows, all_hit = [], True
    for scenario, targets in cal.targets.items():
        for kpi, target in targets.items():
            row = summary.loc[(scenario, kpi)]
            miss = row["mean"] - target.value
            hit = abs(miss) <= target.tolerance
            all_hit &= bool(hit)
            rows.append([scenario, kpi, f"{target.value:g} ± {target.tolerance:g}",
                         format_interval(kpi, row), f"{miss:+.3f}", "yes" if hit else "no"])
    lines += markdown_table(["scenario", "KPI", "target", "achieved (mean [95% CI])", "miss",
                             "hit"], rows)
    first = calibrator.evaluations[0].values
    lines += ["", "## Fitted parameters", "", *markdown_table(
        ["parameter", "fitted", "first candidate", "bounds"],
        ([f"`{key}`", f"{best.values[key]:.6g}", f"{first[key]:.6g}", f"[{p.low:g}, {p.high:g}]"]
         for key, p in cal.parameters.items()))]
    info = executor.describe()
    lines += ["", "## How", "",
              f"- **Optimiser**: {message} ({len(calibrator.evaluations)} candidates simulated, "
              f"budget {cal.optimiser.max_evaluations}).",
              f"- **Executor**: {info['kind']}, {info['workers']} worker(s); {seconds:.1f} s.",
              f"- **Result**: {'every target hit' if all_hit else 'NOT every target hit'}; "
              "fitted scenarios in `fitted/`, every candidate in `evaluations.csv`."]
    return "\n".join(lines) + "\n"


def manifest(calibrator: Calibrator, best: Evaluation, message: str, seconds: float,
             executor: Executor, command: list[str], source: str) -> dict:
    """Configs, seeds, the fitted values, executor and timing, package versions."""
    cal = calibrator.calibration
    return {"command": command, "calibration_file": source, "created": provenance.timestamp(),
            "calibration": cal.model_dump(mode="json"),
            "scenarios": {s.name: s.model_dump(mode="json") for s in calibrator.scenarios},
            "seeds": {"master": cal.seed, "replication_seeds": calibrator.seeds},
            "fitted": best.values, "loss": best.loss, "best_candidate": best.number,
            "optimiser": message, "candidates": len(calibrator.evaluations),
            "executor": {**executor.describe(), "seconds": round(seconds, 2)},
            "environment": provenance.environment()}


def save(folder: Path | Reservation, calibrator: Calibrator, best: Evaluation, message: str,
         seconds: float, executor: Executor, command: list[str], source: str) -> Path:
    """Write every output of a calibration into `folder` atomically; return it."""
    with staged(folder) as staging:
        (staging / "fitted").mkdir()
        for config in calibrator.configs(best.values):
            (staging / "fitted" / f"{config.name}.yaml").write_text(
                fitted_yaml(calibrator, best, config), encoding="utf-8")
        evaluations_table(calibrator).to_csv(staging / "evaluations.csv", index=False)
        runs = pd.concat([e.runs.assign(candidate=e.number) for e in calibrator.evaluations])
        runs.to_csv(staging / "runs.csv", index=False)
        (staging / "fit.md").write_text(
            fit_markdown(calibrator, best, message, seconds, executor), encoding="utf-8")
        info = manifest(calibrator, best, message, seconds, executor, command, source)
        (staging / "manifest.json").write_text(json.dumps(info, indent=2) + "\n")
    return path_of(folder)
