"""The network picture: every customer a dot at a fixed place, coloured by what they are doing.

Drawing 1,000 dots and 5,000 ties with matplotlib every day would take most of the 300 ms a day
may cost, so the ties are drawn once per network (cached) and the dots are stamped onto a
copy of that image with numpy; a day's picture then costs a few milliseconds.
"""

from __future__ import annotations

import functools
import io

import numpy as np
from PIL import Image

from sim.dashboard.layout import edge_segments, layout_for
from sim.rules.journey import Phase
from sim.rules.loyalty import Status

PIXELS = 520  # side of the square picture
STORY_MEMORY_DAYS = 21  # a story heard fades from the picture over three weeks
MODES = ("word of mouth", "attitude", "status", "journey phase")

_GREY = (214, 214, 214)  # light enough for red and green to stand out on a projector
STORY_COLOURS = {1: (26, 152, 80), -1: (215, 48, 39)}  # good: green, bad: red
STATUS_COLOURS = {Status.PROSPECT: (205, 205, 205), Status.CUSTOMER: (49, 130, 189),
                  Status.CHURNED: (90, 30, 30)}
PHASE_COLOURS = {  # idle grey, then the journey from cool (finding) to warm (buying, using)
    Phase.IDLE: _GREY, Phase.AWARENESS: (198, 219, 239), Phase.DISCOVERY: (107, 174, 214),
    Phase.INTEREST: (33, 113, 181), Phase.CONSIDERATION: (106, 81, 163),
    Phase.ACTION: (230, 85, 13), Phase.USE: (253, 174, 107), Phase.ENGAGEMENT: (49, 163, 84)}


def legend(mode: str) -> list[tuple[str, tuple[int, int, int]]]:
    """(label, colour) pairs that explain the colours of `mode`."""
    if mode == "word of mouth":
        return [("heard a bad story", STORY_COLOURS[-1]), ("heard a good story", STORY_COLOURS[1]),
                (f"nothing in {STORY_MEMORY_DAYS} days (fading)", _GREY)]
    if mode == "attitude":
        return [("hostile (−1)", _attitude(np.array([-1.0]))[0]),
                ("neutral", _attitude(np.array([0.0]))[0]),
                ("devoted (+1)", _attitude(np.array([1.0]))[0])]
    if mode == "status":
        return [(s.name.lower(), STATUS_COLOURS[s]) for s in Status]
    return [(p.label, PHASE_COLOURS[p]) for p in Phase]


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


def _stories(story: np.ndarray, story_day: np.ndarray, day: int) -> np.ndarray:
    age = day - story_day
    fresh = (story != 0) & (story_day >= 0) & (age <= STORY_MEMORY_DAYS)
    # Yesterday's story at full colour, fading linearly to grey over STORY_MEMORY_DAYS.
    weight = np.where(fresh, 1.0 - np.clip(age - 1, 0, None) / (STORY_MEMORY_DAYS + 1), 0.0)
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


def draw(kind: str, indptr: np.ndarray, neighbours: np.ndarray, rgb: np.ndarray) -> bytes:
    """PNG of the network (ties in light grey, people as dots coloured `rgb`)."""
    xy = layout_for(kind, indptr, neighbours)
    image = _background(kind, indptr.tobytes(), neighbours.tobytes()).copy()
    px = _to_pixels(xy)
    dy, dx = _disc(_radius(len(xy)))
    rows = np.clip(px[:, 1, None] + dy, 0, PIXELS - 1)
    cols = np.clip(px[:, 0, None] + dx, 0, PIXELS - 1)
    image[rows, cols] = rgb[:, None, :]
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _to_pixels(xy: np.ndarray) -> np.ndarray:
    margin = 8
    scaled = (xy + 1) / 2 * (PIXELS - 2 * margin) + margin
    scaled[:, 1] = PIXELS - scaled[:, 1]  # image rows grow downwards
    return np.round(scaled).astype(int)


def _radius(n: int) -> float:
    # About 5 pixels at 1,000 people: dots stay apart along the coil and show on a projector.
    return float(np.clip(4.8 * np.sqrt(1000 / max(n, 1)), 2.0, 7.0))


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
