"""Figures of a sweep (seaborn, PNG): KPI against each factor, two-factor heatmaps, indices.

Each function returns the path it wrote or None when the design gives it nothing to show.
Bands are the t-based 95% intervals of `sim.experiments.analysis`, not seaborn's bootstrap, so
the same results always draw the same picture. They are drawn on the run figures' canvas
(`sim.outputs.plots.canvas`), labelled in words with units (`sim.outputs.units`), and the
panels of one heatmap share one colour scale, so a difference in colour is a difference in value.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; must precede the pyplot import

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from sim.outputs.plots import canvas  # noqa: E402
from sim.outputs.units import factor_label, format_value, label  # noqa: E402

BINS = 8  # a sampled factor's range is cut into this many bins for its mean line


def _colours(scenarios: list[str]) -> dict:
    return dict(zip(scenarios, sns.color_palette("colorblind", max(len(scenarios), 1)),
                    strict=False))


def _numeric(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def by_factor_figure(levels: pd.DataFrame, points: pd.DataFrame, kpi: str, factors: list[str],
                     scenarios: list[str], path: Path) -> Path | None:
    """KPI against each factor, one panel per factor, a line and 95% band per scenario.

    Args:
        levels: `analysis.level_summary` (factorial designs) or empty (sampled designs).
        points: `analysis.point_summary`; sampled designs plot its point means and a binned
            mean line with its 95% band.
        kpi: The KPI to plot.
        factors: Factor key paths, one panel each.
        scenarios: Scenario names, in legend order.
        path: Where to write the PNG.
    """
    colours = _colours(scenarios)
    ncols = min(len(factors), 3)
    nrows = -(-len(factors) // ncols)
    with canvas(path, nrows, ncols, size=(4.4 * ncols, 3.6 * nrows)) as axes:
        for ax, factor in zip(axes.flat, factors, strict=False):
            for scenario in scenarios:
                if len(levels):
                    rows = levels[(levels.factor == factor) & (levels.kpi == kpi)
                                  & (levels.scenario == scenario)]
                    _band(ax, rows, colours[scenario], scenario)
                else:
                    rows = points[(points.kpi == kpi) & (points.scenario == scenario)]
                    _binned(ax, rows, factor, colours[scenario], scenario)
            ax.set(xlabel=factor_label(factor), ylabel=label(kpi))
        for ax in list(axes.flat)[len(factors):]:
            ax.set_visible(False)
        axes.flat[0].legend(title="scenario", fontsize="small")
        plt.gcf().suptitle(f"{label(kpi)}: mean and 95% CI over replications")
    return path


def _band(ax, rows: pd.DataFrame, colour, label: str) -> None:
    if rows.empty:
        return
    if _numeric(rows["level"]):
        rows = rows.sort_values("level")
        ax.plot(rows["level"], rows["mean"], marker="o", color=colour, label=label)
        ax.fill_between(rows["level"].astype(float), rows["ci_low"], rows["ci_high"],
                        color=colour, alpha=0.25, linewidth=0)
    else:
        x = rows["level"].astype(str)
        ax.errorbar(x, rows["mean"], yerr=[rows["mean"] - rows["ci_low"],
                                           rows["ci_high"] - rows["mean"]],
                    fmt="o-", color=colour, capsize=3, label=label)


def _binned(ax, rows: pd.DataFrame, factor: str, colour, label: str) -> None:
    from sim.outputs.report import mean_ci

    if rows.empty:
        return
    ax.scatter(rows[factor], rows["mean"], s=8, alpha=0.35, color=colour)
    edges = np.linspace(rows[factor].min(), rows[factor].max(), BINS + 1)
    bins = rows.assign(bin=np.clip(np.digitize(rows[factor], edges[1:-1]), 0, BINS - 1))
    stats = mean_ci(bins, ["bin"], value="mean").sort_values("bin")
    centres = (edges[:-1] + edges[1:])[stats["bin"].to_numpy()] / 2
    ax.plot(centres, stats["mean"], color=colour, label=label)
    ax.fill_between(centres, stats["ci_low"], stats["ci_high"], color=colour, alpha=0.25,
                    linewidth=0)


def heatmap_figure(kpis: pd.DataFrame, kpi: str, rows: str, cols: str, scenarios: list[str],
                   path: Path) -> Path | None:
    """Mean KPI over two factors' levels (averaged over replications and other factors).

    One panel per scenario, all on one colour scale with one colour bar; cells print in the
    KPI's unit precision (`sim.outputs.units.format_value`).
    """
    if rows == cols:
        return None
    grids = {s: kpis[kpis.scenario == s].groupby([rows, cols], sort=False)[kpi].mean()
             .unstack(cols).sort_index(ascending=False) for s in scenarios}
    values = np.concatenate([g.to_numpy(dtype=float).ravel() for g in grids.values()])
    if not np.isfinite(values).any():
        return None
    low, high = np.nanmin(values), np.nanmax(values)
    with canvas(path, 1, len(scenarios), size=(0.8 + 4.4 * len(scenarios), 4.0),
                sharey=True) as axes:
        for ax, scenario in zip(axes.flat, scenarios, strict=True):
            grid = grids[scenario]
            notes = grid.apply(lambda column: column.map(lambda v: format_value(kpi, v)))
            sns.heatmap(grid, annot=notes, fmt="", cmap="viridis", vmin=low, vmax=high,
                        ax=ax, cbar=False, annot_kws={"fontsize": 9}, linewidths=0.3)
            ax.set_title(scenario)
            ax.set(xlabel=factor_label(cols), ylabel=factor_label(rows) if ax is axes.flat[0]
                   else "")
        bar = plt.gcf().colorbar(axes.flat[0].collections[0], ax=list(axes.flat), shrink=0.9,
                                 pad=0.02)
        bar.set_label(label(kpi))
        plt.gcf().suptitle(f"{label(kpi)}: mean over replications (one colour scale)")
    return path


def sensitivity_figure(indices: pd.DataFrame, outcomes: list[str], scenarios: list[str],
                       path: Path) -> Path | None:
    """Bars of the Sobol' S1 and ST (or Morris mu* and sigma) per factor, with 95% CIs."""
    if indices.empty:
        return None
    shown = {"S1", "ST", "mu_star", "sigma"}
    data = indices[indices["index"].isin(shown) & indices.kpi.isin(outcomes)]
    kpis = [k for k in outcomes if k in set(data.kpi)]
    if not kpis:
        return None
    method = str(data["method"].iloc[0])
    with canvas(path, len(kpis), len(scenarios),
                size=(4.8 * len(scenarios), 3.4 * len(kpis))) as axes:
        for r, kpi in enumerate(kpis):
            for c, scenario in enumerate(scenarios):
                ax = axes[r, c]
                rows = data[(data.kpi == kpi) & (data.scenario == scenario)]
                _bars(ax, rows)
                ax.set_title(f"{label(kpi)} — {scenario}", fontsize="medium")
        plt.gcf().suptitle(f"{'Sobol' if method == 'sobol' else 'Morris'} sensitivity indices "
                           "(95% CI)")
    return path


def _bars(ax, rows: pd.DataFrame) -> None:
    if rows.empty:
        ax.text(0.5, 0.5, "no variation", ha="center", va="center", transform=ax.transAxes)
        return
    factors = list(dict.fromkeys(rows["factor"]))
    kinds = list(dict.fromkeys(rows["index"]))
    width = 0.8 / len(kinds)
    palette = sns.color_palette("colorblind", len(kinds))
    for k, kind in enumerate(kinds):
        part = rows[rows["index"] == kind].set_index("factor").reindex(factors)
        x = np.arange(len(factors)) + (k - (len(kinds) - 1) / 2) * width
        ax.bar(x, part["value"], width, yerr=part["conf"].fillna(0), capsize=2,
               color=palette[k], label=kind)
    ax.set_xticks(np.arange(len(factors)), [factor_label(f) for f in factors], rotation=20,
                  ha="right", rotation_mode="anchor", fontsize="small")
    ax.axhline(0, color="grey", linewidth=0.6)
    ax.legend(fontsize="small")


def write_figures(kpis: pd.DataFrame, points: pd.DataFrame, levels: pd.DataFrame,
                  indices: pd.DataFrame, factors: list[str], outcomes: list[str],
                  scenarios: list[str], factorial: bool, folder: Path) -> list[Path]:
    """Every figure the sweep supports, in a fixed order."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kpi in outcomes:
        written.append(by_factor_figure(levels, points, kpi, factors, scenarios,
                                        folder / f"{kpi}_by_factor.png"))
        if factorial and len(factors) >= 2:
            written.append(heatmap_figure(kpis, kpi, factors[0], factors[1], scenarios,
                                          folder / f"{kpi}_heatmap.png"))
    written.append(sensitivity_figure(indices, outcomes, scenarios,
                                      folder / "sensitivity.png"))
    return [p for p in written if p is not None]


def front_figure(table: pd.DataFrame, objectives: list, constraints: dict,
                 recommended: int | None, path: Path) -> Path:
    """Every candidate on the objectives' axes: the front joined up, the baseline a star.

    Args:
        table: evaluations.csv's table: the baseline's row first, then the candidates, with
            `feasible` and `on_front`.
        objectives: The optimisation's objectives; with one, it is drawn against the first
            constrained KPI (e.g. cost against the budget), or against the candidate number.
        constraints: KPI → bound; a bound on an axis is drawn as a dashed line.
        recommended: The recommended candidate's number (ringed), if any.
        path: Where to write the PNG.
    """
    pairs = _front_axes([o.kpi for o in objectives], list(constraints))
    with canvas(path, 1, len(pairs), size=(5.4 * len(pairs), 4.4)) as axes:
        for ax, (x, y) in zip(axes.flat, pairs, strict=False):
            _front_panel(ax, table, x, y, constraints, recommended)
        axes.flat[0].legend(fontsize="small")
        plt.gcf().suptitle("Every candidate, the front and the baseline", fontsize="medium")
    return path


def _front_axes(objectives: list[str], constrained: list[str]) -> list[tuple[str, str]]:
    if len(objectives) == 1:
        other = next((k for k in constrained if k != objectives[0]), "candidate")
        return [(other, objectives[0])]
    return [(a, b) for i, a in enumerate(objectives) for b in objectives[i + 1:]][:3]


def _front_panel(ax, table: pd.DataFrame, x: str, y: str, constraints: dict,
                 recommended: int | None) -> None:
    baseline, candidates = table.iloc[0], table.iloc[1:]
    palette = sns.color_palette("colorblind")
    shown = [(candidates.feasible & ~candidates.on_front, "o", "0.6", "feasible candidate"),
             (~candidates.feasible, "x", "0.75", "breaks a constraint")]
    for rows, marker, colour, words in shown:
        if rows.any():
            ax.scatter(candidates.loc[rows, x], candidates.loc[rows, y], marker=marker,
                       color=colour, s=22, label=words)
    front = candidates[candidates.on_front].sort_values(x)
    ax.plot(front[x], front[y], "o-", color=palette[0], label="front", zorder=3)
    best = candidates[candidates.candidate == recommended]
    ax.scatter(best[x], best[y], s=160, facecolors="none", edgecolors=palette[3],
               linewidths=2, label="recommended", zorder=4)
    if x == "candidate":  # the baseline has no number: a line across
        ax.axhline(baseline[y], color="black", linewidth=1.2, label="baseline (as given)")
    else:
        ax.scatter([baseline[x]], [baseline[y]], marker="*", s=260, color="black",
                   label="baseline (as given)", zorder=5)
    _bounds(ax, constraints.get(x), ax.axvline, ax.get_xlim, ax.set_xlim, palette[3])
    _bounds(ax, constraints.get(y), ax.axhline, ax.get_ylim, ax.set_ylim, palette[3])
    ax.set(xlabel="candidate (in the order proposed)" if x == "candidate" else label(x),
           ylabel=label(y))
    for kpi, axis, words in ((x, ax.xaxis, ax.set_xlabel), (y, ax.yaxis, ax.set_ylabel)):
        if label(kpi).endswith("(EUR)") and max(map(abs, axis.get_view_interval())) >= 1e6:
            axis.set_major_formatter(lambda value, _: f"{value / 1e6:,g}")
            words(label(kpi).replace("(EUR)", "(EUR million)"))


def _bounds(ax, bound, line, get_limits, set_limits, colour) -> None:
    """A constraint's bounds as dashed lines, when near the candidates.

    A bound far from every candidate would squash them into a corner; the summary states it.
    """
    if bound is None:
        return
    low, high = get_limits()
    margin = 0.25 * (high - low)
    for value in (bound.at_most, bound.at_least):
        if value is not None and low - margin <= value <= high + margin:
            line(value, color=colour, linestyle="--", linewidth=1, label="constraint")
            low, high = min(low, value), max(high, value)
    set_limits(low, high)
