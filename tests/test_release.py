"""One version in every place that states it (CHANGELOG.md, "Releases")."""

import re
import tomllib

import yaml


def test_pyproject_citation_and_changelog_name_the_same_version(repo):
    version = tomllib.loads((repo / "pyproject.toml").read_text())["project"]["version"]
    citation = yaml.safe_load((repo / "CITATION.cff").read_text())
    released = re.findall(r"^## (\d+\.\d+\.\d+) - \d{4}-\d{2}-\d{2}$",
                          (repo / "CHANGELOG.md").read_text(), flags=re.MULTILINE)
    assert citation["version"] == version
    assert released and released[0] == version
    assert citation["license"] == "MIT" and (repo / "LICENSE").read_text().startswith("MIT")
