"""Importing an export as a background task, with a progress dialog whose Cancel works.

The worker opens its own workspace connection, never touches a widget and reports through
signals; the GUI keeps reading its own connection meanwhile (WAL). Cancelling makes the
importer's progress callback return False, so the import rolls back and the workspace stays
exactly as it was.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from explorer.ui.tasks import BackgroundTask, ProgressDialogSpec, TaskControl, TaskThread

log = logging.getLogger(__name__)

STAGE_LABELS: dict[str, str] = {
    "open": "Opening the export",
    "read": "Reading files",
    "folders": "Building folders",
    "references": "Resolving rule references",
    "search": "Indexing for search",
    "findings": "Checking for pitfalls",
    "commit": "Saving the workspace",
}
_PROGRESS_INTERVAL_S = 0.05  # at most ~20 progress signals a second reach the GUI


@dataclass
class ImportOutcome:
    """How an import ended: status is "ok", "refused", "cancelled" or "failed"."""

    status: str
    source: Path
    target: Path
    report: Any = None  # explorer.importers.ImportReport when there is one
    message: str = ""
    problems: list[str] = field(default_factory=list)


def stage_text(stage: str, done: int, total: int, message: str = "") -> str:
    """One line for the progress dialog: ``Reading files: traits.json (120 / 400)``."""
    text = STAGE_LABELS.get(stage, stage.capitalize() or "Working")
    if message:
        text += f": {message}"
    if total > 0:
        text += f" ({done:,} / {total:,})"
    return text


class ImportJob:
    """``import_export(source, target)`` as a background job: throttled progress, and the
    importer's progress callback returns False once cancel was asked."""

    def __init__(self, source: Path, target: Path, *, strict: bool = False,
                 force: bool = False) -> None:
        self.source = Path(source)
        self.target = Path(target)
        self.strict = strict
        self.force = force
        self._last_emit = 0.0
        self._last_stage = ""

    def __call__(self, control: TaskControl) -> ImportOutcome:
        try:
            return self._import(control)
        except Exception as exc:  # the user sees one line; the traceback goes to the log
            log.exception("import of %s failed", self.source)
            return ImportOutcome("failed", self.source, self.target,
                                 message=f"{type(exc).__name__}: {exc}")

    def _import(self, control: TaskControl) -> ImportOutcome:
        # The importer opens its own connection (in this thread) and builds a new workspace
        # in a temporary file, so a refusal or a cancel leaves no half-made file behind.
        # Imported here: the importers cost ~0.6 s to import, not paid at the window's start.
        from explorer.importers import ImportCancelled, ImportRefused, import_export

        try:
            report = import_export(self.source, self.target, strict=self.strict,
                                   force=self.force,
                                   progress=lambda step: self.on_progress(control, step))
        except ImportCancelled:
            return ImportOutcome("cancelled", self.source, self.target,
                                 message="Import cancelled; the workspace is unchanged.")
        except ImportRefused as exc:
            refused_report = getattr(exc, "report", None)
            return ImportOutcome("refused", self.source, self.target, report=refused_report,
                                 message=_refusal_message(exc),
                                 problems=_problems(refused_report))
        return ImportOutcome("ok", self.source, self.target, report=report,
                             problems=_problems(report))

    def on_progress(self, control: TaskControl, progress: Any) -> bool:
        """The importer's callback (worker thread): forward, throttled; False cancels."""
        if control.is_cancelled():
            return False
        now = time.monotonic()
        stage = str(progress.stage)
        finished_stage = progress.total > 0 and progress.done >= progress.total
        if (stage != self._last_stage or finished_stage
                or now - self._last_emit >= _PROGRESS_INTERVAL_S):
            self._last_stage, self._last_emit = stage, now
            control.report(stage, int(progress.done), int(progress.total),
                           str(progress.message or ""))
        return not control.is_cancelled()


class ImportThread(TaskThread):
    """An ``ImportJob`` in its own thread."""

    def __init__(self, source: Path, target: Path, *, strict: bool = False,
                 force: bool = False, parent: QObject | None = None) -> None:
        job = ImportJob(source, target, strict=strict, force=force)
        super().__init__(job, parent)
        self.source = job.source
        self.target = job.target


def _refusal_message(exc: Exception) -> str:
    message = getattr(exc, "message", None) or (exc.args[0] if exc.args else "")
    return " ".join(str(message).split()) or "The export cannot be imported."


def _problems(report: Any) -> list[str]:
    """Errors then warnings of a report, one line each."""
    if report is None:
        return []
    errors = [f"Error: {p}" for p in getattr(report, "errors", [])]
    warnings = [f"Warning: {p}" for p in getattr(report, "warnings", [])]
    return errors + warnings


class ImportController(BackgroundTask):
    """One import: the worker thread plus a progress dialog with a working Cancel button."""

    def __init__(self, source: Path, target: Path, parent: QWidget, *,
                 strict: bool = False, force: bool = False, show_dialog: bool = True) -> None:
        dialog = ProgressDialogSpec(f"Importing {Path(source).name}", stage_text("open", 0, 0))
        super().__init__(ImportThread(source, target, strict=strict, force=force), parent,
                         dialog=dialog if show_dialog else None, label=stage_text)
