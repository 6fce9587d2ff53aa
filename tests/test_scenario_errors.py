"""Bad input never shows a traceback (docs/design.md Decision 5).

Every bad scenario and every bad command line is refused with one clear message naming the file,
the key path and what is allowed; exit code 2; no output folder, nothing under results/.
Most cases call `sim.cli.main` in-process (fast); a few go through a real `python run.py`
subprocess to prove the whole path, interpreter exit code included.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sim.cli import main

REPO = Path(__file__).resolve().parents[1]
BASE = REPO / "scenarios" / "base.yaml"
FOLDER = object()  # marks a file entry that is a folder rather than a file


@dataclass
class Bad:
    """One bad scenario: the files to write, what to run, and phrases the message must contain."""

    id: str
    files: dict[str, str | bytes | object]
    phrases: list[str]
    scenario: str = "bad.yaml"
    extra: list[str] = field(default_factory=list)


CASES = [
    Bad("a key named like pydantic's marker", {"bad.yaml": "'[key]': 1\n"},
        ["[key]: unknown key '[key]'", "allowed: name"]),
    Bad("negative price", {"bad.yaml": "economics:\n  staff_cost_per_year: -5\n"},
        ["economics.staff_cost_per_year", "out of range (allowed: 0 to"]),
    Bad("unknown lever price", {"bad.yaml": "economics:\n  levers:\n    ai: {}\n"},
        ["economics.levers.ai", "unknown key 'ai'", "integration"]),
    Bad("incomplete lever price", {"bad.yaml": "economics:\n  levers:\n    integration:\n"
                                   "      per_1000_per_year: 10\n"},
        ["economics.levers.integration.setup_per_1000", "missing"]),
    Bad("unknown channel price", {"bad.yaml": "economics:\n  cost_per_contact: {whatsapp: 1}\n"},
        ["economics.cost_per_contact", "whatsapp is the channel 'messaging' in cxsim"]),
    Bad("channel by its brand name", {"bad.yaml": "strategy:\n  channels:\n    WhatsApp: {}\n"},
        ["strategy.channels.WhatsApp", "WhatsApp is the channel 'messaging' in cxsim",
         "allowed: web, app"]),
    Bad("market scale zero", {"bad.yaml": "economics:\n  market_scale: 0\n"},
        ["economics.market_scale"]),
    Bad("unknown key with did-you-mean", {"bad.yaml": "strategy:\n  chanels: {web: {}}\n"},
        ["strategy.chanels", "unknown key 'chanels'", "did you mean 'channels'"]),
    Bad("unknown top-level key", {"bad.yaml": "name: typo\nhorizon: 30\n"},
        ["horizon", "did you mean 'horizon_days'", "allowed: name, description"]),
    Bad("wrong type: text for a whole number", {"bad.yaml": "population:\n  size: lots\n"},
        ["population.size", "'lots'", "expected a whole number, found text"]),
    Bad("wrong type: text for a number", {"bad.yaml": "strategy:\n  integration: high\n"},
        ["strategy.integration", "expected a number, found text"]),
    Bad("wrong type: a list for a nested mapping", {"bad.yaml": "strategy:\n  channels: [web]\n"},
        ["strategy.channels", "expected a mapping", "found a list"]),
    Bad("probability above 1", {"bad.yaml": "strategy:\n  integration: 1.5\n"},
        ["strategy.integration", "1.5", "allowed: 0 to 1"]),
    Bad("negative probability", {"bad.yaml": "word_of_mouth:\n  share_probability: -0.1\n"},
        ["word_of_mouth.share_probability", "allowed: 0 to 1"]),
    Bad("shares not summing to 1", {"bad.yaml": (
        "population:\n  archetypes: {perilla: 0.5, pez_dorado: 0.2, trompeta: 0.2,"
        " embudo: 0.2}\n")},
        ["population.archetypes", "must sum to 1", "1.1"]),
    Bad("negative population size", {"bad.yaml": "population:\n  size: -5\n"},
        ["population.size", "-5", "allowed: 10 to 5,000,000"]),
    Bad("unknown channel", {"bad.yaml": "strategy:\n  channels:\n    fax: {quality: 0.5}\n"},
        ["strategy.channels.fax", "unknown key 'fax'", "allowed: web, app, social"]),
    Bad("unknown archetype", {"bad.yaml": (
        "population:\n  archetypes: {perilla: 0.5, pez dorado: 0.5}\n")},
        ["population.archetypes", "did you mean 'pez_dorado'"]),
    Bad("unknown generation", {"bad.yaml": (
        "population:\n  generations: {boomers: 0.5, alpha: 0.5}\n")},
        ["population.generations.alpha", "allowed: boomers, x, millennials, z"]),
    Bad("value outside its choices", {"bad.yaml": "network:\n  kind: lattice\n"},
        ["network.kind", "'lattice'",
         "allowed: small_world, scale_free, random, complete, edge_list"]),
    Bad("required key missing", {"bad.yaml": (
        "strategy:\n  service:\n    phone: {staff_per_1000: 1}\n")},
        ["strategy.service.phone.handle_minutes", "required key is missing"]),
    Bad("offered desk channel without staffing", {"bad.yaml": (
        "strategy:\n  channels: {web: {}, messaging: {}}\n  service: {}\n")},
        ["strategy", "need staffing under 'service'", "messaging"]),
    Bad("several problems at once", {"bad.yaml": "population: {size: 1}\nseed: -3\n"},
        ["2 problems", "population.size", "seed"]),
    Bad("missing extends parent", {"bad.yaml": "extends: nowhere.yaml\nname: child\n"},
        ["extends", "'nowhere.yaml' not found"]),
    Bad("circular extends", {"bad.yaml": "extends: other.yaml\n",
                             "other.yaml": "extends: bad.yaml\n"},
        ["extends", "circular", "other.yaml"]),
    Bad("broken YAML in an extends parent", {"bad.yaml": "extends: parent.yaml\n",
                                             "parent.yaml": "name: p\n  seed: 3\n"},
        ["parent.yaml", "invalid YAML", "line 2"]),
    Bad("invalid YAML with its line", {"bad.yaml": "name: x\nseed: 1\n  horizon_days: 3\n"},
        ["invalid YAML", "line 3"]),
    Bad("unclosed bracket", {"bad.yaml": "name: x\nseed: 1\nhorizon_days: [3\n"},
        ["invalid YAML", "started on line 3"]),
    Bad("duplicate key", {"bad.yaml": "name: x\nseed: 1\nname: y\n"},
        ["duplicate key 'name'", "line 3"]),
    Bad("a non-YAML text file", {"notes.txt": "Meeting notes\nremember the scenario\n"},
        ["is not a scenario file", "found text"], scenario="notes.txt"),
    Bad("a list instead of a mapping", {"bad.yaml": "- name: x\n- seed: 3\n"},
        ["is not a scenario file", "found a list"]),
    Bad("a binary, non-UTF-8 file", {"bad.yaml": bytes(range(256))}, ["not a YAML text file"]),
    Bad("control characters", {"bad.yaml": b"name: x\n\x00\x01\n"},
        ["not a YAML text file", "#x0000"]),
    Bad("an empty file", {"bad.yaml": ""}, ["the file is empty"]),
    Bad("a YAML tag that builds a Python object", {"bad.yaml": (
        "name: !!python/object/apply:os.system ['echo built > built.txt']\n")},
        ["build Python objects are refused", "line 1"]),
    Bad("a missing file", {}, ["file not found"], scenario="missing.yaml"),
    Bad("a folder passed as scenario", {"folder.yaml": FOLDER}, ["is a folder"],
        scenario="folder.yaml"),
    Bad("edge_list network without path", {"bad.yaml": "network:\n  kind: edge_list\n"},
        ["network", "kind 'edge_list' needs a 'path'"]),
    Bad("edge list file not found", {"bad.yaml": "network: {kind: edge_list, path: edges.txt}\n"},
        ["network.path", "edges.txt", "not found"]),
    Bad("edge list node ids out of range", {
        "bad.yaml": "population: {size: 10}\nnetwork: {kind: edge_list, path: edges.txt}\n",
        "edges.txt": "0 1\n1 2\n2 99\n"},
        ["network.path", "edges.txt", "node id 99 is outside 0..9"]),
    Bad("edge list that is not integers", {
        "bad.yaml": "population: {size: 10}\nnetwork: {kind: edge_list, path: edges.txt}\n",
        "edges.txt": "anna bob\n"},
        ["network.path", "not an edge list of integer node ids"]),
    Bad("wrong length list in a profile", {"bad.yaml": (
        "archetype_profiles:\n  perilla: {weights: [1, 2]}\n")},
        ["archetype_profiles.perilla.weights", "expected 6 items, found 2"]),
    # Numbers the run cannot use (issue 16): finite, and within a range the model can use.
    Bad("not a number", {"bad.yaml": "behaviour:\n  purchase_intercept: .nan\n"},
        ["behaviour.purchase_intercept", "not a finite number", "allowed: -50 to 50"]),
    Bad("infinite staffing", {"bad.yaml": (
        "strategy:\n  service:\n    phone: {staff_per_1000: .inf, handle_minutes: 8}\n")},
        ["strategy.service.phone.staff_per_1000", "not a finite number", "at most 1,000"]),
    Bad("staffing that overflows", {"bad.yaml": (
        "strategy:\n  service:\n    phone: {staff_per_1000: 1.0e+300, handle_minutes: 8}\n")},
        ["strategy.service.phone.staff_per_1000", "more than 0 and at most 1,000"]),
    Bad("a basket worth 1e308", {"bad.yaml": "industry:\n  basket_value: 1.0e+308\n"},
        ["industry.basket_value", "at most 1,000,000"]),
    Bad("an infinite need interval", {"bad.yaml": "industry:\n  need_interval_days: .inf\n"},
        ["industry.need_interval_days", "allowed: 1 to 1,000,000,000"]),
    Bad("an infinite customer bonus", {"bad.yaml": "behaviour:\n  customer_bonus: -.inf\n"},
        ["behaviour.customer_bonus", "not a finite number"]),
    Bad("a loyalty that is not a number", {"bad.yaml": (
        "archetype_profiles:\n  perilla: {loyalty: .nan}\n")},
        ["archetype_profiles.perilla.loyalty", "not a finite number", "allowed: -50 to 50"]),
    Bad("a generation's affinity of 0", {"bad.yaml": (
        "generation_profiles:\n  boomers: {affinity: 0}\n")},
        ["generation_profiles.boomers.affinity", "allowed: 0.01 to 0.99"]),
    Bad("a generation's affinity of 1", {"bad.yaml": "generation_profiles:\n  z: {affinity: 1}\n"},
        ["generation_profiles.z.affinity", "allowed: 0.01 to 0.99"]),
    Bad("all archetype weights zero", {"bad.yaml": (
        "archetype_profiles:\n  embudo: {weights: [0, 0, 0, 0, 0, 0]}\n")},
        ["archetype_profiles.embudo", "at least one attribute needs a weight above 0"]),
    Bad("a population too large to be a number", {"bad.yaml": "population:\n  size: 1.0e+308\n"},
        ["population.size", "too large", "allowed: 10 to 5,000,000"]),
    Bad("shares off by more than the tolerance", {"bad.yaml": (
        "population:\n  generations: {boomers: 0.25, x: 0.25, millennials: 0.25, z: 0.25001}\n")},
        ["population.generations", "must sum to 1", "within 1e-06 of 1 are accepted and rescaled"]),
    # Names become folder names (issue 16): never a path, never odd, never too long.
    Bad("a name that climbs out of results/", {"bad.yaml": "name: ../../../../elsewhere/x\n"},
        ["name", "not allowed as a name", "letters A-Z"]),
    Bad("a name with a slash", {"bad.yaml": "name: a/b\n"}, ["name = 'a/b'", "not allowed"]),
    Bad("an empty name", {"bad.yaml": "name: ''\n"}, ["name = ''", "not allowed"]),
    Bad("a name that is a dot", {"bad.yaml": "name: .\n"}, ["name = '.'", "not allowed"]),
    Bad("a name that is two dots", {"bad.yaml": "name: ..\n"}, ["name = '..'", "not allowed"]),
    Bad("a 400-character name", {"bad.yaml": f"name: {'n' * 400}\n"},
        ["name", "not allowed", "1 to 64 characters"]),
    Bad("a name with a NUL byte", {"bad.yaml": 'name: "a\\0b"\n'},
        ["name", "not allowed"]),
    Bad("--set with a bad value", {"bad.yaml": "name: fine\n"},
        ["strategy.integration", "allowed: 0 to 1", "overrides strategy.integration=2"],
        extra=["--set", "strategy.integration=2"]),
    Bad("--set with a misspelt key", {"bad.yaml": "name: fine\n"},
        ["strategy.integraton", "did you mean 'integration'"],
        extra=["--set", "strategy.integraton=0.9"]),
    Bad("--set below a value that is not a mapping", {"bad.yaml": "name: fine\n"},
        ["override name.first", "'name' is 'fine', not a mapping"],
        extra=["--set", "name.first=x"]),
]
# These also go through a real subprocess: the whole path, interpreter exit code included.
SUBPROCESS = {"unknown key with did-you-mean", "invalid YAML with its line",
              "a YAML tag that builds a Python object", "circular extends"}


def write_case(case: Bad, folder: Path) -> Path:
    """Write the case's files into `folder`; return the scenario path to run."""
    for name, content in case.files.items():
        target = folder / name
        if content is FOLDER:
            target.mkdir()
        elif isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return folder / case.scenario


def run_args(scenario: Path, out: Path, extra: list[str]) -> list[str]:
    return ["run", str(scenario), "--seeds", "1", "--out", str(out), "--no-progress", *extra]


def results_listing() -> list[str]:
    root = REPO / "results"
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


@pytest.fixture
def results_untouched():
    """Fails the test if anything new appears under the repository's results/ folder."""
    before = results_listing()
    yield
    assert results_listing() == before


def assert_clear_refusal(code: int, stderr: str, scenario: Path, phrases: list[str], out: Path):
    assert code == 2, stderr
    assert "Traceback" not in stderr
    assert scenario.name in stderr
    for phrase in phrases:
        assert phrase in stderr, f"{phrase!r} not in:\n{stderr}"
    assert not out.exists()


def test_the_table_covers_at_least_eighteen_distinct_kinds():
    assert len({case.id for case in CASES}) == len(CASES) >= 18


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_scenario_is_refused_with_file_key_and_reason(case, tmp_path, capsys,
                                                         results_untouched, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a YAML tag that ran a command would leave built.txt here
    scenario = write_case(case, tmp_path)
    out = tmp_path / "out"
    code = main(run_args(scenario, out, case.extra))
    assert_clear_refusal(code, capsys.readouterr().err, scenario, case.phrases, out)
    assert not (tmp_path / "built.txt").exists()


@pytest.mark.parametrize("case", [c for c in CASES if c.id in SUBPROCESS],
                         ids=lambda c: c.id)
def test_bad_scenario_through_run_py_exits_2_without_traceback(case, tmp_path,
                                                               results_untouched):
    scenario = write_case(case, tmp_path)
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "run.py", *run_args(scenario, out, case.extra)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert_clear_refusal(done.returncode, done.stderr, scenario, case.phrases, out)
    assert done.stdout == ""


def test_validate_refuses_a_bad_scenario_too(tmp_path, capsys):
    scenario = write_case(next(c for c in CASES if "did-you-mean" in c.id), tmp_path)
    assert main(["validate", str(BASE), str(scenario)]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'channels'" in err and "Traceback" not in err


# --- Bad command lines -------------------------------------------------------------------------

ARGPARSE_CASES = [
    (["--seeds", "0"], "must be at least 1, got 0"),
    (["--seeds", "many"], "expected a whole number, got 'many'"),
    (["--workers", "0"], "must be at least 1, got 0"),
    (["--set", "strategy.integration"], "expected KEY=VALUE"),
    (["--set", "=0.9"], "expected KEY=VALUE"),
    (["--set", "name=[unclosed"], "cannot read the value"),
]


@pytest.mark.parametrize(("extra", "phrase"), ARGPARSE_CASES, ids=[" ".join(c[0])
                                                                    for c in ARGPARSE_CASES])
def test_bad_option_exits_2_with_usage_and_reason(extra, phrase, tmp_path, capsys):
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as stop:
        main(run_args(BASE, out, extra))
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert phrase in err and "usage:" in err and "Traceback" not in err
    assert not out.exists()


def test_seeds_zero_through_run_py_exits_2_without_traceback(tmp_path, results_untouched):
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "run.py", *run_args(BASE, out, ["--seeds", "0"])],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "--seeds: must be at least 1, got 0" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_out_pointing_at_a_non_empty_folder_is_refused_and_left_alone(tmp_path, capsys,
                                                                     results_untouched):
    out = tmp_path / "previous"
    out.mkdir()
    (out / "kpis.csv").write_text("keep me\n")
    assert main(run_args(BASE, out, [])) == 2
    err = capsys.readouterr().err
    assert f"--out {out}" in err and "not an empty folder" in err and "Traceback" not in err
    assert [p.name for p in out.iterdir()] == ["kpis.csv"]
    assert (out / "kpis.csv").read_text() == "keep me\n"


def test_out_pointing_at_a_file_is_refused(tmp_path, capsys, results_untouched):
    out = tmp_path / "results.txt"
    out.write_text("not a folder\n")
    assert main(run_args(BASE, out, [])) == 2
    assert "not an empty folder" in capsys.readouterr().err
    assert out.read_text() == "not a folder\n"


def test_compare_refuses_two_scenarios_with_the_same_name(tmp_path, capsys, results_untouched):
    twin = tmp_path / "twin.yaml"
    twin.write_text(f"extends: {BASE}\n")  # still named 'base'
    out = tmp_path / "out"
    code = main(["compare", str(BASE), str(twin), "--seeds", "1", "--out", str(out),
                 "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2
    assert "names must differ" in err and "base appears more than once" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_compare_names_the_bad_file_among_good_ones(tmp_path, capsys, results_untouched):
    bad = write_case(CASES[0], tmp_path)
    out = tmp_path / "out"
    code = main(["compare", str(BASE), str(bad), "--seeds", "1", "--out", str(out),
                 "--no-progress"])
    assert_clear_refusal(code, capsys.readouterr().err, bad, CASES[0].phrases, out)


def test_unknown_command_exits_2(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["simulate", str(BASE)])
    assert stop.value.code == 2
    assert "invalid choice: 'simulate'" in capsys.readouterr().err


def test_schema_into_a_missing_folder_exits_2(tmp_path, capsys):
    target = tmp_path / "no" / "such" / "schema.json"
    assert main(["schema", "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert str(target) in err and "cannot write" in err and "Traceback" not in err
    assert not target.exists()
