"""The social network: every kind builds on the population with the requested mean degree."""

import networkx as nx
import numpy as np
import pytest

from sim.network import build_network, to_csr
from sim.scenario import Network


@pytest.mark.parametrize("kind", ["small_world", "scale_free", "random"])
def test_every_kind_has_about_the_requested_mean_degree(kind):
    graph = build_network(Network(kind=kind, mean_degree=10), 2000, seed=1)
    assert graph.number_of_nodes() == 2000
    mean_degree = 2 * graph.number_of_edges() / 2000
    assert mean_degree == pytest.approx(10, rel=0.1)


def test_scale_free_has_hubs_and_small_world_does_not():
    hubs = build_network(Network(kind="scale_free", mean_degree=10), 2000, seed=1)
    ring = build_network(Network(kind="small_world", mean_degree=10), 2000, seed=1)
    assert max(d for _, d in hubs.degree) > 5 * max(d for _, d in ring.degree) / 2


def test_same_seed_same_network():
    spec = Network(kind="small_world", mean_degree=6, rewiring=0.3)
    assert nx.utils.graphs_equal(build_network(spec, 500, 3), build_network(spec, 500, 3))


def test_edge_list_file_is_read_and_missing_people_are_isolated(tmp_path):
    path = tmp_path / "edges.txt"
    path.write_text("0 1\n1 2\n2 0\n")
    graph = build_network(Network(kind="edge_list", path=path), 5, seed=0)
    assert graph.number_of_nodes() == 5 and graph.number_of_edges() == 3
    assert graph.degree[4] == 0


def test_csr_arrays_list_each_persons_neighbours():
    graph = nx.Graph([(0, 1), (0, 2), (2, 3)])
    indptr, neighbours = to_csr(graph, 4)
    assert list(neighbours[indptr[0]:indptr[1]]) == [1, 2]
    assert list(neighbours[indptr[3]:indptr[4]]) == [2]
    assert np.array_equal(np.diff(indptr), [2, 1, 2, 1])
