"""Summaries of a run or comparison: KPI means with 95% CIs, the terminal table and summary.md.

Confidence intervals are t-based across replications (sim/outputs/tidy.py); a comparison with a
baseline adds the paired differences, ROI and payback and the levers that differ
(sim/outputs/against.py), and the "why" section reasons from the baseline (sim/outputs/why.py).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from agents.archetypes import Archetype
from sim.outputs.against import against, summary_lines
from sim.outputs.text import aligned, markdown_table
from sim.outputs.tidy import KPI_ORDER, kpi_columns, mean_ci, ordered, scenario_order
from sim.outputs.units import NOT_MEASURED, UNITS, format_interval, format_value
from sim.outputs.why import horizon_warning, why_lines
from sim.rules.experience import ATTRIBUTE_NAMES
from sim.scenario.differences import SettingChange

# The terminal shows fewer rows so three scenarios fit in 100 columns (revenue is too wide).
TERMINAL_KPIS = KPI_ORDER[:9] + ("clv_mean",)


def display_name(label: str) -> str:
    """Human name of an archetype or other label: `pez_dorado` → `Pez Dorado`."""
    return str(label).replace("_", " ").title()


def summarise(kpis: pd.DataFrame) -> pd.DataFrame:
    """Per scenario and KPI: mean, 95% CI across replications and n.

    Returns:
        Long table with columns `scenario`, `kpi`, `mean`, `ci_low`, `ci_high`, `n`; scenarios
        in order of first appearance, KPIs in report order (unknown KPIs last).
    """
    numeric = kpi_columns(kpis)
    long = kpis.melt(id_vars="scenario", value_vars=numeric, var_name="kpi")
    summary = mean_ci(long, ["scenario", "kpi"])
    rank = {k: i for i, k in enumerate(numeric)}
    scenarios = {s: i for i, s in enumerate(scenario_order(kpis))}
    keys = summary["kpi"].map(rank) * len(scenarios) + summary["scenario"].map(scenarios)
    return summary.iloc[np.argsort(keys.to_numpy(), kind="stable")].reset_index(drop=True)


NOT_MEASURED_NOTE = ("n/a: not measured in any replication (e.g. NPS when no journey was "
                     "rated within the horizon);\n(n=k): measured in k replications only")


def _cell(row: pd.Series) -> str:
    """`mean [low, high]`, with `(n=k)` when fewer replications than the scenario's measured it."""
    text = format_interval(row["kpi"], row)
    partial = 0 < row["n"] < row["replications"]
    return f"{text} (n={row['n']})" if partial else text


def _grid(summary: pd.DataFrame, kpis: Sequence[str] | None = None) -> pd.DataFrame:
    """Formatted cells: rows KPIs, columns scenarios, both in summary order."""
    summary = summary.assign(replications=summary.groupby("scenario")["n"].transform("max"))
    cells = summary.assign(cell=summary.apply(_cell, axis=1) if len(summary) else [])
    grid = cells.pivot(index="kpi", columns="scenario", values="cell")
    rows = [k for k in (kpis or dict.fromkeys(summary["kpi"])) if k in grid.index]
    columns = list(dict.fromkeys(summary["scenario"]))
    return grid.reindex(index=rows, columns=columns).fillna(NOT_MEASURED)


def _unmeasured(grid: pd.DataFrame) -> bool:
    return bool(grid.map(lambda c: c == NOT_MEASURED or c.endswith(")")).to_numpy().any())


def format_table(summary: pd.DataFrame, kpis: Sequence[str] = TERMINAL_KPIS) -> str:
    """Plain-text comparison for the terminal: key KPIs × scenarios, `mean [95% CI]`.

    Args:
        summary: Output of `summarise`.
        kpis: Rows to show, in order; KPIs missing from `summary` are skipped.
    """
    grid = _grid(summary, kpis)
    lines = aligned(["KPI", *grid.columns], [[kpi, *grid.loc[kpi]] for kpi in grid.index])
    notes = [f"mean [95% CI] over {_replications(summary)} per scenario"]
    notes += [NOT_MEASURED_NOTE] if _unmeasured(grid) else []
    return "\n".join([*lines, "", *notes])


def _replications(summary: pd.DataFrame) -> str:
    """Replications per scenario: '10 replications', '5–10 replications', or one's caveat."""
    n = summary.groupby("scenario")["n"].max()
    if n.empty:
        return "0 replications"
    if n.max() == 1:
        return "1 replication (one run: no spread to estimate, the interval is the mean itself)"
    return (f"{n.max()} replications" if n.min() == n.max()
            else f"{n.min()}–{n.max()} replications")


def _markdown(frame: pd.DataFrame, index_name: str) -> list[str]:
    """Markdown table of a frame of already formatted strings."""
    return markdown_table([index_name, *frame.columns],
                          ([i, *row] for i, row in zip(frame.index, frame.to_numpy(), strict=True)))


def _comparison(summary: pd.DataFrame) -> list[str]:
    """Markdown comparison table with a unit column (and what n/a means, if it appears)."""
    grid = _grid(summary)
    note = ["", NOT_MEASURED_NOTE.replace("\n", " ") + "."] if _unmeasured(grid) else []
    grid.insert(0, "unit", [UNITS.get(k, "") for k in grid.index])
    return [*_markdown(grid, "KPI"), *note]


def _breakdown(breakdowns: pd.DataFrame | None, table: str, canonical: Sequence[str],
               heading: str, scenarios: list[str]) -> list[str]:
    """Markdown table of one breakdown: mean over replications per dim1 × scenario."""
    if breakdowns is None or not {"table", "dim1", "value"} <= set(breakdowns.columns):
        return []
    data = breakdowns[breakdowns["table"] == table].dropna(subset=["value"])
    if data.empty:
        return []
    means = data.groupby(["dim1", "scenario"])["value"].mean().unstack("scenario")
    means = means.reindex(index=ordered(data["dim1"], canonical),
                          columns=[s for s in scenarios if s in means.columns])
    cells = means.map(lambda v: format_value("retention_rate", v))  # both are shares
    cells.index = [display_name(i) for i in cells.index]
    return _markdown(cells, heading)


_CAPTIONS = {
    "retention": "Cohort survival over time", "funnel": "Journey funnel",
    "channel_mix": "Channel mix per phase", "word_of_mouth": "Word of mouth over time",
    "pain_points": "Pain points", "mechanism": "Why retention differs",
    "waits": "Waits at the service desks",
}


def _caption(stem: str) -> str:
    if stem.startswith("waterfall-"):
        return f"Cost and benefit of {stem.removeprefix('waterfall-')} against the baseline"
    return _CAPTIONS.get(stem, stem)


def _figure_links(figures: Sequence[Path], folder: Path) -> list[str]:
    """Markdown images, linked relative to the summary so the folder can be moved."""
    lines = []
    for figure in map(Path, figures):
        link = Path(os.path.relpath(figure, folder)) if figure.is_absolute() else figure
        lines += [f"![{_caption(figure.stem)}]({link.as_posix()})", ""]
    return lines


def write_summary(kpis: pd.DataFrame, breakdowns: pd.DataFrame | None, folder: Path,
                  figures: Sequence[Path], title: str, extra_lines: list[str] | None = None,
                  horizons: Mapping[str, int] | None = None, baseline: str | None = None,
                  changes: Mapping[str, list[SettingChange]] | None = None) -> Path:
    """Write `summary.md`: comparison, against the baseline, why, archetypes, pain points, figures.

    Args:
        kpis: Wide KPI table, one row per run.
        breakdowns: Long breakdown tables; missing tables leave their section out.
        folder: Result folder; `summary.md` is written here (created if needed).
        figures: Figure paths, relative to `folder` or absolute.
        title: Top-level heading.
        extra_lines: Markdown lines placed under the title (e.g. command line, horizon).
        horizons: Days each scenario ran for; different horizons are warned about and the
            retention gap is not explained. ROI and payback need them.
        baseline: The scenario the others are compared with (default: the first).
        changes: The settings in which each alternative differs from the baseline.

    Returns:
        Path of the written `summary.md`.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    summary = summarise(kpis)
    scenarios = scenario_order(kpis)
    warning = horizon_warning(horizons or {})
    extra_lines = [*(extra_lines or []), *([f"**Warning**: {warning}."] if warning else [])]
    lines = [f"# {title}", "", *extra_lines, *([""] if extra_lines else []),
             f"Cells are the mean over {_replications(summary)} per scenario with its 95% "
             "t-based confidence interval in brackets.", "",
             "## Comparison", "", *_comparison(summary), ""]
    seen = against(kpis, baseline, horizons)
    if seen is not None:
        lines += summary_lines(summary, seen, changes)
    lines += ["## Why retention differs", "", *why_lines(summary, seen, horizons), ""]
    sections = [("Retention by archetype", "retention_by_archetype", [a.label for a in Archetype],
                 "archetype", "Share of each archetype's day-0 customers still customers."),
                ("Pain points", "pain_point", ATTRIBUTE_NAMES, "attribute",
                 "Share of customers whose main shortfall is each experience attribute.")]
    for heading, table, canonical, dim, note in sections:
        body = _breakdown(breakdowns, table, canonical, dim, scenarios)
        if body:
            lines += [f"## {heading}", "", note, "", *body, ""]
    if figures:
        lines += ["## Figures", "", *_figure_links(figures, folder)]
    path = folder / "summary.md"
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return path
