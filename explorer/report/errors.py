"""The one error the report writers (CSV, PDF, snapshot bundle) raise for an unwritable path."""

from __future__ import annotations

from pathlib import Path


class ReportWriteError(OSError):
    """``<path>: cannot write: <reason>``, one line meant for the user (CLI and GUI print it)."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(" ".join(f"{path}: cannot write: {reason}".split()))
        self.path = Path(path)
        self.reason = reason

    def __str__(self) -> str:  # OSError's own str() would show "[Errno …]" when args vary
        return str(self.args[0])


def os_reason(exc: OSError) -> str:
    """``No such file or directory``: the OS's words without the path repeated."""
    return exc.strerror or str(exc) or type(exc).__name__
