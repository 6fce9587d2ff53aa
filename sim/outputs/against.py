"""Against a baseline, as text: the terminal's table of differences and summary.md's sections.

The numbers come from sim/outputs/baseline.py (paired differences) and sim/outputs/returns.py
(ROI, payback), the settings that differ from sim/scenario/differences.py. A difference prints
with its sign and its paired 95% CI; an ROI where the alternative costs less prints as "costs
less", a payback that never comes as "never", never as a number.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.outputs.baseline import choose_baseline, differences, other_seeds
from sim.outputs.returns import per_run_returns, summarise_returns
from sim.outputs.text import TERMINAL_WIDTH, aligned, markdown_table
from sim.outputs.tidy import scenario_order
from sim.outputs.units import UNITS, format_change_interval, format_value
from sim.scenario.differences import SettingChange

# The terminal's rows: the outcome, then the money that says whether it pays.
TERMINAL_CHANGES = ("retention_rate", "acquisitions", "nps", "revenue", "gross_margin",
                    "cost_total", "operating_profit")
PAIRING_KPIS = ("retention_rate", "operating_profit")  # the pairing's gain is shown for these
DEFINITIONS = ("ROI = Δ operating profit / Δ total cost over the horizon; payback = months for "
               "the extra running profit to repay the extra set-up (docs/economics.md)")
RETURN_UNITS = {"ROI": "% of Δ cost", "payback": "months"}
MONEY_NEEDED = ("operating_profit", "cost_total", "cost_setup")  # for ROI and payback


@dataclass(frozen=True)
class Against:
    """A comparison seen from its baseline: paired differences, returns, unpaired seeds."""

    baseline: str
    differences: pd.DataFrame  # sim.outputs.baseline.differences
    returns: pd.DataFrame | None  # sim.outputs.returns.summarise_returns; None without money
    unpaired: list[str]  # alternatives that ran on other seeds than the baseline


def against(kpis: pd.DataFrame, baseline: str | None = None,
            horizons: Mapping[str, int] | None = None) -> Against | None:
    """Everything a comparison says against its baseline (default: the first scenario).

    None when there is nothing to compare (fewer than two scenarios). ROI and payback need
    the money KPIs and each scenario's horizon (days); without them `returns` is None.
    """
    names = scenario_order(kpis)
    if len(names) < 2:
        return None
    base = choose_baseline(names, baseline)
    returns = None
    if horizons and set(MONEY_NEEDED) <= set(kpis.columns) and set(names) <= set(horizons):
        returns = summarise_returns(per_run_returns(kpis, base, horizons), base)
    return Against(base, differences(kpis, base), returns, other_seeds(kpis, base))


def _percent(value: float) -> str:
    return f"{value:+.0%}"


def roi_text(row: pd.Series | None) -> str:
    """`+175% [+151%, +199%]`, or `costs less` when the alternative never costs more."""
    if row is None or row["n"] == 0:
        return "costs less" if row is not None and row["undefined"] else "n/a"
    text = f"{_percent(row['mean'])} [{_percent(row['ci_low'])}, {_percent(row['ci_high'])}]"
    return text + _exceptions(row, "costs less")


def payback_text(row: pd.Series | None) -> str:
    """`2.0 [1.7, 2.2] months`, or `never` when the running profit never rises."""
    if row is None or row["n"] == 0:
        return "never" if row is not None and row["undefined"] else "n/a"
    if row["ci_high"] == 0:  # every replication: no extra set-up, and profit rises
        return "none: no extra set-up" + _exceptions(row, "never")
    text = f"{row['mean']:.1f} [{row['ci_low']:.1f}, {row['ci_high']:.1f}] months"
    return text + _exceptions(row, "never")


def _exceptions(row: pd.Series, word: str) -> str:
    """` (never in 3 of 20)`: replications left out of the mean because it has no number."""
    return f" ({word} in {row['undefined']} of {row['replications']})" if row["undefined"] else ""


def _return_row(returns: pd.DataFrame, scenario: str, measure: str) -> pd.Series | None:
    rows = returns[(returns["scenario"] == scenario) & (returns["measure"] == measure)]
    return rows.iloc[0] if len(rows) else None


def _change_cell(row: pd.Series, replications: int) -> str:
    """`+mean [+low, +high]`, with `(n=k)` when fewer pairs than replications measured it."""
    text = format_change_interval(row["kpi"], row)
    return f"{text} (n={row['n']})" if 0 < row["n"] < replications else text


def _change_cells(differences: pd.DataFrame, kpis: Sequence[str]) -> pd.DataFrame:
    """Formatted paired differences: rows KPIs, columns alternatives."""
    most = int(differences["n"].max())
    cells = differences.assign(cell=differences.apply(_change_cell, axis=1, args=(most,)))
    grid = cells.pivot(index="kpi", columns="scenario", values="cell")
    return grid.reindex(index=[k for k in kpis if k in grid.index],
                        columns=list(dict.fromkeys(differences["scenario"]))).fillna("n/a")


def _baseline_means(summary: pd.DataFrame, baseline: str) -> pd.Series:
    rows = summary[summary["scenario"] == baseline].set_index("kpi")["mean"]
    return pd.Series({k: format_value(k, v) for k, v in rows.items()}, dtype=object)


def _rows(summary: pd.DataFrame, differences: pd.DataFrame, returns: pd.DataFrame | None,
          baseline: str, kpis: Sequence[str]) -> tuple[list[str], list[list[str]]]:
    """Header and rows: each KPI's baseline mean and differences, then ROI and payback."""
    grid = _change_cells(differences, kpis)
    means = _baseline_means(summary, baseline)
    rows = [[kpi, means.get(kpi, "n/a"), *grid.loc[kpi]] for kpi in grid.index]
    if returns is not None:
        for name, text, measure in (("ROI", roi_text, "roi"),
                                    ("payback", payback_text, "payback_months")):
            rows.append([name, "", *(text(_return_row(returns, s, measure))
                                     for s in grid.columns)])
    return ["KPI", baseline, *grid.columns], rows


def terminal_table(summary: pd.DataFrame, seen: Against) -> str:
    """The differences from the baseline for the terminal, within 100 columns."""
    header, rows = _rows(summary, seen.differences, seen.returns, seen.baseline,
                         TERMINAL_CHANGES)
    n = int(seen.differences["n"].max())
    lead = (f"Against {seen.baseline}: its mean, and each alternative − {seen.baseline} with "
            f"the paired 95% CI over {n} replications")
    notes = [DEFINITIONS] + ([_unpaired_note(seen.unpaired, seen.baseline)] if seen.unpaired
                             else [])
    return "\n".join([*_wrap(lead), *aligned(header, rows), "", *_wrap(*notes)])


def _wrap(*paragraphs: str) -> list[str]:
    return [line for text in paragraphs for line in textwrap.wrap(text, TERMINAL_WIDTH)]


def _unpaired_note(unpaired: Sequence[str], baseline: str) -> str:
    return (f"note: {', '.join(unpaired)} ran on other seeds than {baseline} (its `seed:` "
            "differs): the differences are paired by replication, without common random numbers")


def summary_lines(summary: pd.DataFrame, seen: Against,
                  changes: Mapping[str, list[SettingChange]] | None = None) -> list[str]:
    """summary.md's section on the baseline: differences, pairing, returns, levers."""
    header, rows = _rows(summary, seen.differences, seen.returns, seen.baseline,
                         list(dict.fromkeys(seen.differences["kpi"])))
    units = [RETURN_UNITS.get(row[0], UNITS.get(row[0], "")) for row in rows]
    lines = [f"## Against the baseline: {seen.baseline}", "",
             f"The baseline's mean, and each alternative − {seen.baseline} replication by "
             "replication on the same seeds: the mean difference with its paired 95% CI. "
             f"{DEFINITIONS}.", "",
             *markdown_table([header[0], "unit", *header[1:]],
                             ([r[0], u, *r[1:]] for r, u in zip(rows, units, strict=True))),
             "", *_pairing_lines(seen.differences)]
    if seen.unpaired:
        lines += [_unpaired_note(seen.unpaired, seen.baseline) + ".", ""]
    return lines + _lever_lines(changes or {}, seen.baseline)


def _pairing_lines(differences: pd.DataFrame) -> list[str]:
    """How much narrower the paired intervals are than unpaired ones, for the headline KPIs."""
    rows = differences[differences["kpi"].isin(PAIRING_KPIS)]
    parts = [f"{r['scenario']}, {r['kpi']}: ±{format_value(r['kpi'], _half(r))} paired, "
             f"±{format_value(r['kpi'], r['unpaired_half_width'])} unpaired"
             f"{_narrower(_half(r), r['unpaired_half_width'])}"
             for _, r in rows.iterrows() if np.isfinite(r["mean"])]
    if not parts:
        return []
    return ["Half-widths of the 95% intervals of the differences, paired on the same seeds and "
            "as if the runs were independent (Welch): " + "; ".join(parts) + ".", ""]


def _half(row: pd.Series) -> float:
    return (row["ci_high"] - row["ci_low"]) / 2


def _narrower(paired: float, unpaired: float) -> str:
    """' (38% narrower)': the pairing's gain, which the printed precision may hide."""
    if not (np.isfinite(paired) and np.isfinite(unpaired)) or unpaired <= 0:
        return ""
    change = 1 - paired / unpaired
    return f" ({change:.0%} narrower)" if change >= 0 else f" ({-change:.0%} wider)"


def _lever_lines(changes: Mapping[str, list[SettingChange]], baseline: str) -> list[str]:
    """One table per alternative of the settings in which it differs from the baseline."""
    if not changes:
        return []
    lines = [f"### Settings that differ from {baseline}", ""]
    for scenario, rows in changes.items():
        body = ([f"`{c.key}`", c.baseline, c.value] for c in rows)
        lines += ([f"{scenario}:", "", *markdown_table(["setting", baseline, scenario], body), ""]
                  if rows else [f"{scenario}: the same settings as {baseline}.", ""])
    return lines


def changes_table(changes: Mapping[str, list[SettingChange]], baseline: str) -> pd.DataFrame:
    """The settings that differ as a tidy table: scenario, baseline, key, both values."""
    rows = [{"scenario": s, "baseline": baseline, "key": c.key, "baseline_value": c.baseline,
             "value": c.value} for s, found in changes.items() for c in found]
    return pd.DataFrame(rows, columns=["scenario", "baseline", "key", "baseline_value", "value"])
