"""The runs of an optimisation on disk, one line per finished run, so none is ever run twice.

`runs.jsonl` in the search folder holds a JSON line per finished run: the candidate's lever
values (canonical JSON, `levers.candidate_key`), the replication and seed, every KPI, and
where and how long it ran. A line is appended in one write and flushed to disk as soon as its
run finishes (`store.append_line`); a line torn by a kill is cut off when the folder is opened
again (`store.whole_lines`). A run is a pure function of (scenario, seed), so a cached run
stands for its candidate on that seed whichever trial asked for it and whenever.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

from sim.experiments.store import append_line, lock_folder, whole_lines
from sim.experiments.tasks import RunRecord
from sim.runs.provenance import timestamp
from sim.scenario.errors import UserError

FILE = "runs.jsonl"
SESSIONS = "sessions.jsonl"


class RunCache:
    """Finished runs of one search folder, held locked while open."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._lock = lock_folder(self.folder, "optimisation")
        self.path = self.folder / FILE
        self._kpis: dict[tuple[str, int], dict] = {}
        self.by_session: Counter[int] = Counter()  # runs each session simulated
        for n, line in enumerate(whole_lines(self.path), 1):
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                raise UserError(f"{self.path}: line {n} is damaged; this folder cannot be "
                                "resumed") from None
            self._kpis[(entry["candidate"], entry["seed"])] = _numbers(entry["kpis"])
            self.by_session[entry["session"]] += 1

    def __contains__(self, run: tuple[str, int]) -> bool:
        return run in self._kpis

    def __len__(self) -> int:
        return len(self._kpis)

    def add(self, candidate: str, replication: int, seed: int, record: RunRecord,
            session: int) -> None:
        """Store one finished run of `candidate` (its `candidate_key`) on `seed`."""
        kpis = {k: None if isinstance(v, float) and math.isnan(v) else v
                for k, v in record.kpis.items()}  # NaN (not measured) as JSON null
        append_line(self.path, {"candidate": candidate, "replication": replication,
                                "seed": seed, "kpis": kpis, "seconds": round(record.seconds, 4),
                                "worker": record.worker, "session": session})
        self._kpis[(candidate, seed)] = _numbers(kpis)
        self.by_session[session] += 1

    def kpis(self, candidate: str, seeds: list[int]) -> list[dict]:
        """The KPIs of `candidate` on each seed, in the order of `seeds` (all must be cached)."""
        return [self._kpis[(candidate, seed)] for seed in seeds]

    def start_session(self, executor: dict, command: list[str], told: int) -> int:
        """Record who works on the search now; return the session's number (0 first)."""
        path = self.folder / SESSIONS
        number = len(whole_lines(path))
        append_line(path, {"session": number, "started": timestamp(), "executor": executor,
                           "runs_done_before": len(self), "candidates_told_before": told,
                           "command": command})
        return number

    def sessions(self) -> list[dict]:
        """Every session so far, with the runs each simulated."""
        entries = [json.loads(line) for line in whole_lines(self.folder / SESSIONS)]
        return [{**entry, "runs": self.by_session[entry["session"]]} for entry in entries]

    def close(self) -> None:
        """Release the folder's lock."""
        self._lock.close()

    def __enter__(self) -> RunCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _numbers(kpis: dict) -> dict:
    return {k: math.nan if v is None else v for k, v in kpis.items()}
