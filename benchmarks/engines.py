"""Speed and memory of the two engines, and Mesa's own virus_on_network as a yardstick.

    python benchmarks/engines.py [--quick] [--out FILE]      (or: make bench)

Each measurement runs in a fresh process, so its peak resident memory is its own. Prints a
table and writes JSON (default: results/bench-<timestamp>.json). Not part of the test suite:
timings on a shared machine are noisy, so they are measured and reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCENARIO = REPO / "scenarios" / "multichannel.yaml"
DAYS = 365
CASES = [("agents", 10_000), ("vectorized", 10_000), ("vectorized", 100_000),
         ("vectorized", 1_000_000)]


def measure_engine(engine: str, size: int) -> dict:
    """One run of the multichannel scenario; called in a child process."""
    sys.path.insert(0, str(REPO))
    from sim.loading import load_scenario
    from sim.runner import build_model

    scenario = load_scenario(SCENARIO, {"population.size": size, "horizon_days": DAYS,
                                        "engine": engine})
    started = time.perf_counter()
    model = build_model(scenario, seed=1)
    built = time.perf_counter()
    model.run()
    done = time.perf_counter()
    return {"engine": engine, "customers": size, "days": DAYS,
            "setup_seconds": built - started, "run_seconds": done - built,
            "seconds": done - started, "customer_days_per_second": size * DAYS / (done - started)}


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


def in_child(*args: str) -> dict:
    """Run one measurement in a fresh interpreter and return its JSON line plus peak memory."""
    out = subprocess.run([sys.executable, __file__, "--one", *args], capture_output=True,
                         text=True, check=True, cwd=REPO)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Run every case and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 1,000,000-customer run")
    parser.add_argument("--out", type=Path, help="JSON file (default results/bench-<time>.json)")
    parser.add_argument("--one", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        result = (measure_virus() if args.one[0] == "virus"
                  else measure_engine(args.one[0], int(args.one[1])))
        result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    cases = CASES[:-1] if args.quick else CASES
    results = [in_child(engine, str(size)) for engine, size in cases] + [in_child("virus")]
    report(results, args.out)


def report(results: list[dict], out: Path | None) -> None:
    """Print the table and write the JSON."""
    by = {(r["engine"], r["customers"]): r for r in results}
    ratio = (by[("vectorized", 10_000)]["customer_days_per_second"]
             / by[("agents", 10_000)]["customer_days_per_second"])
    print(f"{'engine':<24}{'customers':>11}{'days':>6}{'seconds':>9}{'per second':>14}"
          f"{'peak MiB':>10}")
    for r in results:
        rate = r.get("customer_days_per_second") or r["agent_steps_per_second"]
        print(f"{r['engine']:<24}{r['customers']:>11,}{r['days']:>6}{r['seconds']:>9.2f}"
              f"{rate:>14,.0f}{r['peak_rss_mib']:>10.0f}")
    print(f"\nvectorized / agents at 10,000 customers: {ratio:.0f}x (customer-days per second)")
    print("(virus_on_network: agent-steps per second, run phase only)")
    out = out or REPO / "results" / f"bench-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                           "cpus": len(__import__("os").sched_getaffinity(0))},
               "scenario": str(SCENARIO.relative_to(REPO)), "results": results,
               "vectorized_over_agents_10k": ratio}
    out.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
