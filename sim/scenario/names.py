"""Names that become folder names: a scenario's or an experiment's `name`.

A name is joined to `results/` to make the output folder, so it must stay one plain folder name
on every file system: no separators, no `..`, no hidden or option-like first character, no NUL,
not longer than a file name may be (issue 16: `name: ../../x` wrote outside `results/`).
"""

from __future__ import annotations

import re

NAME_MAX = 64  # characters; leaves room for '-<timestamp>' within a file name's 255 bytes
_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
ALLOWED = (f"1 to {NAME_MAX} characters: letters A-Z a-z, digits, '_', '-' or '.', starting "
           "with a letter, digit or '_' (it names the results folder)")


def check_name(value: str) -> str:
    """`value` if it is a plain folder name, else ValueError saying what is allowed."""
    if not isinstance(value, str) or len(value) > NAME_MAX or not _PLAIN.fullmatch(value):
        raise ValueError(f"not allowed as a name (allowed: {ALLOWED})")
    return value
