"""Rewrite the golden baseline (`make golden`) and print what changed.

Run it only when a change is meant to alter behaviour; commit the new tables with a message
that says why they changed.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from cases import CASES, STORED, as_text, case_tables, file_name  # noqa: E402


def changes(old_text: str, new: pd.DataFrame) -> list[str]:
    """KPI-level differences between the stored table and the new one."""
    old = pd.read_csv(io.StringIO(old_text), dtype=str, keep_default_na=False)
    new = pd.read_csv(io.StringIO(as_text(new)), dtype=str, keep_default_na=False)
    if list(old.columns) != list(new.columns) or len(old) != len(new):
        return [f"    shape or columns changed: {old.shape} -> {new.shape}"]
    lines = []
    for column in new.columns:
        for row in (old[column] != new[column]).to_numpy().nonzero()[0][:5]:
            lines.append(f"    row {row} {column}: {old[column].iloc[row]} -> "
                         f"{new[column].iloc[row]}")
    return lines


def main() -> int:
    """Recompute every case, report differences, write the tables."""
    STORED.mkdir(exist_ok=True)
    changed = 0
    for case in sorted(CASES):
        for table, frame in case_tables(case).items():
            path, text = file_name(case, table), as_text(frame)
            old = path.read_text() if path.exists() else None
            if old == text:
                continue
            changed += 1
            print(f"{case} {table}: " + ("new" if old is None else "changed"))
            if old is not None:
                print("\n".join(changes(old, frame)) or "    (formatting only)")
            path.write_text(text)
    print(f"{changed} table(s) written" if changed else "golden baseline unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
