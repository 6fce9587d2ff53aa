"""summary.md of a sweep: the design, seeds and executor, results by factor level, indices."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from sim.experiments.design import Plan
from sim.outputs.report import markdown_table
from sim.outputs.units import format_interval

_INDEX_NAMES = {"S1": "first-order S1", "ST": "total ST", "mu_star": "mu*", "sigma": "sigma"}


def _design_lines(plan: Plan) -> list[str]:
    exp, design = plan.experiment, plan.experiment.design
    described = []
    for key, factor in exp.factors.items():
        if factor.is_range:
            described.append(f"`{key}` in [{factor.low:g}, {factor.high:g}]")
        else:
            levels = [f"{v:g}" if isinstance(v, float) else str(v) for v in plan.points_of(key)]
            described.append(f"`{key}`: {', '.join(levels)}")
    kind = {"factorial": "full factorial", "latin_hypercube": "Latin hypercube",
            "sobol": f"Sobol' (Saltelli, N = {design.samples})",
            "morris": f"Morris ({design.samples} trajectories, {design.levels} levels)"}
    seeds = ("common random numbers: replication r has the same seed at every design point "
             "and in every scenario" if exp.seeds == "common" else "an independent seed per run")
    return [f"- **Design**: {kind[design.kind]} over {len(exp.factors)} factor(s): "
            + "; ".join(described) + ".",
            f"- **Runs**: {len(plan.points)} design points × {len(plan.scenarios)} scenario(s) "
            f"({', '.join(s.name for s in plan.scenarios)}) × {plan.replications} replications "
            f"= {plan.n_runs} runs.",
            f"- **Seeds**: master seed {exp.seed}, spawned with `numpy.random.SeedSequence`; "
            f"{seeds}. Every run's seed is in `kpis.csv`."]


def _level_tables(levels: pd.DataFrame, outcomes: list[str], factors: list[str],
                  scenarios: list[str], replications: int) -> list[str]:
    if levels.empty:
        return []
    lines = ["## Results by factor level", "",
             f"Mean and t-based 95% CI over {replications} replications; a level's value in a "
             "replication averages the other factors' levels.", ""]
    for kpi in outcomes:
        for factor in factors:
            rows = levels[(levels.kpi == kpi) & (levels.factor == factor)]
            body = []
            for level in dict.fromkeys(rows["level"]):
                at = rows[rows.level == level].set_index("scenario")
                body.append([str(level), *(format_interval(kpi, at.loc[s])
                                           if s in at.index else "n/a" for s in scenarios)])
            lines += [f"### {kpi} by `{factor}`", "",
                      *markdown_table([factor, *scenarios], body), ""]
    return lines


def _sensitivity_tables(indices: pd.DataFrame, outcomes: list[str],
                        scenarios: list[str]) -> list[str]:
    if indices.empty:
        return []
    method = indices["method"].iloc[0]
    kinds = ["S1", "ST"] if method == "sobol" else ["mu_star", "sigma"]
    note = ("Sobol' indices: the share of the KPI's variance due to the factor alone (S1) and "
            "with all its interactions (ST); ± is the 95% bootstrap CI half-width."
            if method == "sobol" else
            "Morris: mu* is the mean absolute elementary effect (importance), sigma its spread "
            "(non-linearity or interactions); ± is the 95% bootstrap CI half-width of mu*.")
    lines = [f"## Sensitivity ({'Sobol' if method == 'sobol' else 'Morris'})", "", note, ""]
    for kpi in outcomes:
        data = indices[indices.kpi == kpi]
        if data.empty:
            lines += [f"### {kpi}", "", "No variation across the design: no indices.", ""]
            continue
        header = ["factor", *(f"{s}: {_INDEX_NAMES[k]}" for s in scenarios for k in kinds)]
        body = []
        for factor in dict.fromkeys(data.factor):
            cells = [f"`{factor}`"]
            for s in scenarios:
                for k in kinds:
                    hit = data[(data.scenario == s) & (data.factor == factor)
                               & (data["index"] == k)]
                    cells.append(_index_cell(hit))
            body.append(cells)
        lines += [f"### {kpi}", "", *markdown_table(header, body), ""]
    return lines


def _index_cell(hit: pd.DataFrame) -> str:
    if hit.empty or not np.isfinite(hit["value"].iloc[0]):
        return "n/a"
    value, conf = hit["value"].iloc[0], hit["conf"].iloc[0]
    return f"{value:.3g} ± {conf:.2g}" if np.isfinite(conf) else f"{value:.3g}"


def write_summary(folder: Path, plan: Plan, levels: pd.DataFrame, indices: pd.DataFrame,
                  figures: list[Path], header: list[str]) -> Path:
    """Write `summary.md` into the sweep folder and return its path.

    Args:
        folder: The sweep folder.
        plan: The experiment's plan.
        levels: `analysis.level_summary` (empty for sampled designs).
        indices: `analysis.sensitivity` (empty unless Sobol or Morris).
        figures: Figure paths, relative to `folder` or absolute; linked relative to `folder`.
        header: Markdown bullet lines on the command, executor and timing.
    """
    exp = plan.experiment
    scenarios = [s.name for s in plan.scenarios]
    lines = [f"# Sweep: {exp.name}", "", *([exp.description, ""] if exp.description else []),
             *header, *_design_lines(plan), "",
             *_level_tables(levels, plan.outcomes, plan.factors, scenarios, plan.replications),
             *_sensitivity_tables(indices, plan.outcomes, scenarios)]
    if figures:
        lines += ["## Figures", ""]
        for figure in figures:
            absolute = Path(figure).is_absolute()
            link = Path(os.path.relpath(figure, folder)) if absolute else figure
            lines += [f"![{Path(figure).stem.replace('_', ' ')}]({Path(link).as_posix()})", ""]
    path = folder / "summary.md"
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return path
