"""Importing an export in a worker thread, with a progress dialog whose Cancel works.

The worker opens its own workspace connection, never touches a widget and reports through
signals; the GUI keeps reading its own connection meanwhile (WAL). Cancelling makes the
importer's progress callback return False, so the import rolls back and the workspace stays
exactly as it was.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

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


class ImportThread(QThread):
    """Runs ``import_export(source, target)`` off the GUI thread."""

    progressed = Signal(str, int, int, str)  # stage, done, total, message
    outcome = Signal(object)  # ImportOutcome, emitted once, last

    def __init__(self, source: Path, target: Path, *, strict: bool = False,
                 force: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = Path(source)
        self.target = Path(target)
        self.strict = strict
        self.force = force
        self._cancel = threading.Event()
        self._last_emit = 0.0
        self._last_stage = ""

    def cancel(self) -> None:
        """Ask the import to stop at its next progress step (safe from any thread)."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            outcome = self._import()
        except Exception as exc:  # the user sees one line; the traceback goes to the log
            log.exception("import of %s failed", self.source)
            outcome = ImportOutcome("failed", self.source, self.target,
                                    message=f"{type(exc).__name__}: {exc}")
        self.outcome.emit(outcome)

    def _import(self) -> ImportOutcome:
        # The importer opens its own connection (in this thread) and builds a new workspace
        # in a temporary file, so a refusal or a cancel leaves no half-made file behind.
        from explorer.importers import ImportCancelled, ImportRefused, import_export

        try:
            report = import_export(self.source, self.target, strict=self.strict,
                                   force=self.force, progress=self._on_progress)
        except ImportCancelled:
            return ImportOutcome("cancelled", self.source, self.target,
                                 message="Import cancelled; the workspace is unchanged.")
        except ImportRefused as exc:
            report = getattr(exc, "report", None)
            return ImportOutcome("refused", self.source, self.target, report=report,
                                 message=_refusal_message(exc), problems=_problems(report))
        return ImportOutcome("ok", self.source, self.target, report=report,
                             problems=_problems(report))

    def _on_progress(self, progress: Any) -> bool:
        """The importer's callback (worker thread): forward, throttled; False cancels."""
        if self._cancel.is_set():
            return False
        now = time.monotonic()
        stage = str(progress.stage)
        finished_stage = progress.total > 0 and progress.done >= progress.total
        if (stage != self._last_stage or finished_stage
                or now - self._last_emit >= _PROGRESS_INTERVAL_S):
            self._last_stage, self._last_emit = stage, now
            self.progressed.emit(stage, int(progress.done), int(progress.total),
                                 str(progress.message or ""))
        return not self._cancel.is_set()


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


class ImportController(QObject):
    """One import: the worker thread plus a progress dialog with a working Cancel button."""

    finished = Signal(object)  # ImportOutcome

    def __init__(self, source: Path, target: Path, parent: QWidget, *,
                 strict: bool = False, force: bool = False, show_dialog: bool = True) -> None:
        super().__init__(parent)
        self.thread = ImportThread(source, target, strict=strict, force=force, parent=self)
        self.dialog = _progress_dialog(parent, Path(source).name) if show_dialog else None
        self.outcome: ImportOutcome | None = None
        self.thread.progressed.connect(self._on_progress)
        self.thread.outcome.connect(self._on_outcome)
        if self.dialog is not None:
            self.dialog.canceled.connect(self.cancel)

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        self.thread.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText("Cancelling…")

    def is_running(self) -> bool:
        return self.outcome is None

    def _on_progress(self, stage: str, done: int, total: int, message: str) -> None:
        if self.dialog is None or self.thread.cancel_requested:
            return
        self.dialog.setLabelText(stage_text(stage, done, total, message))
        if total > 0:
            self.dialog.setRange(0, total)
            self.dialog.setValue(min(done, total))
        else:
            self.dialog.setRange(0, 0)  # a busy indicator when the stage has no count

    def _on_outcome(self, outcome: ImportOutcome) -> None:
        self.thread.wait()
        self.outcome = outcome
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
        self.finished.emit(outcome)


def _progress_dialog(parent: QWidget, source_name: str) -> QProgressDialog:
    dialog = QProgressDialog(stage_text("open", 0, 0), "Cancel", 0, 0, parent)
    dialog.setWindowTitle(f"Importing {source_name}")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(300)  # quick imports finish without a flashing dialog
    dialog.setMinimumWidth(420)
    dialog.setValue(0)
    return dialog
