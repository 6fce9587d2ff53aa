"""The network picture: every customer a dot at a fixed place, coloured by what they are doing.

Drawing 1,000 dots and 5,000 ties with matplotlib every day would take most of the 300 ms a day
may cost, so the ties are drawn once per network (cached) and the dots are stamped onto a
copy of that image with numpy; a day's picture then costs a few milliseconds.

Word of mouth is drawn so that a wave of stories cannot be missed from the back of a room: the
ties along which stories were told in the last few days are drawn in the story's colour,
fading day by day (the trail), the people who told them get a dark ring, and the people who
heard one are drawn larger than the grey crowd, fading back to grey over three weeks.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from sim.dashboard.layout import edge_segments, layout_for
from sim.rules.journey import Phase
from sim.rules.loyalty import Status

PIXELS = 560  # side of the square picture (shown at 400-550 pixels in the presentation layout)
STORY_MEMORY_DAYS = 21  # a story heard fades from the picture over three weeks
TRAIL_DAYS = 5  # the ties a story travelled along stay drawn for five days, fading
MODES = ("word of mouth", "attitude", "status", "journey phase")

_GREY = (214, 214, 214)  # light enough for red and green to stand out on a projector
STORY_COLOURS = {1: (26, 152, 80), -1: (215, 48, 39)}  # good: green, bad: red
TELLER_RINGS = {1: (0, 68, 27), -1: (103, 0, 13)}  # dark green, dark red: who told a story
HEARD_SCALE, QUIET_SCALE = 1.35, 0.8  # dot sizes of people who heard a story / did not
STATUS_COLOURS = {Status.PROSPECT: (205, 205, 205), Status.CUSTOMER: (49, 130, 189),
                  Status.CHURNED: (90, 30, 30)}
PHASE_COLOURS = {  # idle grey, then the journey from cool (finding) to warm (buying, using)
    Phase.IDLE: _GREY, Phase.AWARENESS: (198, 219, 239), Phase.DISCOVERY: (107, 174, 214),
    Phase.INTEREST: (33, 113, 181), Phase.CONSIDERATION: (106, 81, 163),
    Phase.ACTION: (230, 85, 13), Phase.USE: (253, 174, 107), Phase.ENGAGEMENT: (49, 163, 84)}


@dataclass(frozen=True)
class Telling:
    """One story told: when, by whom, good or bad, to whom (their network neighbours told)."""

    day: int
    teller: int
    valence: int
    listeners: np.ndarray


@dataclass(frozen=True)
class Key:
    """One entry of a picture's legend: a label, a colour, and how it is drawn there."""

    label: str
    colour: tuple[int, int, int]
    mark: str = "dot"  # "dot", "ring" (a teller) or "line" (a trail)


def legend(mode: str) -> list[Key]:
    """The legend entries that explain the picture in colour mode `mode`."""
    if mode == "word of mouth":
        return [Key("heard a bad story", STORY_COLOURS[-1]),
                Key("heard a good story", STORY_COLOURS[1]),
                Key(f"told one (ring; its ties drawn for {TRAIL_DAYS} days)", TELLER_RINGS[-1],
                    "ring"),
                Key("tie a story went along", STORY_COLOURS[-1], "line"),
                Key(f"nothing in {STORY_MEMORY_DAYS} days (fading)", _GREY)]
    if mode == "attitude":
        return [Key(label, _rgb(_attitude(np.array([value]))[0]))
                for label, value in (("hostile (−1)", -1.0), ("neutral", 0.0),
                                     ("devoted (+1)", 1.0))]
    if mode == "status":
        return [Key(s.name.lower(), STATUS_COLOURS[s]) for s in Status]
    return [Key(p.label, PHASE_COLOURS[p]) for p in Phase]


def _rgb(colour) -> tuple[int, int, int]:
    """A colour as plain ints (numpy values would print as `[215  48  39]` in CSS)."""
    return tuple(int(c) for c in colour)


def colours(mode: str, people: dict[str, np.ndarray], day: int) -> np.ndarray:
    """(n, 3) uint8 colours of everyone for colour mode `mode` (one of MODES)."""
    if mode == "word of mouth":
        return _stories(people["story"], people["story_day"], day)
    if mode == "attitude":
        return _attitude(people["attitude"])
    table = STATUS_COLOURS if mode == "status" else PHASE_COLOURS
    codes = people["status" if mode == "status" else "phase"]
    lookup = np.array([table[k] for k in sorted(table)], dtype=np.uint8)
    return lookup[codes]


def _story_weight(story: np.ndarray, story_day: np.ndarray, day: int) -> np.ndarray:
    """1 for a story heard on the last simulated day, fading linearly to 0 over three weeks."""
    age = day - story_day
    fresh = (story != 0) & (story_day >= 0) & (age <= STORY_MEMORY_DAYS)
    return np.where(fresh, 1.0 - np.clip(age - 1, 0, None) / (STORY_MEMORY_DAYS + 1), 0.0)


def _stories(story: np.ndarray, story_day: np.ndarray, day: int) -> np.ndarray:
    weight = _story_weight(story, story_day, day)
    hue = np.where((story > 0)[:, None], STORY_COLOURS[1], STORY_COLOURS[-1])
    mixed = weight[:, None] * hue + (1 - weight[:, None]) * np.array(_GREY)
    return mixed.astype(np.uint8)


def _attitude(attitude: np.ndarray) -> np.ndarray:
    # Red (hostile) through pale yellow to green (devoted), as in ColorBrewer's RdYlGn.
    stops = np.array([[215, 48, 39], [254, 224, 139], [26, 152, 80]], dtype=float)
    t = np.clip((attitude + 1) / 2, 0, 1) * 2
    low = np.minimum(t.astype(int), 1)
    frac = (t - low)[:, None]
    return ((1 - frac) * stops[low] + frac * stops[low + 1]).astype(np.uint8)


def draw(kind: str, indptr: np.ndarray, neighbours: np.ndarray, rgb: np.ndarray,
         sizes: np.ndarray | None = None, tellings: Sequence[Telling] = (),
         day: int = 0) -> bytes:
    """PNG of the network: ties in light grey, story trails, people as dots coloured `rgb`.

    Args:
        kind: The network's kind ('small_world', ...), which picks the layout.
        indptr: CSR row pointers of the network.
        neighbours: CSR neighbour lists of the network.
        rgb: (n, 3) uint8 colour of each person.
        sizes: Each person's dot size relative to the usual one (default 1 for all).
        tellings: Stories told lately; those of the last `TRAIL_DAYS` days before `day` are
            drawn as coloured ties (fading with age) and a ring around their teller.
        day: Days simulated so far (the picture's "today").
    """
    xy = layout_for(kind, indptr, neighbours)
    image = _background(kind, indptr.tobytes(), neighbours.tobytes()).copy()
    px = _to_pixels(xy)
    radius = _radius(len(xy))
    scale = np.ones(len(xy)) if sizes is None else sizes
    quiet = scale < 1
    _stamp(image, px[quiet], radius * QUIET_SCALE, rgb[quiet])  # the crowd, under the trails
    recent = sorted((t for t in tellings if 0 <= day - 1 - t.day < TRAIL_DAYS),
                    key=lambda t: t.day)  # oldest first: the newest story is drawn on top
    if recent:
        canvas = Image.fromarray(image)
        _trails(canvas, px, recent, day)
        image = np.array(canvas)
        rings = np.array([TELLER_RINGS[t.valence] for t in recent], np.uint8)
        tellers = np.array([t.teller for t in recent])
        _stamp(image, px[tellers], radius * HEARD_SCALE + 2.5, rings)
        quiet_tellers = np.unique(tellers[quiet[tellers]])  # their own dot inside the ring
        _stamp(image, px[quiet_tellers], radius * QUIET_SCALE, rgb[quiet_tellers])
    for size in np.unique(scale[~quiet]):
        who = np.flatnonzero(scale == size)
        _stamp(image, px[who], radius * size, rgb[who])
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def sizes_for(mode: str, people: dict[str, np.ndarray], day: int) -> np.ndarray | None:
    """Dot sizes for `mode`: in word of mouth, who heard a story lately stands out."""
    if mode != "word of mouth":
        return None
    heard = _story_weight(people["story"], people["story_day"], day) > 0
    return np.where(heard, HEARD_SCALE, QUIET_SCALE)


def _trails(canvas: Image.Image, px: np.ndarray, tellings: Sequence[Telling], day: int) -> None:
    """The ties each recent story went along, in its colour, fading with its age (oldest first)."""
    pen = ImageDraw.Draw(canvas)
    for t in tellings:
        age = day - 1 - t.day  # 0: told on the last simulated day
        weight = 1.0 - age / TRAIL_DAYS
        colour = tuple(int(round(weight * c + (1 - weight) * g))
                       for c, g in zip(STORY_COLOURS[t.valence], _GREY, strict=True))
        start = tuple(int(v) for v in px[t.teller])
        for listener in t.listeners:
            pen.line([start, tuple(int(v) for v in px[listener])], fill=colour,
                     width=4 if age == 0 else 2)


def _stamp(image: np.ndarray, px: np.ndarray, radius: float, rgb: np.ndarray) -> None:
    """Discs of `radius` pixels at `px`, coloured `rgb` (one colour per disc)."""
    dy, dx = _disc(radius)
    rows = np.clip(px[:, 1, None] + dy, 0, PIXELS - 1)
    cols = np.clip(px[:, 0, None] + dx, 0, PIXELS - 1)
    image[rows, cols] = rgb[:, None, :]


def _to_pixels(xy: np.ndarray) -> np.ndarray:
    margin = 8
    scaled = (xy + 1) / 2 * (PIXELS - 2 * margin) + margin
    scaled[:, 1] = PIXELS - scaled[:, 1]  # image rows grow downwards
    return np.round(scaled).astype(int)


def _radius(n: int) -> float:
    # About 5 pixels at 1,000 people: dots stay apart along the coil and show on a projector.
    return float(np.clip(5.0 * np.sqrt(1000 / max(n, 1)), 2.0, 7.0))


def _disc(radius: float) -> tuple[np.ndarray, np.ndarray]:
    r = int(np.ceil(radius))
    dy, dx = np.mgrid[-r:r + 1, -r:r + 1]
    inside = dy**2 + dx**2 <= radius**2
    return dy[inside], dx[inside]


@functools.lru_cache(maxsize=8)
def _background(kind: str, indptr_bytes: bytes, neighbours_bytes: bytes) -> np.ndarray:
    """The ties, drawn once per network with matplotlib (antialiased), as an RGB array."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    indptr = np.frombuffer(indptr_bytes, dtype=np.int64)
    neighbours = np.frombuffer(neighbours_bytes, dtype=np.int64)
    px = _to_pixels(layout_for(kind, indptr, neighbours)).astype(float)
    fig = Figure(figsize=(PIXELS / 100, PIXELS / 100), dpi=100)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, PIXELS)
    ax.set_ylim(PIXELS, 0)
    ax.add_collection(LineCollection(edge_segments(indptr, neighbours, px), colors="#c4c4c4",
                                     linewidths=0.4, alpha=0.3))
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[:, :, :3].copy()
