"""Journeys exported for other tools: a process-mining event log and CLV transactions."""

import importlib.util
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.outputs import exports
from sim.rules.journey import PHASE_NAMES
from sim.runs.runner import run_scenario

SMALL = ["--set", "population.size=300", "--set", "horizon_days=90", "--no-progress"]


@pytest.fixture(autouse=True)
def in_repo(repo, monkeypatch):
    monkeypatch.chdir(repo)  # the CLI takes scenario paths relative to the repository


@pytest.fixture(scope="module", params=["vectorized", "agents"])
def recorded(request, small):
    scenario = small("multichannel", 400, 150, engine=request.param)
    return request.param, scenario, run_scenario(scenario, 3, record_journeys=True)


def test_event_log_has_the_process_mining_columns(recorded):
    _, _, result = recorded
    log = exports.event_log(result.journeys)
    assert list(log.columns[:6]) == [exports.CASE, exports.ACTIVITY, exports.TIMESTAMP,
                                     "channel", "archetype", "customer_id"]
    assert set(log[exports.ACTIVITY]) == set(PHASE_NAMES)
    assert log[exports.TIMESTAMP].dt.tz is not None and log[exports.CASE].nunique() > 100
    # One case is one customer's journey: it starts in awareness, its days strictly increase.
    first = log.groupby(exports.CASE)[exports.ACTIVITY].first()
    assert (first == "awareness").all()
    assert (log.groupby(exports.CASE)[exports.TIMESTAMP].diff().dropna() > pd.Timedelta(0)).all()
    assert log.channel.isin(["", "web", "app", "social", "messaging", "phone", "email", "sms",
                             "store"]).all()


def test_pm4py_finds_the_seven_phases_in_journey_order(recorded):
    pm4py = pytest.importorskip("pm4py", reason="the optional 'events' extra")
    engine, _, result = recorded
    log = exports.event_log(result.journeys)
    dfg, starts, ends = pm4py.discover_dfg(log, case_id_key=exports.CASE)
    assert set(starts) == {"awareness"}
    assert set(ends) <= {"consideration", *PHASE_NAMES}  # a journey lost, or cut by the horizon
    for earlier, later in zip(PHASE_NAMES, PHASE_NAMES[1:], strict=False):
        successors = {b: n for (a, b), n in dfg.items() if a == earlier}
        assert max(successors, key=successors.get) == later, (engine, earlier, successors)
    order = {name: i for i, name in enumerate(PHASE_NAMES)}
    assert all(order[b] == order[a] + 1 for a, b in dfg), "a phase was skipped or went back"


@pytest.mark.parametrize("engine", ["vectorized", "agents"])
def test_recording_journeys_changes_no_result(small, engine):
    scenario = small("weak_digital", 300, 90, engine=engine)
    plain, recorded = run_scenario(scenario, 11), run_scenario(scenario, 11, record_journeys=True)
    assert plain.journeys is None and recorded.journeys is not None
    assert plain.kpis == pytest.approx(recorded.kpis, nan_ok=True)
    pd.testing.assert_frame_equal(plain.series, recorded.series)
    pd.testing.assert_frame_equal(plain.breakdowns, recorded.breakdowns)


def test_transactions_are_the_purchases(recorded):
    _, scenario, result = recorded
    purchases = exports.transactions(result.journeys)
    assert len(purchases) == result.kpis["purchases"]
    assert purchases.amount.sum() == pytest.approx(result.kpis["revenue"])
    actions = exports.event_log(result.journeys).query("`concept:name` == 'action'")
    assert len(purchases) <= len(actions)  # a purchase ends an action phase (or the horizon)


def test_rfm_summary_matches_the_raw_transactions(recorded):
    _, scenario, result = recorded
    purchases = exports.transactions(result.journeys)
    end = exports.observation_end(scenario.horizon_days)
    summary = exports.rfm_summary(purchases, end).set_index("customer_id")
    for customer, own in purchases.groupby("customer_id"):
        days = (own.date - own.date.min()).dt.days
        row = summary.loc[customer]
        assert row.frequency == own.date.nunique() - 1
        assert row.recency == days.max()
        assert row["T"] == (end - own.date.min()).days
        repeat = own.amount[own.date > own.date.min()]
        assert row.monetary_value == pytest.approx(repeat.mean() if len(repeat) else 0.0)


def test_rfm_summary_agrees_with_pymc_marketing(recorded):
    if importlib.util.find_spec("pymc_marketing") is None:  # not importorskip: see bgnbd.py
        pytest.skip("the optional 'clv' extra")
    from sim.fit.bgnbd import clv_library

    rfm_summary = clv_library().utils.rfm_summary

    _, scenario, result = recorded
    purchases = exports.transactions(result.journeys)
    end = exports.observation_end(scenario.horizon_days)
    ours = exports.rfm_summary(purchases, end).set_index("customer_id")
    with pytest.warns(UserWarning):  # it drops the time zone (periods); dates are whole days
        theirs = rfm_summary(purchases, "customer_id", "date", "amount",
                             observation_period_end=end, time_unit="D").set_index("customer_id")
    for column in ("frequency", "recency", "T", "monetary_value"):
        assert np.allclose(ours[column], theirs.loc[ours.index, column]), column


def test_purchases_on_the_same_day_are_one_period():
    day = exports.START_DATE
    purchases = pd.DataFrame({"customer_id": [1, 1, 1], "date": [day, day, day +
                              pd.Timedelta(days=10)], "amount": [5.0, 7.0, 4.0]})
    row = exports.rfm_summary(purchases, day + pd.Timedelta(days=30)).iloc[0]
    assert (row.frequency, row.recency, row["T"], row.monetary_value) == (1, 10, 30, 4.0)


def test_run_with_events_and_transactions_writes_them(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", "scenarios/omnichannel.yaml", "--seeds", "2", "--workers", "1",
                 "--events", "--transactions", "--out", str(out), *SMALL]) == 0
    for name in ("events", "transactions", "rfm"):
        csv = pd.read_csv(out / f"{name}.csv")
        assert len(csv) == len(pd.read_parquet(out / f"{name}.parquet")) > 0
    events = pd.read_csv(out / "events.csv")
    assert set(events.replication) == {0, 1}
    pm4py = pytest.importorskip("pm4py", reason="the optional 'events' extra")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # pm4py suggests a faster optional reader
        assert len(pm4py.read_xes(str(out / "events.xes"))) == len(events)
    # Off by default: the same run without the flags writes none of them.
    assert main(["run", "scenarios/omnichannel.yaml", "--seeds", "1", "--workers", "1",
                 "--out", str(tmp_path / "plain"), *SMALL]) == 0
    assert not [p for p in (tmp_path / "plain").iterdir()
                if p.stem in ("events", "transactions", "rfm")]


def test_without_pm4py_the_event_log_is_still_written(monkeypatch, tmp_path, recorded):
    monkeypatch.setitem(sys.modules, "pm4py", None)  # as if the extra were not installed
    _, _, result = recorded
    written = exports.write_exports(tmp_path, [result], events=True, purchases=False)
    assert sorted(p.name for p in written) == ["events.csv", "events.parquet"]


def test_events_are_offered_on_run_only(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["compare", "scenarios/omnichannel.yaml", "--events"])
    assert stop.value.code == 2 and "--events" in capsys.readouterr().err
