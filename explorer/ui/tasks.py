"""The one way the window runs a job off the GUI thread: import, snapshot export and diff.

A job is a plain callable ``job(control) -> outcome``. It runs in a ``TaskThread``, opens its
own connections, never touches a widget, reports progress through ``control.report(stage,
done, total, message)`` and stops early when ``control.cancelled`` is set; it never raises
(it turns failures into its outcome). ``BackgroundTask`` adds what the user sees: an optional
window-modal progress dialog whose Cancel works, and ``finished(outcome)`` once the thread
has ended.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)

# stage, done, total, message -> the dialog's label
ProgressLabel = Callable[[str, int, int, str], str]


@dataclass(frozen=True)
class TaskControl:
    """What a job may use from its thread: the cancel flag and the progress reporter."""

    cancelled: threading.Event
    report: Callable[[str, int, int, str], None]

    def is_cancelled(self) -> bool:
        return self.cancelled.is_set()


Job = Callable[[TaskControl], Any]


class TaskThread(QThread):
    """Runs one job off the GUI thread; ``outcome`` is emitted once, last."""

    progressed = Signal(str, int, int, str)  # stage, done, total, message
    outcome = Signal(object)

    def __init__(self, job: Job, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job = job
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the job to stop at its next check (safe from any thread)."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        self.outcome.emit(self._job(TaskControl(self._cancel, self.progressed.emit)))


@dataclass(frozen=True)
class ProgressDialogSpec:
    """How a task's progress dialog starts: its title, first label and step count (0: a
    busy indicator until the job reports a count)."""

    title: str
    label: str
    steps: int = 0
    object_name: str = ""


class BackgroundTask(QObject):
    """One job in a ``TaskThread`` plus, when asked, a progress dialog with a working Cancel.

    ``label`` turns a progress report into the dialog's text; with ``steps_from_report`` the
    report's own done/total move the bar (import), else the bar counts the stages the job
    announced in ``stages`` (snapshot export).
    """

    finished = Signal(object)  # the job's outcome

    def __init__(self, thread: TaskThread, parent: QObject, *,
                 dialog: ProgressDialogSpec | None = None,
                 label: ProgressLabel | None = None,
                 stages: list[str] | None = None) -> None:
        super().__init__(parent)
        self.worker = thread
        thread.setParent(self)
        self.outcome: Any = None
        self._label = label
        self._stages = stages
        self.dialog = (_progress_dialog(parent, dialog)
                       if dialog is not None and isinstance(parent, QWidget) else None)
        self._running = False
        thread.progressed.connect(self._on_progress)
        thread.outcome.connect(self._on_outcome)
        if self.dialog is not None:
            self.dialog.canceled.connect(self.cancel)

    def start(self) -> None:
        self._running = True
        self.worker.start()

    def cancel(self) -> None:
        self.worker.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText("Cancelling…")

    def wait(self) -> None:
        """Block until the job has ended (closing the window, tests)."""
        self.worker.wait()

    def is_running(self) -> bool:
        return self.outcome is None

    def _on_progress(self, stage: str, done: int, total: int, message: str) -> None:
        if self.dialog is None or self.worker.cancel_requested:
            return
        if self._label is not None:
            self.dialog.setLabelText(self._label(stage, done, total, message))
        if self._stages is not None:
            if stage in self._stages:
                self.dialog.setValue(self._stages.index(stage))
        elif total > 0:
            self.dialog.setRange(0, total)
            self.dialog.setValue(min(done, total))
        else:
            self.dialog.setRange(0, 0)  # a busy indicator when the stage has no count

    def _on_outcome(self, outcome: Any) -> None:
        self.worker.wait()
        self.outcome = outcome
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self.finished.emit(outcome)


def _progress_dialog(parent: QWidget, spec: ProgressDialogSpec) -> QProgressDialog:
    dialog = QProgressDialog(spec.label, "Cancel", 0, spec.steps, parent)
    if spec.object_name:
        dialog.setObjectName(spec.object_name)
    dialog.setWindowTitle(spec.title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(300)  # quick jobs finish without a flashing dialog
    dialog.setMinimumWidth(420)
    dialog.setValue(0)
    return dialog
