"""Solara components of the dashboard: the network pictures, the counters and the live charts.

Each takes the `DashboardModel` (Mesa's SolaraViz passes it) and re-renders when Mesa's
`update_counter` ticks, i.e. after every step and reset.
"""

from __future__ import annotations

import html

import reacton.ipywidgets as rw
import solara
from mesa.visualization.utils import update_counter

from sim.dashboard import charts, picture, tables
from sim.dashboard.model import DashboardModel

colour_mode = solara.reactive(picture.MODES[0])  # shared by both pictures, one per browser tab
CELL_STYLE = {"height": "380px", "width": "100%"}
IMAGE_SIDE = "300px"


def _legend_html(mode: str) -> str:
    items = "".join(
        f'<div><span style="display:inline-block;'
        f'width:14px;height:14px;border-radius:7px;background:rgb{colour};margin-right:6px;'
        f'vertical-align:-2px"></span>{html.escape(label)}</div>'
        for label, colour in picture.legend(mode))
    return f'<div class="cx-legend" style="font-size:15px;line-height:22px">{items}</div>'


def network_component(index: int):
    """The component drawing strategy `index`'s customers on the social network."""

    @solara.component
    def Network(model: DashboardModel):
        update_counter.get()
        mode = colour_mode.value
        with solara.Column(gap="4px", style={"padding": "4px"}):
            if model.problem and index == 0:
                tables.problem_message(model)
                return
            if index >= len(model.sides):
                _single_strategy_note()
                return
            side = model.sides[index]
            solara.HTML(tag="div", unsafe_innerHTML=(
                f'<span class="cx-network-title" style="font-size:20px;font-weight:600;'
                f'color:{charts.SIDE_COLOURS[index]}">{html.escape(side.label)}</span>'
                f' <span style="font-size:16px;color:#555">· day {side.model.day}</span>'))
            png = picture.draw(side.scenario.network.kind, side.model.indptr,
                               side.model.neighbours,
                               picture.colours(mode, side.people(), side.model.day))
            with solara.Row(gap="10px", style={"align-items": "flex-start"}):
                # Fixed size: a narrow grid cell squeezes the legend, never the network.
                rw.Image(value=png, format="png", _dom_classes=["cx-network"],
                         layout={"height": IMAGE_SIDE, "width": IMAGE_SIDE,
                                 "min_width": IMAGE_SIDE, "object_fit": "contain"})
                with solara.Column(gap="6px", style={"min-width": "0", "flex": "1",
                                                     "padding-top": "14px"}):
                    solara.Text(f"by {mode}", style={"font-size": "15px", "font-weight": "600"})
                    solara.HTML(tag="div", unsafe_innerHTML=_legend_html(mode))

    Network.__name__ = f"Network{'AB'[index]}"
    return Network


@solara.component
def ColourPicker():
    """How the network pictures colour people (both strategies alike)."""
    solara.Select("Colour people by", value=colour_mode, values=list(picture.MODES),
                  classes=["cx-colour-by"])


def _single_strategy_note() -> None:
    solara.Markdown("**One strategy on the page.** To compare two on the same people, network "
                    "and seed, choose a strategy under *B: side by side with* and press "
                    "**Reset**.")


def chart_component(name: str, build, over_time: bool):
    """A live chart: `build(sides[, horizon])` gives its ECharts option."""

    @solara.component
    def Chart(model: DashboardModel):
        update_counter.get()
        option = build(model.sides, model.horizon) if over_time else build(model.sides)
        solara.FigureEcharts(option=option, attributes={"style": CELL_STYLE,
                                                        "class": f"cx-chart cx-{name}"},
                             responsive=True)

    Chart.__name__ = f"Chart_{name}"
    return Chart


@solara.component
def Guide(model: DashboardModel):
    """How to present with the page."""
    solara.Markdown(GUIDE)


GUIDE = """
### How to present with this page

1. Press **▶** (or **Step**): each tick is a day. Dots are people, lines who knows whom.
2. Colour by *word of mouth*: **red** dots just heard a bad story, **green** a good one
   (fading over three weeks). Watch red spread on B's network while A's stays calm.
3. Follow *Retention*: the two strategies start level and part within months.
4. Move a slider (say *A · integration* to 0.1), press **Reset**, play again: the same
   people, network and seed, another strategy. *Strategy levers in use* shows the values.
5. *Play interval* sets the speed; *Render interval* draws every n-th day.
"""

COMPONENTS = [
    network_component(0), network_component(1),
    chart_component("retention", charts.retention, over_time=True), tables.Counters,
    chart_component("word_of_mouth", charts.word_of_mouth, over_time=True),
    chart_component("nps", charts.nps, over_time=True),
    chart_component("funnel", charts.funnel, over_time=False),
    chart_component("channel_mix", charts.channel_mix, over_time=False),
    chart_component("waits", charts.waits, over_time=False), tables.Levers, Guide,
]
