"""Where each customer sits in the network picture: a fixed layout, computed once per network.

A small-world network is a ring of acquaintances with a few long-range ties (Watts–Strogatz):
person i's contacts are mostly i ± 1..k/2. Laying the ring out as a spiral keeps those contacts
side by side, so a story that travels from neighbour to neighbour is seen moving along the
coil, and a long tie is seen as a jump. Other networks have no ring order; they get a spring
layout with few iterations, cached because it costs about a second at 1,000 people.
"""

from __future__ import annotations

import hashlib

import numpy as np

COILS_PER_ROOT_PERSON = 0.35  # 11 coils at 1,000 people: dots closer along a coil than across


def spiral_layout(n: int) -> np.ndarray:
    """(n, 2) positions in [−1, 1]² along an Archimedean spiral, evenly spaced by arc length.

    Consecutive people (ring neighbours) are adjacent on the coil.
    """
    turns = max(3.0, COILS_PER_ROOT_PERSON * np.sqrt(n))
    # Arc length of r = a·θ grows like θ², so equal arc steps need θ ∝ √(fraction).
    inner = 0.15  # keep the centre clear: the first coil would be too tight to read
    fraction = inner**2 + (1 - inner**2) * (np.arange(n) + 0.5) / n
    radius = np.sqrt(fraction)
    angle = 2 * np.pi * turns * radius
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def spring_layout(indptr: np.ndarray, neighbours: np.ndarray, seed: int = 0) -> np.ndarray:
    """(n, 2) positions of a force-directed layout (networkx, 40 iterations), scaled to [−1, 1]²."""
    import networkx as nx

    from sim.world.network import to_graph

    graph = to_graph(indptr, neighbours)
    pos = nx.spring_layout(graph, iterations=40, seed=seed)
    xy = np.array([pos[i] for i in range(len(indptr) - 1)])
    xy -= xy.mean(axis=0)
    return xy / max(np.abs(xy).max(), 1e-9)


def layout_for(kind: str, indptr: np.ndarray, neighbours: np.ndarray) -> np.ndarray:
    """The layout of a network of `kind` ('small_world', 'random', ...), cached by its edges."""
    key = hashlib.sha1(indptr.tobytes() + neighbours.tobytes()).hexdigest()
    return _cached(kind, key, indptr, neighbours)


def edge_segments(indptr: np.ndarray, neighbours: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """(m, 2, 2) line segments, one per undirected edge, for a LineCollection."""
    source = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    keep = source < neighbours
    return np.stack([xy[source[keep]], xy[neighbours[keep]]], axis=1)


_CACHE: dict[str, np.ndarray] = {}


def _cached(kind: str, key: str, indptr: np.ndarray, neighbours: np.ndarray) -> np.ndarray:
    if key not in _CACHE:
        if len(_CACHE) >= 16:  # a classroom resets a few networks; keep memory bounded
            _CACHE.pop(next(iter(_CACHE)))
        n = len(indptr) - 1
        _CACHE[key] = spiral_layout(n) if kind == "small_world" else spring_layout(
            indptr, neighbours)
    return _CACHE[key]
