"""`run.py fit` refuses bad transaction logs and options: a clear message, exit 2, nothing written.

The file is checked before anything else happens (no model is fitted, no folder made), so these
run in well under a second each and need neither PyMC nor a simulation.
"""

import pandas as pd
import pytest

from sim.cli import main

GOOD = "customer_id,date,amount\n" + "".join(
    f"{c},2024-01-{d:02d},{a}\n" for c, d, a in [(1, 1, 5), (1, 8, 6), (2, 3, 7), (2, 29, 1)])


def bad_file(tmp_path, kind: str):
    """A transaction log with one kind of mistake, and the words its message must contain."""
    path = tmp_path / "log.csv"
    if kind == "missing column":
        path.write_text("customer_id,when,amount\n1,2024-01-01,5\n")
        return path, ["no date column", "['customer_id', 'when', 'amount']", "--date-column"]
    if kind == "named column absent":
        path.write_text(GOOD)
        return path, ["no column 'paid'", "--amount-column", "['customer_id', 'date', 'amount']"]
    if kind == "unparsable date":
        path.write_text("customer_id,date,amount\n1,2024-01-01,5\n1,2024-01-05,5\n"
                        "2,2024-13-45,5\n2,yesterday,1\n")
        return path, ["'2024-13-45'", "data row 3", "column 'date'", "2 unreadable",
                      "1997-01-31 or 19970131"]
    if kind == "negative amount":
        path.write_text("customer_id,date,amount\n1,2024-01-01,5\n1,2024-01-05,-2.5\n")
        return path, ["negative amount -2.5", "data row 2", "refunds"]
    if kind == "amount not a number":
        path.write_text("customer_id,date,amount\n1,2024-01-01,5\n1,2024-01-05,12 EUR\n")
        return path, ["'12 EUR'", "data row 2", "not a number"]
    if kind == "missing customer id":
        path.write_text("customer_id,date,amount\n1,2024-01-01,5\n,2024-01-05,3\n")
        return path, ["data row 2 has no customer id"]
    if kind == "empty file":
        path.write_text("")
        return path, ["the file is empty"]
    if kind == "header only":
        path.write_text("customer_id,date,amount\n")
        return path, ["has no purchases"]
    if kind == "no such file":
        return tmp_path / "absent.csv", ["absent.csv: no such file"]
    if kind == "folder":
        (tmp_path / "logs").mkdir()
        return tmp_path / "logs", ["is a folder"]
    if kind == "no repeat purchases":
        path.write_text("customer_id,date,amount\n" + "".join(
            f"{c},2024-01-{c + 1:02d},5\n" for c in range(1, 20)) + "99,2024-02-28,1\n")
        return path, ["none of its", "bought twice", "calibration weeks"]
    if kind == "broken parquet":
        path = tmp_path / "log.parquet"
        path.write_bytes(b"PAR1 this is not parquet")
        return path, ["cannot read it as Parquet"]
    raise ValueError(kind)


KINDS = ["missing column", "named column absent", "unparsable date", "negative amount",
         "amount not a number", "missing customer id", "empty file", "header only",
         "no such file", "folder", "broken parquet", "no repeat purchases"]


def fit(tmp_path, monkeypatch, path, *options):
    monkeypatch.chdir(tmp_path)  # a default results/ folder would appear here
    return main(["fit", str(path), "--out", str(tmp_path / "out"), "--no-progress", *options])


def assert_refused(code, capsys, tmp_path, words):
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error: ") and "Traceback" not in err
    for word in words:
        assert word in err, f"{word!r} not in {err!r}"
    assert not (tmp_path / "out").exists() and not (tmp_path / "results").exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_bad_transaction_log_is_refused_with_a_clear_message(kind, tmp_path, monkeypatch,
                                                                capsys):
    path, words = bad_file(tmp_path, kind)
    options = ["--amount-column", "paid"] if kind == "named column absent" else []
    code = fit(tmp_path, monkeypatch, path, "--calibration-weeks", "2", *options)
    assert_refused(code, capsys, tmp_path, [str(path), *words])  # the message names the file


def test_a_calibration_window_longer_than_the_data_is_refused(tmp_path, monkeypatch, capsys):
    path = tmp_path / "log.csv"
    path.write_text(GOOD)  # days 0..28: 29 days, 4 whole weeks
    code = fit(tmp_path, monkeypatch, path, "--calibration-weeks", "4")
    assert_refused(code, capsys, tmp_path, ["--calibration-weeks 4: longer than the data",
                                            "29 days (4 whole weeks)", "fewer than 4 weeks"])
    code = fit(tmp_path, monkeypatch, path, "--calibration-weeks", "2", "--holdout-weeks", "3")
    assert_refused(code, capsys, tmp_path, ["--holdout-weeks 3", "at most 2 holdout weeks"])


def test_bad_options_are_refused_before_the_file_is_read(tmp_path, monkeypatch, capsys):
    path = tmp_path / "log.csv"
    path.write_text(GOOD)
    code = fit(tmp_path, monkeypatch, path, "--calibration-weeks", "2", "--evaluations", "1")
    assert_refused(code, capsys, tmp_path, ["--evaluations 1", "at least 2"])
    code = fit(tmp_path, monkeypatch, path, "--calibration-weeks", "2", "--customers", "5")
    assert_refused(code, capsys, tmp_path, ["--customers 5", "at least 10"])
    code = fit(tmp_path, monkeypatch, path, "--calibration-weeks", "2", "--scenario",
               str(tmp_path / "nope.yaml"))
    assert_refused(code, capsys, tmp_path, ["nope.yaml"])
    with pytest.raises(SystemExit) as exit_:  # argparse: not a positive whole number
        main(["fit", str(path), "--calibration-weeks", "0"])
    assert exit_.value.code == 2


def test_an_existing_output_folder_is_not_overwritten(tmp_path, monkeypatch, capsys):
    path = tmp_path / "log.csv"
    path.write_text(GOOD)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    code = fit(tmp_path, monkeypatch, path, "--calibration-weeks", "2")
    assert code == 2 and "already exists" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["keep.txt"]


def test_without_the_clv_extra_the_fit_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None
                        if name == "pymc_marketing" else real_find_spec(name, *a))
    path = tmp_path / "log.csv"
    path.write_text(GOOD)
    code = fit(tmp_path, monkeypatch, path, "--calibration-weeks", "2")
    assert_refused(code, capsys, tmp_path, ["pip install -e '.[clv]'"])
    assert pd.read_csv(path).shape == (4, 3)  # the log itself is untouched
