"""The "why retention differs" section: from the baseline to each alternative, in plain sentences.

For each alternative it says how far retention moved from the baseline, which of the KPIs that
explain a gap (fragmented switches, waits, detractors, bad word of mouth) moved with it, and
what the move costs and earns: extra cost by item, extra gross margin, operating profit, ROI and
payback. Every difference carries its paired 95% interval (sim/outputs/baseline.py), and a
difference whose interval includes 0 is called possibly chance.

It says nothing it cannot back: scenarios that ran for different horizons are not explained
(time, not strategy, may make the gap), a KPI that was not measured in one of them (no journey
rated, so no NPS and no stories) is named as such, and a ratio to a value below the printed
precision is left out.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from sim.outputs.against import Against, payback_text, roi_text
from sim.outputs.baseline import cost_changes, notable
from sim.outputs.units import cost_words, format_change, format_change_interval, format_value

# Each KPI's phrase and the unit words that follow its numbers.
MECHANISM_KPIS = {
    "fragmented_share": ("share of channel switches that lost the context", ""),
    "mean_wait_minutes": ("mean wait at the service desks", " minutes"),
    "detractors_share": ("share of detractors", ""),
    "wom_negative": ("number of contacts told a bad story", ""),
}
# Measured only once journeys are rated: without a rating there is no story to tell.
NEEDS_RATED_JOURNEYS = ("detractors_share", "wom_negative")
NAMED_COSTS = 3  # cost items named in the money sentence, largest first


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


def _judged(kpi: str, change: pd.Series, unit: str = "") -> str:
    """A paired difference with its 95% CI and whether the interval includes 0 (maybe chance)."""
    text = f"{format_change_interval(kpi, change)}{unit} (paired 95% CI)"
    if change["n"] < 2:
        return f"{text}, from one replication, so chance cannot be judged"
    if change["ci_low"] <= 0 <= change["ci_high"]:
        return f"{text}, which includes 0: it may be chance"
    return f"{text}, which excludes 0"


def _ratio(kpi: str, high: float, low: float) -> str:
    """' (2.5 times as high)', or nothing when the lower value prints as zero."""
    if float(format_value(kpi, low).replace(",", "")) == 0:
        return ""  # a ratio to a value below the printed precision says nothing
    ratio = high / low
    return f" ({ratio:.2f} times as high)" if ratio < 2 else f" ({ratio:.1f} times as high)"


def _contrast(kpi: str, scenario: str, baseline: str, means: pd.Series,
              change: pd.Series) -> str:
    """One sentence on how `kpi` moved from the baseline to `scenario`."""
    label, unit = MECHANISM_KPIS[kpi]
    alt, base = means[scenario], means[baseline]
    lead = (f"  - The {label} is {format_value(kpi, alt)}{unit} in {scenario} and "
            f"{format_value(kpi, base)}{unit} in {baseline}")
    if alt == base:
        return f"{lead}: the same."
    high, low, name = (alt, base, scenario) if alt > base else (base, alt, baseline)
    gap = f"{format_value(kpi, high - low)}{unit} more in {name}{_ratio(kpi, high, low)}"
    return f"{lead}: {gap}; the difference is {_judged(kpi, change, unit)}."


def _means(summary: pd.DataFrame, kpi: str) -> pd.Series:
    rows = summary[summary["kpi"] == kpi].dropna(subset=["mean"])
    return rows.set_index("scenario")["mean"]


def _change(differences: pd.DataFrame, scenario: str, kpi: str) -> pd.Series | None:
    rows = differences[(differences["scenario"] == scenario) & (differences["kpi"] == kpi)]
    return rows.iloc[0] if len(rows) and pd.notna(rows.iloc[0]["mean"]) else None


def why_lines(summary: pd.DataFrame, seen: Against | None,
              horizons: Mapping[str, int] | None = None) -> list[str]:
    """Plain sentences on how each alternative differs from the baseline, from the numbers.

    Args:
        summary: Output of `sim.outputs.report.summarise`.
        seen: The comparison against its baseline (`sim.outputs.against.against`); None
            when there is only one scenario.
        horizons: Days each scenario ran for; different horizons are not explained.
    """
    outcome = next((k for k in ("retention_rate", "cohort_survival")
                    if k in set(summary["kpi"])), None)
    if outcome is None:
        return ["No retention KPI in these results, so there is no gap to explain."]
    means = _means(summary, outcome)
    if len(means) < 2 or seen is None:
        return [f"Fewer than two scenarios have a {outcome} ({', '.join(means.index) or 'none'}): "
                "nothing to compare."]
    if seen.baseline not in means.index:
        return [f"The baseline {seen.baseline} has no {outcome} (not measured in any "
                "replication): nothing to compare against."]
    if horizons and horizon_warning(horizons):
        return ["The scenarios run for different horizons ("
                + ", ".join(f"{n} {d:,} days" for n, d in horizons.items())
                + "), so their gap mixes strategy with time and is not explained here. Give "
                "them the same `horizon_days` to compare their strategies."]
    baseline = seen.baseline
    lines = [f"Each alternative against the baseline **{baseline}**, run on the same seeds: a "
             "difference is the mean over replications of alternative − baseline, with its "
             "paired 95% interval."]
    days = (horizons or {}).get(baseline)
    for scenario in (s for s in means.index if s != baseline):
        lines += _alternative(summary, seen.differences, scenario, baseline, outcome)
        lines += _money(seen.differences, seen.returns, scenario, baseline, days)
    return lines


def _alternative(summary: pd.DataFrame, differences: pd.DataFrame, scenario: str,
                 baseline: str, outcome: str) -> list[str]:
    """The outcome's move and the mechanism KPIs that moved with it, for one alternative."""
    means, change = _means(summary, outcome), _change(differences, scenario, outcome)
    head = (f"- **{scenario}**: the {outcome} is {format_value(outcome, means[scenario])} "
            f"against {format_value(outcome, means[baseline])} in {baseline}")
    if change is None:
        return [f"{head}."]
    lines = [f"{head}: {_judged(outcome, change)}."]
    rated = _means(summary, "detractors_share").index
    unrated = [s for s in (scenario, baseline) if s not in rated]
    for kpi in MECHANISM_KPIS:
        if kpi in NEEDS_RATED_JOURNEYS and unrated:
            continue
        kpi_means, kpi_change = _means(summary, kpi), _change(differences, scenario, kpi)
        if {scenario, baseline} <= set(kpi_means.index) and kpi_change is not None:
            lines.append(_contrast(kpi, scenario, baseline, kpi_means, kpi_change))
    if unrated and "detractors_share" in set(summary["kpi"]):
        lines.append(f"  - No journey was rated in {' or '.join(unrated)} within the horizon, "
                     "so detractors and word of mouth were not measured there and are left out.")
    return lines


def _money(differences: pd.DataFrame, returns: pd.DataFrame | None, scenario: str,
           baseline: str, days: int | None) -> list[str]:
    """What the alternative costs and earns against the baseline, and whether it pays."""
    cost, margin, profit = (_change(differences, scenario, k)
                            for k in ("cost_total", "gross_margin", "operating_profit"))
    if cost is None or margin is None or profit is None:
        return []
    period = f"the {days:,} days" if days else "the horizon"
    items = notable(cost_changes(differences, scenario), abs(margin["mean"]) + abs(cost["mean"]))
    named = ", ".join(f"{cost_words(item)} {format_change('cost_total', value)}"
                      for item, value in items.iloc[:NAMED_COSTS].items())
    return [f"  - Money over {period} (EUR): costs {format_change_interval('cost_total', cost)}"
            + (f", mostly {named}" if named else "")
            + f"; gross margin {format_change_interval('gross_margin', margin)}; operating "
            f"profit {_judged('operating_profit', profit)}.{_verdict(returns, scenario)}"]


def _verdict(returns: pd.DataFrame | None, scenario: str) -> str:
    """` ROI …; payback …` in words, or why there is none."""
    if returns is None:
        return ""
    rows = returns[returns["scenario"] == scenario].set_index("measure")
    roi = rows.loc["roi"] if "roi" in rows.index else None
    payback = payback_text(rows.loc["payback_months"] if "payback_months" in rows.index else None)
    text = f" ROI {roi_text(roi)}"
    if roi is not None and roi["n"] == 0 and roi["undefined"]:
        text = " It costs less than the baseline, so there is no ROI to compute"
    if payback == "never":
        return text + "; its running profit does not rise, so the extra set-up is never repaid."
    if payback.startswith("none"):
        return text + f"; payback: {payback}."
    return text + f"; the extra set-up is repaid in {payback}."
