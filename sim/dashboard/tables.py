"""The page's numbers: headline counters per strategy, and the levers each strategy runs with.

Mesa's sliders do not print their values, and a class wants to read them from the back row, so
the levers table shows what each strategy on the page actually runs with (after Reset).
"""

from __future__ import annotations

import html

import numpy as np
import solara
from mesa.visualization.utils import update_counter

from sim.dashboard import charts, controls
from sim.dashboard.model import DashboardModel, Side
from sim.engines import daily
from sim.rules.channels import Channel

CELL = "padding:3px 10px;text-align:right;white-space:nowrap"


def _row(name: str, values: list[str]) -> str:
    cells = "".join(f"<td style='{CELL}'>{v}</td>" for v in values)
    return f"<tr><td style='padding:3px 10px 3px 0'>{html.escape(name)}</td>{cells}</tr>"


def _table(sides: list[Side], rows: list[tuple[str, list[str]]], css: str) -> str:
    head = "".join(f"<th style='{CELL};color:{c}'>{html.escape(s.label)}</th>"
                   for s, c in zip(sides, charts.SIDE_COLOURS, strict=False))
    body = "".join(_row(name, values) for name, values in rows)
    return (f"<table class='{css}' style='font-size:15px;margin:6px 0;border-collapse:collapse'>"
            f"<tr><th></th>{head}</tr>{body}</table>")


def figures(side: Side) -> list[tuple[str, str]]:
    """The headline counters of one strategy, as (name, formatted value)."""
    m, h = side.model, side.history
    score = h.nps(charts.NPS_WINDOW_DAYS)[-1]
    nps = "–" if np.isnan(score) else f"{score:+.0f}"
    told = m.tally.wom_reach  # contacts told [a good, a bad] story so far
    return [
        ("customers on day 0", f"{m.initial_customers:,}"),
        (f"customers on day {m.day}", f"{daily.customers(m):,}"),
        ("retention rate to date", f"{h.retention[-1]:.0%}"),
        ("day-0 customers kept", f"{h.survival[-1]:.0%}"),
        ("customers lost so far", f"{m.tally.total('defections'):,}"),
        (f"NPS, last {charts.NPS_WINDOW_DAYS} days", nps),
        ("bad stories told (contacts)", f"{told[1]:,.0f}"),
        ("good stories told (contacts)", f"{told[0]:,.0f}"),
    ]


@solara.component
def Counters(model: DashboardModel):
    """The headline numbers per strategy, so far."""
    update_counter.get()
    if model.problem:
        return
    with model.lock:
        per_side, day = [figures(side) for side in model.sides], model.day
    rows = [(name, [f[i][1] for f in per_side]) for i, (name, _) in enumerate(per_side[0])]
    same = ("B runs on A's people, network and seed; only the strategy differs. A contact "
            "told twice counts twice." if len(model.sides) > 1 else "")
    solara.HTML(tag="div", unsafe_innerHTML=(
        f"<div style='font-size:22px;font-weight:600'>Numbers so far (day {day})</div>"
        f"{_table(model.sides, rows, 'cx-counters')}"
        f"<div style='font-size:13px;color:#444'>{same}</div>"))


def lever_rows(sides: list[Side]) -> list[tuple[str, list[str]]]:
    """(lever, value per strategy) for every strategy lever, then A's archetype mix."""
    rows = [(lever.replace("_", " "), [f"{getattr(s.scenario.strategy, lever):g}" for s in sides])
            for lever in controls.LEVERS]
    offered = [f"{len(s.scenario.strategy.channels)} of {len(Channel)}" for s in sides]
    rows += [("channels offered", offered)]
    rows += [("staff per 1,000 people", [_staff(s) for s in sides])]
    mix = sides[0].scenario.population.archetypes
    shares = " / ".join(f"{mix.get(a, 0.0):g}" for a in controls.ARCHETYPE_NAMES)
    return [*rows, ("archetype mix (P / PD / T / E)", [shares] * len(sides))]


def _staff(side: Side) -> str:
    service = side.scenario.strategy.service
    return f"{sum(desk.staff_per_1000 for desk in service.values()):g}"


@solara.component
def Levers(model: DashboardModel):
    """What each strategy runs with: lever values, channels offered, the archetype mix."""
    update_counter.get()
    if model.problem:
        return
    changes = model.setup.changes
    note = ("A runs its file's levers." if not changes else
            "A differs from its file: " + html.escape(", ".join(changes)) + ".")
    solara.HTML(tag="div", unsafe_innerHTML=(
        "<div style='font-size:22px;font-weight:600'>Strategy levers in use</div>"
        f"{_table(model.sides, lever_rows(model.sides), 'cx-levers')}"
        f"<div style='font-size:13px;color:#444'>{note} Sliders take effect on Reset.</div>"))
