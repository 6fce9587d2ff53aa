"""The shape every output reads: the run keys, KPI and scenario order, mean and 95% CI per group.

Confidence intervals are t-based across replications (each replication is one independent
draw), so they widen honestly when only a few seeds were run; with one replication the
interval collapses to the mean because there is no spread to estimate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from sim.metrics.money import COST_ITEMS
from sim.rules.complaints import CATEGORIES

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


def kpi_columns(kpis: pd.DataFrame) -> list[str]:
    """The KPI columns of a wide KPI table, in report order (unknown KPIs last)."""
    numeric = [c for c in kpis.columns
               if c not in ID_COLUMNS and pd.api.types.is_numeric_dtype(kpis[c])]
    return ordered(numeric, KPI_ORDER)


def t_half_width(sd: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Half-width of the t-based 95% interval of a mean of `n` values with this `sd`.

    One value (or none) gives 0: there is no spread to estimate.
    """
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = stats.t.ppf((1 + CI_LEVEL) / 2, n - 1)
        half = t * np.asarray(sd, dtype=float) / np.sqrt(n)
    return np.where(n > 1, half, 0.0)


def mean_ci(frame: pd.DataFrame, by: list[str], value: str = "value") -> pd.DataFrame:
    """Mean, t-based 95% CI and n of `value` per group; missing values are left out.

    Returns:
        The `by` columns plus `mean`, `ci_low`, `ci_high` and `n` (replications with a value),
        groups in order of first appearance; a group without values keeps a row with NaNs so
        that the order of first appearance is not lost.
    """
    groups = frame.groupby(by, sort=False)[value]
    out = groups.agg(mean="mean", sd="std", n="count").reset_index()
    half = t_half_width(out["sd"].to_numpy(dtype=float), out["n"].to_numpy(dtype=float))
    out["ci_low"], out["ci_high"] = out["mean"] - half, out["mean"] + half
    return out.drop(columns="sd")[[*by, "mean", "ci_low", "ci_high", "n"]]
