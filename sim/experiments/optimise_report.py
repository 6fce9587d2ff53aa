"""What a finished optimisation writes: every evaluation, the front, scenario files, a figure.

    evaluations.csv   one row per candidate (and the baseline first): lever values, each
                      objective's mean and 95% CI over the seeds, the constrained and headline
                      KPIs' means, feasible, on_front
    front.csv         the feasible, non-dominated candidates only, best first
    recommended/      a complete scenario file per front point (`run.py run` accepts it as is)
    figures/front.png the front among every candidate, the baseline marked
    summary.md        the answer in plain words (`sim/experiments/optimise_summary.py`)
    manifest.json     written last: its presence marks a finished search

Outputs are written into a hidden staging folder and moved into place one by one, then the
manifest: a kill while finishing leaves the search resumable and no output half-written.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import yaml

from sim.experiments import front as pareto
from sim.experiments.levers import scenario_with
from sim.experiments.optimisation import Problem
from sim.experiments.search import Evaluation
from sim.experiments.store import write_atomic
from sim.outputs.report import mean_ci
from sim.scenario.loading import as_dict, validate
from sim.scenario.names import NAME_MAX

HEADLINE = ("operating_profit", "cost_total", "retention_rate", "gross_margin", "nps",
            "mean_wait_minutes")
OUTPUTS = ("evaluations.csv", "front.csv", "recommended", "figures", "summary.md")


def reported_kpis(problem: Problem) -> list[str]:
    """Objectives first, then constrained KPIs, then the headline ones."""
    opt = problem.optimisation
    return list(dict.fromkeys([*(o.kpi for o in opt.objectives), *opt.constraints, *HEADLINE]))


def summary_of(evaluation: Evaluation, kpis: list[str]) -> pd.DataFrame:
    """Mean, 95% CI and n of each KPI over the candidate's seeds (index: KPI)."""
    long = evaluation.runs.melt(value_vars=kpis, var_name="kpi")
    return mean_ci(long, ["kpi"]).set_index("kpi")


def evaluation_row(evaluation: Evaluation, problem: Problem) -> dict:
    """One row of evaluations.csv."""
    objectives = {o.kpi for o in problem.optimisation.objectives}
    kpis = reported_kpis(problem)
    summary = summary_of(evaluation, kpis)
    number = "baseline" if evaluation.number is None else evaluation.number
    row = {"candidate": number, **evaluation.values}
    for kpi in kpis:
        row[kpi] = summary.loc[kpi, "mean"]
        if kpi in objectives:
            row[f"{kpi}_ci_low"] = summary.loc[kpi, "ci_low"]
            row[f"{kpi}_ci_high"] = summary.loc[kpi, "ci_high"]
    return row


def evaluations_table(evaluations: list[Evaluation], baseline: Evaluation,
                      problem: Problem) -> pd.DataFrame:
    """Every candidate's row, the baseline first; with `feasible` and `on_front`."""
    opt = problem.optimisation
    table = pd.DataFrame([evaluation_row(e, problem) for e in [baseline, *evaluations]])
    table["feasible"] = pareto.feasible(table, opt.constraints)
    candidates = table.iloc[1:]  # the baseline is shown beside the front, never on it
    table["on_front"] = False
    if len(candidates):
        table.loc[candidates.index, "on_front"] = pareto.on_front(
            candidates, opt.objectives, list(opt.levers))
    return table


def front_table(table: pd.DataFrame, problem: Problem) -> pd.DataFrame:
    """The front's rows, best first on the first objective."""
    front = table[table["on_front"]].drop(columns=["feasible", "on_front"])
    return pareto.ranked(front, problem.optimisation.objectives)


def scenario_name(problem: Problem, number: int) -> str:
    """`<base>-candidate-<n>`, shortened to fit a scenario name."""
    tail = f"-candidate-{number}"
    return problem.base.name[:NAME_MAX - len(tail)] + tail


def scenario_yaml(problem: Problem, evaluation: Evaluation) -> str:
    """A complete scenario file of a candidate, seeded like the search.

    Its `seed` is the optimisation's master seed, so `run.py run FILE --seeds R` (R the
    optimisation's replications) repeats exactly the runs the search made of this candidate.
    """
    opt, name = problem.optimisation, scenario_name(problem, evaluation.number)
    config = scenario_with(problem.base, opt.levers, evaluation.values, name)
    data = as_dict(config) | {"name": name, "seed": opt.seed, "description":
                              f"Candidate {evaluation.number} of optimisation '{opt.name}'."}
    validate(data, name)  # the file written is one the scenario schema accepts
    levers = "\n".join(f"#   {key}: {value}" for key, value in evaluation.values.items())
    header = (f"# Found by `run.py optimise` ({opt.name}), candidate {evaluation.number}:\n"
              f"{levers}\n# Complete scenario: every value is stated, no `extends:` needed. "
              f"`run.py run` with --seeds {opt.replications}\n# repeats the search's runs of "
              "this candidate (same master seed).\n")
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def write_scenarios(folder: Path, problem: Problem, front: pd.DataFrame,
                    evaluations: list[Evaluation]) -> list[Path]:
    """recommended/<base>-candidate-<n>.yaml for each front point, best first."""
    folder.mkdir()
    by_number = {e.number: e for e in evaluations}
    written = []
    for number in front["candidate"]:
        path = folder / f"{scenario_name(problem, number)}.yaml"
        path.write_text(scenario_yaml(problem, by_number[number]), encoding="utf-8")
        written.append(path)
    return written


def stage(folder: Path) -> Path:
    """An empty hidden folder inside `folder` for the outputs being written."""
    staging = folder / ".outputs.partial"
    shutil.rmtree(staging, ignore_errors=True)  # left by a kill while finishing: ours
    staging.mkdir()
    return staging


def publish(staging: Path, folder: Path, manifest: dict) -> None:
    """Move each output into place (replacing one from an earlier try), then the manifest."""
    for name in OUTPUTS:
        source, target = staging / name, folder / name
        if not source.exists():
            continue
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        os.replace(source, target)
    shutil.rmtree(staging, ignore_errors=True)
    write_atomic(folder / "manifest.json", (json.dumps(manifest, indent=2) + "\n").encode())
