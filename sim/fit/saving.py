"""What a fit writes: the fitted scenario, the report, tables, figures and a manifest.

The folder appears whole or not at all (`sim.runs.staging.staged`). `fitted.yaml` holds nothing
that changes between two runs of the same command (no times), so the same data, options and
seed give the same file byte for byte.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import yaml

from sim.fit.figures import write_figures
from sim.fit.fitting import BgNbdForecast, Comparison, ModelFit, RealData
from sim.fit.report import fit_markdown
from sim.runs import provenance
from sim.runs.staging import Reservation, staged


def fitted_yaml(real: RealData, model: ModelFit) -> str:
    """The fitted cohort scenario as a complete scenario file, with a header saying how."""
    values = ", ".join(f"{k} = {v:.6g}" for k, v in model.best.values.items())
    header = (f"# Fitted by `run.py fit` to {real.source.name} (calibration weeks 1-"
              f"{real.window.calibration_weeks}): {values}; industry.basket_value matched to "
              "the mean spend.\n"
              "# A closed cohort: everyone a customer on day 0, nobody new won; first purchases "
              "on days drawn\n# from the real entry days (population.entry_weights), in "
              "`run.py run` as in the fit.\n")
    body = yaml.safe_dump(model.scenario.model_dump(mode="json"), sort_keys=False,
                          allow_unicode=True)
    return header + body


def tables(real: RealData, model: ModelFit, comp: Comparison) -> dict[str, pd.DataFrame]:
    """The tables written as CSV, by file stem."""
    statistics = pd.concat([real.statistics.scalars().rename("actual"),
                            model.statistics.scalars().rename("cxsim")], axis=1)
    candidates = pd.DataFrame([{"candidate": c.number, **c.values, "distance": c.distance,
                                **{f"miss_{k}": v for k, v in c.misses.items()}}
                               for c in model.search.candidates])
    return {"statistics": statistics.reset_index(), "tracking": comp.tracking.reset_index(),
            "holdout": comp.scores.reset_index(),
            "conditional_expectation": comp.conditional.reset_index(),
            "candidates": candidates, "customers": real.statistics.summary.reset_index()}


def manifest(real: RealData, forecast: BgNbdForecast, model: ModelFit, comp: Comparison,
             options: dict, seconds: float, command: list[str]) -> dict:
    """The command, the input's checksum, the options, seeds, results and environment."""
    return {"command": command, "created": provenance.timestamp(),
            "transactions": {"file": str(real.source), "sha256": _sha256(real.source),
                             "records": real.records, "start": str(real.start.date())},
            "window": {"calibration_weeks": real.window.calibration_weeks,
                       "holdout_weeks": real.window.holdout_weeks},
            "options": options,
            "seeds": {"master": model.search.scenario.seed,
                      "replication_seeds": model.search.seeds},
            "fitted": model.best.values, "distance": model.best.distance,
            "candidates": len(model.search.candidates), "optimiser": model.message,
            "bgnbd": forecast.model.parameters(),
            "holdout": comp.scores.reset_index().to_dict(orient="records"),
            "seconds": {"bgnbd": round(forecast.seconds, 2), "search": round(model.seconds, 2),
                        "total": round(seconds, 2)},
            "environment": provenance.environment()}


def save(folder: Path | Reservation, real: RealData, forecast: BgNbdForecast, model: ModelFit,
         comp: Comparison, options: dict, seconds: float, command: list[str]) -> Path:
    """Write every output of a fit into `folder` atomically; return it."""
    with staged(folder) as staging:
        (staging / "fitted.yaml").write_text(fitted_yaml(real, model), encoding="utf-8")
        (staging / "tables").mkdir()
        for name, frame in tables(real, model, comp).items():
            frame.to_csv(staging / "tables" / f"{name}.csv", index=False)
        write_figures(comp.tracking, comp.conditional, real.statistics, model.statistics,
                      staging / "figures")
        (staging / "fit.md").write_text(
            fit_markdown(real, forecast, model, comp, options["seeds"], options["customers"]),
            encoding="utf-8")
        info = manifest(real, forecast, model, comp, options, seconds, command)
        (staging / "manifest.json").write_text(json.dumps(info, indent=2, default=float) + "\n")
    return folder


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
