"""The social network: every kind builds on the population with the requested mean degree."""

import networkx as nx
import numpy as np
import pytest

from sim.scenario.schema import Network
from sim.world.network import build_csr, edges_to_csr, to_graph


def network(kind, n=2000, seed=1, **spec):
    indptr, neighbours = build_csr(Network(kind=kind, **spec), n, np.random.default_rng(seed))
    return to_graph(indptr, neighbours)


@pytest.mark.parametrize("kind", ["small_world", "scale_free", "random"])
def test_every_kind_has_about_the_requested_mean_degree(kind):
    graph = network(kind, mean_degree=10)
    assert graph.number_of_nodes() == 2000
    mean_degree = 2 * graph.number_of_edges() / 2000
    assert mean_degree == pytest.approx(10, rel=0.1)


def test_small_world_is_clustered_with_short_paths():
    """Watts & Strogatz (1998): high clustering like a lattice, short paths like a random graph."""
    ring = network("small_world", n=1000, mean_degree=10, rewiring=0.1)
    chance = network("random", n=1000, mean_degree=10)
    assert nx.average_clustering(ring) > 5 * nx.average_clustering(chance)
    assert nx.average_shortest_path_length(ring) < 2 * nx.average_shortest_path_length(chance)


def test_scale_free_has_hubs_and_small_world_does_not():
    hubs, ring = network("scale_free", mean_degree=10), network("small_world", mean_degree=10)
    assert max(d for _, d in hubs.degree) > 5 * max(d for _, d in ring.degree) / 2


def test_random_network_has_poisson_degrees():
    degrees = np.array([d for _, d in network("random", n=5000, mean_degree=8).degree])
    assert degrees.var() == pytest.approx(degrees.mean(), rel=0.15)


def test_same_seed_same_network():
    a = network("small_world", n=500, seed=3, mean_degree=6, rewiring=0.3)
    b = network("small_world", n=500, seed=3, mean_degree=6, rewiring=0.3)
    assert nx.utils.graphs_equal(a, b)


def test_edge_list_file_is_read_and_missing_people_are_isolated(tmp_path):
    path = tmp_path / "edges.txt"
    path.write_text("0 1\n1 2\n2 0\n")
    graph = network("edge_list", n=5, path=path)
    assert graph.number_of_nodes() == 5 and graph.number_of_edges() == 3
    assert graph.degree[4] == 0


def test_csr_arrays_list_each_persons_neighbours():
    indptr, neighbours = edges_to_csr(np.array([[0, 1], [2, 0], [2, 3], [3, 2], [1, 1]]), 4)
    assert list(neighbours[indptr[0]:indptr[1]]) == [1, 2]
    assert list(neighbours[indptr[3]:indptr[4]]) == [2]
    assert np.array_equal(np.diff(indptr), [2, 1, 2, 1])
