"""Real transaction logs in: reading them, and the statistics of customer-base analysis.

Known answers: CDNOW as published (Fader, Hardie & Lee 2005; Hardie's summary of the 1/10
sample, `cdnow_customers_summary_with_transactions.csv` in lifetimes 0.11.3) and as measured
once by the project's prototype from the raw file; counts are exact, shares and means are
compared at the precision they were published or recorded with.
"""

import gzip

import numpy as np
import pandas as pd
import pytest

from sim.fit import cdnow as data
from sim.fit.statistics import cohort_statistics, repeat_count_distribution
from sim.fit.transactions import Columns, customer_days, read_transactions
from sim.fit.window import Window


def test_cdnow_is_the_published_cohort(cdnow):
    assert cdnow.records == 69_659
    stats = cdnow.statistics
    assert stats.customers == 23_570
    assert stats.customer_days == 67_591  # 2,068 same-day records merged
    assert cdnow.start == pd.Timestamp("1997-01-01")
    assert stats.summary["first_day"].max() == 83  # everyone first bought in 1997 Q1


def test_cdnow_calibration_statistics_are_the_known_ones(cdnow):
    stats = cdnow.statistics
    assert stats.repeats["repeat_transactions"] == 24_337
    assert stats.repeats["one_time_share"] == pytest.approx(0.5990, abs=5e-5)
    assert stats.repeats["mean_repeats"] == pytest.approx(1.0325, abs=5e-5)
    assert stats.repeats["cv_repeats"] == pytest.approx(2.2061, abs=5e-5)
    assert stats.repeats["max_repeats"] == 80
    assert stats.holdout_total == 19_684
    assert stats.weekly.sum() == 24_337 + 19_684
    assert stats.repeat_counts.sum() == pytest.approx(1.0)
    assert stats.repeat_counts["7+"] == pytest.approx(0.0270, abs=5e-5)
    assert stats.inter_purchase["n"] == 24_337  # one gap per repeat transaction
    assert stats.inter_purchase["median"] == 27
    assert stats.inter_purchase["mean"] == pytest.approx(46.42, abs=5e-3)


def test_a_customer_who_first_bought_on_day_0_is_observed_for_38_86_weeks(cdnow):
    # Hardie's published summary: T = 38.86 weeks for a first purchase on 1997-01-01.
    summary = cdnow.statistics.summary
    assert summary.loc[summary.first_day == 0, "T"].round(2).unique().tolist() == [38.86]


def test_the_one_in_ten_sample_matches_hardies_published_summary(cdnow):
    records = data.sample(data.master())
    days = customer_days(records, cdnow.start)
    stats = cohort_statistics(days, cdnow.window)
    assert stats.customers == 2_357
    assert stats.repeats["repeat_transactions"] == 2_457
    # Sample customers 1-3 (master ids 4, 18, 21): x, t_x, T, mean repeat spend, as published.
    first = stats.summary.loc[[f"{i:05d}" for i in data.sample_ids()[:3]]]
    published = [[2, 30.43, 38.86, 22.35], [1, 1.71, 38.86, 11.77], [0, 0.0, 38.86, 0.0]]
    ours = first[["frequency", "recency", "T", "monetary_value"]].to_numpy()
    assert np.abs(ours - published).max() <= 0.005 + 1e-9  # published to 2 decimals


def test_purchases_on_one_day_are_one_transaction(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("customer_id,date,amount\n"
                    "a,2024-01-01,5\na,2024-01-01 17:30,7\na,2024-01-08,4\nb,2024-01-03,1\n")
    days = customer_days(read_transactions(path))
    assert days[["customer_id", "day", "amount", "records"]].values.tolist() == [
        ["a", 0, 12.0, 2], ["a", 7, 4.0, 1], ["b", 2, 1.0, 1]]


def test_repeat_counts_pool_seven_or_more():
    shares = repeat_count_distribution(pd.Series([0, 0, 1, 7, 12]))
    assert shares.index.tolist() == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert shares.tolist() == [0.4, 0.2, 0, 0, 0, 0, 0, 0.4]


def test_weeks_and_repeats_are_counted_from_each_customers_first_purchase(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("customer_id,date,amount\n1,2024-01-01,5\n1,2024-01-09,5\n"
                    "2,2024-01-06,3\n2,2024-01-20,3\n3,2024-01-16,8\n")
    stats = cohort_statistics(customer_days(read_transactions(path)), Window(2, 1))
    summary = stats.summary
    assert summary.index.tolist() == ["1", "2"]  # customer 3 first bought after week 2
    assert summary.frequency.tolist() == [1, 0]  # customer 2's repeat is in the holdout
    assert summary.holdout.tolist() == [0, 1]
    assert summary["T"].tolist() == pytest.approx([13 / 7, 8 / 7])
    assert stats.weekly.tolist() == [0, 1, 1]


@pytest.mark.parametrize("kind", ["cdnow", "semicolon", "gzip", "parquet", "named"])
def test_logs_are_read_in_every_supported_form(tmp_path, kind):
    rows = [("7", "19970101", 11.77), ("7", "19970105", 2.5), ("9", "19970102", 0.0)]
    if kind == "cdnow":  # the raw CDNOW layout: whitespace, YYYYMMDD, extra columns
        path = tmp_path / "CDNOW_like.txt"
        path.write_text("customer_id  date number_of_cds  dollar_value\r\n" + "".join(
            f" {c} {d}  1   {a}\r\n" for c, d, a in rows))
    elif kind == "semicolon":
        path = tmp_path / "log.csv"
        path.write_text("Customer_ID;Date;Amount\n" + "".join(
            f"{c};{d[:4]}-{d[4:6]}-{d[6:]};{a}\n" for c, d, a in rows))
    elif kind == "gzip":
        path = tmp_path / "log.csv.gz"
        with gzip.open(path, "wt") as handle:
            handle.write("customer_id,date,amount\n" + "".join(f"{c},{d},{a}\n"
                                                                for c, d, a in rows))
    elif kind == "parquet":
        path = tmp_path / "log.parquet"
        pd.DataFrame({"customer_id": [int(c) for c, _, _ in rows],
                      "date": pd.to_datetime([d for _, d, _ in rows]),
                      "amount": [a for _, _, a in rows]}).to_parquet(path)
    else:
        path = tmp_path / "log.csv"
        path.write_text("who,when,paid\n" + "".join(f"{c},{d},{a}\n" for c, d, a in rows))
    columns = Columns("who", "when", "paid") if kind == "named" else None
    records = read_transactions(path, columns)
    assert records.customer_id.tolist() == ["7", "7", "9"]
    assert records.date.tolist() == list(pd.to_datetime(["1997-01-01", "1997-01-05",
                                                         "1997-01-02"]))
    assert np.allclose(records.amount, [11.77, 2.5, 0.0])
