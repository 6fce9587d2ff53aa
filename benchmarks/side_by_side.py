"""A change against the commit before it: CPU seconds of the same run, alternating the two trees.

    git worktree add --detach ../cxsim-old <commit>
    python benchmarks/side_by_side.py ../cxsim-old vectorized 10000 --repeats 3 --rounds 2

Each round runs the old tree, then this one, each in a fresh process that imports its own
`sim` (PYTHONPATH) with its own kernel cache, warms up on a tiny run, then times `repeats` runs
of scenarios/multichannel.yaml for a year. CPU time (process_time), not wall time, and the two
trees alternate, so the load of a shared machine falls on both alike; the medians are compared.
The quality bar asks for exactly this before a change may make an engine slower.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
CHILD = r'''
import json, sys, time
root, engine, size, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
try:
    from sim.runs.runner import build_model
    from sim.scenario.loading import load_scenario
except ImportError:  # the layout before sim/ was split into layers
    from sim.loading import load_scenario
    from sim.runner import build_model
path = root + "/scenarios/multichannel.yaml"
warm = load_scenario(path, {"population.size": 200, "engine": engine, "horizon_days": 20})
build_model(warm, 1).run()
scenario = load_scenario(path, {"population.size": size, "engine": engine})
seconds = []
for r in range(repeats):
    started = time.process_time()
    build_model(scenario, 7 + r).run()
    seconds.append(time.process_time() - started)
print(json.dumps(seconds))
'''


def cpu_seconds(tree: Path, engine: str, size: int, repeats: int) -> list[float]:
    """CPU seconds of `repeats` runs in a fresh process importing `tree`'s code."""
    env = {**os.environ, "PYTHONPATH": str(tree),
           "NUMBA_CACHE_DIR": str(Path("/tmp") / f"cxsim-bench-{abs(hash(str(tree)))}")}
    done = subprocess.run([sys.executable, "-c", CHILD, str(tree), engine, str(size),
                           str(repeats)], capture_output=True, text=True, env=env, cwd=tree)
    if done.returncode:
        raise SystemExit(f"{tree}: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Time both trees, alternating, and print their medians and ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path, help="a checkout of the commit before the change")
    parser.add_argument("engine", choices=["vectorized", "agents"])
    parser.add_argument("size", type=int, help="people, e.g. 10000 or 1000000")
    parser.add_argument("--repeats", type=int, default=3, help="runs per process")
    parser.add_argument("--rounds", type=int, default=2, help="old-then-new rounds")
    args = parser.parse_args()
    times: dict[str, list[float]] = {"old": [], "new": []}
    for _ in range(args.rounds):
        for name, tree in (("old", args.old.resolve()), ("new", HERE)):
            times[name] += cpu_seconds(tree, args.engine, args.size, args.repeats)
    for name, values in times.items():
        print(f"{name}: {args.engine} {args.size:,} people, CPU s median "
              f"{statistics.median(values):.3f}, min {min(values):.3f} ({len(values)} runs)")
    ratio = statistics.median(times["new"]) / statistics.median(times["old"])
    print(f"new / old (medians): {ratio:.2f}")


if __name__ == "__main__":
    main()
