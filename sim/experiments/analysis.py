"""What a sweep found: KPI means per design point and per factor level, and sensitivity indices.

Confidence intervals are t-based over replications (`sim.outputs.report.mean_ci`), the
replication being the independent unit: with common random numbers, a factor level's mean
averages the other factors' levels *within* a replication first, so the interval covers
replication noise once. Sensitivity indices come from SALib: Sobol' first-order and total
indices (Saltelli's estimator) or Morris' elementary effects (mu*, sigma), computed on each
design point's mean over replications, with bootstrap confidence intervals seeded from the
master seed so the same runs always give the same table.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from sim.experiments.design import Plan, salib_problem
from sim.outputs.report import mean_ci

CONF_LEVEL = 0.95
RESAMPLES = 200  # bootstrap resamples of the index confidence intervals


def point_summary(kpis: pd.DataFrame, plan: Plan, names: list[str]) -> pd.DataFrame:
    """Mean, 95% CI and n over replications for each scenario, design point and KPI.

    Returns:
        Columns `scenario`, `point`, the factors, `kpi`, `mean`, `ci_low`, `ci_high`, `n`.
    """
    long = kpis.melt(id_vars=["scenario", "point"], value_vars=names, var_name="kpi")
    out = mean_ci(long, ["scenario", "point", "kpi"])
    factors = pd.DataFrame(plan.points).rename_axis("point").reset_index()
    out = out.merge(factors, on="point", how="left")
    return out[["scenario", "point", *plan.factors, "kpi", "mean", "ci_low", "ci_high", "n"]]


def level_summary(kpis: pd.DataFrame, plan: Plan, names: list[str]) -> pd.DataFrame:
    """Per scenario, factor, level and KPI: mean and 95% CI over replications.

    Each replication's value at a level is its mean over the other factors' levels, so the
    interval is over replications, not over design points.

    Returns:
        Columns `scenario`, `factor`, `level`, `kpi`, `mean`, `ci_low`, `ci_high`, `n`, levels
        in design order.
    """
    frames = []
    for factor in plan.factors:
        per_rep = (kpis.groupby(["scenario", factor, "replication"], sort=False)[names].mean()
                   .reset_index().melt(id_vars=["scenario", factor, "replication"],
                                       value_vars=names, var_name="kpi"))
        summary = mean_ci(per_rep, ["scenario", factor, "kpi"])
        frames.append(summary.rename(columns={factor: "level"}).assign(factor=factor))
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    return out[["scenario", "factor", "level", "kpi", "mean", "ci_low", "ci_high", "n"]]


def sobol_indices(problem: dict, y: np.ndarray, second_order: bool, seed: int) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol' indices, and S2 when asked, with 95% CIs.

    Args:
        problem: SALib problem (names, bounds) the sample was drawn for.
        y: Model output at each sample point, in sample order.
        second_order: Whether the sample includes the second-order columns.
        seed: Seed of the bootstrap that gives the confidence intervals.

    Returns:
        Columns `factor`, `index` (S1, ST, S2), `value`, `conf` (half-width of the 95% CI).
    """
    from SALib.analyze import sobol

    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        si = sobol.analyze(problem, np.asarray(y, dtype=float), calc_second_order=second_order,
                           num_resamples=RESAMPLES, conf_level=CONF_LEVEL, seed=seed)
    rows = [(name, index, si[index][i], si[f"{index}_conf"][i])
            for index in ("S1", "ST") for i, name in enumerate(problem["names"])]
    if second_order:
        names = problem["names"]
        rows += [(f"{names[i]} × {names[j]}", "S2", si["S2"][i, j], si["S2_conf"][i, j])
                 for i in range(len(names)) for j in range(i + 1, len(names))]
    return pd.DataFrame(rows, columns=["factor", "index", "value", "conf"])


def morris_indices(problem: dict, x: np.ndarray, y: np.ndarray, levels: int,
                   seed: int) -> pd.DataFrame:
    """Morris elementary-effect statistics: mu* (with its 95% CI), mu and sigma per factor."""
    from SALib.analyze import morris

    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        si = morris.analyze(problem, np.asarray(x, dtype=float), np.asarray(y, dtype=float),
                            num_resamples=RESAMPLES, conf_level=CONF_LEVEL, num_levels=levels,
                            seed=seed)
    rows = []
    for i, name in enumerate(problem["names"]):
        rows += [(name, "mu_star", si["mu_star"][i], si["mu_star_conf"][i]),
                 (name, "mu", si["mu"][i], np.nan), (name, "sigma", si["sigma"][i], np.nan)]
    return pd.DataFrame(rows, columns=["factor", "index", "value", "conf"])


def sensitivity(kpis: pd.DataFrame, plan: Plan, names: list[str]) -> pd.DataFrame:
    """Sobol' or Morris indices of every KPI in every scenario (empty for other designs).

    A KPI that is undefined at some design point, or does not vary at all, gets no indices
    (there is no variance to apportion).

    Returns:
        Columns `scenario`, `kpi`, `method`, `factor`, `index`, `value`, `conf`.
    """
    design = plan.experiment.design
    if design.kind not in ("sobol", "morris"):
        return pd.DataFrame()
    problem = salib_problem(plan.experiment.factors)
    x = np.array([[p[f] for f in plan.factors] for p in plan.points], dtype=float)
    means = kpis.groupby(["scenario", "point"], sort=False)[names].mean()
    frames = []
    for scenario in [s.name for s in plan.scenarios]:
        for kpi in names:
            y = means.loc[scenario, kpi].reindex(range(len(plan.points))).to_numpy(dtype=float)
            if not np.isfinite(y).all() or np.ptp(y) == 0:
                continue
            if design.kind == "sobol":
                table = sobol_indices(problem, y, design.second_order, plan.experiment.seed)
            else:
                table = morris_indices(problem, x, y, design.levels, plan.experiment.seed)
            frames.append(table.assign(scenario=scenario, kpi=kpi, method=design.kind))
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    return out[["scenario", "kpi", "method", "factor", "index", "value", "conf"]]
