"""Speed and memory of the two engines, and Mesa's own virus_on_network as a yardstick.

    python benchmarks/engines.py [--quick] [--out FILE]      (or: make bench)

Each case runs in a fresh process, so its peak resident memory is its own. In it, a small
warm-up run first loads what the engine needs (the vectorized engine's compiled kernels, from
numba's cache), then the case is timed `repeats` times, set-up and run together; the table
shows the fastest (the timeit convention: noise only ever adds), the JSON every time. The
ratio of the two engines at 10,000 customers is given for the fastest and the median runs.
A separate case times the one-off compilation of the kernels with an empty cache. Prints a
table and writes JSON (default: results/bench-<timestamp>.json). Not part of the test suite:
timings on a shared machine are noisy, so they are measured and reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCENARIO = REPO / "scenarios" / "multichannel.yaml"
DAYS = 365
CASES = [("agents", 10_000, 3), ("vectorized", 10_000, 10), ("vectorized", 100_000, 3),
         ("vectorized", 1_000_000, 1)]  # engine, customers, repeats


def measure_engine(engine: str, size: int, repeats: int) -> dict:
    """Time the multichannel scenario `repeats` times after a warm-up; in a child process."""
    sys.path.insert(0, str(REPO))
    from sim.runs.runner import build_model
    from sim.scenario.loading import load_scenario

    def scenario(people: int, days: int):
        return load_scenario(SCENARIO, {"population.size": people, "horizon_days": days,
                                        "engine": engine})

    started = time.perf_counter()
    build_model(scenario(1_000, 30), seed=0).run()
    warmup = time.perf_counter() - started
    case, runs = scenario(size, DAYS), []  # the scenario file is read once, outside the timing
    for _ in range(repeats):
        started = time.perf_counter()
        model = build_model(case, seed=1)
        built = time.perf_counter()
        model.run()
        runs.append({"setup_seconds": built - started, "run_seconds": time.perf_counter() - built})
    seconds = [r["setup_seconds"] + r["run_seconds"] for r in runs]
    return {"engine": engine, "customers": size, "days": DAYS, "warmup_seconds": warmup,
            "runs": runs, "seconds": min(seconds), "median_seconds": statistics.median(seconds),
            "customer_days_per_second": size * DAYS / min(seconds)}


def measure_compilation() -> dict:
    """The vectorized engine's first run on a machine: compiling every kernel (empty cache)."""
    sys.path.insert(0, str(REPO))
    started = time.perf_counter()
    from sim.engines.vectorized import VectorizedModel

    VectorizedModel(n_customers=100, seed=0, horizon_days=2).run()
    return {"engine": "vectorized, first run (compiles)", "customers": 100, "days": 2,
            "seconds": time.perf_counter() - started}


def measure_virus(nodes: int = 10_000, steps: int = 50) -> dict:
    """Mesa's examples/basic/virus_on_network at `nodes` nodes for `steps` steps."""
    from mesa.examples.basic.virus_on_network.model import VirusOnNetwork

    started = time.perf_counter()
    model = VirusOnNetwork(num_nodes=nodes, avg_node_degree=3, seed=1)
    built = time.perf_counter()
    for _ in range(steps):
        model.step()
    done = time.perf_counter()
    return {"engine": "mesa virus_on_network", "customers": nodes, "days": steps,
            "setup_seconds": built - started, "run_seconds": done - built,
            "seconds": done - started, "agent_steps_per_second": nodes * steps / (done - built)}


def in_child(*args: str, env: dict | None = None) -> dict:
    """Run one measurement in a fresh interpreter and return its JSON line plus peak memory."""
    out = subprocess.run([sys.executable, __file__, "--one", *args], capture_output=True,
                         text=True, check=True, cwd=REPO, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def compilation_in_child() -> dict:
    """`measure_compilation` in a fresh interpreter with an empty kernel cache."""
    with tempfile.TemporaryDirectory() as cache:
        return in_child("compile", env={**os.environ, "NUMBA_CACHE_DIR": cache})


def main() -> None:
    """Run every case and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 1,000,000-customer run")
    parser.add_argument("--out", type=Path, help="JSON file (default results/bench-<time>.json)")
    parser.add_argument("--one", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        result = {"virus": measure_virus, "compile": measure_compilation}.get(
            args.one[0], lambda: measure_engine(args.one[0], *map(int, args.one[1:])))()
        result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    cases = CASES[:-1] if args.quick else CASES
    results = [in_child(engine, str(size), str(repeats)) for engine, size, repeats in cases]
    results += [compilation_in_child(), in_child("virus")]
    report(results, args.out)


def report(results: list[dict], out: Path | None) -> None:
    """Print the table and write the JSON."""
    by = {(r["engine"], r["customers"]): r for r in results}
    vectorized, agents = by[("vectorized", 10_000)], by[("agents", 10_000)]
    ratio = agents["seconds"] / vectorized["seconds"]
    median_ratio = agents["median_seconds"] / vectorized["median_seconds"]
    print(f"{'engine':<34}{'customers':>11}{'days':>6}{'seconds':>9}{'per second':>14}"
          f"{'peak MiB':>10}")
    for r in results:
        rate = r.get("customer_days_per_second") or r.get("agent_steps_per_second")
        rate = f"{rate:>14,.0f}" if rate else f"{'':>14}"
        print(f"{r['engine']:<34}{r['customers']:>11,}{r['days']:>6}{r['seconds']:>9.2f}"
              f"{rate}{r['peak_rss_mib']:>10.0f}")
    print(f"\nvectorized / agents at 10,000 customers: {ratio:.0f}x (fastest runs), "
          f"{median_ratio:.0f}x (median runs), in customer-days per second")
    print("(virus_on_network: agent-steps per second, run phase only)")
    out = out or REPO / "results" / f"bench-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                           "cpus": len(__import__("os").sched_getaffinity(0))},
               "scenario": str(SCENARIO.relative_to(REPO)), "results": results,
               "vectorized_over_agents_10k": ratio,
               "vectorized_over_agents_10k_median": median_ratio}
    out.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
