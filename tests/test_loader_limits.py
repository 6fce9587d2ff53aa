"""Scenario files that would make the loader crash, hang or eat memory are refused clearly.

Each case is refused with `ScenarioError` naming the file and the limit (issue 16): complex
keys, symbolic link loops, endless `extends:` chains, alias bombs, megabytes of keys, deep
nesting, devices instead of files. The rule for `extends:` through a symbolic link is pinned too.
"""

import os
import subprocess
import sys
import textwrap
import time

import pytest

from sim.scenario.errors import ScenarioError
from sim.scenario.files import MAX_BYTES, MAX_NODES
from sim.scenario.loading import load_scenario

BASE_LINE = "name: fine\n"


def refused(path, *phrases):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert str(path) in message
    for phrase in phrases:
        assert phrase in message, message
    return message


def alias_bomb(levels=9):
    parts = ["&a0 [x, x, x, x, x, x, x, x, x, x]"]
    parts += [f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "name: bomb\ndescription: [" + ", ".join(parts) + "]\n"  # 10^9 values expanded


def test_a_key_that_is_a_list_is_refused(tmp_path):
    path = tmp_path / "complex.yaml"
    path.write_text("? [a, b]\n: 1\n")
    refused(path, "a key must be plain text or a number, found a list", "line 1")


def test_a_symbolic_link_loop_is_refused(tmp_path):
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    refused(tmp_path / "a.yaml", "cannot be read", "symbolic links")


def test_an_extends_chain_of_two_thousand_files_is_refused_at_the_limit(tmp_path):
    for i in range(2000):
        (tmp_path / f"c{i}.yaml").write_text(f"extends: c{i + 1}.yaml\n")
    (tmp_path / "c2000.yaml").write_text(BASE_LINE)
    refused(tmp_path / "c0.yaml", "extends: a chain of more than 32 files", "c32.yaml")


def test_an_extends_chain_within_the_limit_merges_every_file(tmp_path):
    for i in range(31):
        (tmp_path / f"c{i}.yaml").write_text(f"extends: c{i + 1}.yaml\nhorizon_days: {i + 1}\n")
    (tmp_path / "c31.yaml").write_text("name: root\nseed: 5\n")
    s = load_scenario(tmp_path / "c0.yaml")
    assert (s.name, s.seed, s.horizon_days) == ("root", 5, 1)


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb())
    started = time.perf_counter()
    refused(path, f"more than {MAX_NODES:,} values once its aliases", "alias bomb")
    assert time.perf_counter() - started < 5  # used to take minutes and 3 GB


def test_an_alias_that_contains_itself_is_refused(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("name: x\ndescription: &a [*a]\n")
    refused(path, "an alias refers to a value that contains it")


def test_a_file_larger_than_the_limit_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "keys.yaml"
    path.write_text("".join(f"k{i}: 1\n" for i in range(MAX_BYTES // 8)))
    refused(path, "bytes; a scenario file may have at most 1,000,000")


def test_tens_of_thousands_of_values_are_refused_early(tmp_path):
    path = tmp_path / "keys.yaml"
    path.write_text("".join(f"k{i}: 1\n" for i in range(MAX_NODES)))
    refused(path, f"more than {MAX_NODES:,} values; a scenario needs a few hundred")


def test_many_unknown_keys_give_a_short_message(tmp_path):
    path = tmp_path / "keys.yaml"
    path.write_text("".join(f"unknown_{i}: 1\n" for i in range(2000)))
    message = refused(path, "2,000 problems", "unknown key 'unknown_0'", "... and 1,980 more")
    assert len(message) < 5000


def test_nesting_deeper_than_the_limit_is_refused(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("name: " + "[" * 500 + "]" * 500 + "\n")
    refused(path, "nested more than 40 levels deep")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_given_as_scenario_is_refused(device):
    if not os.path.exists(device):
        pytest.skip(f"{device} does not exist here")
    refused(device, "is not a regular file")


@pytest.mark.parametrize(("target", "phrase"), [
    ("/dev/zero", "is not a regular file"), (".", "is a folder"),
    ("missing.txt", "not found")])
def test_an_edge_list_that_is_not_a_regular_file_says_what_it_is(tmp_path, target, phrase):
    path = tmp_path / "s.yaml"
    path.write_text(f"network: {{kind: edge_list, path: '{target}'}}\n")
    refused(path, "network.path", phrase)


def test_extends_through_a_symbolic_link_is_named_from_the_real_files_folder(tmp_path):
    real, elsewhere = tmp_path / "real", tmp_path / "elsewhere"
    real.mkdir()
    elsewhere.mkdir()
    (real / "parent.yaml").write_text("name: from_parent\nseed: 11\n")
    (real / "child.yaml").write_text("extends: parent.yaml\nhorizon_days: 7\n")
    (elsewhere / "link.yaml").symlink_to(real / "child.yaml")
    s = load_scenario(elsewhere / "link.yaml")
    assert (s.name, s.seed, s.horizon_days) == ("from_parent", 11, 7)
    (real / "parent.yaml").unlink()
    refused(elsewhere / "link.yaml", f"looked for {real / 'parent.yaml'}",
            "relative to the folder of the file that names it, after following symbolic links")


def test_the_largest_refused_inputs_stay_under_a_gibibyte(tmp_path):
    (tmp_path / "bomb.yaml").write_text(alias_bomb())
    (tmp_path / "keys.yaml").write_text("".join(f"k{i}: 1\n" for i in range(MAX_BYTES // 9)))
    (tmp_path / "big.yaml").write_text("population: {size: 5000000}\n"
                                       "network: {mean_degree: 1000}\n")
    script = textwrap.dedent(f"""
        import resource
        from sim.scenario.errors import UserError
        from sim.cli import main
        for name in ("bomb", "keys", "big"):
            code = main(["run", "{tmp_path}/" + name + ".yaml", "--out", "{tmp_path}/out",
                         "--no-progress", "--workers", "1"])
            assert code == 2, name
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    peak_kib = int(done.stdout.split()[-1])
    assert peak_kib < 1024 * 1024, f"peak {peak_kib / 1024:.0f} MiB"
    assert not (tmp_path / "out").exists()
