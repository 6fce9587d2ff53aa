"""`run.py sweep`, `calibrate` and `optimise`: validate everything, pick an executor, run, report.

Everything the user gave is checked before a folder is made or a worker started: a bad file or
option exits with code 2 and leaves nothing behind.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sim.runs.staging import check_out, output_folder, reserve
from sim.scenario.errors import UserError


def add_parsers(sub, positive: Callable, override: Callable) -> None:
    """Add the `sweep`, `calibrate` and `optimise` subcommands to the CLI's subparsers."""
    text = "run an experiment file: a sweep over factors, replicated, streamed to disk"
    p = sub.add_parser("sweep", help=text, description=text)
    p.add_argument("experiment", type=Path, metavar="EXPERIMENT",
                   help="experiment file, e.g. scenarios/experiments/staffing_waits.yaml")
    p.add_argument("--resume", type=Path, metavar="DIR",
                   help="finish an interrupted sweep in DIR (same file and --set values)")
    _common(p, positive, override)
    text = "fit parameters so that chosen KPIs hit target values (scipy.optimize)"
    p = sub.add_parser("calibrate", help=text, description=text)
    p.add_argument("calibration", type=Path, metavar="CALIBRATION",
                   help="calibration file, e.g. scenarios/experiments/calibrate_retention.yaml")
    _common(p, positive, override)
    text = ("search the levers for the best strategy under constraints (optuna), e.g. the best "
            "use of a budget; one objective, or a Pareto front of several")
    p = sub.add_parser("optimise", help=text, description=text)
    p.add_argument("optimisation", type=Path, metavar="OPTIMISATION",
                   help="optimisation file, e.g. scenarios/experiments/optimise_bank.yaml")
    p.add_argument("--resume", type=Path, metavar="DIR",
                   help="finish a killed search in DIR (same file and --set values)")
    _common(p, positive, override)


def _common(p: argparse.ArgumentParser, positive: Callable, override: Callable) -> None:
    p.add_argument("--out", type=Path, help="output folder (default results/<name>-<time>)")
    p.add_argument("--workers", type=positive,
                   help="local processes, or workers of --dask local (default: all cores)")
    p.add_argument("--dask", metavar="local|ADDRESS",
                   help="run on Dask: 'local' starts a LocalCluster of --workers processes; "
                        "an address such as tcp://host:8786 uses a running scheduler")
    p.add_argument("--set", dest="overrides", type=override, action="append", default=[],
                   metavar="KEY=VALUE", help="override a value in every base scenario, e.g. "
                   "population.size=2000 (repeatable)")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")


def _new_folder(out: Path | None, name: str, hint: str = "") -> Path:
    check_out(out, hint)
    return out or output_folder(name)


def _check_dask(address: str | None) -> None:
    if address is None or address == "local" or "://" in address:
        return
    raise UserError(f"--dask {address!r}: expected 'local' or a scheduler address such as "
                    "tcp://10.0.0.5:8786")


def _workers(args: argparse.Namespace, scenarios) -> int | None:
    """Workers that fit in this machine's memory (a remote Dask cluster decides for itself)."""
    from sim.runs.capacity import fit_workers
    from sim.runs.executors import default_workers

    if args.dask and args.dask != "local":
        return args.workers
    return fit_workers(scenarios, args.workers or default_workers())


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run (or resume) an experiment into its folder and print where the summary is."""
    from sim.experiments.loading import load_experiment
    from sim.experiments.sweep import is_complete, run_sweep

    plan = load_experiment(args.experiment, dict(args.overrides))
    _check_dask(args.dask)
    workers = _workers(args, [plan.largest])
    folder = _folder_to_fill(args, plan.experiment.name, "sweep", is_complete,
                             " (or --resume it if it holds an interrupted sweep)")
    if folder is None:
        return 0
    outcome = _keeping_finished_runs(args, folder, workers, lambda executor: run_sweep(
        plan, folder, executor, resume=args.resume is not None,
        progress=not args.no_progress, command=args.argv, source=str(args.experiment)))
    if isinstance(outcome, int):
        return outcome
    print(f"{outcome.ran_now} of {outcome.runs} runs in {outcome.seconds:.1f} s; "
          f"summary in {folder}/summary.md")
    return 0


def _folder_to_fill(args: argparse.Namespace, name: str, kind: str, is_complete,
                    hint: str) -> Path | None:
    """A new output folder, or the --resume folder of a sweep or optimisation (the same kind).

    None when the resumed folder is already complete: there is nothing to do.
    """
    from sim.experiments.store import read_plan_info

    if args.resume is None:
        return _new_folder(args.out, name, hint)
    if args.out is not None:
        raise UserError(f"--resume DIR continues the {kind} in DIR; do not give --out as well")
    read_plan_info(args.resume, f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}")  # clear error
    if is_complete(args.resume):
        print(f"{args.resume}: this {kind} is already complete; nothing to do")
        return None
    return args.resume


def _keeping_finished_runs(args: argparse.Namespace, folder: Path, workers: int | None, work):
    """`work(executor)`'s outcome; on Ctrl-C or lost workers, the exit code and how to finish.

    Every finished run is already on disk in `folder`, so both say how to resume.
    """
    from sim.runs.executors import WorkersLost, make_executor

    try:
        with make_executor(workers, args.dask) as executor:
            return work(executor)
    except (KeyboardInterrupt, WorkersLost) as exc:
        why = "interrupted" if isinstance(exc, KeyboardInterrupt) else f"error: {exc}"
        print(f"{why}; the finished runs are kept in {folder}/ — finish with:\n"
              f"  {_resume_command(args.argv, folder)}", file=sys.stderr)
        return 130 if isinstance(exc, KeyboardInterrupt) else 1


def _resume_command(argv: list[str], folder: Path) -> str:
    """The same command line with --resume FOLDER instead of --out or --resume."""
    words, skip = ["python"], False
    for word in argv:
        if skip or word in ("--out", "--resume"):
            skip = not skip
            continue
        words.append(word)
    return " ".join([*words, "--resume", str(folder)])


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Fit a calibration file's parameters; write the fitted scenarios and the fit report."""
    from sim.experiments import fit_report
    from sim.experiments.calibration import Calibrator
    from sim.experiments.loading import load_calibration
    from sim.runs.executors import make_executor

    calibration, scenarios = load_calibration(args.calibration, dict(args.overrides))
    _check_dask(args.dask)
    workers = _workers(args, scenarios)
    folder = _new_folder(args.out, calibration.name)
    started = time.perf_counter()
    with reserve(folder) as reservation, make_executor(workers, args.dask) as executor:
        calibrator = Calibrator(calibration, scenarios, executor, not args.no_progress)
        best, message = calibrator.fit()
        seconds = time.perf_counter() - started
        fit_report.save(reservation, calibrator, best, message, seconds, executor, args.argv,
                        str(args.calibration))
    print((folder / "fit.md").read_text(encoding="utf-8"))
    print(f"{len(calibrator.evaluations)} candidates in {seconds:.1f} s; results in {folder}/")
    return 0


def cmd_optimise(args: argparse.Namespace) -> int:
    """Search (or resume) an optimisation into its folder and print the recommendation."""
    from sim.experiments.levers import corners, scenario_with
    from sim.experiments.loading import load_optimisation
    from sim.experiments.optimise import is_complete, run_optimisation

    problem = load_optimisation(args.optimisation, dict(args.overrides))
    _check_dask(args.dask)
    levers = problem.optimisation.levers
    largest = scenario_with(problem.base, levers, corners(levers)[1], "every lever at its highest")
    workers = _workers(args, [problem.base, largest])
    folder = _folder_to_fill(args, problem.optimisation.name, "optimisation", is_complete,
                             " (or --resume it if it holds a killed search)")
    if folder is None:
        return 0
    outcome = _keeping_finished_runs(args, folder, workers, lambda executor: run_optimisation(
        problem, folder, executor, resume=args.resume is not None,
        progress=not args.no_progress, command=args.argv, source=str(args.optimisation)))
    if isinstance(outcome, int):
        return outcome
    best = ("no candidate met every constraint" if outcome.recommended is None
            else f"recommended: candidate {outcome.recommended}")
    print(f"{outcome.candidates} candidates ({outcome.ran_now} runs now) in "
          f"{outcome.seconds:.1f} s; {best}; summary in {folder}/summary.md")
    return 0
