"""`python run.py validate-model`: rerun the three comparisons, write figures and tables.

The folder (default `results/validation-<timestamp>/`) is written atomically, like a run's:
`figures/{bass,cascade,erlang}.png`, `tables/*.csv` and `*.md`, `summary.md` and
`manifest.json`. docs/validation.md shows the same figures and tables.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.outputs.report import markdown_table
from sim.runs import provenance
from sim.runs.staging import Reservation, path_of, staged
from sim.validation import bass, cascade, erlang, figures

ENGINES = ("vectorized", "agents")
CASCADE_KT = (0.5, 0.8, 1.2, 1.5, 2.0, 2.5, 3.0)
ERLANG_LOADS = (0.5, 0.6, 0.7, 0.8, 0.85)  # at the 10-agent, 10-minute desk


@dataclass(frozen=True)
class Sizes:
    """How big each comparison is; `QUICK` is a smoke test whose tolerances are loose."""

    bass_people: int | None = None  # None: the scenario's 1,000
    cascade_people: int | None = None  # None: the scenario's 3,000
    cascade_kt: tuple[float, ...] = CASCADE_KT
    contacts: int = erlang.CONTACTS
    loads: tuple[float, ...] = ERLANG_LOADS


FULL = Sizes()
QUICK = Sizes(bass_people=200, cascade_people=600, cascade_kt=(0.8, 2.0), contacts=4000,
              loads=(0.5, 0.8))


def bass_tables(runs: int, size: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(every day's comparison, one summary row per pair and engine)."""
    curves = pd.concat([bass.simulate(p, q, runs, engine, size=size,
                                      horizon_units=bass.HORIZON_UNITS[p, q])
                        for p, q in bass.PAIRS for engine in ENGINES], ignore_index=True)
    n = size or bass.limit_scenario(*bass.PAIRS[0]).population.size
    curves["error"] = curves.simulated - curves.exact_mean
    rows = []
    for (p, q, engine), g in curves.groupby(["p", "q", "engine"], sort=False):
        # The day of the largest gap in standard errors of a mean of `runs` correct runs.
        z = g.error / np.maximum(g.exact_sd / np.sqrt(runs), 1e-12)
        worst = g.iloc[int(np.argmax(z.abs().to_numpy()))]
        rows.append({"p": p, "q": q, "engine": engine, "runs": runs, "people": n,
                     "days": len(g), "max_gap_closed_form": _largest(g.simulated - g.closed_form),
                     "discrete_days_part": _largest(g.mean_field - g.closed_form),
                     "finite_n_part": _largest(g.exact_mean - g.mean_field),
                     "max_gap_exact": _largest(g.error), "worst_t": worst.t,
                     "gap_there": worst.error, "z_there": z.loc[worst.name],
                     "band_there": worst.band_high - worst.exact_mean if worst.error >= 0
                     else worst.band_low - worst.exact_mean,
                     "sd_over_exact": _spread(g), "all_within": bool(g.within.all())})
    return curves, pd.DataFrame(rows)


def _largest(values: pd.Series) -> float:
    """The value of largest magnitude, with its sign."""
    return float(values.iloc[int(np.argmax(values.abs().to_numpy()))])


def _spread(g: pd.DataFrame) -> float:
    # Run-to-run SD over the exact chain's, where F is nearest 1/2 (NaN with one run).
    mid = g.iloc[(g.exact_mean - 0.5).abs().argmin()]
    return float(mid.sd / mid.exact_sd)


def cascade_tables(runs: int, sizes: Sizes = FULL) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per run, one summary row per ⟨k⟩T and engine)."""
    every = pd.concat([cascade.simulate(kt, runs, engine, sizes.cascade_people)
                       for kt in sizes.cascade_kt for engine in ENGINES], ignore_index=True)
    return every, cascade.summary(every)


def erlang_tables(sizes: Sizes = FULL) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(a load sweep at one desk size, the reference desks), both desk kinds."""
    agents, handle = 10, 10.0
    loads = erlang.table(desks=[(r * agents / handle, handle, agents) for r in sizes.loads],
                         contacts=sizes.contacts)
    return loads, erlang.table(contacts=sizes.contacts)


def write(folder: Path | Reservation, runs: int, command: list[str],
          sizes: Sizes = FULL) -> Path:
    """Run every comparison and write the folder atomically; return it."""
    started = time.perf_counter()
    curves, bass_summary = bass_tables(runs, sizes.bass_people)
    cascades, cascade_summary = cascade_tables(runs, sizes)
    loads, desks = erlang_tables(sizes)
    tables = {"bass_curves": curves, "bass": bass_summary, "cascade_runs": cascades,
              "cascade": cascade_summary, "erlang_loads": loads, "erlang": desks}
    with staged(folder) as staging:
        (staging / "figures").mkdir()
        (staging / "tables").mkdir()
        figures.bass_figure(curves, staging / "figures" / "bass.png")
        figures.cascade_figure(cascades, staging / "figures" / "cascade.png")
        figures.erlang_figure(loads, staging / "figures" / "erlang.png")
        for name, frame in tables.items():
            frame.to_csv(staging / "tables" / f"{name}.csv", index=False)
            if name in ("bass", "cascade", "erlang_loads", "erlang"):
                (staging / "tables" / f"{name}.md").write_text(markdown(frame) + "\n")
        (staging / "summary.md").write_text(summary_text(tables))
        info = {"command": command, "created": provenance.timestamp(), "runs_per_point": runs,
                "sizes": asdict(sizes),
                "seconds": round(time.perf_counter() - started, 1),
                "environment": provenance.environment()}
        (staging / "manifest.json").write_text(json.dumps(info, indent=2) + "\n")
    return path_of(folder)


def markdown(frame: pd.DataFrame) -> str:
    """A pipe table of `frame`, numbers to 4 significant digits."""
    def cell(v) -> str:
        if isinstance(v, float):
            return "–" if not np.isfinite(v) else f"{v:.4g}"  # e.g. no branching mean above 1
        return str(v)

    rows = ([cell(v) for v in row] for row in frame.itertuples(False))
    return "\n".join(markdown_table(frame.columns, rows))


def summary_text(tables: dict[str, pd.DataFrame]) -> str:
    """summary.md: each comparison's verdict, figure and table."""
    parts = ["# cxsim validation against closed forms\n",
             "See docs/validation.md for what each comparison sets up and why the tolerances "
             "are what they are.\n"]
    for title, name, figure in (("Bass diffusion", "bass", "bass"),
                                ("One-shot cascade on Erdős–Rényi", "cascade", "cascade"),
                                ("Erlang C desks", "erlang", "erlang")):
        frame = tables[name]
        ok = bool(frame[[c for c in frame.columns if c in ("all_within", "within")][0]].all())
        parts += [f"## {title}: {'all within tolerance' if ok else 'OUTSIDE TOLERANCE'}\n",
                  f"![{title}](figures/{figure}.png)\n", markdown(frame) + "\n"]
    return "\n".join(parts)
