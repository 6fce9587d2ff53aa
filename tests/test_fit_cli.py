"""`run.py fit` end to end on a tiny synthetic log: every output, and the same seed gives the same
fitted file.

The log is a small BG/NBD-like cohort drawn with a fixed seed (120 customers entering over four
weeks, 16 weeks observed); the fit simulates 150 people once per candidate, three candidates.
"""

import importlib.util
import json

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.scenario.loading import load_scenario

pytestmark = pytest.mark.skipif(importlib.util.find_spec("pymc_marketing") is None,
                                reason="the optional 'clv' extra")
WEEKS = 16


def synthetic_log(path, customers: int = 120, seed: int = 5) -> None:
    """Customers buy at Gamma-distributed weekly rates and drop out after a purchase."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(customers):
        day, rate, dropout = int(rng.integers(0, 28)), rng.gamma(0.5, 0.6), rng.beta(1, 4)
        while day < WEEKS * 7:
            rows.append((f"c{c:03d}", day, round(float(rng.gamma(2.0, 15.0)), 2)))
            if rng.random() < dropout:
                break
            day += 1 + int(rng.exponential(7 / max(rate, 1e-3)))
    rows.append(("c999", WEEKS * 7 - 1, 9.99))  # the log runs to the end of week 16
    frame = pd.DataFrame(rows, columns=["customer_id", "day", "amount"])
    frame["date"] = (pd.Timestamp("2023-03-06") + pd.to_timedelta(frame.pop("day"), unit="D"))
    frame[["customer_id", "date", "amount"]].to_csv(path, index=False)


def fit(log, out, capsys):
    code = main(["fit", str(log), "--calibration-weeks", "10", "--customers", "150", "--seeds",
                 "1", "--evaluations", "3", "--workers", "1", "--out", str(out),
                 "--no-progress"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def test_fit_writes_the_fitted_scenario_report_tables_and_figures(tmp_path, capsys):
    log = tmp_path / "shop.csv"
    synthetic_log(log)
    printed = fit(log, tmp_path / "out", capsys)
    out = tmp_path / "out"
    assert "bgnbd: holdout repeat transactions" in printed and str(out) in printed
    assert sorted(p.name for p in (out / "figures").iterdir()) == [
        "conditional_expectation.png", "repeat_counts.png", "tracking_cumulative.png",
        "tracking_weekly.png"]
    fitted = load_scenario(out / "fitted.yaml")  # a complete, valid scenario
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["window"] == {"calibration_weeks": 10, "holdout_weeks": 6}
    assert fitted.population.size == 150 and fitted.horizon_days == WEEKS * 7
    assert fitted.industry.need_interval_days == pytest.approx(
        manifest["fitted"]["industry.need_interval_days"])
    holdout = pd.read_csv(out / "tables" / "holdout.csv").set_index("model")
    assert set(holdout.index) == {"cxsim", "bgnbd"}
    tracking = pd.read_csv(out / "tables" / "tracking.csv")
    assert len(tracking) == WEEKS and {"actual", "cxsim", "bgnbd"} <= set(tracking.columns)
    assert holdout.loc["cxsim", "forecast"] == pytest.approx(
        tracking.loc[tracking.period == "holdout", "cxsim"].sum())
    candidates = pd.read_csv(out / "tables" / "candidates.csv")
    assert len(candidates) == 3 and manifest["distance"] == candidates.distance.min()
    report = (out / "fit.md").read_text()
    for section in ("## Holdout", "## Calibration window", "## Conditional expectation",
                    "## BG/NBD", "## Fitted parameters"):
        assert section in report
    # Mean spend per transaction is matched exactly (amounts scale with the basket value).
    stats = pd.read_csv(out / "tables" / "statistics.csv").set_index("statistic")
    assert stats.loc["spend_mean", "cxsim"] == pytest.approx(stats.loc["spend_mean", "actual"])


def test_the_same_fit_twice_gives_the_same_fitted_file(tmp_path, capsys):
    log = tmp_path / "shop.csv"
    synthetic_log(log)
    fit(log, tmp_path / "first", capsys)
    fit(log, tmp_path / "second", capsys)
    for name in ("fitted.yaml", "tables/candidates.csv", "tables/tracking.csv"):
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()
