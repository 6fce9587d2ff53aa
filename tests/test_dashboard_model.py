"""The dashboard without a browser: controls, the two-strategy model, charts, pictures, CLI."""

import io
import json
import socket
import subprocess
import sys
import threading

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("solara", reason="the dashboard extra is not installed")

from sim.cli import build_parser  # noqa: E402
from sim.dashboard import charts, components, controls, picture, server  # noqa: E402
from sim.dashboard.model import DashboardModel  # noqa: E402
from sim.scenario.errors import UserError  # noqa: E402


@pytest.fixture(scope="module")
def year():
    """The page's default model (omnichannel beside weak digital), run for its whole year."""
    model = DashboardModel()
    while model.running:
        model.step()
    return model


def test_default_page_compares_omnichannel_with_weak_digital_on_the_same_people():
    model = DashboardModel()
    a, b = model.sides
    assert (a.label, b.label) == ("A · omnichannel", "B · weak_digital")
    assert a.scenario.population == b.scenario.population and a.scenario.seed == b.scenario.seed
    assert np.array_equal(a.model.indptr, b.model.indptr)
    assert np.array_equal(a.model.neighbours, b.model.neighbours)
    assert np.array_equal(a.model.people.archetype, b.model.people.archetype)
    assert np.array_equal(a.model.people.is_customer, b.model.people.is_customer)
    assert a.scenario.strategy != b.scenario.strategy
    assert a.scenario.population.size == controls.DEFAULT_PEOPLE


def test_side_by_side_retention_diverges_within_a_simulated_year(year):
    a, b = year.sides
    assert year.day == 365
    assert a.history.retention[-1] > 0.8 and b.history.retention[-1] < 0.45
    # Visibly apart well before the year is out, in the direction of the seed's 9-in-10 vs 3.
    assert a.history.retention[180] - b.history.retention[180] > 0.2


@pytest.mark.parametrize(("controls_given", "message"), [
    ({"perilla": 0.9}, "must sum to 1"),
    ({"population": str(controls.MAX_PEOPLE + 1)}, "more than the dashboard draws well"),
    ({"population": "lots"}, "population: expected a whole number"),
    ({"population": "5"}, "too few"),
    ({"seed": "-3"}, "seed: expected a whole number"),
    # Digits to Python's isdigit() but not numbers; too long for int() (issue 16).
    ({"population": "²"}, "population: expected a whole number from 0 to"),
    ({"seed": "٣"}, "seed: expected a whole number from 0 to"),
    ({"seed": "9" * 5000}, "seed: expected a whole number from 0 to 9,223,372,036,854,775,807"),
    ({"seed": str(2**64)}, "seed: expected a whole number"),
    ({"integration": "nan"}, "not a finite number"),
    ({"advertising": "1e400"}, "not a finite number"),
    ({"scenario": "atlantis"}, "unknown scenario 'atlantis'"),
    ({"integration": 1.5}, "strategy.integration"),
])
def test_invalid_controls_give_a_message_and_a_model_that_does_nothing(controls_given, message):
    model = DashboardModel(**controls_given)
    assert model.problem and message in model.problem
    assert model.sides == [] and not model.running
    model.step()  # Mesa may still call it: nothing happens, nothing raises
    assert model.day == 0


@pytest.mark.parametrize("network", ["{kind: complete}", "{mean_degree: 60}"])
def test_networks_too_dense_to_draw_are_refused(tmp_path, network):
    dense = tmp_path / "dense.yaml"
    dense.write_text(f"extends: {controls.SCENARIO_DIR / 'omnichannel.yaml'}\n"
                     f"name: dense\npopulation: {{size: 1000}}\nnetwork: {network}\n")
    choices = controls.catalogue(dense)
    with pytest.raises(UserError, match="more than the dashboard draws well"):
        controls.setup(controls.defaults(controls.key_of(dense), choices), choices)


def test_archetype_message_says_which_way_and_by_how_much():
    with pytest.raises(UserError, match=r"= 1\.60.*lower one or more .* by 0\.60"):
        controls.archetype_mix({"perilla": 0.9, "pez_dorado": 0.2, "trompeta": 0.2,
                                "embudo": 0.3})
    shares = controls.archetype_mix({"perilla": 0.1, "pez_dorado": 0.2, "trompeta": 0.3,
                                     "embudo": 0.4})  # 0.1 + 0.2 is not 0.3 in floats
    assert sum(shares.values()) == pytest.approx(1)


def test_sliders_change_strategy_a_only_and_the_page_says_what_changed():
    model = DashboardModel(integration=0.1, perilla=0.4, embudo=0.2)
    a, b = model.sides
    assert a.scenario.strategy.integration == 0.1 and a.label.endswith("(your levers)")
    assert b.scenario.strategy.integration == controls.load_scenario(
        controls.SCENARIO_DIR / "weak_digital.yaml").strategy.integration
    assert a.scenario.population.archetypes["perilla"] == 0.4
    assert b.scenario.population == a.scenario.population
    assert "integration 0.95 → 0.1" in model.setup.changes


def test_picking_a_scenario_starts_every_control_from_its_file():
    choices = controls.catalogue()
    values = controls.defaults("weak_digital", choices)
    weak = controls.load_scenario(choices["weak_digital"])
    assert values["integration"] == weak.strategy.integration
    assert values["compare_with"] == "omnichannel"
    assert {"omnichannel", "weak_digital", "industries/housing"} <= set(choices)
    model = DashboardModel(**controls.defaults("industries/housing", choices))
    assert model.problem is None and model.setup.changes == ()


def test_one_strategy_when_nothing_to_compare_with():
    model = DashboardModel(compare_with=controls.NO_COMPARISON)
    assert [s.label for s in model.sides] == ["A · omnichannel"]
    model.step()
    assert model.day == 1


def test_charts_are_strict_json_with_titles_legends_and_one_series_set_per_strategy(year):
    over_time = [charts.retention, charts.nps, charts.word_of_mouth]
    options = [f(year.sides, year.horizon) for f in over_time]
    options += [f(year.sides) for f in (charts.funnel, charts.channel_mix, charts.waits)]
    for option in options:
        json.dumps(option, allow_nan=False)  # the browser gets JSON: no NaN, no numpy types
        assert option["title"]["text"] and "legend" in option
        names = {s["name"].split(":")[0].split(" ·")[0] for s in option["series"]}
        assert names == {"A", "B"}
    # Word of mouth is coloured by strategy, like every chart; bad and good differ in style.
    wom = {s["name"]: s for s in options[2]["series"]}
    assert wom["A: bad stories"]["lineStyle"]["color"] == charts.SIDE_COLOURS[0]
    assert wom["B: bad stories"]["lineStyle"]["color"] == charts.SIDE_COLOURS[1]
    assert wom["A: bad stories"]["symbol"] != wom["A: good stories"]["symbol"]
    assert wom["A: good stories"]["lineStyle"]["type"] == "dashed"


def test_a_bad_story_heard_yesterday_is_drawn_red_and_fades_to_grey():
    people = {"story": np.array([-1, 1, -1, 0], np.int8),
              "story_day": np.array([9, 9, 9 - picture.STORY_MEMORY_DAYS - 1, -1])}
    rgb = picture.colours("word of mouth", people, day=10)
    assert tuple(rgb[0]) == picture.STORY_COLOURS[-1]
    assert tuple(rgb[1]) == picture.STORY_COLOURS[1]
    assert tuple(rgb[2]) == tuple(rgb[3]) == picture._GREY


def test_network_picture_shows_every_colour_mode(year):
    side = year.sides[1]
    for mode in picture.MODES:
        png = picture.draw(side.scenario.network.kind, side.model.indptr, side.model.neighbours,
                           picture.colours(mode, side.people(), side.model.day))
        image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
        assert image.shape == (picture.PIXELS, picture.PIXELS, 3)
        assert len(picture.legend(mode)) >= 3
    attitude = picture.colours("attitude", side.people(), side.model.day)
    assert (attitude[:, 0] > attitude[:, 1]).mean() > 0.5  # weak digital leaves most hostile


def test_dashboard_listens_on_loopback_unless_told_otherwise():
    args = build_parser().parse_args(["dashboard"])
    assert args.host == "127.0.0.1" and args.port == 8765
    command = server.command(args.host, args.port)
    assert command[command.index("--host") + 1] == "127.0.0.1"


def test_a_port_in_use_is_refused_with_a_clear_message():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(UserError, match="cannot listen there"):
            server.check_free("127.0.0.1", busy.getsockname()[1])


@pytest.mark.parametrize(("args", "message"), [
    (["missing.yaml"], "missing.yaml: file not found"),
    (["--port", "99999"], "must be between 0 and 65535"),
])
def test_dashboard_command_refuses_bad_input_without_starting(repo, args, message):
    done = subprocess.run([sys.executable, "run.py", "dashboard", *args], cwd=repo,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and message in done.stderr
    assert "Traceback" not in done.stderr and "Solara" not in done.stdout


@pytest.mark.parametrize("mode", picture.MODES)
def test_every_legend_entry_has_a_css_colour(mode):
    html = components.legend_html(mode)
    keys = picture.legend(mode)
    assert all(type(c) is int for key in keys for c in key.colour)  # not numpy: `[215 48 39]`
    assert html.count("cx-swatch") == len(keys) and "rgb([" not in html and "rgb[" not in html


def _ring(n: int) -> tuple[np.ndarray, np.ndarray]:
    """A ring network of n people (each knows the next and the previous), as CSR arrays."""
    neighbours = np.array([[(i - 1) % n, (i + 1) % n] for i in range(n)]).ravel()
    return np.arange(0, 2 * n + 1, 2), neighbours


def test_the_tie_a_bad_story_went_along_is_drawn_red_and_fades_within_days():
    indptr, neighbours = _ring(60)
    grey = np.full((60, 3), picture._GREY, np.uint8)
    told = [picture.Telling(day=9, teller=0, valence=-1, listeners=np.array([30]))]
    px = picture._to_pixels(picture.layout_for("small_world", indptr, neighbours))
    middle = (px[0] + px[30]) // 2  # half way along the tie, away from every dot

    def colour_at(day: int, tellings=told) -> tuple[int, ...]:
        png = picture.draw("small_world", indptr, neighbours, grey, tellings=tellings, day=day)
        image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
        return tuple(int(c) for c in image[middle[1], middle[0]])

    fresh, older, gone = colour_at(10), colour_at(12), colour_at(10 + picture.TRAIL_DAYS)
    assert fresh == picture.STORY_COLOURS[-1]  # told yesterday: the story's full colour
    assert older[0] > older[1] and older[1] > fresh[1]  # two days on: still red, paler
    assert gone == colour_at(10, tellings=())  # after the trail's days: as if never told


def test_remembering_stories_for_the_picture_leaves_the_run_unchanged():
    from sim.engines.mesa_model import CustomerJourneyModel

    side = DashboardModel(population="300").sides[1]
    plain = CustomerJourneyModel(side.scenario, seed=controls.DEFAULT_SEED)
    for _ in range(40):
        side.model.step()
        plain.step()
    assert side.model.tellings  # weak digital's customers talked
    assert np.array_equal(side.model.tally.wom_reach, plain.tally.wom_reach)
    assert np.array_equal(side.model.statuses(), plain.statuses())


def test_the_page_can_draw_while_mesa_plays_in_another_thread():
    # Mesa's ▶ steps in a thread while the page draws; a reader holding the model's lock
    # always sees whole days (the history's lists of one length, the day they describe).
    model = DashboardModel(population="200")
    read = threading.Event()  # the player waits for a read between steps: they interleave

    def play():
        for _ in range(120):
            model.step()
            read.wait(timeout=5)
            read.clear()

    playing = threading.Thread(target=play)
    playing.start()
    seen = set()
    while playing.is_alive() or not seen:
        with model.lock:
            for side in model.sides:
                h = side.history
                assert len(h.retention) == len(h.survival) == len(h.wom) == side.model.day + 1
            charts.retention(model.sides, model.horizon)
            seen.add(model.day)
        read.set()
    playing.join()
    assert len(seen) > 1


def test_port_zero_serves_and_prints_the_port_the_system_chose(monkeypatch, capsys):
    launched = []

    class Child:
        def __init__(self, command, **kwargs):
            launched.append(command)

        def wait(self, *args):
            return 0

        def poll(self):
            return 0

    monkeypatch.setattr(server, "check_installed", lambda: None)
    monkeypatch.setattr(server.subprocess, "Popen", Child)
    assert server.serve(None, "127.0.0.1", 0) == 0
    port = launched[0][launched[0].index("--port") + 1]
    assert port != "0"
    assert f"http://127.0.0.1:{port}/" in capsys.readouterr().out
