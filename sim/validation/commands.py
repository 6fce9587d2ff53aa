"""`run.py validate-model`: the closed-form comparisons of docs/validation.md, regenerated."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from sim.scenario.errors import UserError


def add_parser(sub, positive: Callable) -> None:
    """Add the `validate-model` subcommand to the CLI's subparsers."""
    text = ("compare the model with closed forms (Bass diffusion, cascade final size, Erlang C) "
            "on both engines; write figures and tables")
    p = sub.add_parser("validate-model", help=text, description=text)
    p.add_argument("--out", type=Path, help="output folder (default results/validation-<time>)")
    p.add_argument("--runs", type=positive, default=5,
                   help="replications per point and engine (default 5)")
    p.add_argument("--quick", action="store_true",
                   help="small sizes, a smoke test in seconds (tolerances then mean little)")


def cmd_validate_model(args: argparse.Namespace) -> int:
    """Check the output folder first, then run everything and write it atomically."""
    from sim.runs.staging import check_out, output_folder, reserve
    from sim.validation import LIMIT_SCENARIOS

    if args.out is not None and args.out.exists():
        raise UserError(f"--out {args.out}: already exists; choose a new folder")
    check_out(args.out)
    if not LIMIT_SCENARIOS.is_dir():
        raise UserError(f"{LIMIT_SCENARIOS}: the validation scenarios are missing; run "
                        "validate-model from a source checkout of cxsim")
    from sim.validation import report  # plotting libraries load only now

    sizes = report.QUICK if args.quick else report.FULL
    with reserve(args.out or output_folder("validation")) as reservation:
        folder = report.write(reservation, args.runs, args.argv, sizes)
    print((folder / "summary.md").read_text())
    print(f"validation figures and tables in {folder}/")
    return 0
