"""The social network word of mouth travels on (networkx), stored as CSR neighbour arrays."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np

from sim.errors import ScenarioError
from sim.scenario import Network


def build_network(spec: Network, n: int, seed: int) -> nx.Graph:
    """A graph on nodes 0..n−1 of the kind the scenario asks for.

    small_world: Watts–Strogatz ring with `mean_degree` neighbours, rewired with `rewiring`;
    scale_free: Barabási–Albert with mean degree ≈ `mean_degree`; random: Erdős–Rényi G(n, p)
    with p = mean_degree/(n−1); edge_list: read from `path` (two node ids per line).
    """
    k = min(spec.mean_degree, n - 1)
    if spec.kind == "small_world":
        return nx.watts_strogatz_graph(n, max(k, 2), spec.rewiring, seed=seed)
    if spec.kind == "scale_free":
        return nx.barabasi_albert_graph(n, max(1, k // 2), seed=seed)
    if spec.kind == "random":
        return nx.fast_gnp_random_graph(n, k / max(n - 1, 1), seed=seed)
    return read_edge_list(spec.path, n)


def read_edge_list(path: Path, n: int) -> nx.Graph:
    """An undirected graph from a whitespace-separated edge list with node ids in 0..n−1."""
    try:
        graph = nx.read_edgelist(path, nodetype=int, data=False)
    except (TypeError, ValueError, IndexError) as exc:
        raise ScenarioError(
            f"{path}: network.path: not an edge list of integer node ids ({exc})") from None
    bad = [v for v in graph.nodes if not 0 <= v < n]
    if bad:
        raise ScenarioError(
            f"{path}: network.path: node id {bad[0]} is outside 0..{n - 1} (population.size = {n})")
    graph.add_nodes_from(range(n))
    return graph


def to_csr(graph: nx.Graph, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Neighbours as CSR arrays: node i's neighbours are indices[indptr[i]:indptr[i+1]], sorted."""
    degree = np.zeros(n + 1, dtype=np.int64)
    neighbours = [sorted(graph.adj[i]) for i in range(n)]
    degree[1:] = [len(nb) for nb in neighbours]
    indptr = np.cumsum(degree)
    flat = [v for nb in neighbours for v in nb]
    return indptr, np.asarray(flat, dtype=np.int64)
