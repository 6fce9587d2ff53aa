"""Report: KPI means with t-based 95% CIs, the terminal table and summary.md."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.outputs import against, report, units, why

SCENARIOS = ("omnichannel", "weak_digital")


def results(retention: dict[str, float], wait: dict[str, float] | None = None,
            replications: int = 3, days: int = 20):
    """Synthetic kpis and breakdowns (docs/results-format.md) with known retention and waits."""
    rng = np.random.default_rng(1)
    kpis, breakdowns = [], []
    for scenario, level in retention.items():
        for rep in range(replications):
            ids = {"scenario": scenario, "replication": rep, "seed": 7 + rep}
            kpis.append({**ids, "retention_rate": level + rng.normal(0, 0.005),
                         "cohort_survival": level - 0.02, "acquisitions": 1234.0 + rep,
                         "nps": 10.0 + rep, "detractors_share": 1.1 - level,
                         "fragmented_share": 0.5 * (1 - level) + rng.normal(0, 0.001),
                         "mean_wait_minutes": (wait or {}).get(scenario, 5.0) + 0.1 * rep,
                         "wom_negative": 2000 * (1 - level), "revenue": 456_789.0})
            for archetype in ("perilla", "pez_dorado", "trompeta", "embudo"):
                breakdowns.append({**ids, "table": "retention_by_archetype", "dim1": archetype,
                                   "dim2": "", "value": level})
            for attribute in ("convenience", "simplicity", "coherence", "relevance", "control",
                              "agility"):
                breakdowns.append({**ids, "table": "pain_point", "dim1": attribute, "dim2": "",
                                   "value": 1 / 6})
    return pd.DataFrame(kpis), pd.DataFrame(breakdowns)


def explain(kpis: pd.DataFrame, horizons: dict[str, int] | None = None) -> list[str]:
    """The "why" lines of a comparison against its first scenario."""
    return why.why_lines(report.summarise(kpis), against.against(kpis, None, horizons), horizons)


def _kpi(summary: pd.DataFrame, scenario: str, kpi: str) -> pd.Series:
    return summary.set_index(["scenario", "kpi"]).loc[(scenario, kpi)]


def test_ci_brackets_the_mean_and_matches_the_t_formula():
    kpis = pd.DataFrame({"scenario": "a", "replication": [0, 1, 2], "seed": [1, 2, 3],
                         "nps": [1.0, 2.0, 3.0]})

    row = _kpi(report.summarise(kpis), "a", "nps")

    assert row["ci_low"] < row["mean"] < row["ci_high"]
    assert row["mean"] == pytest.approx(2.0)
    assert row["ci_high"] - row["mean"] == pytest.approx(4.302653 * 1.0 / np.sqrt(3))
    assert row["n"] == 3


def test_ci_shrinks_with_more_replications():
    pattern = [0.80, 0.85, 0.90]
    few = pd.DataFrame({"scenario": "a", "replication": range(3), "retention_rate": pattern})
    many = pd.DataFrame({"scenario": "a", "replication": range(30),
                         "retention_rate": pattern * 10})

    width = {name: _kpi(report.summarise(df), "a", "retention_rate")
             for name, df in [("few", few), ("many", many)]}

    def span(r):
        return r["ci_high"] - r["ci_low"]

    assert span(width["many"]) < span(width["few"]) / 4
    assert width["many"]["ci_low"] < width["many"]["mean"] < width["many"]["ci_high"]


def test_one_replication_gives_a_ci_equal_to_the_mean():
    kpis = pd.DataFrame({"scenario": ["a"], "replication": [0], "revenue": [100.0]})

    row = _kpi(report.summarise(kpis), "a", "revenue")

    assert row["ci_low"] == row["mean"] == row["ci_high"] == 100.0


def test_summary_keeps_scenario_order_and_puts_retention_first():
    kpis, _ = results({"weak_digital": 0.7, "omnichannel": 0.9})
    kpis["custom_metric"] = 1.0

    summary = report.summarise(kpis)

    assert list(dict.fromkeys(summary["scenario"])) == ["weak_digital", "omnichannel"]
    assert list(dict.fromkeys(summary["kpi"]))[:3] == ["retention_rate", "cohort_survival",
                                                       "acquisitions"]
    assert summary["kpi"].iloc[-1] == "custom_metric"
    assert not {"replication", "seed"} & set(summary["kpi"])


def test_values_are_formatted_by_unit():
    assert units.format_value("retention_rate", 0.90249) == "0.902"
    assert units.format_value("acquisitions", 12345.4) == "12,345"
    assert units.format_value("mean_wait_minutes", 3.14159) == "3.1"
    assert units.format_value("revenue", 456789.2) == "456,789"
    assert units.format_value("nps", float("nan")) == "n/a"


def test_summary_md_has_the_comparison_table_with_each_scenario(tmp_path):
    kpis, breakdowns = results({"omnichannel": 0.9, "weak_digital": 0.7})

    text = report.write_summary(kpis, breakdowns, tmp_path, [], "cxsim: test").read_text()

    header = next(line for line in text.splitlines() if line.startswith("| KPI"))
    assert all(f" {s} " in header for s in SCENARIOS)
    retention = next(line for line in text.splitlines() if line.startswith("| retention_rate"))
    cells = [c.strip() for c in retention.strip("|").split("|")]
    assert cells[1] == "share"
    assert cells[2].startswith("0.90") and cells[3].startswith("0.70")
    assert "[" in cells[2] and "]" in cells[2]
    assert text.startswith("# cxsim: test")


@pytest.mark.parametrize("better", SCENARIOS)
def test_why_section_reasons_from_the_baseline_to_the_alternative(tmp_path, better):
    worse = next(s for s in SCENARIOS if s != better)  # the baseline, listed first or second
    kpis, breakdowns = results({better: 0.92, worse: 0.75}, wait={better: 2.0, worse: 8.0})

    text = report.write_summary(kpis, breakdowns, tmp_path, [], "t", baseline=worse).read_text()
    why = text.split("## Why retention differs")[1].split("\n## ")[0]

    assert f"against the baseline **{worse}**" in why
    assert f"- **{better}**: the retention_rate is 0.92" in why and f"**{worse}**:" not in why
    # Waits 2.1 vs 8.1 minutes (replications add 0, 0.1, 0.2): 3.9 times as high.
    assert f"6.0 minutes more in {worse} (3.9 times as high)" in why
    assert "share of channel switches that lost the context" in why


def test_why_section_with_one_scenario_says_there_is_nothing_to_compare():
    kpis, _ = results({"omnichannel": 0.9})

    lines = explain(kpis)

    assert lines == ["Fewer than two scenarios have a retention_rate (omnichannel): "
                     "nothing to compare."]


def test_summary_md_has_archetypes_pain_points_and_relative_figure_links(tmp_path):
    kpis, breakdowns = results({"omnichannel": 0.9, "weak_digital": 0.7})
    figures = [tmp_path / "figures" / "retention.png", Path("figures/mechanism.png")]

    text = report.write_summary(kpis, breakdowns, tmp_path, figures, "t",
                                extra_lines=["Command: `cxsim compare`"]).read_text()

    assert "Command: `cxsim compare`" in text
    assert "| Pez Dorado | 0.900 | 0.700 |" in text
    assert "| Convenience | 0.167 | 0.167 |" in text
    assert "(figures/retention.png)" in text and "(figures/mechanism.png)" in text
    assert str(tmp_path) not in text


def test_summary_md_without_breakdowns_leaves_those_sections_out(tmp_path):
    kpis, _ = results({"omnichannel": 0.9, "weak_digital": 0.7})

    text = report.write_summary(kpis, pd.DataFrame(), tmp_path / "new", [], "t").read_text()

    assert "## Comparison" in text
    assert "## Retention by archetype" not in text and "## Pain points" not in text


def test_scenario_without_values_keeps_its_place_and_shows_n_a():
    kpis = pd.DataFrame({"scenario": ["a", "a", "b", "b"], "replication": [0, 1, 0, 1],
                         "retention_rate": [np.nan, np.nan, 0.5, 0.6],
                         "mean_wait_minutes": [1.0, 1.0, 2.0, 3.0]})

    summary = report.summarise(kpis)
    table = report.format_table(summary)

    assert table.splitlines()[0].split() == ["KPI", "a", "b"]
    assert "n/a" in next(line for line in table.splitlines() if line.startswith("retention"))
    assert "nothing to compare" in explain(kpis)[0]


def test_format_table_names_every_scenario_and_fits_the_terminal():
    names = ("omnichannel", "multichannel", "weak_digital")
    kpis, _ = results(dict(zip(names, (0.9, 0.8, 0.7), strict=True)))

    table = report.format_table(report.summarise(kpis))

    assert all(name in table.splitlines()[0] for name in names)
    assert any(line.startswith("retention_rate") for line in table.splitlines())
    assert max(len(line) for line in table.splitlines()) <= 100
    retention = next(line for line in table.splitlines() if line.startswith("retention_rate"))
    assert retention.count("[") == 3 and retention.count("]") == 3


def test_archetype_display_names():
    assert [report.display_name(a) for a in ("perilla", "pez_dorado", "trompeta", "embudo")] \
        == ["Perilla", "Pez Dorado", "Trompeta", "Embudo"]


def test_a_kpi_never_measured_prints_n_a_and_a_partly_measured_one_says_how_often():
    kpis = pd.DataFrame({"scenario": ["a"] * 3 + ["b"] * 3, "replication": [0, 1, 2] * 2,
                         "retention_rate": [0.9, 0.91, 0.92, 0.5, 0.52, 0.51],
                         "nps": [10.0, np.nan, 12.0, np.nan, np.nan, np.nan]})

    table = report.format_table(report.summarise(kpis))

    nps = next(line for line in table.splitlines() if line.startswith("nps"))
    assert nps.split()[-1] == "n/a" and "(n=2)" in nps
    assert "0.0" not in nps.split("(n=2)")[1]
    assert "n/a: not measured in any replication" in table


def test_kpis_without_a_known_unit_never_print_in_scientific_notation():
    assert units.format_value("interactions", 1450.0) == "1,450"
    assert units.format_value("some_new_count", 131_234.0) == "131,234"
    assert units.format_value("some_new_ratio", 0.01234) == "0.0123"
    assert units.UNITS["wom_negative"] == "contacts"  # contacts told, not people


def test_summary_warns_and_does_not_explain_when_horizons_differ(tmp_path):
    kpis, breakdowns = results({"shampoo": 0.6, "housing": 0.98})
    horizons = {"shampoo": 365, "housing": 1095}

    text = report.write_summary(kpis, breakdowns, tmp_path, [], "t",
                                horizons=horizons).read_text()

    assert "**Warning**: the scenarios run for different horizons (shampoo 365 days, " \
           "housing 1,095 days)" in text
    why_section = text.split("## Why retention differs")[1].split("\n## ")[0]
    assert "not explained here" in why_section and "times as high" not in why_section
    assert why.horizon_warning({"a": 365, "b": 365}) is None


def test_why_leaves_out_word_of_mouth_where_no_journey_was_rated():
    kpis, _ = results({"omnichannel": 0.9, "weak_digital": 0.7})
    kpis.loc[kpis.scenario == "weak_digital", ["detractors_share", "nps"]] = np.nan

    lines = explain(kpis, {"omnichannel": 365, "weak_digital": 365})

    assert not any("detractors" in line and "weak_digital:" in line for line in lines)
    assert not any("told a bad story" in line for line in lines)
    assert "No journey was rated in weak_digital" in lines[-1]


def test_no_ratio_to_a_value_below_the_printed_precision():
    kpis, _ = results({"omnichannel": 0.9, "weak_digital": 0.7},
                      wait={"omnichannel": 0.004, "weak_digital": 0.2})
    kpis["mean_wait_minutes"] = kpis["scenario"].map({"omnichannel": 0.004, "weak_digital": 0.2})

    wait = next(line for line in explain(kpis) if "mean wait" in line)

    assert "0.0 minutes in omnichannel" in wait and "times as high" not in wait
