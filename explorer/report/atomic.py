"""Writing report files so that a reader never sees half of one.

Every file is first written beside its target under a temporary name (same folder, so the
rename is atomic); ``commit`` renames all of them into place with ``os.replace`` only once
every one is complete (putting back what it replaced if one rename fails), and
``discard`` (also run when the block fails) removes the temporary files, so a cancel or a
failure leaves no half-written file and never replaces a good one.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from explorer.report.errors import ReportWriteError, os_reason


def temp_beside(target: Path) -> Path:
    """An unused name next to ``target``. Not created here: the writers create it with the
    usual permissions (mkstemp's would be 0600)."""
    return target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.partial")


class AtomicFiles:
    """A set of files written together: ``temp_for`` each, then ``commit`` or ``discard``."""

    def __init__(self) -> None:
        self._temps: dict[Path, Path] = {}

    def temp_for(self, target: Path) -> Path:
        temp = temp_beside(target)
        self._temps[target] = temp
        return temp

    def commit(self) -> list[Path]:
        """Rename every temporary file into place; returns the targets. All or nothing: when
        one rename fails, the files already replaced get their previous content back."""
        done: list[Path] = []
        previous: dict[Path, Path] = {}  # target -> its former file, set aside
        try:
            for target, temp in self._temps.items():
                if target.is_file():
                    aside = temp_beside(target)
                    os.replace(target, aside)
                    previous[target] = aside
                os.replace(temp, target)
                done.append(target)
        except OSError as exc:
            for target in done:
                with contextlib.suppress(OSError):
                    target.unlink()
            for target, aside in previous.items():
                with contextlib.suppress(OSError):
                    os.replace(aside, target)
            failed = next((t for t in self._temps if t not in done), done[-1] if done else None)
            raise ReportWriteError(failed or "?", os_reason(exc)) from None
        for aside in previous.values():
            with contextlib.suppress(OSError):
                aside.unlink()
        self._temps.clear()
        return done

    def discard(self) -> None:
        for temp in self._temps.values():
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
                # a zip writer may build its archive under "<name>.partial" first
                temp.with_name(temp.name + ".partial").unlink(missing_ok=True)
        self._temps.clear()


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """One file: yields the temporary path to write; renamed to ``target`` when the block
    ends without an exception, removed otherwise."""
    files = AtomicFiles()
    try:
        yield files.temp_for(Path(target))
        files.commit()
    finally:
        files.discard()
