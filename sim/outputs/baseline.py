"""Against a baseline: each alternative's difference from it on every KPI, paired by replication.

All scenarios of a comparison run on the same replication seeds (common random numbers,
sim/runs/runner.py): replication k of every scenario starts from the same people, network and
draws. The difference of replication k's values is then one draw of the strategy's effect with
most of the shared chance cancelled, and the t-interval over those differences (the paired
interval) is narrower than the separate intervals suggest. The unpaired (Welch) half-width of
the same difference is kept beside it, to show how much the pairing gained.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from sim.metrics.money import COST_ITEMS
from sim.outputs.tidy import CI_LEVEL, kpi_columns, mean_ci, scenario_order
from sim.scenario.errors import UserError

DIFFERENCE_COLUMNS = ("scenario", "baseline", "kpi", "mean", "ci_low", "ci_high", "n",
                      "unpaired_half_width")


def choose_baseline(names: Sequence[str], requested: str | None) -> str:
    """The baseline's name: `requested`, or the first scenario when none is named.

    Raises:
        UserError: `requested` is not one of `names` (the message lists them).
    """
    if requested is None:
        return names[0]
    if requested in names:
        return requested
    close = difflib.get_close_matches(requested, list(names), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise UserError(f"--baseline {requested}: no scenario of that name in this comparison "
                    f"(allowed: {', '.join(names)}; a scenario's name is its 'name:'){hint}")


def alternatives(kpis: pd.DataFrame, baseline: str) -> list[str]:
    """The scenarios compared with the baseline, in order of first appearance."""
    return [s for s in scenario_order(kpis) if s != baseline]


def other_seeds(kpis: pd.DataFrame, baseline: str) -> list[str]:
    """Alternatives whose replications ran on other seeds than the baseline's.

    Their own `seed:` differs, so replication k is not the same draw: the pairs are still
    independent pairs (the interval stays valid) but the shared chance does not cancel.
    """
    if "seed" not in kpis.columns:
        return []  # seeds not recorded: nothing to say
    seeds = kpis.set_index(["scenario", "replication"])["seed"]
    base = seeds.get(baseline)
    return [s for s in alternatives(kpis, baseline)
            if base is None or not seeds[s].reindex(base.index).equals(base)]


def per_run_differences(kpis: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Alternative − baseline of each KPI per replication (long: scenario, replication, kpi, value).

    Runs are matched by replication number, which carries the same seed in every scenario
    that shares the master seed. A KPI missing (NaN) in either run of a pair gives a missing
    difference, left out of the interval as `mean_ci` leaves out missing values.
    """
    columns = kpi_columns(kpis)
    base = _by_replication(kpis, baseline, columns)
    frames = []
    for scenario in alternatives(kpis, baseline):
        diff = _by_replication(kpis, scenario, columns).sub(base)
        long = diff.reset_index().melt(id_vars="replication", var_name="kpi")
        frames.append(long.assign(scenario=scenario))
    if not frames:
        return pd.DataFrame(columns=["scenario", "replication", "kpi", "value"])
    return pd.concat(frames, ignore_index=True)[["scenario", "replication", "kpi", "value"]]


def _by_replication(kpis: pd.DataFrame, scenario: str, columns: list[str]) -> pd.DataFrame:
    runs = kpis[kpis["scenario"] == scenario]
    return runs.set_index("replication")[columns].astype(float)


def differences(kpis: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Per alternative and KPI: the mean paired difference from the baseline and its 95% CI.

    Returns:
        Columns `DIFFERENCE_COLUMNS`: `mean`, `ci_low`, `ci_high` of alternative − baseline
        over `n` matched replications (t-interval of the per-replication differences), and
        `unpaired_half_width`, the Welch 95% half-width the same difference would have if
        the runs were not paired (each scenario's measured replications).
    """
    long = per_run_differences(kpis, baseline)
    table = mean_ci(long, ["scenario", "kpi"])
    table.insert(1, "baseline", baseline)
    spread = _spread(kpis)
    base = spread.loc[baseline] if baseline in spread.index else None
    table["unpaired_half_width"] = [
        welch_half_width(spread.loc[s].loc[k], base.loc[k]) if base is not None else np.nan
        for s, k in zip(table["scenario"], table["kpi"], strict=True)]
    return table[list(DIFFERENCE_COLUMNS)]


def _spread(kpis: pd.DataFrame) -> pd.DataFrame:
    """Variance and count of each KPI's measured values, indexed by (scenario, kpi)."""
    long = kpis.melt(id_vars="scenario", value_vars=kpi_columns(kpis), var_name="kpi")
    return long.groupby(["scenario", "kpi"], sort=False)["value"].agg(var="var", n="count")


def welch_half_width(a: pd.Series, b: pd.Series) -> float:
    """95% half-width of mean(a) − mean(b) from independent samples (Welch's t-interval).

    `a` and `b` carry each sample's `var` and `n`. Fewer than two values on either side: no
    spread to estimate, so 0 (as `mean_ci` gives for one replication).
    """
    if a["n"] < 2 or b["n"] < 2:
        return 0.0 if a["n"] and b["n"] else np.nan
    share_a, share_b = a["var"] / a["n"], b["var"] / b["n"]
    se2 = share_a + share_b
    if se2 == 0:
        return 0.0
    dof = se2**2 / (share_a**2 / (a["n"] - 1) + share_b**2 / (b["n"] - 1))
    return float(stats.t.ppf((1 + CI_LEVEL) / 2, dof) * np.sqrt(se2))


NEGLIGIBLE_SHARE = 0.01  # a cost change below 1% of the money moved is a sliver of a bar


def cost_changes(differences: pd.DataFrame, scenario: str) -> pd.Series:
    """Mean change of each cost item (set-up included) of one alternative, EUR, by item name.

    Returns:
        Items (`staff`, `integration`, ... `setup`) in the order of the cost columns.
    """
    items = [f"cost_{item}" for item in COST_ITEMS]  # the items cost_total sums, exactly
    rows = differences[(differences["scenario"] == scenario) & differences["kpi"].isin(items)]
    return pd.Series(rows["mean"].to_numpy(), index=rows["kpi"].str.removeprefix("cost_"))


def notable(changes: pd.Series, scale: float) -> pd.Series:
    """The changes worth naming: at least `NEGLIGIBLE_SHARE` of `scale` (EUR), largest first."""
    kept = changes[(changes != 0) & (changes.abs() >= NEGLIGIBLE_SHARE * abs(scale))]
    return kept.iloc[np.argsort(-kept.abs().to_numpy(), kind="stable")]
