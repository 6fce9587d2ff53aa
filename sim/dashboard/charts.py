"""The live charts as ECharts options (plain dicts): drawn by the browser, cheap for the server.

Each function takes the page's sides (one or two strategies) and returns one chart. Strategy A
is blue and B orange in every chart (the network pictures alone use red and green for stories).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.engines.daily import WOM_WINDOW_DAYS
from sim.rules.channels import Channel
from sim.rules.journey import JOURNEY

if TYPE_CHECKING:
    from sim.dashboard.model import Side

SIDE_COLOURS = ("#2b6cb0", "#dd6b20")
NPS_WINDOW_DAYS = 30
WAIT_WINDOW_DAYS = 7


# Sizes read from the back of a classroom (a projected 1280-pixel-wide page).
TITLE_PX, SUBTITLE_PX, TEXT_PX = 18, 13, 13


def _chart(title: str, subtitle: str, **option) -> dict:
    for axis in ("xAxis", "yAxis"):
        if axis in option:
            option[axis] = {"axisLabel": {"fontSize": TEXT_PX}, "nameTextStyle":
                            {"fontSize": TEXT_PX}, **option[axis]}
    return {"animation": False,
            "title": {"text": title, "subtext": subtitle, "left": "center",
                      "textStyle": {"fontSize": TITLE_PX},
                      "subtextStyle": {"fontSize": SUBTITLE_PX, "color": "#444"}},
            "legend": {"bottom": 0, "textStyle": {"fontSize": TEXT_PX}},
            "grid": {"left": 56, "right": 24, "top": 70, "bottom": 76},
            "tooltip": {"trigger": "axis"}, **option}


def _days_axis(horizon: int) -> dict:
    return {"type": "value", "min": 0, "max": horizon, "name": "day", "nameLocation": "middle",
            "nameGap": 26}


def _line(name: str, days, values, colour: str, dashed: bool = False, width: float = 2.5):
    data = [[int(d), None if v is None or np.isnan(v) else round(float(v), 4)]
            for d, v in zip(days, values, strict=True)]
    return {"name": name, "type": "line", "showSymbol": False, "data": data,
            "lineStyle": {"color": colour, "width": width, "type": "dashed" if dashed else "solid"},
            "itemStyle": {"color": colour}}


def retention(sides: list[Side], horizon: int) -> dict:
    """Retention rate to date (solid) and survival of the day-0 cohort (dashed), per strategy."""
    series = []
    for side, colour in zip(sides, SIDE_COLOURS, strict=False):
        days = range(len(side.history.retention))
        series.append(_line(f"{side.short}: retention", days, side.history.retention, colour))
        series.append(_line(f"{side.short}: day-0 kept", days, side.history.survival,
                            colour, dashed=True, width=1.5))
    return _chart("Retention", "solid: retention rate to date; dashed: day-0 customers kept",
                  xAxis=_days_axis(horizon),
                  yAxis={"type": "value", "min": 0, "max": 1.1, "interval": 0.25}, series=series)


def nps(sides: list[Side], horizon: int) -> dict:
    """Net promoter score of the journeys rated in the last 30 days."""
    series = []
    for side, colour in zip(sides, SIDE_COLOURS, strict=False):
        score = side.history.nps(NPS_WINDOW_DAYS)
        series.append(_line(side.label, range(len(score)), score, colour))
    return _chart("Net promoter score", f"journeys rated in the last {NPS_WINDOW_DAYS} days: "
                  "% promoters − % detractors", xAxis=_days_axis(horizon),
                  yAxis={"type": "value", "min": -100, "max": 100, "interval": 50},
                  series=series)


def word_of_mouth(sides: list[Side], horizon: int) -> dict:
    """Contacts told a bad and a good story per day (7-day mean), per strategy.

    Coloured by strategy like every other chart; bad stories solid, good ones dashed, and the
    two marked by different symbols in the legend.
    """
    series = []
    for side, colour in zip(sides, SIDE_COLOURS, strict=False):
        told = pd.DataFrame(np.array(side.history.wom, dtype=float).reshape(-1, 2))
        # Trailing mean over the days simulated so far (fewer than 7 at the start).
        mean = told.rolling(WOM_WINDOW_DAYS, min_periods=1).mean().to_numpy()
        days = range(len(told))
        bad = _line(f"{side.short}: bad stories", days, mean[:, 1], colour, width=3)
        good = _line(f"{side.short}: good stories", days, mean[:, 0], colour, dashed=True,
                     width=2)
        series += [{**bad, "symbol": "triangle"}, {**good, "symbol": "circle"}]
    return _chart("Word of mouth", f"contacts told a story per day ({WOM_WINDOW_DAYS}-day mean); "
                  "solid: bad stories, dashed: good ones", xAxis=_days_axis(horizon),
                  yAxis={"type": "value", "min": 0}, series=series)


def _bars(name: str, values, colour: str) -> dict:
    data = [None if v is None or np.isnan(v) else round(float(v), 3) for v in values]
    return {"name": name, "type": "bar", "data": data, "itemStyle": {"color": colour}}


def funnel(sides: list[Side]) -> dict:
    """Journeys that reached each phase so far, per strategy (awareness on top)."""
    phases = [p.label for p in JOURNEY][::-1]
    series = [_bars(side.label, side.funnel()[::-1], colour)
              for side, colour in zip(sides, SIDE_COLOURS, strict=False)]
    option = _chart("Funnel", "journeys that reached each phase so far",
                    xAxis={"type": "value", "min": 0}, yAxis={"type": "category", "data": phases},
                    series=series)
    option["grid"]["left"] = 100
    option["tooltip"]["axisPointer"] = {"type": "shadow"}
    return option


def channel_mix(sides: list[Side]) -> dict:
    """Share of touchpoints in each channel so far, per strategy (%)."""
    names = [c.label for c in Channel]
    series = []
    for side, colour in zip(sides, SIDE_COLOURS, strict=False):
        mix = side.channel_mix().astype(float)
        total = mix.sum()
        series.append(_bars(side.label, 100 * mix / total if total else mix * np.nan, colour))
    return _chart("Channel mix", "share of touchpoints in each channel so far (%)",
                  xAxis={"type": "category", "data": names, "axisLabel": {"interval": 0}},
                  yAxis={"type": "value", "min": 0}, series=series)


def waits(sides: list[Side]) -> dict:
    """Mean wait at each staffed desk over the last 7 days (minutes), per strategy."""
    desks = [Channel.PHONE, Channel.MESSAGING, Channel.STORE]
    series = []
    for side, colour in zip(sides, SIDE_COLOURS, strict=False):
        h = side.history
        back = max(len(h.wait_sum) - 1 - WAIT_WINDOW_DAYS, 0)
        minutes = h.wait_sum[-1] - h.wait_sum[back]
        contacts = h.wait_count[-1] - h.wait_count[back]
        offered = set(side.desks())
        series.append(_bars(side.label, [minutes[d] / contacts[d] if d in offered and contacts[d]
                                         else np.nan for d in desks], colour))
    return _chart("Waits at the service desks", f"mean minutes waited, last {WAIT_WINDOW_DAYS} "
                  "days (no bar: desk not offered or no contacts)",
                  xAxis={"type": "category", "data": [d.label for d in desks]},
                  yAxis={"type": "value", "min": 0, "name": "minutes"}, series=series)
