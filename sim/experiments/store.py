"""Streaming a sweep to disk, one finished run at a time, so it can be resumed after any crash.

Layout of a sweep folder while it runs:

    plan.json        what is being run (its fingerprint is checked by --resume)
    design.csv       the design points and their factor values
    sessions.jsonl   one line per start or resume: executor, workers, command
    runs.jsonl       the run index: one JSON line per finished run: run, scenario, point,
                     replication, seed, KPIs, seconds, worker, session
    parts/           <run>.series.parquet, <run>.breakdowns.parquet when those are kept

A run is finished when its index line is complete. Its part files are written first, each to a
temporary name and renamed into place (atomic), then the index line is appended in one write and
flushed to disk. A crash at any moment leaves whole runs or nothing: a torn last index line is
cut off on resume, part files without an index line are simply redone. At the end the tables
are consolidated in run order, which makes them byte-identical whatever the completion order,
the executor or the number of interruptions; then the parts are removed.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.experiments.design import ID_COLUMNS, Plan
from sim.experiments.tasks import RunRecord
from sim.runs.provenance import timestamp
from sim.scenario.errors import UserError

FORMAT = 1
PARTS_TABLES = ("series", "breakdowns")
ROWS_PER_GROUP = 250_000  # Parquet row groups of the consolidated series: bounded memory


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def append_line(path: Path, entry: dict) -> None:
    """Append `entry` to a JSON-lines file in one write, flushed to disk."""
    data = (json.dumps(entry) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, data)  # one write: a kill leaves the line whole or torn, never mixed
        os.fsync(fd)
    finally:
        os.close(fd)


def whole_lines(path: Path) -> list[bytes]:
    """The complete lines of an append-only file, cutting off a last line torn by a crash.

    The torn tail is removed from the file too, so that the next append starts a new line.
    """
    if not path.exists():
        return []
    raw = path.read_bytes()
    whole = raw.rfind(b"\n") + 1
    if whole < len(raw):
        with open(path, "r+b") as f:
            f.truncate(whole)
    return raw[:whole].splitlines()


def lock_folder(folder: Path, what: str):
    """Hold `folder/.lock` exclusively while the returned file is open, or refuse clearly."""
    lock = open(folder / ".lock", "w")  # noqa: SIM115 - held while open
    try:
        # A POSIX record lock, not flock: forked worker processes do not inherit it, so
        # workers orphaned by a killed driver cannot keep the folder locked against --resume.
        fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.close()
        raise UserError(f"{folder}: another {what} is writing this folder right now") from None
    return lock


def _strict(kpis: dict) -> dict:
    """KPIs for a JSON line: NaN (not measured) as null, so any JSON reader can read the index."""
    return {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in kpis.items()}


def _write_frame_atomic(frame: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    if path.suffix == ".parquet":
        frame.to_parquet(tmp, index=False)
    else:
        frame.to_csv(tmp, index=False)
    os.replace(tmp, path)


class RunStore:
    """The on-disk state of one sweep; open it with `create` or `resume`."""

    def __init__(self, folder: Path, plan: Plan) -> None:
        self.folder = Path(folder)
        self.plan = plan
        self.parts = self.folder / "parts"
        self._lock = lock_folder(self.folder, "sweep")
        self.done: set[int] = set()

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def create(cls, folder: Path, plan: Plan) -> RunStore:
        """A new sweep folder (it must not exist, or be empty)."""
        folder = Path(folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # under a file, in /proc, no permission
            raise UserError(f"{folder}: cannot write there ({exc.strerror})") from None
        store = cls(folder, plan)
        store.parts.mkdir(exist_ok=True)
        info = {"format": FORMAT, "fingerprint": plan.fingerprint(), "runs": plan.n_runs,
                "experiment": plan.experiment.name, "created": timestamp()}
        points = pd.DataFrame([{"point": p, **values} for p, values in enumerate(plan.points)])
        _write_frame_atomic(points, folder / "design.csv")
        write_atomic(folder / "plan.json", (json.dumps(info, indent=2) + "\n").encode())
        return store

    @classmethod
    def resume(cls, folder: Path, plan: Plan) -> RunStore:
        """An interrupted sweep folder made from the same experiment; finished runs are known."""
        folder = Path(folder)
        info = read_plan_info(folder)
        if info.get("fingerprint") != plan.fingerprint():
            raise UserError(f"--resume {folder}: this folder was made from a different experiment "
                            f"('{info.get('experiment')}', or other scenarios, factors, seeds "
                            "or --set values); resume it with the same file and options")
        store = cls(folder, plan)
        store.parts.mkdir(exist_ok=True)
        store.done = {run for run in store._index() if store._parts_exist(run)}
        return store

    # -- writing -------------------------------------------------------------------------------
    def start_session(self, executor: dict, command: list[str]) -> None:
        """Record who runs the remaining runs (sessions are numbered from 0)."""
        path = self.folder / "sessions.jsonl"
        n = len(path.read_text().splitlines()) if path.exists() else 0
        line = {"session": n, "started": timestamp(), "executor": executor,
                "runs_done_before": len(self.done), "command": command}
        self._append(path, line)
        self.session = n

    def add(self, record: RunRecord) -> None:
        """Store one finished run: parts first, then its index line (the commit)."""
        ids = {k: v for k, v in self.plan.row(record.run).items() if k in ID_COLUMNS}
        for table in PARTS_TABLES:
            frame = getattr(record, table)
            if frame is not None:
                part = frame.copy()
                for i, (key, value) in enumerate(ids.items()):
                    part.insert(i, key, value)
                tmp = self.parts / f".{record.run}.{table}.tmp"
                part.to_parquet(tmp, index=False)
                os.replace(tmp, self._part(record.run, table))
        self._append(self.folder / "runs.jsonl",
                     {**ids, "kpis": _strict(record.kpis), "seconds": round(record.seconds, 4),
                      "worker": record.worker, "session": getattr(self, "session", 0)})
        self.done.add(record.run)

    @staticmethod
    def _append(path: Path, entry: dict) -> None:
        append_line(path, entry)

    # -- reading -------------------------------------------------------------------------------
    def _part(self, run: int, table: str) -> Path:
        return self.parts / f"{run}.{table}.parquet"

    def _parts_exist(self, run: int) -> bool:
        kept = {"series": self.plan.series, "breakdowns": self.plan.breakdowns}
        return all(self._part(run, t).exists() for t, names in kept.items() if names != ())

    def _index(self) -> dict[int, dict]:
        """Finished runs from the index, cutting off a line torn by a crash."""
        path = self.folder / "runs.jsonl"
        entries: dict[int, dict] = {}
        for n, line in enumerate(whole_lines(path), 1):
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                raise UserError(f"{path}: line {n} is damaged; this folder cannot be resumed"
                                ) from None
            if 0 <= entry.get("run", -1) < self.plan.n_runs:
                entries[entry["run"]] = entry
        return entries

    def run_entries(self) -> dict[int, dict]:
        """Index entries of the finished runs (KPIs, seconds, worker, session)."""
        return {run: entry for run, entry in self._index().items() if run in self.done}

    # -- consolidating -------------------------------------------------------------------------
    def consolidate(self) -> pd.DataFrame:
        """Write kpis, series and breakdowns (CSV and Parquet) in run order; return the KPIs."""
        entries = self._index()
        missing = [run for run in range(self.plan.n_runs) if run not in entries]
        if missing:
            raise RuntimeError(f"{len(missing)} runs are not finished (first: {missing[0]})")
        kpis = pd.DataFrame([{**self.plan.row(run), **entries[run]["kpis"]}
                             for run in range(self.plan.n_runs)])
        for name in entries[0]["kpis"] if entries else ():
            kpis[name] = pd.to_numeric(kpis[name])  # null (not measured) back to NaN
        for suffix in ("parquet", "csv"):
            _write_frame_atomic(kpis, self.folder / f"kpis.{suffix}")
        for table in PARTS_TABLES:
            if {"series": self.plan.series, "breakdowns": self.plan.breakdowns}[table] != ():
                self._stream_table(table)
        return kpis

    def _parts_in_order(self, table: str) -> Iterator[pa.Table]:
        for run in range(self.plan.n_runs):
            yield pq.read_table(self._part(run, table))

    def _stream_table(self, table: str) -> None:
        """Concatenate one table's parts into table.parquet and table.csv, a batch at a time."""
        target, csv = self.folder / f"{table}.parquet", self.folder / f"{table}.csv"
        tmp, tmp_csv = target.with_name(f".{target.name}.tmp"), csv.with_name(f".{csv.name}.tmp")
        writer, batch, rows = None, [], 0
        with open(tmp_csv, "w", newline="") as out:
            for part in self._parts_in_order(table):
                part.to_pandas().to_csv(out, header=writer is None and not batch, index=False)
                batch.append(part)
                rows += part.num_rows
                if rows >= ROWS_PER_GROUP:
                    writer = self._write_batch(writer, tmp, batch)
                    batch, rows = [], 0
            if batch or writer is None:
                writer = self._write_batch(writer, tmp, batch)
        writer.close()
        os.replace(tmp, target)
        os.replace(tmp_csv, csv)

    @staticmethod
    def _write_batch(writer, path: Path, batch: list[pa.Table]):
        merged = pa.concat_tables(batch)
        writer = writer or pq.ParquetWriter(path, merged.schema)
        writer.write_table(merged)
        return writer

    def finish(self) -> None:
        """Remove the parts once the consolidated tables and the manifest are written."""
        shutil.rmtree(self.parts, ignore_errors=True)

    def close(self) -> None:
        """Release the folder's lock."""
        self._lock.close()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_plan_info(folder: Path, what: str = "a sweep") -> dict:
    """plan.json of a sweep (or optimisation) folder, or a clear error if `folder` is not one."""
    path = Path(folder) / "plan.json"
    if not path.is_file():
        raise UserError(f"--resume {folder}: not {what} folder (no plan.json in it)")
    try:
        return json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise UserError(f"--resume {folder}: plan.json is damaged") from None
