"""Computing a diff off the GUI thread, once per session for each pair of states.

``DiffRequest`` says what to compare (two imports of a workspace, or two workspaces);
``DiffController.request`` answers from the session cache when it can, else runs a
``TaskThread`` (its own read-only connection, never a widget) and caches its result. Imports
never change once written, so a (workspace, from import, to import) key stays valid for the
whole session; another workspace file is keyed by its modification time too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from explorer.analysis.diff import (
    Diff,
    DiffError,
    default_import_pair,
    diff_imports,
    diff_workspaces,
    loads_configuration,
)
from explorer.store import import_copies
from explorer.store.db import WorkspaceError
from explorer.store.workspace import Workspace
from explorer.ui.tasks import Job, TaskThread

log = logging.getLogger(__name__)


ONE_IMPORT_MESSAGE = "This workspace has one import: nothing to compare yet."


def comparable_configurations(workspace: Workspace) -> list[int]:
    """The imports whose configuration can still be read: those with a stored snapshot, and
    the latest configuration (the live tables). Fewer than two: nothing to compare here.

    A snapshot bundle lists the imports of the workspace it came from but holds only the
    latest configuration, so it has one, like a workspace imported once."""
    config_ids = [r.id for r in workspace.imports() if loads_configuration(r)]
    return [i for i in config_ids
            if i == config_ids[-1] or import_copies.has_import_copy(workspace.conn, i)]


@dataclass(frozen=True)
class DiffRequest:
    """Imports ``from_id`` → ``to_id`` of ``workspace`` (None: the defaults), or, when
    ``other`` is set, the latest state of ``workspace`` → the latest state of ``other``."""

    workspace: Path
    from_id: int | None = None
    to_id: int | None = None
    other: Path | None = None
    force: bool = False

    @classmethod
    def latest_changes(cls, workspace: Workspace, from_id: int | None = None,
                       to_id: int | None = None) -> DiffRequest:
        """Imports of ``workspace`` with the defaults resolved now (the cache key must name
        real imports: "the latest" moves with each re-import). Raises DiffError when the
        workspace has no earlier configuration to compare with."""
        from_id, to_id = default_import_pair(workspace.imports(), from_id, to_id)
        return cls(workspace.path, from_id, to_id)

    def cache_key(self) -> tuple[Any, ...]:
        if self.other is None:
            return ("imports", str(self.workspace.resolve()), self.from_id, self.to_id)
        return ("workspaces", str(self.workspace.resolve()), _mtime(self.workspace),
                str(self.other.resolve()), _mtime(self.other), self.force)


@dataclass
class DiffOutcome:
    request: DiffRequest
    diff: Diff | None = None
    error: str = ""


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def compute_diff(request: DiffRequest) -> DiffOutcome:
    """The diff a request asks for (any thread: opens its own read-only connections)."""
    try:
        with Workspace.open(request.workspace, readonly=True) as first:
            if request.other is None:
                return DiffOutcome(request, diff_imports(first, request.from_id, request.to_id))
            with Workspace.open(request.other, readonly=True) as second:
                return DiffOutcome(request, diff_workspaces(first, second, force=request.force))
    except (DiffError, WorkspaceError) as exc:
        return DiffOutcome(request, error=str(exc))
    except Exception as exc:  # the user sees one line; the traceback goes to the log
        log.exception("diff of %s failed", request)
        return DiffOutcome(request, error=f"{type(exc).__name__}: {exc}")


def diff_job(request: DiffRequest) -> Job:
    """The diff as a background job (it reports no progress and cannot be cancelled)."""
    return lambda _control: compute_diff(request)


_SESSION_CACHE: dict[tuple[Any, ...], Diff] = {}


def clear_cache() -> None:
    _SESSION_CACHE.clear()


class DiffController(QObject):
    """Runs one diff at a time for a view; the latest request wins.

    ``finished(DiffOutcome)`` fires for every request, after the result is cached; a cached
    result is delivered synchronously.
    """

    started = Signal(object)  # DiffRequest
    finished = Signal(object)  # DiffOutcome

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threads: list[TaskThread] = []
        self._current: DiffRequest | None = None

    def request(self, request: DiffRequest) -> None:
        self._current = request
        cached = _SESSION_CACHE.get(request.cache_key())
        if cached is not None:
            self.finished.emit(DiffOutcome(request, cached))
            return
        thread = TaskThread(diff_job(request), self)
        thread.outcome.connect(self._on_outcome)
        thread.finished.connect(self._on_thread_finished)  # a slot: disconnected with self
        self._threads.append(thread)
        self.started.emit(request)
        thread.start()

    def is_busy(self) -> bool:
        return any(t.isRunning() for t in self._threads)

    def wait(self) -> None:
        """Block until every running diff ended (closing the window, tests)."""
        for thread in list(self._threads):
            thread.wait()

    def _on_outcome(self, outcome: DiffOutcome) -> None:
        if outcome.diff is not None:
            _SESSION_CACHE[outcome.request.cache_key()] = outcome.diff
        if outcome.request == self._current:  # an older request's answer is not shown
            self.finished.emit(outcome)

    def _on_thread_finished(self) -> None:
        for thread in [t for t in self._threads if t.isFinished()]:
            self._threads.remove(thread)
            thread.wait()
            thread.deleteLater()
