"""summary.md of an optimisation: the question, the answer against the baseline, the front.

Written for the strategist who asked: what was searched and under which limits, which
strategy is recommended and what it gains over the firm as it is (paired differences on the
same seeds), which candidates are as good within the noise, and the whole front.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from sim.experiments.optimisation import Bound, Problem
from sim.experiments.optimise_report import reported_kpis, scenario_name, summary_of
from sim.experiments.search import Evaluation
from sim.outputs.report import markdown_table, mean_ci
from sim.outputs.units import (
    UNITS,
    factor_label,
    format_change_interval,
    format_interval,
    format_value,
)
from sim.outputs.units import label as kpi_label


def _words(kpi: str) -> str:
    return kpi_label(kpi).split(" (")[0]


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "offered" if value else "not offered"
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _amount(kpi: str, value: float) -> str:
    unit = UNITS.get(kpi, "")
    return format_value(kpi, value) + (f" {unit}" if unit in ("EUR", "minutes", "days") else "")


def _bound(kpi: str, bound: Bound) -> str:
    parts = [f"at most {_amount(kpi, bound.at_most)}" if bound.at_most is not None else "",
             f"at least {_amount(kpi, bound.at_least)}" if bound.at_least is not None else ""]
    return f"{_words(kpi)} {' and '.join(p for p in parts if p)}"


def question(problem: Problem) -> str:
    """The search in one sentence."""
    opt = problem.optimisation
    goals = " and ".join(f"{'highest' if o.sign > 0 else 'lowest'} {_words(o.kpi)}"
                         for o in opt.objectives)
    levers = ", ".join(f"`{k}`" for k in opt.levers)
    limits = " and ".join(_bound(k, b) for k, b in opt.constraints.items())
    return (f"Which settings of {levers} give the {goals}"
            + (f", keeping {limits}?" if limits else "?")
            + f" Starting from scenario '{problem.base.name}' as it is (the baseline).")


def paired(candidate: Evaluation, baseline: Evaluation, kpi: str) -> pd.Series:
    """Mean and 95% CI of candidate − baseline over the shared seeds (paired differences)."""
    change = candidate.runs[kpi].to_numpy(float) - baseline.runs[kpi].to_numpy(float)
    return mean_ci(pd.DataFrame({"kpi": kpi, "value": change}), ["kpi"]).iloc[0]


def answer(problem: Problem, best: Evaluation, baseline: Evaluation) -> list[str]:
    """The recommendation and what it changes against the baseline, KPI by KPI."""
    opt = problem.optimisation
    lines = [f"**Recommended: candidate {best.number}** "
             f"(`recommended/{scenario_name(problem, best.number)}.yaml`).", ""]
    rows = []
    ours, theirs = summary_of(best, reported_kpis(problem)), summary_of(baseline,
                                                                        reported_kpis(problem))
    for kpi in reported_kpis(problem):
        change = paired(best, baseline, kpi)
        rows.append([_words(kpi), UNITS.get(kpi, ""), format_interval(kpi, theirs.loc[kpi]),
                     format_interval(kpi, ours.loc[kpi]),
                     format_change_interval(kpi, change)])
    lines += markdown_table(["KPI", "unit", "baseline", "recommended",
                             "difference (paired 95% CI)"], rows)
    lines += ["", f"Means and 95% CIs over {opt.replications} seeds; the difference is taken "
              "seed by seed (the same people and network in both), which removes the "
              "variation the two share (differences.csv of a compare shows by how much)."]
    return lines


def lever_table(problem: Problem, best: Evaluation | None, baseline: Evaluation) -> list[str]:
    """Each lever: its range, the baseline's value, the recommended value."""
    rows = []
    for key, lever in problem.optimisation.levers.items():
        searched = ("offered or not" if lever.kind == "channel" else
                    f"{lever.low:g} to {lever.high:g}"
                    + (f" in steps of {lever.step:g}" if lever.step else ""))
        rows.append([f"`{key}`", searched, _setting(problem, baseline, key),
                     _setting(problem, best, key) if best else "n/a"])
    return markdown_table(["lever", "searched", "baseline", "recommended"], rows)


def unused_desk(problem: Problem, evaluation: Evaluation, key: str) -> str | None:
    """The channel whose desk a `strategy.service.<desk>...` lever staffs, if not offered."""
    parts = key.split(".")
    if parts[:2] != ["strategy", "service"] or len(parts) < 3:
        return None
    offered = evaluation.values.get(f"strategy.channels.{parts[2]}",
                                    parts[2] in problem.base.strategy.channels)
    return None if offered else parts[2]


def _setting(problem: Problem, evaluation: Evaluation, key: str) -> str:
    desk = unused_desk(problem, evaluation, key)
    shown = _value(evaluation.values[key])
    return f"{shown} (unused: {desk} not offered)" if desk else shown


def at_bounds(problem: Problem, best: Evaluation) -> str:
    """A sentence naming the recommended levers at an end of their range, or ''."""
    ends = []
    for key, lever in problem.optimisation.levers.items():
        value = best.values[key]
        if lever.kind == "channel" or unused_desk(problem, best, key):
            continue
        if value in (lever.low, lever.high):
            ends.append(f"`{key}` at the {'low' if value == lever.low else 'high'} end "
                        f"({value:g})")
    if not ends:
        return ""
    return ("At the end of its searched range: " + "; ".join(ends) + ". The best may lie "
            "beyond it: widen the range if the firm can go further, and search again.")


def front_lines(front: pd.DataFrame, problem: Problem) -> list[str]:
    """The front as a table, best first on the first objective."""
    opt = problem.optimisation
    columns = [*opt.levers, *(o.kpi for o in opt.objectives),
               *(k for k in opt.constraints if k not in {o.kpi for o in opt.objectives})]
    rows = []
    for _, row in front.iterrows():
        cells = [str(row["candidate"])]
        for column in columns:
            if column in opt.levers:
                cells.append(_value(row[column]))
            elif f"{column}_ci_low" in row:
                cells.append(format_interval(column, pd.Series(
                    {"mean": row[column], "ci_low": row[f"{column}_ci_low"],
                     "ci_high": row[f"{column}_ci_high"]})))
            else:
                cells.append(format_value(column, row[column]))
        rows.append(cells)
    return markdown_table(["candidate", *(factor_label(c) if c in opt.levers else _words(c)
                                          for c in columns)], rows)


def within_noise(table: pd.DataFrame, problem: Problem, best: int) -> list[int]:
    """Feasible candidates whose first objective's mean lies within the best one's 95% CI."""
    kpi = problem.optimisation.objectives[0].kpi
    candidates = table.iloc[1:]
    row = candidates[candidates.candidate == best].iloc[0]
    near = candidates[candidates.feasible & candidates[kpi].between(row[f"{kpi}_ci_low"],
                                                                    row[f"{kpi}_ci_high"])]
    return [int(n) for n in near.candidate if n != best]
