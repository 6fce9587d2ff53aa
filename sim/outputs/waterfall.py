"""The cost/benefit waterfall of each alternative against the baseline (the figure a board reads).

From the baseline's operating profit, add the alternative's extra gross margin, take away each
extra cost item, and arrive at the alternative's operating profit: every step is a mean paired
difference over the replications (sim/outputs/baseline.py), so the bars add up exactly. Cost
items that moved by less than `NEGLIGIBLE_SHARE` of the money moved are summed into one "other
costs" bar rather than dropped, so the sum still holds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from sim.outputs.against import Against
from sim.outputs.baseline import cost_changes, notable
from sim.outputs.plots import canvas
from sim.outputs.units import cost_words, format_change_interval

TOTAL, GAIN, LOSS = "#4c72b0", "#55a868", "#c44e52"  # seaborn's deep blue, green, red


def short_eur(value: float, signed: bool = False) -> str:
    """EUR in a few characters: 1,234 → '1.2k', 3,400,000 → '3.4M'; '+' when `signed`."""
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    size = abs(value)
    for limit, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            return f"{sign}{size / limit:,.1f}{suffix}"
    return f"{sign}{size:,.0f}"


def steps(seen: Against, summary: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """The bars of one alternative's waterfall: label, value (EUR) and kind (total or step).

    The profit effect of a cost item is minus its change: an extra cost lowers the profit.
    """
    diffs = seen.differences
    margin = diffs[(diffs["scenario"] == scenario) & (diffs["kpi"] == "gross_margin")]["mean"]
    start = summary[(summary["scenario"] == seen.baseline)
                    & (summary["kpi"] == "operating_profit")]["mean"]
    if margin.empty or start.empty or not np.isfinite([margin.iloc[0], start.iloc[0]]).all():
        return pd.DataFrame(columns=["label", "value", "kind"])
    changes = cost_changes(diffs, scenario)
    named = notable(changes, abs(margin.iloc[0]) + changes.abs().sum())
    rows = [(f"{seen.baseline}\noperating profit", start.iloc[0], "total"),
            ("gross margin", margin.iloc[0], "step")]
    rows += [(cost_words(item), -value, "step") for item, value in named.items()]
    rest = changes.drop(named.index)
    if rest.sum() != 0:
        rows.append((f"other costs ({(rest != 0).sum()} items)", -rest.sum(), "step"))
    end = start.iloc[0] + sum(value for _, value, kind in rows if kind == "step")
    rows.append((f"{scenario}\noperating profit", end, "total"))
    return pd.DataFrame(rows, columns=["label", "value", "kind"])


def waterfall_figure(bars: pd.DataFrame, title: str, path: Path) -> Path | None:
    """Draw one waterfall: totals from zero, steps floating from the running total."""
    if bars.empty:
        return None
    running = np.cumsum(np.where(bars["kind"] == "step", bars["value"], 0.0))
    base = bars["value"].iloc[0]
    bottoms = np.where(bars["kind"] == "total", 0.0, base + running - bars["value"])
    colours = [TOTAL if k == "total" else (GAIN if v >= 0 else LOSS)
               for k, v in zip(bars["kind"], bars["value"], strict=True)]
    with canvas(path, size=(1.6 + 1.15 * len(bars), 4.8)) as axes:
        ax = axes[0, 0]
        x = np.arange(len(bars))
        ax.bar(x, bars["value"], bottom=bottoms, color=colours, width=0.65)
        for xi, bottom, (_, bar) in zip(x, bottoms, bars.iterrows(), strict=True):
            up = bar["value"] >= 0  # the label sits beyond the bar's far end
            ax.annotate(short_eur(bar["value"], signed=bar["kind"] == "step"),
                        (xi, bottom + bar["value"]), xytext=(0, 3 if up else -3),
                        textcoords="offset points", ha="center", va="bottom" if up else "top",
                        fontsize=8)
        ends = np.concatenate([bottoms, bottoms + bars["value"].to_numpy(), [0.0]])
        pad = 0.12 * (ends.max() - ends.min() or 1.0)  # room for the labels above and below
        ax.set_ylim(ends.min() - pad, ends.max() + pad)
        ax.axhline(0, color="#555555", linewidth=0.8)
        ax.set_xticks(x, bars["label"], rotation=30, ha="right", rotation_mode="anchor",
                      fontsize=8)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: short_eur(v)))
        ax.set_ylabel("EUR over the horizon (real market)")
        ax.set_title(title, fontsize=10)
    return path


def write_waterfalls(seen: Against | None, summary: pd.DataFrame, days: int | None,
                     folder: Path) -> list[Path]:
    """One waterfall per alternative, `waterfall-<scenario>.png` in `folder`."""
    if seen is None:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    period = f"{days:,} days" if days else "the horizon"
    written = []
    diffs = seen.differences
    for scenario in dict.fromkeys(diffs["scenario"]):
        profit = diffs[(diffs["scenario"] == scenario) & (diffs["kpi"] == "operating_profit")]
        change = (f"Δ {format_change_interval('operating_profit', profit.iloc[0])} EUR "
                  "(paired 95% CI)" if len(profit) else "")
        title = (f"{scenario} against {seen.baseline}: operating profit over {period}\n"
                 f"means over replications; {change}")
        path = waterfall_figure(steps(seen, summary, scenario), title,
                                folder / f"waterfall-{scenario}.png")
        written += [path] if path else []
    return written
