"""Running an optimisation into its folder: search (or resume), then write what it found.

Layout of an optimisation folder while it runs (docs/optimisation.md):

    plan.json        what is being searched (its fingerprint is checked by --resume)
    study.journal    optuna's journal: every candidate proposed and every result told
    runs.jsonl       one line per finished run (`sim/experiments/run_cache.py`)
    sessions.jsonl   one line per start or resume: executor, command

and at the end the outputs of `sim/experiments/optimise_report.py`, manifest.json last.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from sim.experiments import figures, optimise_summary
from sim.experiments.front import ranked
from sim.experiments.optimisation import Problem
from sim.experiments.optimise_report import (
    evaluations_table,
    front_table,
    publish,
    stage,
    write_scenarios,
)
from sim.experiments.run_cache import RunCache
from sim.experiments.search import FINISHED, Evaluation, Searcher, sampler_seed
from sim.experiments.store import read_plan_info, write_atomic
from sim.runs import provenance
from sim.runs.executors import Executor
from sim.runs.runner import compile_engine
from sim.scenario.errors import UserError

FORMAT = 1


@dataclass
class OptimisationOutcome:
    """What a session did: its folder, the candidates, runs made now and wall time."""

    folder: Path
    candidates: int
    ran_now: int
    seconds: float
    recommended: int | None


def is_complete(folder: Path) -> bool:
    """Whether the folder holds a finished optimisation (its manifest is written last)."""
    return (Path(folder) / "manifest.json").is_file()


def _claim(folder: Path, problem: Problem, resume: bool) -> None:
    """Make a new search folder with its plan, or check that a resumed one is this search's."""
    if resume:
        info = read_plan_info(folder, "an optimisation")
        if info.get("fingerprint") != problem.fingerprint():
            raise UserError(f"--resume {folder}: this folder was made by a different search "
                            f"('{info.get('optimisation')}', or another file, scenario or "
                            "--set values); resume it with the same file and options")
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # under a file, no permission
        raise UserError(f"{folder}: cannot write there ({exc.strerror})") from None
    info = {"format": FORMAT, "fingerprint": problem.fingerprint(),
            "optimisation": problem.optimisation.name, "created": provenance.timestamp()}
    write_atomic(folder / "plan.json", (json.dumps(info, indent=2) + "\n").encode())


def run_optimisation(problem: Problem, folder: Path, executor: Executor, *,
                     resume: bool = False, progress: bool = True,
                     command: list[str] | None = None, source: str = "") -> OptimisationOutcome:
    """Search (or finish searching) `problem` in `folder`, then write every output.

    Args:
        problem: The validated optimisation (`sim.experiments.loading.load_optimisation`).
        folder: A new (absent or empty) folder, or with `resume` a killed search's folder.
        executor: Where runs execute (`sim.runs.executors.make_executor`).
        resume: Continue the search in `folder` instead of starting one.
        progress: Show a progress bar over candidates.
        command: The command line, for the manifest.
        source: The optimisation file, for the manifest.
    """
    folder = Path(folder)
    _claim(folder, problem, resume)
    started = time.perf_counter()
    with RunCache(folder) as cache:
        searcher = Searcher(problem, folder, executor, cache, progress=progress)
        told = len(searcher.study.get_trials(deepcopy=False, states=FINISHED))
        searcher.session = cache.start_session(executor.describe(), command or [], told)
        compile_engine([problem.base], progress=progress)  # once, before any worker starts
        searcher.run()
        seconds = time.perf_counter() - started
        recommended = write_outputs(folder, problem, searcher, cache, seconds, executor,
                                    command or [], source)
        return OptimisationOutcome(folder, problem.optimisation.candidates, searcher.ran_now,
                                   seconds, recommended)


def write_outputs(folder: Path, problem: Problem, searcher: Searcher, cache: RunCache,
                  seconds: float, executor: Executor, command: list[str],
                  source: str) -> int | None:
    """Tables, scenario files, figure, summary and manifest; return the recommended number."""
    evaluations, baseline = searcher.evaluations(), searcher.baseline()
    table = evaluations_table(evaluations, baseline, problem)
    front = front_table(table, problem)
    best = _recommended(front, evaluations)
    staging = stage(folder)
    table.to_csv(staging / "evaluations.csv", index=False)
    front.to_csv(staging / "front.csv", index=False)
    write_scenarios(staging / "recommended", problem, front, evaluations)
    (staging / "figures").mkdir()
    figures.front_figure(table, problem.optimisation.objectives, problem.optimisation.constraints,
                         best.number if best else None, staging / "figures" / "front.png")
    sessions = cache.sessions()
    text = summary_markdown(problem, table, front, best, baseline, sessions, seconds)
    (staging / "summary.md").write_text(text, encoding="utf-8")
    publish(staging, folder, manifest(problem, front, best, sessions, executor, seconds,
                                      command, source, searcher.seeds))
    return best.number if best else None


def _recommended(front, evaluations: list[Evaluation]) -> Evaluation | None:
    if front.empty:
        return None
    number = front.iloc[0]["candidate"]
    return next(e for e in evaluations if e.number == number)


def summary_markdown(problem: Problem, table, front, best: Evaluation | None,
                     baseline: Evaluation, sessions: list[dict], seconds: float) -> str:
    """summary.md: question, answer, levers, front, figure, how it was found."""
    opt = problem.optimisation
    lines = [f"# Optimisation: {opt.name}", "", *([opt.description, ""] if opt.description
                                                  else []),
             f"**Question.** {optimise_summary.question(problem)}", ""]
    feasible = int(table.iloc[1:]["feasible"].sum())
    lines += [f"{len(table) - 1} candidates were simulated, each on the same {opt.replications} "
              f"seeds as the baseline; {feasible} met every constraint, and {len(front)} of "
              "those form the front: no other candidate that meets the constraints is better on "
              "one objective without being worse on another.", ""]
    if best is None:
        lines += ["**No candidate met every constraint**, so nothing is recommended: loosen a "
                  "bound, or widen the levers' ranges (evaluations.csv shows how close each "
                  "came).", ""]
    else:
        lines += [*optimise_summary.answer(problem, best, baseline), ""]
        near = optimise_summary.within_noise(table, problem, best.number)
        lines += [_noise_sentence(problem, near), ""]
        ends = optimise_summary.at_bounds(problem, best)
        lines += [ends, ""] if ends else []
    lines += ["## Levers", "", *optimise_summary.lever_table(problem, best, baseline), "",
              "## The front", "", "Best first on the first objective; a scenario file for "
              "each point is in `recommended/`.", "",
              *optimise_summary.front_lines(ranked(front, opt.objectives), problem), "",
              "![The front and the baseline](figures/front.png)", "", "## How", "",
              *_how(problem, sessions, seconds)]
    return "\n".join(lines) + "\n"


def _noise_sentence(problem: Problem, near: list[int]) -> str:
    kpi = problem.optimisation.objectives[0].kpi
    if not near:
        return (f"No other candidate that meets the constraints has a mean {kpi} within the "
                "recommended one's 95% CI.")
    shown = ", ".join(map(str, near[:12])) + (" ..." if len(near) > 12 else "")
    return (f"{len(near)} other candidate(s) that meet the constraints have a mean {kpi} within "
            f"the recommended one's 95% CI ({shown}): as good within the noise of "
            f"{problem.optimisation.replications} seeds. Before acting, compare the "
            "recommendation with them and the baseline on more seeds (`run.py compare` of their "
            "files with `--seeds 20`): the best of many noisy candidates tends to look a "
            "little better than it is.")


def _how(problem: Problem, sessions: list[dict], seconds: float) -> list[str]:
    opt, search = problem.optimisation, problem.optimisation.search
    sampler = {"tpe": f"optuna's TPE sampler (multivariate, {search.startup} random candidates "
                      "first)",
               "nsga2": "optuna's NSGA-II sampler (each batch a generation)"}[search.sampler]
    runs = sum(s["runs"] for s in sessions)
    resumed = f", resumed {len(sessions) - 1} time(s)" if len(sessions) > 1 else ""
    return [f"- **Search**: {sampler}, {opt.candidates} candidates in batches of {search.batch}, "
            "each batch simulated in parallel; constraints on the means over the seeds.",
            f"- **Seeds**: {opt.replications} per candidate, spawned from master seed {opt.seed} "
            "(`numpy.random.SeedSequence`), the same for every candidate and the baseline "
            "(common random numbers); the sampler is seeded from the same master seed.",
            f"- **Runs**: {runs} simulated (a candidate proposed twice is not run twice) in "
            f"{len(sessions)} session(s){resumed}; this session took {seconds:.1f} s on "
            f"{sessions[-1]['executor']['kind']} with {sessions[-1]['executor']['workers']} "
            "worker(s).",
            "- **Files**: `evaluations.csv` (every candidate, the baseline first), `front.csv`, "
            "`recommended/`, `figures/front.png`, `manifest.json` (how to reproduce it)."]


def manifest(problem: Problem, front, best: Evaluation | None, sessions: list[dict],
             executor: Executor, seconds: float, command: list[str], source: str,
             seeds: list[int]) -> dict:
    """Everything needed to redo the search: the problem, seeds, sampler, sessions, versions."""
    opt = problem.optimisation
    return {
        "command": command, "optimisation_file": source, "created": provenance.timestamp(),
        "fingerprint": problem.fingerprint(), "optimisation": opt.model_dump(mode="json"),
        "base_scenario": problem.base.model_dump(mode="json"),
        "seeds": {"master": opt.seed, "replication_seeds": seeds,
                  "sampler_seeds": "candidate k: SeedSequence(master, spawn_key=(1, k))"
                                   ".generate_state(1, uint32)[0]",
                  "first_sampler_seeds": [sampler_seed(opt.seed, k) for k in range(3)]},
        "recommended": best.number if best else None,
        "front": [int(n) for n in front["candidate"]],
        "executor": {**executor.describe(), "seconds": round(seconds, 2)},
        "sessions": sessions, "environment": provenance.environment(),
    }
