"""Which candidates meet the constraints, which of them no other beats, and which to recommend.

A candidate is feasible when the mean of every constrained KPI over its seeds lies within its
bound. Among the feasible ones, candidate a dominates b when a is at least as good on every
objective and better on one (means over the same seeds); the Pareto front is the feasible
candidates no other feasible candidate dominates. With one objective the front is the best
candidate. The recommendation is the front's best point on the first objective (the file
lists the objective that matters most first); the rest of the front shows what giving up some
of it buys on the others.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.experiments.optimisation import Bound, Objective


def dominated(scores: np.ndarray) -> np.ndarray:
    """Whether each row is dominated by another row (higher is better in every column)."""
    scores = np.asarray(scores, dtype=float)
    out = np.zeros(len(scores), dtype=bool)
    for i, row in enumerate(scores):
        as_good = (scores >= row).all(axis=1)
        better = (scores > row).any(axis=1)
        out[i] = bool((as_good & better).any())
    return out


def feasible(table: pd.DataFrame, constraints: dict[str, Bound]) -> pd.Series:
    """Whether each candidate's constrained KPI means all lie within their bounds."""
    ok = pd.Series(True, index=table.index)
    for kpi, bound in constraints.items():
        ok &= table[kpi].map(lambda mean, b=bound: b.violation(mean) <= 0)
    return ok


def scores(table: pd.DataFrame, objectives: list[Objective]) -> np.ndarray:
    """Objective means as 'higher is better' scores (minimised objectives negated)."""
    return np.column_stack([o.sign * table[o.kpi].to_numpy(dtype=float) for o in objectives])


def on_front(table: pd.DataFrame, objectives: list[Objective], levers: list[str]) -> pd.Series:
    """Feasible, measured candidates that no other feasible candidate dominates.

    A candidate proposed twice (the same lever values, so the same runs) appears once, under
    its first number. `table` needs a boolean `feasible` column and the objectives' means.
    """
    candidates = table[table["feasible"]]
    candidates = candidates[np.isfinite(scores(candidates, objectives)).all(axis=1)]
    candidates = candidates.drop_duplicates(subset=levers)
    best = ~dominated(scores(candidates, objectives))
    return table.index.isin(candidates.index[best])


def ranked(front: pd.DataFrame, objectives: list[Objective]) -> pd.DataFrame:
    """Front points best first on the first objective, then the next (ties: lower number)."""
    keys = [f"_score{i}" for i in range(len(objectives))]
    scored = front.assign(**dict(zip(keys, scores(front, objectives).T, strict=True)))
    order = scored.sort_values([*keys, "candidate"], ascending=[False] * len(keys) + [True],
                               kind="stable")
    return order.drop(columns=keys)
