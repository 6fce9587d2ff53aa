"""Output folders: where a command writes, and writing there all or nothing.

Every output is written into a hidden folder next to its destination and renamed into place at
the end, so an interrupted or failed command never leaves a half-written results folder.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sim.runs import provenance
from sim.scenario.errors import UserError

DEFAULT_ROOT = Path("results")


def output_folder(name: str, root: Path = DEFAULT_ROOT) -> Path:
    """`root/<name>-<timestamp>`, made unique if that already exists."""
    folder = root / f"{name}-{provenance.timestamp()}"
    n = 1
    while folder.exists():
        n += 1
        folder = root / f"{name}-{provenance.timestamp()}-{n}"
    return folder


def check_out(out: Path | None, hint: str = "") -> None:
    """Refuse an `--out` that exists and is not an empty folder (nothing is overwritten)."""
    if out is not None and out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UserError(f"--out {out}: already exists and is not an empty folder; "
                        f"choose a new folder{hint}")


@contextmanager
def staged(folder: Path) -> Iterator[Path]:
    """Yield an empty staging folder; on success it becomes `folder`, on failure it is deleted.

    `folder` may be absent or an empty folder (an `--out` the user made beforehand).
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = folder.parent / f".{folder.name}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        yield staging
        if folder.is_dir():
            folder.rmdir()  # empty, as checked before the runs (check_out)
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
