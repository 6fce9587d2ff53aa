"""The vectorized engine: the same rules as the Mesa agents, applied to arrays of everyone."""

from sim.engines.vectorized.model import VectorizedModel

__all__ = ["VectorizedModel"]
