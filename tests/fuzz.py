"""`make fuzz FUZZ_MINUTES=10`: the property-based tests, round after round, for a set time.

Each round calls every property of tests/test_properties.py once (Hypothesis draws new cases
each call); the run stops after `--minutes`, or at the first property that fails, printing its
falsifying case. At the end it prints how many cases each property tried and how they ended.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("CXSIM_PROPERTY_SCALE", "2")  # cases per property per round, × suite
sys.path.insert(0, str(Path(__file__).resolve().parent))

import test_properties as properties  # noqa: E402

PROPERTIES = [getattr(properties, name) for name in dir(properties) if name.startswith("test_")]


def main() -> int:
    """Run the properties until the time is up; exit 1 at the first failure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long (default 10)")
    minutes = parser.parse_args().minutes
    started = time.monotonic()
    end, rounds, failure = started + 60 * minutes, 0, None
    while time.monotonic() < end and failure is None:
        for prop in PROPERTIES:
            if time.monotonic() >= end:
                break
            try:
                prop()
            except Exception:  # a falsified property: Hypothesis has printed its case
                failure = f"{prop.__name__}\n{traceback.format_exc()}"
                break
        rounds += 1
    tally = properties.TALLY
    print(f"fuzzed {(time.monotonic() - started) / 60:.1f} min, {rounds} rounds, "
          f"{sum(tally.values()):,} cases:")
    for outcome, count in sorted(tally.items()):
        print(f"  {outcome}: {count:,}")
    if failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    print("0 failures: no traceback, no crash after validation, nothing written outside the "
          "output folder")
    return 0


if __name__ == "__main__":
    sys.exit(main())
