"""Solara components of the dashboard: the stage (networks, legend, retention) and the rest.

The stage is what a class watches: both networks as large as the screen allows, one legend
below them, and the retention chart beside them, all visible at once at 1280×720 (a projector)
with the side panel collapsed. The other charts and the tables follow below it. Each component
takes the `DashboardModel` and re-renders when Mesa's `update_counter` ticks (every step).
"""

from __future__ import annotations

import html

import reacton.ipywidgets as rw
import solara
from mesa.visualization.utils import update_counter

from sim.dashboard import charts, picture, tables
from sim.dashboard.model import DashboardModel
from sim.dashboard.toolbar import colour_mode

CHART_STYLE = {"height": "380px", "width": "100%"}


@solara.component
def Stage(model: DashboardModel):
    """Both networks, the legend under them and the retention chart beside them."""
    update_counter.get()
    if model.problem:
        return
    with model.lock:
        option = charts.retention(model.sides, model.horizon)
    option["grid"]["bottom"] = 100  # room for the legend when the chart is narrow
    with solara.Div(classes=["cx-stage-box"]):
        with solara.Div(classes=["cx-stage"]):
            for index in (0, 1):
                Network(model, index)
            chart("retention", option, stage=True)
        Legend(colour_mode.value)


@solara.component
def Network(model: DashboardModel, index: int):
    """Strategy `index`'s customers on the social network, coloured by the chosen mode."""
    update_counter.get()
    with solara.Div(classes=["cx-cell"]):
        if index >= len(model.sides):
            _single_strategy_note()
            return
        side, mode = model.sides[index], colour_mode.value
        with model.lock:
            retention, people, day = side.history.retention[-1], side.people(), side.model.day
            # The trails and rings belong to the word-of-mouth picture (and its legend) only.
            tellings = list(side.model.tellings) if mode == "word of mouth" else []
        solara.HTML(tag="div", unsafe_innerHTML=(
            f'<span class="cx-network-title" style="color:{charts.SIDE_COLOURS[index]}">'
            f'{html.escape(side.label)}</span> <span class="cx-network-note">retention '
            f'{retention:.0%}</span>'))
        png = picture.draw(side.scenario.network.kind, side.model.indptr, side.model.neighbours,
                           picture.colours(mode, people, day),
                           picture.sizes_for(mode, people, day), tellings, day)
        rw.Image(value=png, format="png", _dom_classes=["cx-network"],
                 layout={"width": "100%", "object_fit": "contain"})


def legend_html(mode: str) -> str:
    """The legend of colour mode `mode` as HTML: a swatch (dot, ring or line) and a label."""
    items = "".join(f'<span class="cx-key">{_swatch(key)}{html.escape(key.label)}</span>'
                    for key in picture.legend(mode))
    return f'<div class="cx-legend"><b>{html.escape(mode)}:</b> {items}</div>'


def _swatch(key: picture.Key) -> str:
    r, g, b = key.colour
    colour = f"rgb({r}, {g}, {b})"
    if key.mark == "ring":
        style = f"border:3px solid {colour};background:rgb(214, 214, 214)"
    elif key.mark == "line":
        style = f"height:4px;width:22px;border-radius:2px;vertical-align:4px;background:{colour}"
    else:
        style = f"background:{colour}"
    return f'<span class="cx-swatch" style="{style}"></span>'


@solara.component
def Legend(mode: str):
    """One legend for both pictures, in one line under them."""
    solara.HTML(tag="div", unsafe_innerHTML=legend_html(mode))


def _single_strategy_note() -> None:
    solara.Markdown("**One strategy on the page.** To compare two on the same people, network "
                    "and seed, choose a strategy under *B: side by side with* in the side panel "
                    "(☰) and press **Reset**.")


def chart(name: str, option: dict, stage: bool = False):
    """A live chart (an ECharts option); on the stage it is as tall as the networks."""
    style = {"width": "100%", "aspect-ratio": "1", "max-height": "var(--cx-stage-side)",
             "min-height": "340px"} if stage else CHART_STYLE
    return solara.FigureEcharts(option=option, attributes={"style": style,
                                                           "class": f"cx-chart cx-{name}"},
                                responsive=True)


@solara.component
def MoreCharts(model: DashboardModel):
    """The other charts and the tables, under the stage."""
    update_counter.get()
    if model.problem:
        return
    sides, horizon = model.sides, model.horizon
    with model.lock:
        options = {"word_of_mouth": charts.word_of_mouth(sides, horizon),
                   "nps": charts.nps(sides, horizon), "funnel": charts.funnel(sides),
                   "channel_mix": charts.channel_mix(sides), "waits": charts.waits(sides)}
    with solara.Div(classes=["cx-more"]):
        tables.Counters(model)
        for name, option in options.items():
            chart(name, option)
        tables.Levers(model)
        solara.Markdown(GUIDE, style={"font-size": "15px"})


GUIDE = """
### How to present with this page

1. Collapse the side panel (☰): the two networks, their legend and the retention chart fill a
   projector (1280×720); the bar with **Reset**, **▶** and **Step** stays on top.
2. Press **▶** (or **Step**): each tick is a day. Dots are people, lines who knows whom.
3. Colour by *word of mouth*: **red** dots just heard a bad story, **green** a good one (fading
   over three weeks); a dark ring marks who told one, and the ties their story went along stay
   drawn for five days. Watch red spread on B's network while A's stays calm.
4. Follow *Retention*: the two strategies start level and part within months.
5. Open the side panel, move a slider (say *A · integration* to 0), press **Reset**, play again:
   the same people, network and seed, another strategy. *Strategy levers in use* shows the values.
6. *Speed*: slow (about three days a second), normal (as fast as the page draws), or fast
   (the pictures and charts are drawn every fifth day).
"""
