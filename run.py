#!/usr/bin/env python3
"""cxsim command line: `python run.py run|compare|validate|schema ...` (see --help)."""

import sys

SETUP = ("Run `make run` once (it creates .venv and installs everything), then use "
         "`.venv/bin/python run.py ...` or activate .venv (`source .venv/bin/activate`).")

if sys.version_info < (3, 11):  # noqa: UP036 - run.py may be started by any python3
    print(f"error: cxsim needs Python 3.11 or newer; this is {sys.version.split()[0]} "
          f"({sys.executable}). {SETUP}", file=sys.stderr)
    sys.exit(2)
try:
    from sim.cli import main
except ModuleNotFoundError as missing:  # a Python without cxsim's dependencies
    if (missing.name or "").split(".")[0] in ("sim", "agents"):
        raise  # the checkout itself is broken: show where
    print(f"error: this Python ({sys.executable}) lacks cxsim's dependencies ({missing.name} "
          f"is not installed). {SETUP} Or install them into it: pip install -e .",
          file=sys.stderr)
    sys.exit(2)

if __name__ == "__main__":
    sys.exit(main())
