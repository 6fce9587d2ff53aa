"""The social network word of mouth travels on, stored as CSR neighbour arrays.

Small-world and random networks are generated directly as numpy edge arrays, so a million
people need no networkx graph; scale-free networks and edge-list files go through networkx.
Both engines build the network with the same function, hence the same network for a seed.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from sim.rules.jit import kernel
from sim.scenario.edge_list import read_edge_list
from sim.scenario.schema import Network


def build_csr(spec: Network, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Neighbour arrays of the scenario's network, as (indptr, neighbours).

    Person i's contacts are ``neighbours[indptr[i]:indptr[i + 1]]``, sorted.
    small_world: Watts–Strogatz ring where each person knows the `mean_degree` nearest, each
    edge rewired to a random person with probability `rewiring`; random: Erdős–Rényi with
    p = mean_degree/(n−1); complete: everyone linked to everyone (fully mixed, no draws);
    scale_free: Barabási–Albert with mean degree ≈ `mean_degree`;
    edge_list: read from `path` (two node ids per line).
    """
    k = min(spec.mean_degree, n - 1)
    if spec.kind == "small_world":
        edges = small_world_edges(n, max(k, 2), spec.rewiring, rng)
    elif spec.kind == "random":
        edges = random_edges(n, k, rng)
    elif spec.kind == "complete":
        edges = np.column_stack(np.triu_indices(n, 1))  # draws nothing
    else:
        graph = (nx.barabasi_albert_graph(n, max(1, k // 2), seed=int(rng.integers(2**31 - 1)))
                 if spec.kind == "scale_free" else read_edge_list(spec.path, n))
        edges = np.array(graph.edges, dtype=np.int64).reshape(-1, 2)
    return edges_to_csr(edges, n)


def small_world_edges(n: int, k: int, rewiring: float, rng: np.random.Generator) -> np.ndarray:
    """Watts–Strogatz edges: a ring lattice, far ends rewired with probability `rewiring`.

    Each person links to the k/2 next on the ring; self-loops and repeated edges produced by
    rewiring are dropped (about 0.1 per thousand edges at 10,000 people).
    """
    source = np.repeat(np.arange(n), k // 2)
    target = (source + np.tile(np.arange(1, k // 2 + 1), n)) % n
    rewire = rng.random(len(target)) < rewiring
    target[rewire] = rng.integers(0, n, int(rewire.sum()))
    return np.column_stack([source, target])


def random_edges(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """Erdős–Rényi G(n, p), p = k/(n−1).

    Up to a few million pairs, each pair is drawn (exact); beyond, a Binomial number of distinct
    random pairs, which is the same distribution and needs no n² memory.
    """
    pairs, p = n * (n - 1) // 2, k / max(n - 1, 1)
    if pairs <= 4_000_000:
        a, b = np.triu_indices(n, 1)
        keep = rng.random(len(a)) < p
        return np.column_stack([a[keep], b[keep]])
    m = rng.binomial(pairs, p)
    a = rng.integers(0, n, int(m * 1.05) + 10)
    b = rng.integers(0, n, len(a))
    edges = np.unique(np.sort(np.column_stack([a, b])[a != b], axis=1), axis=0)
    return rng.permutation(edges)[:m]  # sparse: 5% extra draws cover the repeats


def edges_to_csr(edges: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Undirected, simple CSR arrays from an (m, 2) edge array (loops and repeats removed)."""
    return _csr(np.ascontiguousarray(edges, dtype=np.int64), n)


@kernel
def _csr(edges, n):
    # Both directions of every edge, grouped by person (a counting sort), then each person's
    # contacts sorted and repeats dropped: linear in the edges, where np.unique sorts them all.
    start = np.zeros(n + 1, dtype=np.int64)
    for a, b in edges:
        if a != b:
            start[a + 1] += 1
            start[b + 1] += 1
    start = np.cumsum(start)
    contacts, free = np.empty(start[-1], dtype=np.int64), start[:-1].copy()
    for a, b in edges:
        if a != b:
            contacts[free[a]], contacts[free[b]] = b, a
            free[a] += 1
            free[b] += 1
    indptr, kept = np.zeros(n + 1, dtype=np.int64), 0
    for i in range(n):
        row = np.sort(contacts[start[i]:start[i + 1]])
        for k in range(len(row)):
            if k == 0 or row[k] != row[k - 1]:
                contacts[kept] = row[k]
                kept += 1
        indptr[i + 1] = kept
    return indptr, contacts[:kept].copy()


def to_graph(indptr: np.ndarray, neighbours: np.ndarray) -> nx.Graph:
    """A networkx graph of CSR arrays (for drawing and analysis)."""
    n = len(indptr) - 1
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    source = np.repeat(np.arange(n), np.diff(indptr))
    keep = source < neighbours
    graph.add_edges_from(zip(source[keep].tolist(), neighbours[keep].tolist(), strict=True))
    return graph
