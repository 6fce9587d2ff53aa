"""Against a baseline: paired differences, ROI and payback, the settings that differ, the CLI."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.cli import main
from sim.outputs import against, baseline, returns, text, waterfall
from sim.scenario.differences import ABSENT, setting_changes
from sim.scenario.loading import load_scenario

SMALL = ["--set", "population.size=300", "--set", "horizon_days=120", "--no-progress"]


def kpi_frame(values: dict[str, dict[str, list[float]]]) -> pd.DataFrame:
    """A wide KPI table: {scenario: {kpi: one value per replication}}, seeds shared."""
    rows = []
    for scenario, kpis in values.items():
        for replication in range(len(next(iter(kpis.values())))):
            rows.append({"scenario": scenario, "replication": replication,
                         "seed": 100 + replication,
                         **{kpi: series[replication] for kpi, series in kpis.items()}})
    return pd.DataFrame(rows)


def row(table: pd.DataFrame, **where) -> pd.Series:
    mask = np.logical_and.reduce([table[k] == v for k, v in where.items()])
    return table[mask].iloc[0]


def overlap(a: pd.Series, b: pd.Series) -> bool:
    return bool(a["ci_low"] <= b["ci_high"] and b["ci_low"] <= a["ci_high"])


# --- the pairing ------------------------------------------------------------------------------

def test_a_paired_difference_is_resolved_where_the_separate_intervals_overlap():
    # Replications differ a lot (10..50) but the alternative is 1 or 2 above the baseline in
    # every one of them: only the pairing can see it.
    base = [10.0, 20.0, 30.0, 40.0, 50.0]
    step = [1.0, 2.0, 1.0, 2.0, 1.0]
    kpis = kpi_frame({"base": {"nps": base},
                      "alt": {"nps": [b + s for b, s in zip(base, step, strict=True)]}})
    from sim.outputs.report import summarise

    separate = summarise(kpis).set_index("scenario")
    paired = row(baseline.differences(kpis, "base"), scenario="alt", kpi="nps")

    assert overlap(separate.loc["alt"], separate.loc["base"])
    assert paired["ci_low"] > 0  # resolved: the interval excludes 0
    # The paired interval is the t-interval of the five differences, exactly.
    half = stats.t.ppf(0.975, 4) * np.std(step, ddof=1) / np.sqrt(5)
    assert paired["mean"] == pytest.approx(np.mean(step), rel=1e-12)
    assert paired["ci_high"] - paired["mean"] == pytest.approx(half, rel=1e-12)
    assert paired["n"] == 5
    # As if the runs were independent, the same difference is not resolved (Welch's
    # interval around 1.4 reaches past 0).
    assert paired["unpaired_half_width"] > paired["mean"]


def test_the_unpaired_half_width_is_welchs():
    kpis = kpi_frame({"base": {"nps": [1.0, 2.0, 4.0]}, "alt": {"nps": [2.0, 6.0, 7.0, 9.0]}})
    a, b = np.array([2.0, 6.0, 7.0, 9.0]), np.array([1.0, 2.0, 4.0])

    got = row(baseline.differences(kpis, "base"), kpi="nps")["unpaired_half_width"]

    expected = stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    assert got == pytest.approx((expected.high - expected.low) / 2, rel=1e-9)


def test_a_missing_value_leaves_its_pair_out_as_mean_ci_does():
    kpis = kpi_frame({"base": {"nps": [1.0, np.nan, 3.0, 4.0]},
                      "alt": {"nps": [2.0, 5.0, np.nan, 6.0]}})

    paired = row(baseline.differences(kpis, "base"), kpi="nps")

    assert paired["n"] == 2 and paired["mean"] == pytest.approx(1.5)


def test_alternatives_on_other_seeds_are_named():
    kpis = kpi_frame({"base": {"nps": [1.0, 2.0]}, "alt": {"nps": [1.0, 2.0]},
                      "own_seed": {"nps": [1.0, 2.0]}})
    kpis.loc[kpis.scenario == "own_seed", "seed"] += 7

    assert baseline.other_seeds(kpis, "base") == ["own_seed"]


# --- ROI and payback --------------------------------------------------------------------------

def money(profit: float, cost: float, setup: float) -> dict[str, list[float]]:
    return {"operating_profit": [profit], "cost_total": [cost], "cost_setup": [setup]}


def test_roi_is_extra_profit_per_extra_cost_and_payback_repays_the_set_up():
    # Over one year: the alternative costs 120 more (60 of it set-up) and makes 240 more
    # profit, so its running profit rises by 300 a year, 25 a month: 60 / 25 = 2.4 months.
    kpis = kpi_frame({"base": money(1000.0, 500.0, 0.0), "alt": money(1240.0, 620.0, 60.0)})

    runs = returns.per_run_returns(kpis, "base", {"base": 365, "alt": 365})

    assert runs["roi"].iloc[0] == pytest.approx(240.0 / 120.0)
    assert runs["monthly_running_gain"].iloc[0] == pytest.approx(300.0 / 12.0)
    assert runs["payback_months"].iloc[0] == pytest.approx(2.4)


@pytest.mark.parametrize(("alt", "roi", "payback"), [
    (money(1100.0, 450.0, 0.0), np.nan, 0.0),  # cheaper and better: no ROI, nothing to repay
    (money(900.0, 520.0, 30.0), -5.0, np.inf),  # running profit −70: never repaid
    (money(1000.0, 500.0, 0.0), np.nan, np.inf),  # the same: costs no more, gains nothing
])
def test_roi_is_undefined_when_it_costs_less_and_payback_never_comes_without_a_gain(
        alt, roi, payback):
    kpis = kpi_frame({"base": money(1000.0, 500.0, 0.0), "alt": alt})

    runs = returns.per_run_returns(kpis, "base", {"base": 365, "alt": 365})

    np.testing.assert_equal(runs["roi"].iloc[0], roi)
    np.testing.assert_equal(runs["payback_months"].iloc[0], payback)


def test_returns_are_averaged_over_replications_and_say_never_and_costs_less_in_words():
    kpis = kpi_frame({
        "base": {"operating_profit": [0.0] * 3, "cost_total": [100.0] * 3,
                 "cost_setup": [0.0] * 3},
        # Replication 2 costs less than the baseline and its running profit falls.
        "alt": {"operating_profit": [50.0, 150.0, -20.0], "cost_total": [150.0, 150.0, 90.0],
                "cost_setup": [30.0, 30.0, 0.0]}})
    table = returns.summarise_returns(
        returns.per_run_returns(kpis, "base", {"base": 365, "alt": 365}), "base")

    roi = row(table, measure="roi")
    payback = row(table, measure="payback_months")

    assert (roi["n"], roi["undefined"], roi["replications"]) == (2, 1, 3)
    assert roi["mean"] == pytest.approx((1.0 + 3.0) / 2)
    # Monthly gains 80/12 and 180/12: 30 repaid in 4.5 and 2.0 months.
    assert payback["mean"] == pytest.approx((4.5 + 2.0) / 2)
    assert against.roi_text(roi).endswith("(costs less in 1 of 3)")
    assert against.payback_text(payback).endswith("months (never in 1 of 3)")
    never = payback.copy()
    never[["n", "undefined"]] = [0, 3]
    assert against.payback_text(never) == "never"


# --- the settings that differ -----------------------------------------------------------------

def test_the_settings_table_lists_the_levers_in_which_a_scenario_differs(repo):
    weak = load_scenario(repo / "scenarios/weak_digital.yaml")
    omni = load_scenario(repo / "scenarios/omnichannel.yaml")

    changes = {c.key: c for c in setting_changes(weak, omni)}

    assert (changes["strategy.integration"].baseline, changes["strategy.integration"].value) \
        == ("0.1", "0.95")
    assert changes["strategy.channels.app"].baseline == ABSENT  # not offered by weak digital
    assert changes["strategy.channels.app"].value == '{"quality": 0.85}'
    assert not {"name", "description", "seed", "horizon_days"} & set(changes)
    assert not any(key.startswith(("economics", "behaviour", "population")) for key in changes)


def test_the_settings_are_compared_as_validated_not_as_written(repo, tmp_path):
    # States the parent's integration again (same value, other spelling) and one new price.
    path = tmp_path / "mine.yaml"
    path.write_text(f"extends: {repo / 'scenarios/weak_digital.yaml'}\nname: mine\n"
                    "strategy: {integration: 1.0e-1}\neconomics: {staff_cost_per_year: 40000}\n")
    weak = load_scenario(repo / "scenarios/weak_digital.yaml")

    changes = setting_changes(weak, load_scenario(path))

    assert [(c.key, c.baseline, c.value) for c in changes] == [
        ("economics.staff_cost_per_year", "38000.0", "40000.0")]
    assert setting_changes(weak, weak) == []


# --- the command line -------------------------------------------------------------------------

def test_an_unknown_baseline_is_refused_before_anything_is_written(repo, tmp_path, capsys,
                                                                  monkeypatch):
    monkeypatch.chdir(tmp_path)  # a default results/ folder would appear here
    out = tmp_path / "out"

    code = main(["compare", str(repo / "scenarios/omnichannel.yaml"),
                 str(repo / "scenarios/weak_digital.yaml"), "--baseline", "weak_digtal",
                 "--out", str(out), *SMALL])

    err = capsys.readouterr().err
    assert code == 2
    assert "--baseline weak_digtal" in err and "allowed: omnichannel, weak_digital" in err
    assert "did you mean 'weak_digital'?" in err and "Traceback" not in err
    assert not out.exists() and not (tmp_path / "results").exists()


@pytest.fixture(scope="module")
def comparison(repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("baseline") / "out"
    done = subprocess.run([sys.executable, "run.py", "compare", "scenarios/omnichannel.yaml",
                           "scenarios/weak_digital.yaml", "--baseline", "weak_digital",
                           "--seeds", "6", "--workers", "2", "--out", str(out), *SMALL],
                          cwd=repo, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return out, done.stdout


def test_pairing_on_common_seeds_narrows_the_intervals_of_a_small_comparison(comparison):
    out, _ = comparison
    table = pd.read_csv(out / "differences.csv").set_index("kpi")
    half = (table["ci_high"] - table["ci_low"]) / 2

    # The same people buy and call in both strategies: purchases and what contacts cost
    # move together, so their paired intervals are narrower than independent runs' would be.
    for kpi in ("purchases", "cost_total", "satisfaction_mean"):
        assert half[kpi] < table.loc[kpi, "unpaired_half_width"], kpi
    assert set(table["scenario"]) == {"omnichannel"} and set(table["baseline"]) == {
        "weak_digital"}


def test_compare_prints_the_differences_roi_and_payback_within_100_columns(comparison):
    _, stdout = comparison
    lines = stdout.splitlines()

    assert max(len(line) for line in lines) <= 100
    assert any(line.startswith("Against weak_digital:") for line in lines)
    profit = next(line for line in lines if line.startswith("operating_profit"))
    assert profit.count("[") == 1  # the difference with its paired interval
    assert any(line.startswith("ROI ") for line in lines)
    assert any(line.startswith("payback ") for line in lines)


def test_compare_writes_the_baseline_tables_summary_and_waterfall(comparison):
    out, _ = comparison
    summary = (out / "summary.md").read_text()

    assert list(pd.read_csv(out / "differences.csv").columns) == list(
        baseline.DIFFERENCE_COLUMNS)
    assert set(pd.read_csv(out / "returns.csv")["measure"]) == {"roi", "payback_months"}
    levers = pd.read_csv(out / "levers.csv")
    assert "strategy.integration" in set(levers["key"])
    assert (out / "figures" / "waterfall-omnichannel.png").stat().st_size > 0
    assert "## Against the baseline: weak_digital" in summary
    assert "| `strategy.integration` | 0.1 | 0.95 |" in summary
    why = summary.split("## Why retention differs")[1]
    assert "against the baseline **weak_digital**" in why and "Money over the 120 days" in why


def test_the_waterfall_adds_up_to_the_alternatives_operating_profit(comparison):
    out, _ = comparison
    kpis = pd.read_parquet(out / "kpis.parquet")
    seen = against.against(kpis, "weak_digital", {"omnichannel": 120, "weak_digital": 120})
    from sim.outputs.report import summarise

    bars = waterfall.steps(seen, summarise(kpis), "omnichannel")

    profit = kpis.groupby("scenario")["operating_profit"].mean()
    assert bars["value"].iloc[0] == pytest.approx(profit["weak_digital"])
    assert bars["value"].iloc[-1] == pytest.approx(profit["omnichannel"], rel=1e-9)
    assert bars[bars.kind == "step"]["value"].sum() == pytest.approx(
        profit["omnichannel"] - profit["weak_digital"], rel=1e-9)


def test_a_table_too_wide_for_the_terminal_is_split_into_blocks():
    header = ["KPI", *(f"scenario_{i}" for i in range(6))]
    rows = [["retention_rate", *["+0.613 [+0.609, +0.617]"] * 6]]

    lines = text.aligned(header, rows)

    assert max(len(line) for line in lines) <= 100
    assert sum(line.startswith("retention_rate") for line in lines) > 1
    assert all(f"scenario_{i}" in "\n".join(lines) for i in range(6))
