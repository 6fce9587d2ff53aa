"""The Python API as the README shows it: pasted into a plain script, it runs as written."""

import json
import re
import subprocess
import sys


def readme_python_example(readme: str) -> str:
    """The first Python block of the README's "From Python" section."""
    section = readme.split("## From Python", 1)[1]
    return re.search(r"```python\n(.*?)```", section, flags=re.DOTALL).group(1)


def test_the_readme_python_example_runs_as_a_plain_script(repo, tmp_path):
    # As a user would: the example in a file, run from a folder with the scenarios at hand,
    # without `if __name__ == "__main__":` (workers must not re-run the script).
    (tmp_path / "scenarios").symlink_to(repo / "scenarios")
    script = tmp_path / "example.py"
    script.write_text(readme_python_example((repo / "README.md").read_text()))

    done = subprocess.run([sys.executable, str(script), "--my-flag"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)

    assert done.returncode == 0, done.stderr[-3000:]
    assert "freeze_support" not in done.stderr and "BrokenProcessPool" not in done.stderr
    manifest = json.loads((tmp_path / "results/integration-test/manifest.json").read_text())
    assert manifest["command"] == ["python", str(script.resolve()), "--my-flag"]
    assert manifest["api_call"].startswith("sim.compare(['omnichannel', 'omni_in_silos']")
