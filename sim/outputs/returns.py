"""Return on an alternative strategy against the baseline: ROI and payback, per replication.

Both are computed for each replication from its paired runs (same seed), then averaged with a
t-based 95% CI like every KPI (docs/economics.md, "Against a baseline"):

- ROI = Δ operating profit / Δ total cost over the horizon: the extra profit per extra euro
  spent. It is defined only when the alternative costs more (Δ total cost > 0); otherwise the
  alternative costs less and there is nothing to return on.
- Payback (months) = Δ set-up cost / the monthly gain in running profit, Δ(operating profit +
  set-up cost) per month: how long the extra running profit takes to repay the extra one-off
  set-up. 0 when there is no extra set-up and running profit rises; never (inf) when running
  profit does not rise. A payback past the horizon assumes the horizon's monthly gain goes on.

Means and intervals are over the replications where the measure is a number; those where it is
not (costs less, never) are counted apart, so a reader sees both.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from sim.outputs.baseline import alternatives
from sim.outputs.tidy import mean_ci

DAYS_PER_MONTH = 365.0 / 12.0
MEASURES = ("roi", "payback_months")
RETURN_COLUMNS = ("scenario", "baseline", "measure", "mean", "ci_low", "ci_high", "n",
                  "undefined", "replications")


def roi(delta_profit: np.ndarray, delta_cost: np.ndarray) -> np.ndarray:
    """Δ operating profit / Δ total cost where the alternative costs more, else NaN."""
    delta_profit, delta_cost = np.asarray(delta_profit, float), np.asarray(delta_cost, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(delta_cost > 0, delta_profit / delta_cost, np.nan)


def payback_months(delta_setup: np.ndarray, monthly_gain: np.ndarray) -> np.ndarray:
    """Months for the running-profit gain to repay the extra set-up: 0, a number, or inf.

    Args:
        delta_setup: extra one-off set-up cost (EUR; ≤ 0: nothing extra to repay).
        monthly_gain: extra running profit per month (EUR; ≤ 0: never repaid).
    """
    delta_setup, monthly_gain = np.asarray(delta_setup, float), np.asarray(monthly_gain, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        months = np.where(delta_setup > 0, delta_setup / monthly_gain, 0.0)
    months = np.where(monthly_gain > 0, months, np.inf)
    return np.where(np.isnan(delta_setup) | np.isnan(monthly_gain), np.nan, months)


def running_profit_per_month(kpis: pd.DataFrame, horizons: Mapping[str, int]) -> pd.Series:
    """Operating profit before the one-off set-up, per month of each run's horizon (EUR)."""
    months = kpis["scenario"].map(horizons).astype(float) / DAYS_PER_MONTH
    return (kpis["operating_profit"] + kpis["cost_setup"]) / months


def per_run_returns(kpis: pd.DataFrame, baseline: str,
                    horizons: Mapping[str, int]) -> pd.DataFrame:
    """ROI and payback of each alternative for each replication, with the differences used.

    Args:
        kpis: Wide KPI table with `operating_profit`, `cost_total` and `cost_setup`.
        baseline: The baseline scenario's name.
        horizons: Days each scenario ran for (the monthly gain uses each run's own).

    Returns:
        One row per alternative and replication: `delta_operating_profit`,
        `delta_cost_total`, `delta_cost_setup`, `monthly_running_gain` (EUR), `roi`,
        `payback_months`.
    """
    runs = kpis.assign(running=running_profit_per_month(kpis, horizons))
    columns = ["operating_profit", "cost_total", "cost_setup", "running"]
    base = runs[runs["scenario"] == baseline].set_index("replication")[columns]
    frames = []
    for scenario in alternatives(kpis, baseline):
        delta = runs[runs["scenario"] == scenario].set_index("replication")[columns].sub(base)
        frames.append(pd.DataFrame({
            "scenario": scenario, "replication": delta.index,
            "delta_operating_profit": delta["operating_profit"].to_numpy(),
            "delta_cost_total": delta["cost_total"].to_numpy(),
            "delta_cost_setup": delta["cost_setup"].to_numpy(),
            "monthly_running_gain": delta["running"].to_numpy()}))
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["scenario", "replication", "delta_operating_profit", "delta_cost_total",
                 "delta_cost_setup", "monthly_running_gain"])
    table["roi"] = roi(table["delta_operating_profit"], table["delta_cost_total"])
    table["payback_months"] = payback_months(table["delta_cost_setup"],
                                             table["monthly_running_gain"])
    return table


def summarise_returns(per_run: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Mean and 95% CI of ROI and payback per alternative, over the replications with a number.

    Returns:
        Columns `RETURN_COLUMNS`: `n` replications with a number, `undefined` those without
        one (ROI: the alternative cost less; payback: never repaid), of `replications`.
    """
    long = per_run.melt(id_vars="scenario", value_vars=list(MEASURES), var_name="measure")
    undefined = long["value"].isna() | np.isinf(long["value"].astype(float))
    table = mean_ci(long.assign(value=long["value"].where(~undefined)), ["scenario", "measure"])
    counts = long.assign(undefined=undefined).groupby(["scenario", "measure"], sort=False)
    table = table.merge(counts["undefined"].agg(undefined="sum", replications="size"),
                        on=["scenario", "measure"])
    table.insert(1, "baseline", baseline)
    # Scenario by scenario (the melt put every ROI before every payback).
    order = {s: i for i, s in enumerate(dict.fromkeys(per_run["scenario"]))}
    rank = table["scenario"].map(order) * len(MEASURES) + table["measure"].map(MEASURES.index)
    table = table.iloc[np.argsort(rank.to_numpy(), kind="stable")].reset_index(drop=True)
    return table[list(RETURN_COLUMNS)]
