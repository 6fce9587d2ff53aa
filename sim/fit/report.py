"""fit.md: the fit in words and tables, in the terms of empirical output validation.

Rand & Rust (2011) call comparing a model's outputs with real data it was not built from
*empirical output validation*; here the data are a real cohort's transactions, the model is
fitted on the calibration weeks only, and the holdout weeks are the test, beside BG/NBD
fitted to the same weeks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.fit.calibration import PARAMETERS, value_at
from sim.fit.distance import TOLERANCES
from sim.fit.fitting import BgNbdForecast, Comparison, ModelFit, RealData
from sim.outputs.report import markdown_table

# (statistic, label, format) of the calibration-window table.
STATISTICS = (
    ("customers", "customers in the cohort", "{:,.0f}"),
    ("repeat_transactions", "repeat transactions", "{:,.0f}"),
    ("one_time_share", "one-time buyers (share, no repeat)", "{:.3f}"),
    ("mean_repeats", "mean repeats per customer", "{:.3f}"),
    ("cv_repeats", "CV of repeats per customer", "{:.3f}"),
    ("max_repeats", "most repeats by one customer", "{:.0f}"),
    ("inter_purchase_days_mean", "mean days between purchases", "{:.1f}"),
    ("inter_purchase_days_median", "median days between purchases", "{:.1f}"),
    ("spend_mean", "mean spend per transaction", "{:.2f}"),
    ("spend_cv", "CV of spend per transaction", "{:.3f}"),
)
FIGURES = (("tracking_cumulative", "Cumulative repeat transactions"),
           ("tracking_weekly", "Weekly repeat transactions"),
           ("repeat_counts", "Repeat counts in the calibration window"),
           ("conditional_expectation", "Conditional expectation of holdout transactions"))


def _number(value: float, fmt: str = "{:.3g}") -> str:
    return fmt.format(value) if value is not None and np.isfinite(value) else "n/a"


def data_section(real: RealData) -> list[str]:
    """Where the data come from and how they were cut."""
    s, w = real.statistics, real.window
    day = pd.Timedelta(days=1)
    return [f"# Fit to {real.source.name}", "",
            f"{real.records:,} records, {s.customers:,} customers whose first purchase falls "
            f"in the calibration window, {s.customer_days:,} customer-days (purchases on one "
            f"day merged). Day 0 is {real.start.date()}; calibration weeks 1–"
            f"{w.calibration_weeks} (to {(real.start + w.calibration_end * day).date()}), "
            f"holdout weeks {w.calibration_weeks + 1}–{w.weeks} (to "
            f"{(real.start + w.holdout_end * day).date()}).", ""]


def statistics_section(real: RealData, model: ModelFit | None) -> list[str]:
    """The calibration statistics, actual against the fitted simulation."""
    actual = real.statistics.scalars()
    simulated = model.statistics.scalars() if model else None
    rows = [[label, _number(actual[key], fmt),
             _number(simulated[key], fmt) if simulated is not None else "–"]
            for key, label, fmt in STATISTICS]
    return ["## Calibration window: the customers, real and simulated", "",
            *markdown_table(["statistic", "actual", "cxsim (fitted)"], rows), "",
            "The simulated cohort pools every replication; its counts are its own, its shares "
            "and means compare directly.", ""]


def holdout_section(comp: Comparison) -> list[str]:
    """The holdout forecast of each model against what happened."""
    names = {"cxsim": "cxsim (fitted)", "bgnbd": "BG/NBD"}
    rows = [[names[m], f"{r.actual:,.0f}", f"{r.forecast:,.1f}", f"{r.error_pct:+.1f}%",
             f"{r.weekly_mae:.1f}", f"{r.calibration_weekly_mae:.1f}"]
            for m, r in comp.scores.iterrows()]
    mean = comp.scores["weekly_mean_actual"].iloc[0]
    return ["## Holdout: forecast of repeat transactions", "",
            *markdown_table(["model", "actual", "forecast", "error", "weekly MAE (holdout)",
                             "weekly MAE (calibration)"], rows), "",
            f"A holdout week has {mean:,.1f} repeat transactions on average.", ""]


def conditional_section(comp: Comparison) -> list[str]:
    """Mean holdout transactions by calibration repeats."""
    table = comp.conditional
    columns = [c for c in ("customers", "actual", "bgnbd", "cxsim") if c in table.columns]
    rows = [[label, *(_number(row[c], "{:,.0f}" if c == "customers" else "{:.3f}")
                      for c in columns)] for label, row in table.iterrows()]
    return ["## Conditional expectation of holdout transactions", "",
            *markdown_table(["calibration repeats", *columns], rows), ""]


def bgnbd_section(forecast: BgNbdForecast) -> list[str]:
    """The BG/NBD estimates."""
    p = forecast.model
    return ["## BG/NBD (PyMC-Marketing, MAP under flat priors = maximum likelihood)", "",
            f"r = {p.r:.4f}, alpha = {p.alpha:.4f}, a = {p.a:.4f}, b = {p.b:.4f} (mean dropout "
            f"after a purchase {p.dropout_mean:.3f}); fitted and forecast in "
            f"{forecast.seconds:.1f} s.", ""]


def parameters_section(model: ModelFit) -> list[str]:
    """The fitted values and what each term of the distance missed by."""
    first = model.search.candidates[0].values
    rows = [[f"`{p.key}`", _number(model.best.values[p.key], "{:.4g}"),
             _number(first[p.key], "{:.4g}"), f"[{p.low:g}, {p.high:g}]", p.meaning]
            for p in PARAMETERS]
    spend = value_at(model.scenario, "industry.basket_value")
    misses = [[term, f"{model.best.misses.get(term, np.nan):+.2f}", f"{TOLERANCES[term]:g}"]
              for term in TOLERANCES]
    return ["## Fitted parameters", "",
            *markdown_table(["parameter", "fitted", "first candidate", "bounds", "meaning"],
                            rows), "",
            f"`industry.basket_value` = {spend:.4g}, matched to the mean spend per transaction. "
            f"Distance {model.best.distance:.3g} (sum of squared misses in tolerance units; "
            "below 1 means every statistic is within its tolerance):", "",
            *markdown_table(["term", "miss (tolerances)", "tolerance"], misses), ""]


def how_section(model: ModelFit, replications: int, customers: int) -> list[str]:
    """How the model was fitted."""
    return ["## How", "",
            f"- **Search**: {model.message}; {len(model.search.candidates)} candidates, each "
            f"simulated {replications} time(s) with {customers:,} people on the same seeds; "
            f"{model.seconds:.1f} s.",
            "- **Cohort**: everyone a customer on day 0, nobody new won; each simulated "
            "customer makes a first purchase on a day drawn from the real entry days "
            "(population.entry_weights, sim/fit/cohort.py). Counts of the simulated cohort are "
            "scaled to the real cohort's size.",
            "- **Files**: `fitted.yaml` (complete scenario), `tables/`, `figures/`, "
            "`manifest.json`.", ""]


def fit_markdown(real: RealData, forecast: BgNbdForecast, model: ModelFit, comp: Comparison,
                 replications: int, customers: int) -> str:
    """The whole report."""
    figures = [f"![{title}](figures/{name}.png)" for name, title in FIGURES]
    lines = [*data_section(real), *holdout_section(comp), *figures[:2], "",
             *statistics_section(real, model), figures[2], "", *conditional_section(comp),
             figures[3], "", *bgnbd_section(forecast), *parameters_section(model),
             *how_section(model, replications, customers)]
    return "\n".join(lines)
