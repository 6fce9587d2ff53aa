"""Summaries of a run or comparison: KPI means with 95% CIs, the terminal table and summary.md.

Confidence intervals are t-based across replications (each replication is one independent
draw), so they widen honestly when only a few seeds were run; with one replication the
interval collapses to the mean because there is no spread to estimate.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from agents.archetypes import Archetype
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
    "awareness_to_purchase_days",
)
# The terminal shows fewer rows so three scenarios fit in 100 columns (revenue is too wide).
TERMINAL_KPIS = KPI_ORDER[:9] + ("clv_mean",)
UNITS = {  # docs/results-format.md
    "retention_rate": "share", "cohort_survival": "share", "acquisitions_wom_share": "share",
    "promoters_share": "share", "detractors_share": "share", "fragmented_share": "share",
    "satisfaction_mean": "0..1", "customers_start": "customers", "customers_end": "customers",
    "acquisitions": "customers", "churned": "customers", "purchases": "count",
    "channel_switches": "count", "fragmented_experiences": "count", "revenue": "EUR",
    "clv_mean": "EUR", "nps": "points", "wom_positive": "people", "wom_negative": "people",
    "wom_reach_positive_mean": "people/sharer", "wom_reach_negative_mean": "people/sharer",
    "mean_wait_minutes": "minutes", "awareness_to_purchase_days": "days",
}
_FORMATS = {"share": "{:.3f}", "0..1": "{:.3f}", "customers": "{:,.0f}", "count": "{:,.0f}",
            "people": "{:,.0f}", "EUR": "{:,.0f}", "minutes": "{:.1f}", "days": "{:.1f}",
            "points": "{:.1f}", "people/sharer": "{:.1f}"}
# What the "Why" section compares between the best and the worst retention scenario.
# Each KPI's phrase and the unit words that follow its numbers.
MECHANISM_KPIS = {
    "fragmented_share": ("share of channel switches that lost the context", ""),
    "mean_wait_minutes": ("mean wait at the service desks", " minutes"),
    "detractors_share": ("share of detractors", ""),
    "wom_negative": ("reach of negative word of mouth", " people"),
}


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


def format_value(kpi: str, value: float) -> str:
    """`value` in the precision of the KPI's unit: shares 0.123, counts 1,234, minutes 1.2."""
    if value is None or not np.isfinite(value):
        return "n/a"
    return _FORMATS.get(UNITS.get(kpi, ""), "{:,.3g}").format(value)


def format_interval(kpi: str, row) -> str:
    """`mean [low, high]` of a row with `mean`, `ci_low`, `ci_high`; `n/a` without a mean."""
    if not np.isfinite(row["mean"]):
        return "n/a"
    return (f"{format_value(kpi, row['mean'])} "
            f"[{format_value(kpi, row['ci_low'])}, {format_value(kpi, row['ci_high'])}]")


def _cell(row: pd.Series) -> str:
    return format_interval(row["kpi"], row)


def _grid(summary: pd.DataFrame, kpis: Sequence[str] | None = None) -> pd.DataFrame:
    """Formatted cells: rows KPIs, columns scenarios, both in summary order."""
    cells = summary.assign(cell=summary.apply(_cell, axis=1) if len(summary) else [])
    grid = cells.pivot(index="kpi", columns="scenario", values="cell")
    rows = [k for k in (kpis or dict.fromkeys(summary["kpi"])) if k in grid.index]
    return grid.reindex(index=rows, columns=list(dict.fromkeys(summary["scenario"]))).fillna("n/a")


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
    note = f"mean [95% CI] over {_replications(summary)} replications per scenario"
    return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:], "", note])


def _replications(summary: pd.DataFrame) -> str:
    """Replications per scenario: `10`, or `5–10` when scenarios differ."""
    n = summary.groupby("scenario")["n"].max()
    if n.empty:
        return "0"
    return str(n.max()) if n.min() == n.max() else f"{n.min()}–{n.max()}"


def markdown_table(header: Sequence, rows: Iterable[Sequence]) -> list[str]:
    """Lines of a Markdown pipe table; cells are printed with `str`."""
    return ["| " + " | ".join(map(str, header)) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(map(str, row)) + " |" for row in rows)]


def _markdown(frame: pd.DataFrame, index_name: str) -> list[str]:
    """Markdown table of a frame of already formatted strings."""
    return markdown_table([index_name, *frame.columns],
                          ([i, *row] for i, row in zip(frame.index, frame.to_numpy(), strict=True)))


def _comparison(summary: pd.DataFrame) -> list[str]:
    """Markdown comparison table with a unit column."""
    grid = _grid(summary)
    grid.insert(0, "unit", [UNITS.get(k, "") for k in grid.index])
    return _markdown(grid, "KPI")


def _interval_phrase(a: pd.Series, b: pd.Series) -> str:
    """Whether two summary rows' 95% intervals overlap (then the gap may be chance)."""
    if a["ci_low"] <= b["ci_high"] and b["ci_low"] <= a["ci_high"]:
        return "the 95% intervals overlap, so this gap may be chance"
    return "the 95% intervals do not overlap"


def _contrast(kpi: str, best: str, worst: str, rows: pd.DataFrame) -> str:
    """One sentence comparing `kpi` between the best and the worst retention scenario."""
    label, unit = MECHANISM_KPIS[kpi]
    a, b = rows.loc[best], rows.loc[worst]
    lead = (f"- The {label} is {format_value(kpi, a['mean'])}{unit} in {best} and "
            f"{format_value(kpi, b['mean'])}{unit} in {worst}")
    if a["mean"] == b["mean"]:
        return f"{lead}: the same."
    high, low, name = (b, a, worst) if b["mean"] > a["mean"] else (a, b, best)
    gap = f"{format_value(kpi, high['mean'] - low['mean'])}{unit} more in {name}"
    if low["mean"] > 0:  # a ratio to zero says nothing
        ratio = high["mean"] / low["mean"]
        gap += f" ({ratio:.2f} times as high)" if ratio < 2 else f" ({ratio:.1f} times as high)"
    return f"{lead}: {gap}; {_interval_phrase(a, b)}."


def why_lines(summary: pd.DataFrame) -> list[str]:
    """Plain sentences on how the best and worst retention scenarios differ, from the numbers.

    Args:
        summary: Output of `summarise`.
    """
    outcome = next((k for k in ("retention_rate", "cohort_survival")
                    if k in set(summary["kpi"])), None)
    if outcome is None:
        return ["No retention KPI in these results, so there is no gap to explain."]
    rows = summary[summary["kpi"] == outcome].dropna(subset=["mean"]).set_index("scenario")
    if len(rows) < 2:
        return [f"Fewer than two scenarios have a {outcome} ({', '.join(rows.index) or 'none'}): "
                "nothing to compare."]
    best, worst = rows["mean"].idxmax(), rows["mean"].idxmin()
    if rows.loc[best, "mean"] == rows.loc[worst, "mean"]:
        return [f"The {outcome} is the same in every scenario."]
    high, low = rows.loc[best], rows.loc[worst]
    lines = [f"- The {outcome} is highest in **{best}** ({_cell(high)}) and lowest in "
             f"**{worst}** ({_cell(low)}), {format_value(outcome, high['mean'] - low['mean'])} "
             f"lower; {_interval_phrase(high, low)}."]
    for kpi in MECHANISM_KPIS:
        kpi_rows = summary[summary["kpi"] == kpi].dropna(subset=["mean"]).set_index("scenario")
        if {best, worst} <= set(kpi_rows.index):
            lines.append(_contrast(kpi, best, worst, kpi_rows))
    return lines


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
}


def _figure_links(figures: Sequence[Path], folder: Path) -> list[str]:
    """Markdown images, linked relative to the summary so the folder can be moved."""
    lines = []
    for figure in map(Path, figures):
        link = Path(os.path.relpath(figure, folder)) if figure.is_absolute() else figure
        lines += [f"![{_CAPTIONS.get(figure.stem, figure.stem)}]({link.as_posix()})", ""]
    return lines


def write_summary(kpis: pd.DataFrame, breakdowns: pd.DataFrame | None, folder: Path,
                  figures: Sequence[Path], title: str,
                  extra_lines: list[str] | None = None) -> Path:
    """Write `summary.md`: comparison table, the mechanism, archetypes, pain points, figures.

    Args:
        kpis: Wide KPI table, one row per run.
        breakdowns: Long breakdown tables; missing tables leave their section out.
        folder: Result folder; `summary.md` is written here (created if needed).
        figures: Figure paths, relative to `folder` or absolute.
        title: Top-level heading.
        extra_lines: Markdown lines placed under the title (e.g. command line, horizon).

    Returns:
        Path of the written `summary.md`.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    summary = summarise(kpis)
    scenarios = scenario_order(kpis)
    lines = [f"# {title}", "", *(extra_lines or []), *([""] if extra_lines else []),
             f"Cells are the mean over {_replications(summary)} replications per scenario with "
             "its 95% t-based confidence interval in brackets.", "",
             "## Comparison", "", *_comparison(summary), "",
             "## Why retention differs", "", *why_lines(summary), ""]
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
