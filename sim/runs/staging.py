"""Output folders: where a command writes, checked before the work, written all or nothing.

A command reserves its output folder before it runs anything (`reserve`): the location is
checked (not a symbolic link, not under a file, not an existing folder with files in it) and a
hidden staging folder `.NAME.partial` is made beside it, holding a lock, so two commands never
write to one folder. Outputs are written into the staging folder and renamed into place at the
end. Nothing is ever deleted that this program did not make: a `.NAME.partial` of the user's is
refused, never removed; one left by a killed run of ours (its marker file unlocked) is removed.
If the results cannot be moved into place, they are kept and the message says where.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sim.runs import provenance
from sim.scenario.errors import UserError

DEFAULT_ROOT = Path("results")
MARKER = ".cxsim-staging"  # inside a staging folder: made by us, locked while in use
FOLDER_NAME_MAX = 120  # characters of a default folder name (a file name has 255 bytes)
# Staging folders this process holds: POSIX locks do not exclude the process that holds them.
_HELD: set[Path] = set()


class OutputError(UserError):
    """The results could not be written where asked; the message says where they are."""

    exit_code = 1


def output_folder(name: str, root: Path = DEFAULT_ROOT) -> Path:
    """`root/<name>-<timestamp>`, one folder directly under `root`, new.

    `name` is a scenario or experiment name (plain, see `sim.scenario.names`) or several joined
    by '-'; a long one is shortened, and anything but a plain folder name is refused.
    """
    if len(name) > FOLDER_NAME_MAX:
        name = name[:FOLDER_NAME_MAX].rstrip("-.") + "-etc"
    folder = root / f"{name}-{provenance.timestamp()}"
    n = 1
    while folder.exists():
        n += 1
        folder = root / f"{name}-{provenance.timestamp()}-{n}"
    if folder.parent != root or folder.name in (".", "..") or "/" in name or "\0" in name:
        raise UserError(f"{name!r}: cannot name a folder under {root}/")
    return folder


def check_out(out: Path | None, hint: str = "") -> None:
    """Refuse an `--out` that cannot be a new output folder (nothing is overwritten)."""
    if out is None:
        return
    try:
        _check_out(out, hint)
    except OSError as exc:  # a name too long, a folder that cannot be read
        raise UserError(f"--out {out}: cannot be used ({exc.strerror or exc})") from None


def _check_out(out: Path, hint: str) -> None:
    if out.name in ("", ".", ".."):
        raise UserError(f"--out {out}: give the name of a new folder")
    if out.is_symlink():
        raise UserError(f"--out {out}: is a symbolic link; give the path of a new folder")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UserError(f"--out {out}: already exists and is not an empty folder; "
                        f"choose a new folder{hint}")
    for parent in out.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise UserError(f"--out {out}: cannot be made: {parent} is a file")
            return


class Reservation:
    """An output folder claimed before the work: its staging folder exists and is locked."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.staging = self.folder.parent / f".{self.folder.name}.partial"
        self._made: list[Path] = []  # parent folders this reservation created
        self._lock = None
        self.done = False

    def claim(self) -> Reservation:
        """Make the staging folder and lock it, or refuse clearly."""
        try:
            self._make_parents()
            self._remove_if_stale()
            self.staging.mkdir()
        except FileExistsError:
            raise UserError(f"{self.folder}: {self.staging} exists: another run is writing "
                            "there, or it holds files of yours or of an earlier run whose "
                            "results could not be moved; move or remove it, or choose "
                            "another folder") from None
        except OSError as exc:
            self._remove_made()
            raise UserError(f"{self.folder}: cannot write there ({exc.strerror})") from None
        self._lock = open(self.staging / MARKER, "w")  # noqa: SIM115 - held until the end
        # lockf, not flock: worker processes forked later do not inherit it.
        fcntl.lockf(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        _HELD.add(self.staging.absolute())
        return self

    def commit(self) -> Path:
        """Rename the staging folder into place; on failure keep it and say where."""
        self._unlock()
        try:
            (self.staging / MARKER).unlink(missing_ok=True)
            os.rename(self.staging, self.folder)  # replaces only an empty folder
        except OSError as exc:
            self.keep(f"could not move the results into {self.folder} ({exc.strerror})")
        self.done = True
        return self.folder

    def keep(self, why: str) -> None:
        """Leave what was written in the staging folder, unmarked, and raise `OutputError`."""
        self._unlock()
        (self.staging / MARKER).unlink(missing_ok=True)  # now the user's: never auto-removed
        self.done = True
        raise OutputError(f"{why}; the results are kept in {self.staging}/")

    def release(self) -> None:
        """Remove the staging folder and the parents this reservation made (nothing else)."""
        if self.done:
            return
        self._unlock()
        shutil.rmtree(self.staging, ignore_errors=True)
        self._remove_made()
        self.done = True

    def _make_parents(self) -> None:
        missing = [p for p in self.folder.absolute().parents if not p.exists()]
        for parent in reversed(missing):
            parent.mkdir()
            self._made.append(parent)

    def _remove_made(self) -> None:
        for parent in reversed(self._made):
            try:
                parent.rmdir()  # only if still empty
            except OSError:
                break

    def _remove_if_stale(self) -> None:
        # A staging folder with our marker that nobody holds locked was left by a killed run.
        marker = self.staging / MARKER
        if self.staging.absolute() in _HELD or not marker.is_file() or self.staging.is_symlink():
            return
        with open(marker, "a") as probe:
            try:
                fcntl.lockf(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return  # in use by a running command
        print(f"note: removing {self.staging}, left by an interrupted run", file=sys.stderr)
        shutil.rmtree(self.staging, ignore_errors=True)

    def _unlock(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None
            _HELD.discard(self.staging.absolute())

    def __enter__(self) -> Reservation:
        return self

    def __exit__(self, kind, exc, tb) -> None:
        self.release()  # no-op after commit or keep


def reserve(folder: Path) -> Reservation:
    """Claim `folder` as an output folder before the work (see the module docstring)."""
    check_out(folder)
    return Reservation(folder).claim()


def path_of(folder: Path | Reservation) -> Path:
    """The output folder a path or a reservation stands for."""
    return folder.folder if isinstance(folder, Reservation) else Path(folder)


@contextmanager
def staged(folder: Path | Reservation) -> Iterator[Path]:
    """Yield an empty staging folder; on success it becomes the output folder.

    `folder` is a reservation made before the work, or a path reserved now. If writing fails
    with an OS error (disk full, folder removed), what was written is kept and `OutputError`
    says where; on any other failure the staging folder is removed.
    """
    reservation = folder if isinstance(folder, Reservation) else reserve(folder)
    try:
        yield reservation.staging
    except OSError as exc:
        reservation.keep(f"writing the results failed ({exc.strerror or exc})")
    except BaseException:
        reservation.release()
        raise
    reservation.commit()
