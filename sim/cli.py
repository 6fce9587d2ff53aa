"""Command line: run, compare, validate, schema, dashboard, sweep, calibrate, optimise, fit, ...

Parses, then calls into sim/.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from pathlib import Path

import yaml

from sim.experiments import commands as experiment_commands
from sim.fit import commands as fit_commands
from sim.runs.capacity import fit_workers
from sim.runs.executors import WorkersLost
from sim.runs.runner import MAX_REPLICATIONS, default_workers, jobs_for, run_jobs
from sim.runs.staging import output_folder, reserve
from sim.scenario.errors import UserError
from sim.scenario.loading import load_scenario, repeated_names
from sim.scenario.schema import Scenario
from sim.validation import commands as validation_commands


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _seeds(text: str) -> int:
    value = _positive(text)
    if value > MAX_REPLICATIONS:
        raise argparse.ArgumentTypeError(f"at most {MAX_REPLICATIONS:,} replications, got "
                                         f"{value:,}")
    return value


def _override(text: str) -> tuple[str, object]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE (e.g. strategy.integration=0.9), "
                                         f"got {text!r}")
    try:
        return key.strip(), yaml.safe_load(value)
    except yaml.YAMLError:
        raise argparse.ArgumentTypeError(f"cannot read the value in {text!r}") from None


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be between 0 and 65535, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and documentation)."""
    parser = argparse.ArgumentParser(
        prog="run.py", description="cxsim: agent-based simulation of digital customer behaviour")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, many, text in (("run", False, "simulate one scenario"),
                             ("compare", True, "simulate several scenarios on the same seeds")):
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument("scenarios", nargs="+" if many else 1, type=Path, metavar="SCENARIO",
                       help="scenario file(s) (YAML), e.g. scenarios/omnichannel.yaml")
        p.add_argument("--seeds", type=_seeds, default=10,
                       help=f"replications (default 10, at most {MAX_REPLICATIONS:,})")
        p.add_argument("--out", type=Path, help="output folder (default results/<name>-<time>)")
        p.add_argument("--workers", type=_positive, help="processes (default: all cores)")
        p.add_argument("--set", dest="overrides", type=_override, action="append", default=[],
                       metavar="KEY=VALUE", help="override a scenario value, e.g. "
                       "population.size=500 (repeatable)")
        p.add_argument("--engine", choices=["vectorized", "agents"],
                       help="override the scenario's engine (default: vectorized)")
        p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
        if name == "run":  # opt-in exports (sim/exports.py); off, a run is unchanged
            p.add_argument("--events", action="store_true", help="also write the journeys as "
                           "a process-mining event log (CSV, Parquet; XES if pm4py is installed)")
            p.add_argument("--transactions", action="store_true", help="also write one row per "
                           "purchase and the per-customer summary CLV models take")
            p.set_defaults(baseline=None)
        else:
            p.add_argument("--baseline", metavar="NAME", help="the scenario the others are "
                           "compared with: paired differences, ROI, payback (default: the "
                           "first scenario; NAME is its 'name:')")
            p.set_defaults(events=False, transactions=False)
    text = "check scenario files without running them (exit code 2 and a message if not valid)"
    p = sub.add_parser("validate", help=text, description=text)
    p.add_argument("scenarios", nargs="+", type=Path, metavar="SCENARIO",
                   help="scenario file(s) (YAML)")
    text = ("print the JSON Schema of scenario files, for completion and checking in editors "
            "(e.g. VS Code's YAML extension)")
    p = sub.add_parser("schema", help=text, description=text)
    p.add_argument("--out", type=Path, help="write to this file instead of printing")
    text = "serve the live teaching dashboard (Mesa SolaraViz) until Ctrl-C"
    p = sub.add_parser("dashboard", help=text, description=text)
    p.add_argument("scenario", nargs="?", type=Path, metavar="SCENARIO",
                   help="scenario to start from (default: omnichannel vs weak_digital)")
    p.add_argument("--port", type=_port, default=8765, help="port (default 8765)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    experiment_commands.add_parsers(sub, _positive, _override)  # sweep, calibrate, optimise
    fit_commands.add_parser(sub, _positive)  # fit
    validation_commands.add_parser(sub, _positive)  # validate-model
    for name, p in sub.choices.items():
        p.epilog = "examples:\n" + "\n".join(f"  python run.py {line}" for line in EXAMPLES[name])
        p.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = ("start with `make run` (creates .venv); then `.venv/bin/python run.py "
                     "COMMAND --help` shows each command's options and examples")
    return parser


EXAMPLES = {
    "run": ["run scenarios/omnichannel.yaml --seeds 5",
            "run scenarios/weak_digital.yaml --set strategy.integration=0.9 --out results/mine",
            "run scenarios/omnichannel.yaml --seeds 2 --events --transactions"],
    "compare": ["compare scenarios/omnichannel.yaml scenarios/weak_digital.yaml --seeds 20",
                "compare scenarios/omnichannel.yaml scenarios/multichannel.yaml "
                "scenarios/weak_digital.yaml --baseline weak_digital",
                "compare scenarios/industries/shampoo.yaml scenarios/industries/housing.yaml "
                "--set horizon_days=1095"],
    "validate": ["validate scenarios/mine.yaml", "validate scenarios/*.yaml"],
    "schema": ["schema --out scenario.schema.json"],
    "dashboard": ["dashboard", "dashboard scenarios/industries/housing.yaml --port 8800"],
    "sweep": ["sweep scenarios/experiments/staffing_waits.yaml",
              "sweep scenarios/experiments/strategy_levers_sobol.yaml --dask local --workers 4",
              "sweep scenarios/experiments/staffing_waits.yaml --resume results/<folder>"],
    "calibrate": ["calibrate scenarios/experiments/calibrate_retention.yaml"],
    "optimise": ["optimise scenarios/experiments/optimise_bank.yaml",
                 "optimise scenarios/experiments/optimise_bank.yaml --dask local --workers 2",
                 "optimise scenarios/experiments/optimise_bank.yaml --resume results/<folder>"],
    "fit": ["fit sim/fit/data/CDNOW_master.txt.xz --calibration-weeks 39",
            "fit my_transactions.csv --calibration-weeks 26 --holdout-weeks 26 --seeds 2"],
    "validate-model": ["validate-model", "validate-model --quick --out results/check"],
}


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (2 for any mistake in the user's input)."""
    args = build_parser().parse_args(argv)
    args.argv = ["run.py", *(sys.argv[1:] if argv is None else argv)]
    try:
        return COMMANDS[args.command](args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except WorkersLost as exc:  # sweeps say how to resume; other commands start again
        print(f"error: {exc}; nothing was written, run the command again", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130


def _load_all(paths: list[Path], overrides: list[tuple[str, object]]) -> list[Scenario]:
    scenarios = [load_scenario(p, dict(overrides)) for p in paths]
    duplicated = repeated_names(scenarios)
    if duplicated:
        raise UserError(f"scenario names must differ to be compared: {', '.join(duplicated)} "
                        "appears more than once (set 'name:' in the files)")
    return scenarios


def cmd_simulate(args: argparse.Namespace) -> int:
    """`run` and `compare`: validate everything first, then simulate, then write atomically."""
    overrides = args.overrides + ([("engine", args.engine)] if args.engine else [])
    scenarios = _load_all(args.scenarios, overrides)
    from sim.outputs import why
    from sim.outputs.baseline import choose_baseline

    baseline = choose_baseline([s.name for s in scenarios], args.baseline)  # before any run
    warning = why.horizon_warning({s.name: s.horizon_days for s in scenarios})
    if warning:
        print(f"warning: {warning}", file=sys.stderr, flush=True)
    workers = fit_workers(scenarios, args.workers or default_workers())
    name = "-".join(s.name for s in scenarios)
    jobs = jobs_for(scenarios, args.seeds, args.events or args.transactions)
    # The output folder is checked and claimed before the runs, released if they fail.
    with reserve(args.out or output_folder(name)) as reservation:
        # Plotting libraries load only now: a bad input is refused fast, never depends on them.
        from sim.outputs import against, report, results

        started = time.perf_counter()
        done = list(run_jobs(jobs, workers, not args.no_progress))
        extras = (exports_writer(done, args.events, args.transactions)
                  if args.events or args.transactions else None)
        folder = results.save(reservation, scenarios, done, args.argv,
                              time.perf_counter() - started, workers, f"cxsim: {name}", extras,
                              baseline=baseline)
    kpis = results.tables(done)[0]
    summary = report.summarise(kpis)
    print(report.format_table(summary))
    seen = against.against(kpis, baseline, {s.name: s.horizon_days for s in scenarios})
    if seen is not None:
        print(f"\n{against.terminal_table(summary, seen)}")
    if warning:
        print("note: the scenarios ran for different horizons (see the warning above)")
    print(f"\n{len(done)} runs in {time.perf_counter() - started:.1f} s; results in {folder}/")
    return 0


def exports_writer(done, events: bool, purchases: bool):
    """The callable that writes the opt-in exports into the staging folder."""
    from sim.outputs import exports

    def write(folder: Path) -> None:
        written = exports.write_exports(folder, done, events, purchases)
        if events and not any(p.suffix == ".xes" for p in written):
            print("note: events.xes not written: pm4py is not installed (pip install -e "
                  "'.[events]'); events.csv and events.parquet were written", file=sys.stderr)

    return write


def cmd_validate(args: argparse.Namespace) -> int:
    """Load and check each file; print one line per valid file."""
    for path in args.scenarios:
        s = load_scenario(path)
        fit_workers([s], 1)  # validation and the run agree: one run must fit in memory
        print(f"ok: {path} (scenario '{s.name}', {s.population.size} people, "
              f"{len(s.strategy.channels)} channels, {s.horizon_days} days)")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print or write the JSON Schema of scenario files."""
    text = json.dumps(Scenario.model_json_schema(), indent=2)
    if args.out:
        if os.path.lexists(args.out) or args.out.name in ("", ".", ".."):
            raise UserError(f"--out {args.out}: already exists; choose a new file name "
                            "(nothing is overwritten)")
        tmp = args.out.with_name(f".{args.out.name}.tmp")
        try:  # written whole, then linked into place: never a half file, never overwriting
            tmp.write_text(text + "\n")
            os.link(tmp, args.out)  # unlike a rename, refuses a file made meanwhile
        except OSError as exc:  # e.g. a folder that does not exist
            raise UserError(f"--out {args.out}: cannot write ({exc.strerror})") from None
        finally:
            with contextlib.suppress(OSError):  # e.g. never made: --out under a file
                tmp.unlink(missing_ok=True)
    else:
        print(text)
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    """Validate the scenario, then serve the dashboard until Ctrl-C."""
    if args.scenario is not None:
        load_scenario(args.scenario)
    from sim.dashboard.server import serve  # needs the dashboard extra; imported only now

    return serve(args.scenario, args.host, args.port)


COMMANDS = {"run": cmd_simulate, "compare": cmd_simulate, "validate": cmd_validate,
            "schema": cmd_schema, "dashboard": cmd_dashboard,
            "sweep": experiment_commands.cmd_sweep,
            "calibrate": experiment_commands.cmd_calibrate,
            "optimise": experiment_commands.cmd_optimise,
            "fit": fit_commands.cmd_fit,
            "validate-model": validation_commands.cmd_validate_model}
