"""The bar above the pictures, always on screen: Reset, ▶/❚❚, Step, the day, speed, colours.

Mesa puts its play controls in the side panel, which a presenter collapses to make room for the
networks, and then cannot play. Here they sit in a bar that stays at the top of the page
(Mesa's own `ModelController` does the stepping), beside the day, a speed in words instead of
Mesa's "Play Interval (ms)", "Render Interval (steps)" and "Use Threads", how people are
coloured, and what the page wants from the user: the end of the year, or a control to fix.
"""

from __future__ import annotations

import html
import re

import solara
from mesa.visualization.solara_viz import ModelController
from mesa.visualization.utils import update_counter

from sim.dashboard import picture
from sim.dashboard.model import DashboardModel

# Speed in words -> (milliseconds between days, days per redraw). A day costs about 40 ms on
# the server at 1,000 people, plus the browser's drawing (README, Live dashboard).
SPEEDS = {
    "slow: 3 days a second": (300, 1),
    "normal: full speed": (40, 1),
    "fast: draw every 5th day": (10, 5),
}
DEFAULT_SPEED = "normal: full speed"
colour_mode = solara.reactive(picture.MODES[0])  # shared by both pictures, one per browser tab


@solara.component
def Toolbar(model: solara.Reactive[DashboardModel], parameters: solara.Reactive[dict]):
    """Play controls, day, speed and colour mode, in one row that stays on screen."""
    speed = solara.use_reactive(DEFAULT_SPEED)
    interval = solara.use_reactive(SPEEDS[DEFAULT_SPEED][0])
    every = solara.use_reactive(SPEEDS[DEFAULT_SPEED][1])
    threads = solara.use_reactive(False)  # stepping and drawing in turn: no day is skipped

    def set_speed(name: str) -> None:
        speed.set(name)
        interval.set(SPEEDS[name][0])
        every.set(SPEEDS[name][1])

    with solara.Row(classes=["cx-toolbar"], gap="18px"):
        with solara.Div(classes=["cx-play"]):
            ModelController(model, model_parameters=parameters, play_interval=interval,
                            render_interval=every, use_threads=threads)
        DayStatus(model.value)
        solara.Select("Speed", value=speed.value, values=list(SPEEDS), on_value=set_speed,
                      dense=True, classes=["cx-speed"], style={"max-width": "230px"})
        solara.Select("Colour people by", value=colour_mode, values=list(picture.MODES),
                      dense=True, classes=["cx-colour-by"], style={"max-width": "200px"})


@solara.component
def DayStatus(model: DashboardModel):
    """'Day 60 of 365', and at the end of the year what to do next."""
    update_counter.get()
    if model.problem:
        return
    over = not model.running
    note = (" <span class='cx-over'>· the run is over: press Reset to play it again</span>"
            if over else "")
    solara.HTML(tag="div", unsafe_innerHTML=(
        f"<div class='cx-day'>Day {model.day} <span class='cx-of'>of {model.horizon}</span>"
        f"{note}</div>"))


@solara.component
def Problem(model: DashboardModel):
    """The one message for controls that cannot make a scenario (shown once, under the bar)."""
    update_counter.get()
    if not model.problem:
        return
    solara.HTML(tag="div", classes=["cx-problem"], unsafe_innerHTML=(
        "<b>These controls cannot make a scenario.</b> " + with_code(model.problem)
        + ". Change the control in the side panel (☰) and press <b>Reset</b>."))


def with_code(message: str) -> str:
    """`message` as HTML, its `backticked` commands set in code type instead of backticks."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(message))
