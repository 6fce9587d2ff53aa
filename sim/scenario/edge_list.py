"""Edge-list files (`network.kind: edge_list`): read at the door, so a bad file is refused early."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from sim.scenario.errors import ScenarioError


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
