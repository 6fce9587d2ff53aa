#!/usr/bin/env python3
"""cxsim command line: `python run.py run|compare|validate|schema ...` (see --help)."""

import sys

from sim.cli import main

if __name__ == "__main__":
    sys.exit(main())
