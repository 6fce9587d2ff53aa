"""The dashboard page, built from Mesa's visualization parts: `python run.py dashboard [SCENARIO]`.

Run directly with `solara run sim/dashboard/app.py`. Picking scenario A loads that file: the
page is rebuilt and every slider jumps to the file's values. The other controls follow Mesa's
convention and take effect when Reset is pressed; values that cannot make a scenario show a
message on the page instead of failing.

Mesa's `SolaraViz` puts the play controls in the side panel and the pictures in a grid of
equal cells, which cannot present on a projector (collapsing the panel hides ▶). So the page
assembles the same parts itself: Mesa's `ModelController` in a bar that stays on top
(`toolbar`), the `model_params` inputs in the side panel (`inputs`), and a stage of two large
networks with the retention chart beside them (`components`).
"""

from __future__ import annotations

from pathlib import Path

import solara
from mesa.visualization import Slider

from sim.dashboard import components, controls, inputs, toolbar
from sim.dashboard.model import DashboardModel, start_key

TITLE = "cxsim · word of mouth, strategy and retention"
STYLE = Path(__file__).with_name("page.css")


def model_params(values: dict, choices: dict) -> dict:
    """Mesa's control specification, starting at `values` (see `controls.defaults`).

    Scenario A is not among them: it is picked above the other controls (`ScenarioPicker`), so
    that the sliders can start from its file; it is passed on as a fixed value.
    """
    strategies = [controls.NO_COMPARISON, *(k for k in choices if "/" not in k)]
    params = {
        "scenario": values["scenario"],
        "compare_with": {"type": "Select", "value": values["compare_with"], "values": strategies,
                         "label": "B: side by side with (its strategy on A's market)"},
        "population": {"type": "InputText", "value": values["population"],
                       "label": f"People (10 to {controls.MAX_PEOPLE:,})"},
        "seed": {"type": "InputText", "value": values["seed"], "label": "Seed"},
    }
    for lever in controls.LEVERS:
        top, step = (0.02, 0.001) if lever == "advertising" else (1.0, 0.05)
        params[lever] = Slider(f"A · {lever.replace('_', ' ')}", float(values[lever]), 0.0, top,
                               step, dtype=float)
    for archetype in controls.ARCHETYPE_NAMES:
        params[archetype] = Slider(f"Share · {archetype.replace('_', ' ').title()}",
                                   float(values[archetype]), 0.0, 1.0, 0.05, dtype=float)
    return params


@solara.component
def ScenarioPicker(picked: solara.Reactive[str], choices: dict):
    """Scenario A's file; picking one rebuilds the page from it."""
    with solara.Card("Scenario A", style={"margin-bottom": "12px"}):
        solara.Select("A: scenario (market, channels, staffing, levers)", value=picked,
                      values=list(choices), classes=["cx-scenario"])
        solara.Text("Picking a file loads it: sliders move to its values.",
                    style={"font-size": "13px", "color": "#444"})


@solara.component
def Dashboard(start: DashboardModel, params: dict):
    """One scenario's page: the bar, the stage, the other charts, and the side panel's inputs."""
    model = solara.use_reactive(start)
    parameters = solara.use_reactive(inputs.initial_values(params))

    def change(name, value) -> None:
        parameters.set({**parameters.value, name: value})

    with solara.Column(gap="0px"):  # no gaps for the parts that draw nothing here
        with solara.Sidebar():
            with solara.Card("Strategy and market"):
                solara.Text("Changes take effect when you press Reset.",
                            style={"font-size": "13px", "color": "#444"})
                inputs.Inputs(params, change)
        toolbar.Toolbar(model, parameters)
        toolbar.Problem(model.value)
        components.Stage(model.value)
        components.MoreCharts(model.value)


@solara.component
def Page():
    """One page per browser tab, each with its own model."""
    choices = solara.use_memo(lambda: controls.catalogue(controls.command_line_scenario()), [])
    picked = solara.use_reactive(start_key(choices))
    values = solara.use_memo(lambda: controls.defaults(picked.value, choices), [picked.value])
    params = solara.use_memo(lambda: model_params(values, choices), [values])
    model = solara.use_memo(lambda: DashboardModel(**values), [values])
    with solara.Column(gap="0px"):
        solara.Title("cxsim dashboard")
        solara.Style(STYLE.read_text())
        with solara.AppBar():
            solara.AppBarTitle(TITLE)
        with solara.Sidebar():
            ScenarioPicker(picked, choices)
        # A new key remounts the page, so its inputs and Reset start from the new file.
        Dashboard(model, params).key(f"page-{picked.value}")
