"""Summaries of a run or comparison: KPI means with 95% CIs, the terminal table and summary.md.

Confidence intervals are t-based across replications (each replication is one independent
draw), so they widen honestly when only a few seeds were run; with one replication the
interval collapses to the mean because there is no spread to estimate.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from agents.archetypes import Archetype
from sim.metrics.money import COST_ITEMS
from sim.outputs.units import NOT_MEASURED, UNITS, format_interval, format_value
from sim.outputs.why import horizon_warning, why_lines
from sim.rules.complaints import CATEGORIES
from sim.rules.experience import ATTRIBUTE_NAMES

CI_LEVEL = 0.95
ID_COLUMNS = ("scenario", "replication", "seed")
# Row order of the comparison: the outcome first, then what drives it, then money.
KPI_ORDER = (
    "retention_rate", "cohort_survival", "acquisitions", "nps", "detractors_share",
    "fragmented_share", "mean_wait_minutes", "wom_negative", "wom_positive", "revenue",
    "clv_mean", "customers_start", "customers_end", "churned", "acquisitions_wom_share",
    "purchases", "promoters_share", "satisfaction_mean", "wom_reach_positive_mean",
    "wom_reach_negative_mean", "channel_switches", "fragmented_experiences",
    "awareness_to_purchase_days", "detractors_recovered", "reviews_positive", "reviews_negative",
    "interactions", "checkouts_abandoned", *(f"complaint_{c}" for c in CATEGORIES),
    "gross_margin", "operating_profit", "cost_total", *(f"cost_{i}" for i in COST_ITEMS), "cac",
    "clv_to_cac", "cost_to_serve",
)
# The terminal shows fewer rows so three scenarios fit in 100 columns (revenue is too wide).
TERMINAL_KPIS = KPI_ORDER[:9] + ("clv_mean",)
def display_name(label: str) -> str:
    """Human name of an archetype or other label: `pez_dorado` → `Pez Dorado`."""
    return str(label).replace("_", " ").title()


def ordered(values: Iterable, canonical: Sequence[str]) -> list[str]:
    """Distinct `values` in `canonical` order, unknown ones after in order of appearance."""
    present = list(dict.fromkeys(v for v in values if isinstance(v, str) and v))
    return [c for c in canonical if c in present] + [v for v in present if v not in canonical]


def scenario_order(kpis: pd.DataFrame | None, *others: pd.DataFrame | None) -> list[str]:
    """Scenarios in order of first appearance in `kpis`, then any only found in `others`."""
    names: list[str] = []
    for frame in (kpis, *others):
        if frame is not None and "scenario" in frame.columns:
            names += [s for s in dict.fromkeys(frame["scenario"]) if s not in names]
    return names


def mean_ci(frame: pd.DataFrame, by: list[str], value: str = "value") -> pd.DataFrame:
    """Mean, t-based 95% CI and n of `value` per group; missing values are left out.

    Returns:
        The `by` columns plus `mean`, `ci_low`, `ci_high` and `n` (replications with a value),
        groups in order of first appearance; a group without values keeps a row with NaNs so
        that the order of first appearance is not lost.
    """
    groups = frame.groupby(by, sort=False)[value]
    out = groups.agg(mean="mean", sd="std", n="count").reset_index()
    n = out["n"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = stats.t.ppf((1 + CI_LEVEL) / 2, n - 1)
        half = t * out["sd"].to_numpy(dtype=float) / np.sqrt(n)
    half = np.where(n > 1, half, 0.0)  # one replication: no spread to estimate
    out["ci_low"], out["ci_high"] = out["mean"] - half, out["mean"] + half
    return out.drop(columns="sd")[[*by, "mean", "ci_low", "ci_high", "n"]]


def summarise(kpis: pd.DataFrame) -> pd.DataFrame:
    """Per scenario and KPI: mean, 95% CI across replications and n.

    Returns:
        Long table with columns `scenario`, `kpi`, `mean`, `ci_low`, `ci_high`, `n`; scenarios
        in order of first appearance, KPIs in report order (unknown KPIs last).
    """
    numeric = [c for c in kpis.columns
               if c not in ID_COLUMNS and pd.api.types.is_numeric_dtype(kpis[c])]
    long = kpis.melt(id_vars="scenario", value_vars=numeric, var_name="kpi")
    summary = mean_ci(long, ["scenario", "kpi"])
    rank = {k: i for i, k in enumerate(ordered(numeric, KPI_ORDER))}
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
    header = ["KPI", *grid.columns]
    body = [[kpi, *grid.loc[kpi]] for kpi in grid.index]
    widths = [max(len(str(r[i])) for r in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                       for i, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip()
             for r in [header, *body]]
    notes = [f"mean [95% CI] over {_replications(summary)} per scenario"]
    notes += [NOT_MEASURED_NOTE] if _unmeasured(grid) else []
    return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:], "", *notes])


def _replications(summary: pd.DataFrame) -> str:
    """Replications per scenario: '10 replications', '5–10 replications', or one's caveat."""
    n = summary.groupby("scenario")["n"].max()
    if n.empty:
        return "0 replications"
    if n.max() == 1:
        return "1 replication (one run: no spread to estimate, the interval is the mean itself)"
    return (f"{n.max()} replications" if n.min() == n.max()
            else f"{n.min()}–{n.max()} replications")


def markdown_table(header: Sequence, rows: Iterable[Sequence]) -> list[str]:
    """Lines of a Markdown pipe table; cells are printed with `str`."""
    return ["| " + " | ".join(map(str, header)) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(map(str, row)) + " |" for row in rows)]


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


def _figure_links(figures: Sequence[Path], folder: Path) -> list[str]:
    """Markdown images, linked relative to the summary so the folder can be moved."""
    lines = []
    for figure in map(Path, figures):
        link = Path(os.path.relpath(figure, folder)) if figure.is_absolute() else figure
        lines += [f"![{_CAPTIONS.get(figure.stem, figure.stem)}]({link.as_posix()})", ""]
    return lines


def write_summary(kpis: pd.DataFrame, breakdowns: pd.DataFrame | None, folder: Path,
                  figures: Sequence[Path], title: str, extra_lines: list[str] | None = None,
                  horizons: Mapping[str, int] | None = None) -> Path:
    """Write `summary.md`: comparison table, the mechanism, archetypes, pain points, figures.

    Args:
        kpis: Wide KPI table, one row per run.
        breakdowns: Long breakdown tables; missing tables leave their section out.
        folder: Result folder; `summary.md` is written here (created if needed).
        figures: Figure paths, relative to `folder` or absolute.
        title: Top-level heading.
        extra_lines: Markdown lines placed under the title (e.g. command line, horizon).
        horizons: Days each scenario ran for; different horizons are warned about and the
            retention gap is not explained.

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
             "## Comparison", "", *_comparison(summary), "",
             "## Why retention differs", "", *why_lines(summary, horizons), ""]
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
