"""The command line end to end on small scenarios: outputs, provenance, determinism."""

import json
import subprocess
import sys

import pandas as pd
import pytest

SMALL = ["--set", "population.size=300", "--set", "horizon_days=60", "--no-progress"]
TABLES = ["kpis.csv", "kpis.parquet", "series.csv", "series.parquet", "breakdowns.csv",
          "breakdowns.parquet"]


def cli(repo, *args):
    return subprocess.run([sys.executable, "run.py", *args], cwd=repo, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def comparison(repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("cmp") / "out"
    done = cli(repo, "compare", "scenarios/omnichannel.yaml", "scenarios/weak_digital.yaml",
               "--seeds", "2", "--workers", "2", "--out", str(out), *SMALL)
    assert done.returncode == 0, done.stderr
    return out, done


def test_compare_prints_the_comparison_table(comparison):
    _, done = comparison
    assert "retention_rate" in done.stdout
    assert "omnichannel" in done.stdout and "weak_digital" in done.stdout


def test_compare_writes_tidy_tables_figures_report_and_manifest(comparison):
    out, _ = comparison
    for name in [*TABLES, "manifest.json", "summary.md"]:
        assert (out / name).stat().st_size > 0, name
    figures = sorted(p.name for p in (out / "figures").glob("*.png"))
    assert {"retention.png", "funnel.png", "channel_mix.png", "word_of_mouth.png",
            "pain_points.png"} <= set(figures)
    kpis = pd.read_parquet(out / "kpis.parquet")
    assert len(kpis) == 4 and set(kpis.scenario) == {"omnichannel", "weak_digital"}
    series = pd.read_csv(out / "series.csv")
    assert list(series.columns) == ["scenario", "replication", "seed", "day", "metric", "value"]
    assert series.day.max() == 59


def test_manifest_lets_a_run_be_reproduced(comparison):
    out, _ = comparison
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["scenarios"]) == {"omnichannel", "weak_digital"}
    assert manifest["scenarios"]["omnichannel"]["population"]["size"] == 300
    seeds = {(r["scenario"], r["replication"]): r["seed"] for r in manifest["runs"]}
    # Common random numbers: both strategies see the same replication seeds.
    assert seeds[("omnichannel", 0)] == seeds[("weak_digital", 0)]
    assert manifest["environment"]["packages"]["mesa"].startswith("3.")
    assert "compare" in manifest["command"]


def test_same_scenario_and_seed_give_byte_identical_files(repo, tmp_path):
    outs = [tmp_path / "a", tmp_path / "b"]
    for out, workers in zip(outs, ["1", "2"], strict=True):
        done = cli(repo, "run", "scenarios/multichannel.yaml", "--seeds", "2", "--workers",
                   workers, "--out", str(out), *SMALL)
        assert done.returncode == 0, done.stderr
    for name in TABLES:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_another_master_seed_gives_other_numbers(repo, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    cli(repo, "run", "scenarios/base.yaml", "--seeds", "1", "--out", str(a), *SMALL)
    cli(repo, "run", "scenarios/base.yaml", "--seeds", "1", "--out", str(b), "--set", "seed=7",
        *SMALL)
    assert (a / "kpis.csv").read_bytes() != (b / "kpis.csv").read_bytes()


def test_industries_with_other_horizons_are_warned_about_and_unrated_kpis_show_n_a(repo, tmp_path):
    out = tmp_path / "out"
    done = cli(repo, "compare", "scenarios/industries/shampoo.yaml",
               "scenarios/industries/housing.yaml", "--seeds", "2", "--workers", "1", "--out",
               str(out), "--set", "population.size=200", "--no-progress")

    assert done.returncode == 0, done.stderr
    assert ("warning: the scenarios run for different horizons (shampoo 365 days, housing "
            "1,095 days)") in done.stderr
    # No housing journey is rated within its horizon: its NPS is not measured, not zero.
    nps = next(line for line in done.stdout.splitlines() if line.startswith("nps"))
    assert nps.split()[-1] == "n/a"
    summary = (out / "summary.md").read_text()
    assert "**Warning**: the scenarios run for different horizons" in summary
    assert "not explained here" in summary and "times as high" not in summary


def test_every_command_explains_itself_with_an_example():
    from sim.cli import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices
    for name, parser in commands.items():
        text = parser.format_help()
        assert parser.description, name
        assert f"examples:\n  python run.py {name}" in text, name


def test_a_python_without_the_dependencies_is_pointed_to_make_run(repo):
    # -S: no site-packages, so none of cxsim's dependencies can be imported.
    done = subprocess.run([sys.executable, "-S", "run.py", "--help"], cwd=repo,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "lacks cxsim's dependencies" in done.stderr and "make run" in done.stderr
