"""The fit's figures: tracking the cohort's repeat transactions, and how the customers compare.

The classic figures of customer-base analysis (Fader, Hardie & Lee 2005, Figures 2–4): the
cumulative and the weekly repeat transactions of the cohort, actual against each model with the
end of the calibration window marked; the distribution of repeat counts in the calibration
window; the conditional expectation of holdout transactions by calibration repeats.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; must precede the pyplot import

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from sim.fit.statistics import CohortStatistics  # noqa: E402
from sim.outputs.plots import save_figure  # noqa: E402

LINES = {"actual": ("actual", "-"), "cxsim": ("cxsim (fitted)", "--"),
         "bgnbd": ("BG/NBD", ":")}


def _colours() -> dict[str, tuple]:
    palette = sns.color_palette("colorblind", 3)
    return {"actual": (0.1, 0.1, 0.1), "cxsim": palette[0], "bgnbd": palette[1]}


def _mark_split(ax, calibration_weeks: int) -> None:
    ax.axvline(calibration_weeks + 0.5, color="grey", lw=0.8, ls="-")
    ax.text(calibration_weeks + 1, ax.get_ylim()[1] * 0.97, "holdout →", va="top", fontsize=8,
            color="grey")


def tracking_figure(table: pd.DataFrame, calibration_weeks: int, path: Path,
                    cumulative: bool = True) -> Path:
    """Cumulative (or weekly) repeat transactions by week: actual, cxsim and BG/NBD."""
    fig, ax = plt.subplots(figsize=(7, 4))
    colours = _colours()
    for model, (label, style) in LINES.items():
        column = f"{model}_cumulative" if cumulative else model
        if column in table.columns:
            ax.plot(table.index, table[column], style, color=colours[model], lw=1.4,
                    label=label)
    what = "cumulative repeat transactions" if cumulative else "repeat transactions per week"
    ax.set(xlabel="week", ylabel=what, title=f"Tracking the cohort: {what}")
    ax.set_xlim(1, table.index.max())
    if cumulative:
        ax.set_ylim(0, None)
    _mark_split(ax, calibration_weeks)
    ax.legend(loc="upper left" if cumulative else "upper right", fontsize=8)
    return save_figure(fig, path)


def repeat_counts_figure(real: CohortStatistics, simulated: CohortStatistics | None,
                         path: Path) -> Path:
    """Share of customers by repeat transactions in the calibration window, actual vs cxsim."""
    frames = [real.repeat_counts.rename("actual")]
    if simulated is not None:
        frames.append(simulated.repeat_counts.rename("cxsim (fitted)"))
    long = (pd.concat(frames, axis=1).reset_index()
            .melt(id_vars="repeats", var_name="cohort", value_name="share"))
    colours = _colours()
    fig, ax = plt.subplots(figsize=(7, 4))
    sns.barplot(long, x="repeats", y="share", hue="cohort", ax=ax,
                palette=[colours["actual"], colours["cxsim"]][:len(frames)])
    ax.set(xlabel=f"repeat transactions in the {real.window.calibration_weeks} calibration weeks",
           ylabel="share of customers", title="How many times customers came back")
    ax.legend(fontsize=8)
    return save_figure(fig, path)


def conditional_figure(table: pd.DataFrame, holdout_weeks: int, path: Path) -> Path:
    """Mean holdout transactions by calibration repeats: actual, cxsim and BG/NBD."""
    fig, ax = plt.subplots(figsize=(7, 4))
    colours = _colours()
    x = np.arange(len(table))
    for model, (label, style) in LINES.items():
        if model in table.columns:
            ax.plot(x, table[model], style, marker="o", ms=4, color=colours[model], label=label)
    ax.set_xticks(x, table.index)
    ax.set(xlabel="repeat transactions in the calibration window",
           ylabel=f"mean transactions in the {holdout_weeks} holdout weeks",
           title="Conditional expectation of holdout transactions")
    ax.legend(loc="upper left", fontsize=8)
    return save_figure(fig, path)


def write_figures(table: pd.DataFrame, conditional: pd.DataFrame, real: CohortStatistics,
                  simulated: CohortStatistics | None, folder: Path) -> list[Path]:
    """Write the four figures into `folder`; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    weeks = real.window.calibration_weeks
    return [tracking_figure(table, weeks, folder / "tracking_cumulative.png"),
            tracking_figure(table, weeks, folder / "tracking_weekly.png", cumulative=False),
            repeat_counts_figure(real, simulated, folder / "repeat_counts.png"),
            conditional_figure(conditional, real.window.holdout_weeks,
                               folder / "conditional_expectation.png")]
