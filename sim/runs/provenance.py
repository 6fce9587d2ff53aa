"""What a manifest records so that every number can be reproduced (docs/design.md Decision 7)."""

from __future__ import annotations

import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

PACKAGES = ("cxsim", "mesa", "numpy", "networkx", "simpy", "pydantic", "pandas", "pyarrow",
            "seaborn", "matplotlib", "scipy", "pyyaml", "tqdm", "SALib", "dask", "distributed",
            "numba", "optuna")
REPO = Path(__file__).resolve().parents[2]


def package_versions() -> dict[str, str]:
    """Installed versions of the packages results depend on."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_commit() -> dict[str, str | bool]:
    """The source commit and whether the working tree had uncommitted changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True,
                              timeout=10, check=False).stdout.strip()

    try:
        return {"commit": git("rev-parse", "HEAD") or "unknown",
                "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}
    except (OSError, subprocess.SubprocessError):
        return {"commit": "unknown", "dirty": False}


def environment() -> dict:
    """Interpreter, platform, packages and source commit."""
    return {"python": sys.version.split()[0], "platform": platform.platform(),
            "packages": package_versions(), "git": git_commit()}


def python_command() -> list[str]:
    """How this Python process was started, for a manifest: the script and its arguments.

    In a notebook `sys.argv` names the kernel launcher, not what the user ran, so the
    notebook is recorded as such; an interactive session records `python` and its options.
    """
    if "ipykernel" in sys.modules:
        return ["notebook (IPython kernel)"]
    script = getattr(sys.modules.get("__main__"), "__file__", None)
    if script:
        return ["python", str(Path(script).resolve()), *sys.argv[1:]]
    return ["python", *(a for a in sys.argv if a)]


def timestamp() -> str:
    """UTC time stamp used in folder names, e.g. 20261124T142400Z."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
