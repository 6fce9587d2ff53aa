"""User-facing errors: one clear message, exit code 2, never a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A mistake in what the user gave us (file, key, value). The CLI prints it and exits 2."""

    exit_code = 2


class ScenarioError(UserError):
    """A scenario or experiment file that cannot be used, with the file and key path in the text."""
