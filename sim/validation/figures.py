"""The three validation figures: simulated points or curves over the closed form."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; must precede the pyplot import

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from sim.outputs.plots import save_figure  # noqa: E402
from sim.validation import bass, cascade  # noqa: E402
from sim.validation.erlang import erlang_c  # noqa: E402

DPI = 100
ENGINES = {"vectorized": "o", "agents": "s", "simpy": "o", "fifo": "x"}


def bass_figure(curves: pd.DataFrame, path: Path) -> Path:
    """Per (p, q): adoption against F(t) and the exact chain, and the gap split in two.

    Top: the closed form, the exact chain's mean with the acceptance band of each engine's mean
    curve, and the simulated means. Bottom: the gap to F(t), of the chain's mean (total), of
    discrete days alone (N → ∞) and of the finite population (the rest), with the simulated
    means' gap as points.
    """
    pairs = curves[["p", "q"]].drop_duplicates().to_numpy()
    fig, axes = plt.subplots(2, len(pairs), figsize=(4.2 * len(pairs), 6.4), squeeze=False,
                             sharex="col", height_ratios=(3, 2))
    colours = sns.color_palette("colorblind")
    for column, (p, q) in enumerate(pairs):
        g = curves[(curves.p == p) & (curves.q == q)]
        _adoption_panel(axes[0, column], g, p, q, colours)
        _gap_panel(axes[1, column], g, colours)
    axes[0, 0].legend(fontsize=7, loc="upper left")
    axes[1, 0].legend(fontsize=7, loc="lower left")
    return save_figure(fig, path, DPI)


def _adoption_panel(ax, g: pd.DataFrame, p: float, q: float, colours) -> None:
    t = np.linspace(0, g.t.max(), 300)
    ax.plot(t, bass.closed_form(t, p, q), color="black", lw=1.2, label="closed form F(t)")
    first = g[g.engine == g.engine.iloc[0]]
    ax.plot(first.t, first.exact_mean, color="grey", ls="--", lw=1, label="exact chain mean")
    for (engine, e), colour in zip(g.groupby("engine", sort=False), colours, strict=False):
        ax.fill_between(e.t, e.band_low, e.band_high, color=colour, alpha=0.15, lw=0)
        ax.plot(e.t[::4], e.simulated[::4], ENGINES[engine], ms=2.5, color=colour,
                label=f"{engine} engine (mean, exact band)")
    ax.set(title=f"p = {p:g}, q = {q:g} (q/p = {q / p:.3g})", ylabel="share adopted")


def _gap_panel(ax, g: pd.DataFrame, colours) -> None:
    first = g[g.engine == g.engine.iloc[0]]
    ax.axhline(0, color="black", lw=0.6)
    ax.plot(first.t, first.exact_mean - first.closed_form, color="grey", lw=1.4,
            label="chain − F (total)")
    ax.plot(first.t, first.mean_field - first.closed_form, color="grey", ls=":", lw=1.2,
            label="discrete days (N → ∞)")
    ax.plot(first.t, first.exact_mean - first.mean_field, color="grey", ls="--", lw=1.2,
            label="finite N")
    for (engine, e), colour in zip(g.groupby("engine", sort=False), colours, strict=False):
        ax.plot(e.t[::4], (e.simulated - e.closed_form)[::4], ENGINES[engine], ms=2,
                color=colour, alpha=0.6)
    ax.set(xlabel=f"t (time units of {bass.UNIT_DAYS} days)", ylabel="gap to F(t)")


def cascade_figure(runs: pd.DataFrame, path: Path) -> Path:
    """Final share reached per run against ⟨k⟩T, over S = 1 − exp(−⟨k⟩T·S)."""
    fig, ax = plt.subplots(figsize=(6, 3.8))
    kt = np.linspace(0, runs.kt.max() * 1.05, 300)
    ax.plot(kt, [cascade.final_size(x) for x in kt], color="black", lw=1.2,
            label="S = 1 − exp(−⟨k⟩T·S)")
    for (engine, g), colour in zip(runs.groupby("engine"), sns.color_palette("colorblind"),
                                   strict=False):
        offset = -0.02 if engine == "agents" else 0.02  # side by side, both visible
        ax.plot(g.kt + offset, g.reached, ENGINES[engine], ms=4, alpha=0.6, color=colour,
                label=f"{engine} engine (one run)")
    ax.axvline(1.0, color="grey", ls=":", lw=1)
    ax.set(xlabel="⟨k⟩·T", ylabel="final share reached",
           title=f"One-shot cascade on Erdős–Rényi, n = {int(runs.n.iloc[0]):,}, ⟨k⟩ = "
                 f"{cascade.MEAN_DEGREE}")
    ax.legend(fontsize=8, loc="upper left")
    return save_figure(fig, path, DPI)


def erlang_figure(loads: pd.DataFrame, path: Path) -> Path:
    """Mean wait against load at one desk size: both desks over the Erlang C curve."""
    fig, ax = plt.subplots(figsize=(6, 3.8))
    agents, handle = int(loads.agents.iloc[0]), float(loads.handle_minutes.iloc[0])
    rho = np.linspace(0.3, loads.load.max() * 1.01, 200)
    ax.plot(rho, [erlang_c(r * agents / handle, 1 / handle, agents)[1] for r in rho],
            color="black", lw=1.2, label="Erlang C (M/M/c)")
    # The FIFO desk is drawn last, as crosses: for the same draws it gives the SimPy waits.
    for kind, colour in zip(("simpy", "fifo"), sns.color_palette("colorblind"), strict=False):
        g = loads[loads.desk == kind]
        ax.errorbar(g.load, g.mean_wait, yerr=g.wait_tolerance, fmt=ENGINES[kind],
                    color=colour, ms=6, capsize=2, label=f"{kind} desk (± tolerance)")
    ax.set(xlabel="load ρ = λ·h / c", ylabel="mean wait (minutes)",
           title=f"{agents} agents, {handle:g}-minute mean handling")
    ax.legend(fontsize=8, loc="upper left")
    return save_figure(fig, path, DPI)
