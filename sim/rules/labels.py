"""Integer codes with the lower-case names scenario files and result tables use."""

from enum import IntEnum


class Labelled(IntEnum):
    """An IntEnum (fast array codes) whose members also have a file-friendly `label`."""

    @property
    def label(self) -> str:
        """Lower-case name used in scenario files and result tables."""
        return self.name.lower()
