"""Validation against closed forms (docs/validation.md; Rand & Rust 2011).

Each module puts the model's own code in a limit where a closed form holds and compares:
`bass` (Bass diffusion in a fully mixed market, compared with the exact finite-population chain
of `bass_chain`), `cascade` (final size of a one-shot cascade on
an Erdős–Rényi network), `erlang` (the M/M/c service desk). `report` writes the figures and
tables of `python run.py validate-model`; tests/validation/ asserts the same comparisons.
"""

from pathlib import Path

LIMIT_SCENARIOS = Path(__file__).resolve().parents[2] / "tests" / "validation" / "scenarios"
