"""Figures: every expected PNG is written, valid and reproducible; missing data is skipped."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from sim.outputs import plots

PHASES = ["awareness", "discovery", "interest", "consideration", "action", "use", "engagement"]
CHANNELS = ["web", "app", "social", "messaging", "phone", "email", "sms", "store"]
ATTRIBUTES = ["convenience", "simplicity", "coherence", "relevance", "control", "agility"]
ARCHETYPES = ["perilla", "pez_dorado", "trompeta", "embudo"]
FIGURES = ["retention.png", "funnel.png", "channel_mix.png", "waits.png", "word_of_mouth.png",
           "pain_points.png", "mechanism.png"]


def results(retention: dict[str, float], replications: int = 3, days: int = 20, seed: int = 0):
    """Synthetic kpis, series and breakdowns following docs/results-format.md."""
    rng = np.random.default_rng(seed)
    kpis, series, breakdowns = [], [], []
    for scenario, level in retention.items():
        for rep in range(replications):
            ids = {"scenario": scenario, "replication": rep, "seed": 100 + rep}
            kpis.append({**ids, "retention_rate": level + rng.normal(0, 0.01),
                         "cohort_survival": level + rng.normal(0, 0.01),
                         "acquisitions": rng.integers(100, 200), "nps": rng.normal(20, 5),
                         "detractors_share": 1 - level, "fragmented_share": (1 - level) / 2,
                         "mean_wait_minutes": 20 * (1 - level) + rng.normal(0, 0.2),
                         "wom_negative": 5000 * (1 - level), "wom_positive": 3000 * level,
                         "revenue": 450_000 * level, "clv_mean": 600 * level})
            for day in range(days):
                survival = 1 - (1 - level) * day / (days - 1)
                for metric, value in [("cohort_survival", survival),
                                      ("wom_positive", rng.poisson(30 * level)),
                                      ("wom_negative", rng.poisson(40 * (1 - level))),
                                      ("customers", 1000 * survival)]:
                    series.append({**ids, "day": day, "metric": metric, "value": value})
            for i, phase in enumerate(PHASES):
                breakdowns.append({**ids, "table": "funnel", "dim1": phase, "dim2": "",
                                   "value": 1000 * 0.8**i * level})
                for channel in CHANNELS:
                    breakdowns.append({**ids, "table": "channel_mix", "dim1": phase,
                                       "dim2": channel, "value": rng.integers(0, 50)})
            for desk in ("messaging", "phone", "store"):
                breakdowns.append({**ids, "table": "wait_by_desk", "dim1": desk, "dim2": "",
                                   "value": 10 * (1 - level) + rng.normal(0, 0.1)})
            for attribute, share in zip(ATTRIBUTES, rng.dirichlet(np.ones(6)), strict=True):
                breakdowns.append({**ids, "table": "pain_point", "dim1": attribute, "dim2": "",
                                   "value": share})
            for archetype in ARCHETYPES:
                breakdowns.append({**ids, "table": "retention_by_archetype", "dim1": archetype,
                                   "dim2": "", "value": level + rng.normal(0, 0.02)})
    return pd.DataFrame(kpis), pd.DataFrame(series), pd.DataFrame(breakdowns)


@pytest.fixture(scope="module")
def two_scenarios():
    return results({"omnichannel": 0.9, "weak_digital": 0.7})


def test_every_expected_figure_is_a_valid_non_empty_png(two_scenarios, tmp_path):
    paths = plots.write_figures(*two_scenarios, tmp_path / "figures")

    assert [p.name for p in paths] == FIGURES  # stable order
    for path in paths:
        assert path.parent == tmp_path / "figures"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        image = plt.imread(path)
        assert image.shape[0] > 200 and image.shape[1] > 200
        assert image[..., :3].std() > 0.05, f"{path.name} looks blank"
        assert path.stat().st_size < 400_000, f"{path.name} is larger than a report needs"


def test_same_results_give_identical_figures(two_scenarios, tmp_path):
    first = plots.write_figures(*two_scenarios, tmp_path / "a")
    second = plots.write_figures(*two_scenarios, tmp_path / "b")

    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_missing_tables_and_metrics_are_skipped_without_error(two_scenarios, tmp_path):
    kpis, series, breakdowns = two_scenarios
    only_survival = series[series["metric"] == "cohort_survival"]
    no_breakdowns = breakdowns.iloc[0:0]

    paths = plots.write_figures(kpis, only_survival, no_breakdowns, tmp_path)

    assert [p.name for p in paths] == ["retention.png", "mechanism.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mechanism.png", "retention.png"]


def test_empty_results_write_no_figures(tmp_path):
    kpis = pd.DataFrame({"scenario": ["base"], "replication": [0], "seed": [1]})

    assert plots.write_figures(kpis, pd.DataFrame(), pd.DataFrame(), tmp_path / "f") == []
    assert (tmp_path / "f").is_dir()


def test_mechanism_figure_draws_the_kpis_that_are_present(two_scenarios, tmp_path):
    kpis, series, breakdowns = two_scenarios
    partial = kpis.drop(columns=["mean_wait_minutes", "wom_negative"])

    paths = plots.write_figures(partial, series, breakdowns, tmp_path)

    assert "mechanism.png" in [p.name for p in paths]
    assert "mechanism.png" not in [p.name for p in plots.write_figures(
        kpis[["scenario", "replication", "seed", "retention_rate"]], series, breakdowns,
        tmp_path / "none")]


def test_one_replication_and_unknown_labels_still_plot(tmp_path):
    kpis, series, breakdowns = results({"base": 0.8}, replications=1)
    extra = breakdowns.iloc[[0]].assign(dim1="loyalty_club")  # a phase added later

    paths = plots.write_figures(kpis, series, pd.concat([breakdowns, extra]), tmp_path)

    assert [p.name for p in paths] == FIGURES


def test_breakdowns_read_back_from_csv_plot_the_same_figures(two_scenarios, tmp_path):
    kpis, series, breakdowns = two_scenarios
    breakdowns.to_csv(tmp_path / "breakdowns.csv", index=False)
    from_csv = pd.read_csv(tmp_path / "breakdowns.csv")  # empty dim2 comes back as NaN

    paths = plots.write_figures(kpis, series, from_csv, tmp_path / "figures")

    assert [p.name for p in paths] == FIGURES
