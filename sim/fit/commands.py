"""`run.py fit`: fit the model to a real transaction log and forecast its holdout beside BG/NBD.

Everything the user gave is checked before any work (the file, its columns, dates and amounts,
the window against the data, the output folder, the scenario, the options, the `clv` extra):
a mistake exits with code 2 and leaves nothing behind. The results folder appears whole at the
end (docs/fit.md).
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from pathlib import Path

from sim.runs.staging import check_out, output_folder, path_of, reserve
from sim.scenario.errors import UserError

DEFAULT_SEEDS = 2  # replications per candidate
DEFAULT_EVALUATIONS = 200  # candidates the optimiser may simulate (CDNOW: about 5 min on 2 cores)
MAX_DEFAULT_CUSTOMERS = 25_000  # people simulated by default: the real cohort, up to this
MIN_CUSTOMERS = 10  # population.size's lower bound


def add_parser(sub, positive: Callable) -> None:
    """Add the `fit` subcommand to the CLI's subparsers."""
    text = ("fit the model to a real transaction log (customer id, date, amount) and forecast "
            "its holdout beside BG/NBD")
    p = sub.add_parser("fit", help=text, description=text)
    p.add_argument("transactions", type=Path, metavar="TRANSACTIONS",
                   help="CSV or Parquet log, e.g. sim/fit/data/CDNOW_master.txt.xz")
    p.add_argument("--calibration-weeks", type=positive, required=True, metavar="W",
                   help="weeks from the first purchase the models are fitted on")
    p.add_argument("--holdout-weeks", type=positive, metavar="H",
                   help="weeks after them to forecast (default: every whole week left)")
    p.add_argument("--out", type=Path, help="output folder (default results/fit-<name>-<time>)")
    p.add_argument("--seeds", type=positive, default=DEFAULT_SEEDS,
                   help=f"replications per candidate, on common seeds (default {DEFAULT_SEEDS})")
    p.add_argument("--workers", type=positive, help="processes (default: all cores)")
    p.add_argument("--scenario", type=Path, metavar="SCENARIO",
                   help="scenario whose behaviour is fitted (default: scenarios/base.yaml's "
                        "values)")
    p.add_argument("--customers", type=positive, metavar="N",
                   help="people simulated per replication (default: the real cohort's size, at "
                        f"most {MAX_DEFAULT_CUSTOMERS:,})")
    p.add_argument("--evaluations", type=positive, default=DEFAULT_EVALUATIONS, metavar="N",
                   help=f"candidates the optimiser may simulate (default {DEFAULT_EVALUATIONS})")
    for role in ("customer", "date", "amount"):
        p.add_argument(f"--{role}-column", metavar="NAME",
                       help=f"the log's {role} column (default: found by name)")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")


def _folder_name(path: Path) -> str:
    """`fit-<file name without suffixes>`, in characters every file system accepts."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", path.name.split(".")[0]) or "transactions"
    return f"fit-{stem}"


def _check_options(args: argparse.Namespace) -> None:
    if args.customers is not None and args.customers < MIN_CUSTOMERS:
        raise UserError(f"--customers {args.customers}: simulate at least {MIN_CUSTOMERS} people")
    if args.evaluations < 2:
        raise UserError(f"--evaluations {args.evaluations}: the optimiser needs at least 2 "
                        "candidates")


def cmd_fit(args: argparse.Namespace) -> int:
    """Validate everything, then fit BG/NBD and the model, compare, write the folder."""
    from sim.fit import fitting
    from sim.fit.bgnbd import require_clv
    from sim.fit.transactions import Columns
    from sim.scenario.loading import load_scenario
    from sim.scenario.schema import Scenario

    _check_options(args)
    base = load_scenario(args.scenario) if args.scenario else Scenario()
    check_out(args.out)
    real = fitting.read_real(args.transactions, args.calibration_weeks, args.holdout_weeks,
                             Columns(args.customer_column, args.date_column, args.amount_column))
    require_clv()
    customers = args.customers or max(min(real.statistics.customers, MAX_DEFAULT_CUSTOMERS),
                                      MIN_CUSTOMERS)
    return _fit(args, real, base, customers)


def _fit(args: argparse.Namespace, real, base, customers: int) -> int:
    """The work, once everything is known to be valid."""
    from sim.fit import fitting, saving
    from sim.runs.executors import make_executor

    started = time.perf_counter()
    # The output folder is checked and claimed before the work, released if it fails.
    with reserve(args.out or output_folder(_folder_name(args.transactions))) as folder:
        forecast = fitting.forecast_bgnbd(real)
        with make_executor(args.workers) as executor:
            model = fitting.fit_model(real, base, customers, args.seeds, args.evaluations,
                                      executor, progress=not args.no_progress)
            workers = executor.describe()["workers"]
        comp = fitting.compare(real, forecast, model)
        options = {"seeds": args.seeds, "customers": customers, "evaluations": args.evaluations,
                   "workers": workers, "scenario": str(args.scenario) if args.scenario else None}
        saving.save(folder, real, forecast, model, comp, options, time.perf_counter() - started,
                    args.argv)
        folder = path_of(folder)
    for name, row in comp.scores.iterrows():
        error = f"{row.error_pct:+.1f}%" if row.actual > 0 else "n/a"
        print(f"{name}: holdout repeat transactions {row.forecast:,.0f} vs actual "
              f"{row.actual:,.0f} ({error}), weekly MAE {row.weekly_mae:.1f}")
    print(f"fit in {time.perf_counter() - started:.1f} s; results in {folder}/")
    return 0
