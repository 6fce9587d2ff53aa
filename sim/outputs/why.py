"""The "why retention differs" section: plain sentences from the numbers, and when to refrain.

It compares the scenario with the best retention against the worst on the KPIs that explain a
gap (fragmented switches, waits, detractors, bad word of mouth). It says nothing it cannot
back: scenarios that ran for different horizons are not explained (time, not strategy, may
make the gap), a KPI that was not measured in one of them (no journey rated, so no NPS and no
stories) is named as such, and a ratio to a value below the printed precision is left out.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from sim.outputs.units import format_interval, format_value

# Each KPI's phrase and the unit words that follow its numbers.
MECHANISM_KPIS = {
    "fragmented_share": ("share of channel switches that lost the context", ""),
    "mean_wait_minutes": ("mean wait at the service desks", " minutes"),
    "detractors_share": ("share of detractors", ""),
    "wom_negative": ("number of contacts told a bad story", ""),
}
# Measured only once journeys are rated: without a rating there is no story to tell.
NEEDS_RATED_JOURNEYS = ("detractors_share", "wom_negative")


def horizon_warning(horizons: Mapping[str, int]) -> str | None:
    """A warning when compared scenarios run for different horizons (days), else None."""
    if len(set(horizons.values())) <= 1:
        return None
    longest = max(horizons.values())
    runs = ", ".join(f"{name} {days:,} days" for name, days in horizons.items())
    return (f"the scenarios run for different horizons ({runs}): KPIs that accumulate over "
            "time (retention, acquisitions, word of mouth, revenue) and those that need "
            "finished journeys are not comparable between them; give them the same horizon, "
            f"e.g. --set horizon_days={longest}")


def _interval_phrase(a: pd.Series, b: pd.Series) -> str:
    """Whether two summary rows' 95% intervals overlap (then the gap may be chance)."""
    if a["ci_low"] <= b["ci_high"] and b["ci_low"] <= a["ci_high"]:
        return "the 95% intervals overlap, so this gap may be chance"
    return "the 95% intervals do not overlap"


def _ratio(kpi: str, high: float, low: float) -> str:
    """' (2.5 times as high)', or nothing when the lower value prints as zero."""
    if float(format_value(kpi, low).replace(",", "")) == 0:
        return ""  # a ratio to a value below the printed precision says nothing
    ratio = high / low
    return f" ({ratio:.2f} times as high)" if ratio < 2 else f" ({ratio:.1f} times as high)"


def _contrast(kpi: str, best: str, worst: str, rows: pd.DataFrame) -> str:
    """One sentence comparing `kpi` between the best and the worst retention scenario."""
    label, unit = MECHANISM_KPIS[kpi]
    a, b = rows.loc[best], rows.loc[worst]
    lead = (f"- The {label} is {format_value(kpi, a['mean'])}{unit} in {best} and "
            f"{format_value(kpi, b['mean'])}{unit} in {worst}")
    if a["mean"] == b["mean"]:
        return f"{lead}: the same."
    high, low, name = (b, a, worst) if b["mean"] > a["mean"] else (a, b, best)
    gap = (f"{format_value(kpi, high['mean'] - low['mean'])}{unit} more in {name}"
           f"{_ratio(kpi, high['mean'], low['mean'])}")
    return f"{lead}: {gap}; {_interval_phrase(a, b)}."


def _measured(summary: pd.DataFrame, kpi: str) -> pd.DataFrame:
    return summary[summary["kpi"] == kpi].dropna(subset=["mean"]).set_index("scenario")


def why_lines(summary: pd.DataFrame, horizons: Mapping[str, int] | None = None) -> list[str]:
    """Plain sentences on how the best and worst retention scenarios differ, from the numbers.

    Args:
        summary: Output of `sim.outputs.report.summarise`.
        horizons: Days each scenario ran for; different horizons are not explained.
    """
    outcome = next((k for k in ("retention_rate", "cohort_survival")
                    if k in set(summary["kpi"])), None)
    if outcome is None:
        return ["No retention KPI in these results, so there is no gap to explain."]
    rows = _measured(summary, outcome)
    if len(rows) < 2:
        return [f"Fewer than two scenarios have a {outcome} ({', '.join(rows.index) or 'none'}): "
                "nothing to compare."]
    if horizons and horizon_warning(horizons):
        return ["The scenarios run for different horizons ("
                + ", ".join(f"{n} {d:,} days" for n, d in horizons.items())
                + "), so their gap mixes strategy with time and is not explained here. Give "
                "them the same `horizon_days` to compare their strategies."]
    best, worst = rows["mean"].idxmax(), rows["mean"].idxmin()
    if rows.loc[best, "mean"] == rows.loc[worst, "mean"]:
        return [f"The {outcome} is the same in every scenario."]
    high, low = rows.loc[best], rows.loc[worst]
    lines = [f"- The {outcome} is highest in **{best}** ({format_interval(outcome, high)}) and "
             f"lowest in **{worst}** ({format_interval(outcome, low)}), "
             f"{format_value(outcome, high['mean'] - low['mean'])} lower; "
             f"{_interval_phrase(high, low)}."]
    unrated = [s for s in (best, worst) if s not in _measured(summary, "detractors_share").index]
    for kpi in MECHANISM_KPIS:
        if kpi in NEEDS_RATED_JOURNEYS and unrated:
            continue
        kpi_rows = _measured(summary, kpi)
        if {best, worst} <= set(kpi_rows.index):
            lines.append(_contrast(kpi, best, worst, kpi_rows))
    if unrated and "detractors_share" in set(summary["kpi"]):
        lines.append(f"- No journey was rated in {' or '.join(unrated)} within the horizon, so "
                     "detractors and word of mouth were not measured there and are left out.")
    return lines
