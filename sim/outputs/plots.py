"""Every figure of a run or comparison, drawn from the result tables (docs/results-format.md).

Each figure has one function that returns the PNG it wrote, or None when its data is missing,
so a partial result (an old file, a reduced metric set) still gets the figures it can support.
Confidence bands are mean ± t-based 95% intervals across replications, computed here rather
than by seaborn's bootstrap so the same results always give the same pixels.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display; must precede the pyplot import

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

from sim.engines.daily import WOM_WINDOW_DAYS  # noqa: E402
from sim.outputs.report import mean_ci, ordered, scenario_order  # noqa: E402
from sim.rules.channels import CHANNEL_NAMES, DESK_CHANNELS  # noqa: E402
from sim.rules.experience import ATTRIBUTE_NAMES  # noqa: E402
from sim.rules.journey import PHASE_NAMES  # noqa: E402

DESKS = [c.label for c in DESK_CHANNELS]
DPI = 110  # sharp enough on screen and in a Markdown viewer, files stay at tens of kB
# The KPIs that explain a retention gap, with their axis labels (units from results-format.md).
MECHANISM = {
    "fragmented_share": "channel switches losing context (share)",
    "mean_wait_minutes": "mean wait at service desks (minutes)",
    "detractors_share": "detractors (share of finished journeys)",
    "wom_negative": "contacts told a bad story",
}


def write_figures(kpis: pd.DataFrame, series: pd.DataFrame, breakdowns: pd.DataFrame,
                  folder: Path, offered: Mapping[str, Collection[str]] | None = None
                  ) -> list[Path]:
    """Write every figure the tables support into `folder`.

    Args:
        kpis: Wide KPI table, one row per run; its scenario order is kept in every figure.
        series: Long daily series (`scenario`, `replication`, `day`, `metric`, `value`).
        breakdowns: Long breakdown tables (`scenario`, `replication`, `table`, `dim1`, `dim2`,
            `value`).
        folder: Output folder, created if needed.
        offered: The channels each scenario offers (by name); those it does not offer are
            hatched in the channel-mix heatmap. Unknown (None): nothing is hatched.

    Returns:
        Paths of the PNGs written, always in the same order; figures without data are skipped.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    order = scenario_order(kpis, series, breakdowns)
    colours = dict(zip(order, sns.color_palette("colorblind", max(len(order), 1)), strict=False))
    written = [
        retention_figure(series, order, colours, folder / "retention.png"),
        funnel_figure(breakdowns, order, colours, folder / "funnel.png"),
        channel_mix_figure(breakdowns, order, folder / "channel_mix.png", offered),
        waits_figure(breakdowns, order, colours, folder / "waits.png"),
        word_of_mouth_figure(series, order, colours, folder / "word_of_mouth.png"),
        pain_points_figure(breakdowns, order, colours, folder / "pain_points.png"),
        mechanism_figure(kpis, order, colours, folder / "mechanism.png"),
    ]
    return [path for path in written if path is not None]


def _rows(frame: pd.DataFrame | None, column: str, *values: str) -> pd.DataFrame:
    """Rows whose `column` is one of `values`; empty when the frame or column is absent."""
    if frame is None or column not in frame.columns or "value" not in frame.columns:
        return pd.DataFrame()
    return frame[frame[column].isin(values)].dropna(subset=["value"])


def save_figure(fig, path: Path, dpi: int = DPI) -> Path:
    """Lay a figure out, write it to `path` and close it; return the path."""
    fig.tight_layout()
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return path


@contextmanager
def canvas(path: Path, nrows: int = 1, ncols: int = 1,
           size: tuple[float, float] = (7.5, 4.5), **kwargs) -> Iterator[np.ndarray]:
    """Axes grid in the house style, saved to `path` and closed, even when drawing fails.

    Every figure of a run, a comparison or a sweep is drawn on one of these, so they all share
    one look: seaborn's whitegrid, its colour-blind palette, the same fonts and resolution.
    """
    # Styles as contexts, not sns.set_theme: importing this module must not restyle the caller.
    with sns.axes_style("whitegrid"), sns.plotting_context("notebook", font_scale=0.85):
        fig, axes = plt.subplots(nrows, ncols, squeeze=False, figsize=size,
                                 layout="constrained", **kwargs)
        try:
            yield axes
            fig.savefig(path, dpi=DPI)
        finally:
            plt.close(fig)


def _bands(ax, summary: pd.DataFrame, order: list[str], colours: dict) -> None:
    """One line per scenario over days, shaded by its 95% confidence band."""
    for scenario in order:
        s = summary[summary["scenario"] == scenario].sort_values("day")
        if s.empty:
            continue
        ax.plot(s["day"], s["mean"], color=colours[scenario], label=scenario, linewidth=1.6)
        ax.fill_between(s["day"], s["ci_low"], s["ci_high"], color=colours[scenario], alpha=0.2,
                        linewidth=0)
    ax.set_xlabel("day")


def retention_figure(series: pd.DataFrame, order: list[str], colours: dict,
                     path: Path) -> Path | None:
    """Cohort survival of the day-0 customers over days, per scenario, with 95% bands."""
    data = _rows(series, "metric", "cohort_survival")
    if data.empty:
        return None
    summary = mean_ci(data, ["scenario", "day"])
    with canvas(path) as axes:
        ax = axes[0, 0]
        _bands(ax, summary, order, colours)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylabel("day-0 customers still customers")
        ax.set_title("Cohort survival (mean and 95% CI across replications)")
        ax.legend(title="scenario")
    return path


def _grouped_bars(ax, summary: pd.DataFrame, categories: list[str], order: list[str],
                  colours: dict) -> None:
    """Bars of `mean` per category (x) and scenario (colour), with 95% CI whiskers."""
    width = 0.8 / max(len(order), 1)
    x = np.arange(len(categories))
    for i, scenario in enumerate(order):
        s = summary[summary["scenario"] == scenario].set_index("dim1").reindex(categories)
        error = np.vstack([s["mean"] - s["ci_low"], s["ci_high"] - s["mean"]])
        ax.bar(x + (i - (len(order) - 1) / 2) * width, s["mean"], width, yerr=error,
               color=colours[scenario], label=scenario, capsize=2, error_kw={"linewidth": 0.8})
    ax.set_xticks(x, categories)
    ax.legend(title="scenario")


def funnel_figure(breakdowns: pd.DataFrame, order: list[str], colours: dict,
                  path: Path) -> Path | None:
    """Journeys entering each phase, per scenario, phases in journey order."""
    data = _rows(breakdowns, "table", "funnel")
    if data.empty:
        return None
    summary = mean_ci(data, ["scenario", "dim1"])
    with canvas(path, size=(8.5, 4.5)) as axes:
        ax = axes[0, 0]
        _grouped_bars(ax, summary, ordered(summary["dim1"], PHASE_NAMES), order, colours)
        ax.set_xlabel("journey phase")
        ax.set_ylabel("journeys entering the phase (per run)")
        ax.set_title("Journey funnel (mean and 95% CI across replications)")
    return path


def channel_mix_figure(breakdowns: pd.DataFrame, order: list[str], path: Path,
                       offered: Mapping[str, Collection[str]] | None = None) -> Path | None:
    """Share of each phase's interactions per channel: one heatmap panel per scenario.

    Phases without a touchpoint in any scenario are left out; a channel a scenario does not
    offer is hatched (not offered is not the same as unused, which shows 0%).
    """
    data = _rows(breakdowns, "table", "channel_mix")
    if data.empty:
        return None
    counts = data.groupby(["scenario", "dim1", "dim2"])["value"].mean()
    used = counts.groupby("dim1").sum()
    phases = [p for p in ordered(data["dim1"], PHASE_NAMES) if used.get(p, 0) > 0]
    channels = ordered(data["dim2"], CHANNEL_NAMES)
    present = [s for s in order if s in counts.index.get_level_values("scenario")]
    if not phases or not present:
        return None
    ncols = len(present) if len(present) <= 3 else int(np.ceil(np.sqrt(len(present))))
    nrows = -(-len(present) // ncols)
    with canvas(path, nrows=nrows, ncols=ncols, size=(0.9 + 4.4 * ncols, 0.8 + 3.9 * nrows),
                 sharey=True) as axes:
        for ax, scenario in zip(axes.ravel(), present, strict=False):
            grid = counts[scenario].unstack("dim1").reindex(index=channels, columns=phases)
            # Column shares: a phase with no interactions stays blank rather than 0%.
            share = grid / grid.sum().replace(0, np.nan)
            absent = _not_offered(share, (offered or {}).get(scenario))
            sns.heatmap(share, ax=ax, vmin=0, vmax=1, cmap="rocket_r", annot=True, fmt=".0%",
                        annot_kws={"fontsize": 8}, cbar=False, linewidths=0.3, mask=absent)
            for row in np.flatnonzero(absent.any(axis=1)):
                ax.add_patch(Rectangle((0, row), len(phases), 1, hatch="///", fill=False,
                                       edgecolor="#bbbbbb", linewidth=0))
            ax.grid(False)
            ax.set_title(scenario)
            ax.set_xlabel("journey phase")
            ax.set_ylabel("channel")
            plt.setp(ax.get_xticklabels(), rotation=35, ha="right", rotation_mode="anchor")
        for ax in axes.ravel()[len(present):]:
            ax.set_visible(False)
        figure = plt.gcf()
        figure.suptitle("Channel mix: share of each phase's touchpoints (mean over runs); "
                        "hatched: channel not offered")
        colourbar = figure.colorbar(axes[0, 0].collections[0], ax=axes.ravel().tolist(),
                                    shrink=0.8, pad=0.01, format=PercentFormatter(1.0))
        colourbar.set_label("share of the phase's touchpoints")
    return path


def _not_offered(share: pd.DataFrame, offered: Collection[str] | None) -> np.ndarray:
    """True for the rows (channels) of `share` not in `offered`; nothing masked if unknown."""
    mask = np.zeros(share.shape, dtype=bool)
    if offered is not None:
        mask[~share.index.isin(list(offered)), :] = True
    return mask


def waits_figure(breakdowns: pd.DataFrame, order: list[str], colours: dict,
                 path: Path) -> Path | None:
    """Mean wait at each staffed desk (minutes), per scenario, with 95% CIs."""
    data = _rows(breakdowns, "table", "wait_by_desk")
    if data.empty:
        return None
    summary = mean_ci(data, ["scenario", "dim1"])
    desks = ordered(summary["dim1"], [c for c in CHANNEL_NAMES if c in DESKS])
    with canvas(path, size=(7.0, 4.2)) as axes:
        ax = axes[0, 0]
        _grouped_bars(ax, summary, desks, order, colours)
        ax.set_xlabel("service desk")
        ax.set_ylabel("mean wait (minutes)")
        ax.set_title("Waits at the service desks (mean and 95% CI)\n"
                     "a desk without a bar is not offered")
    return path


def word_of_mouth_figure(series: pd.DataFrame, order: list[str], colours: dict,
                         path: Path) -> Path | None:
    """Positive and negative word of mouth per day (weekly rolling mean), one panel each."""
    data = _rows(series, "metric", "wom_positive", "wom_negative")
    if data.empty:
        return None
    # Smooth each run before averaging, so the band reflects spread between replications.
    data = data.sort_values("day")
    data["value"] = data.groupby(["scenario", "replication", "metric"])["value"].transform(
        lambda v: v.rolling(WOM_WINDOW_DAYS, min_periods=1).mean())
    summary = mean_ci(data, ["metric", "scenario", "day"])
    valences = [m for m in ("wom_positive", "wom_negative") if m in set(summary["metric"])]
    with canvas(path, ncols=len(valences), size=(5.5 * len(valences), 4.2),
                 sharey=True) as axes:
        for ax, metric in zip(axes[0], valences, strict=True):
            _bands(ax, summary[summary["metric"] == metric], order, colours)
            ax.set_title(f"{metric.removeprefix('wom_')} word of mouth")
            ax.set_ylabel(f"contacts told per day ({WOM_WINDOW_DAYS}-day mean)")
        axes[0, 0].legend(title="scenario")
    return path


def pain_points_figure(breakdowns: pd.DataFrame, order: list[str], colours: dict,
                       path: Path) -> Path | None:
    """Share of customers whose main shortfall is each experience attribute, per scenario."""
    data = _rows(breakdowns, "table", "pain_point")
    if data.empty:
        return None
    summary = mean_ci(data, ["scenario", "dim1"])
    with canvas(path, size=(8.0, 4.5)) as axes:
        ax = axes[0, 0]
        _grouped_bars(ax, summary, ordered(summary["dim1"], ATTRIBUTE_NAMES), order, colours)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel("experience attribute")
        ax.set_ylabel("customers with this main pain point")
        ax.set_title("Pain points (mean and 95% CI across replications)")
    return path


def mechanism_figure(kpis: pd.DataFrame, order: list[str], colours: dict,
                     path: Path) -> Path | None:
    """The KPIs that explain a retention gap, one panel each, per scenario with 95% CI."""
    present = [k for k in MECHANISM if kpis is not None and k in kpis.columns]
    if not present or "scenario" not in kpis.columns:
        return None
    long = kpis.melt(id_vars="scenario", value_vars=present, var_name="kpi")
    summary = mean_ci(long, ["kpi", "scenario"])
    ncols = min(len(present), 2)
    nrows = -(-len(present) // ncols)
    with canvas(path, nrows=nrows, ncols=ncols, size=(4.6 * ncols, 3.4 * nrows)) as axes:
        for ax, kpi in zip(axes.ravel(), present, strict=False):
            s = summary[summary["kpi"] == kpi].set_index("scenario").reindex(order)
            error = np.vstack([s["mean"] - s["ci_low"], s["ci_high"] - s["mean"]])
            ax.bar(order, s["mean"], yerr=error, capsize=4,
                   color=[colours[name] for name in order])
            ax.set_title(MECHANISM[kpi], fontsize=9)
            ax.tick_params(axis="x", labelrotation=15)
        for ax in axes.ravel()[len(present):]:
            ax.set_visible(False)
        plt.gcf().suptitle("Why retention differs (mean and 95% CI across replications)")
    return path
