"""The dashboard page, a Mesa SolaraViz app: `python run.py dashboard [SCENARIO]`.

Run directly with `solara run sim/dashboard/app.py`. Picking scenario A loads that file: the
page is rebuilt and every slider jumps to the file's values. The other controls follow Mesa's
convention and take effect when Reset is pressed; values that cannot make a scenario show a
message on the page instead of failing.
"""

from __future__ import annotations

import solara
from mesa.visualization import Slider, SolaraViz

from sim.dashboard import components, controls
from sim.dashboard.model import DashboardModel, start_key

TITLE = "cxsim · word of mouth, strategy and retention"
PLAY_INTERVAL_MS = 50


def model_params(values: dict, choices: dict) -> dict:
    """Mesa's control specification, starting at `values` (see `controls.defaults`).

    Scenario A is not among them: it is picked above Mesa's controls (`ScenarioPicker`), so
    that the sliders can start from its file; Mesa passes it on as a fixed value.
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
    with solara.Card("Scenario and view", style={"margin-bottom": "12px"}):
        solara.Select("A: scenario (market, channels, staffing, levers)", value=picked,
                      values=list(choices), classes=["cx-scenario"])
        solara.Text("Picking a file loads it: sliders move to its values.",
                    style={"font-size": "12px", "color": "#555"})
        components.ColourPicker()


@solara.component
def Page():
    """One page per browser tab, each with its own model."""
    choices = solara.use_memo(lambda: controls.catalogue(controls.command_line_scenario()), [])
    picked = solara.use_reactive(start_key(choices))
    values = solara.use_memo(lambda: controls.defaults(picked.value, choices), [picked.value])
    params = solara.use_memo(lambda: model_params(values, choices), [values])
    model = solara.use_memo(lambda: DashboardModel(**values), [values])
    solara.Style(".v-tabs { display: none; }")  # Mesa's tab bar: this page has one tab only
    with solara.Sidebar():
        ScenarioPicker(picked, choices)
    # A new key remounts Mesa's page, so its sliders and Reset start from the new file.
    SolaraViz(model, components=list(components.COMPONENTS), model_params=params, name=TITLE,
              play_interval=PLAY_INTERVAL_MS).key(f"viz-{picked.value}")
