"""Tables as text: Markdown pipe tables, and aligned terminal tables that fit the width."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

TERMINAL_WIDTH = 100  # columns: a terminal table never wraps in a common window


def markdown_table(header: Sequence, rows: Iterable[Sequence]) -> list[str]:
    """Lines of a Markdown pipe table; cells are printed with `str`."""
    return ["| " + " | ".join(map(str, header)) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(map(str, row)) + " |" for row in rows)]


def aligned(header: Sequence[str], rows: Sequence[Sequence[str]],
            width: int = TERMINAL_WIDTH) -> list[str]:
    """Lines of a plain-text table: first column left, the others right-aligned.

    When the columns do not fit in `width`, they are split into blocks printed one under the
    other, each repeating the first column, so that no line wraps.
    """
    table = [list(map(str, header)), *([str(c) for c in row] for row in rows)]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines: list[str] = []
    for block in _blocks(widths, width):
        if lines:
            lines.append("")
        lines += _render(table, widths, [0, *block])
    return lines


def _blocks(widths: list[int], width: int) -> list[list[int]]:
    """Column indices after the first, grouped so that each group's line fits in `width`."""
    blocks: list[list[int]] = [[]]
    used = widths[0]
    for i in range(1, len(widths)):
        if blocks[-1] and used + 2 + widths[i] > width:
            blocks.append([])
            used = widths[0]
        blocks[-1].append(i)
        used += 2 + widths[i]
    return blocks


def _render(table: list[list[str]], widths: list[int], columns: list[int]) -> list[str]:
    """The header, a rule under it, and the rows, for the chosen columns."""
    lines = ["  ".join(row[i].ljust(widths[i]) if i == 0 else row[i].rjust(widths[i])
                       for i in columns).rstrip() for row in table]
    return [lines[0], "-" * len(lines[0]), *lines[1:]]
