"""Writing a snapshot (HTML, and optionally PDF and a .aamsnap bundle) in a worker thread.

The worker opens its own read-only connection, never touches a widget and reports through
signals; the export itself is the core's ``export_snapshot`` (the command line's too), which
writes every file atomically and checks cancel between stages and inside long queries.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from explorer.kinds import ObjectRef
from explorer.masking import TextMask
from explorer.report.export import STAGES, ExportCancelled, stage_text
from explorer.report.snapshot.model import PriceChoice

log = logging.getLogger(__name__)

__all__ = ["STAGES", "SnapshotCancelled", "SnapshotRequest", "run_export", "stage_text"]
SnapshotCancelled = ExportCancelled


@dataclass(frozen=True)
class SnapshotRequest:
    """What to export. ``html`` is always written; ``pdf`` and ``bundle`` when given."""

    workspace: Path
    html: Path
    title: str | None = None
    picks: tuple[ObjectRef, ...] = ()
    pdf: Path | None = None
    bundle: Path | None = None
    since_import: int | None = None
    mask: TextMask | None = None
    chart: bool = True
    scope_word: str | None = None  # a special scope (explorer.report.scope.SPECIAL_SCOPES)
    price: PriceChoice | None = None  # include the estimated cost (the user's choice)

    def outputs(self) -> list[Path]:
        return [p for p in (self.html, self.pdf, self.bundle) if p is not None]


@dataclass
class SnapshotOutcome:
    """How an export ended: status is "ok", "cancelled" or "failed"."""

    status: str
    request: SnapshotRequest
    paths: list[Path] = field(default_factory=list)
    message: str = ""
    objects: int = 0
    left_out: int = 0


def run_export(request: SnapshotRequest, cancelled: threading.Event | None = None,
               report: Callable[[str], None] | None = None) -> SnapshotOutcome:
    """Write the request's files; never raises: failures become a one-line message."""
    from explorer.report.export import SnapshotOptions, export_snapshot
    from explorer.report.qt.chart_png import render_target_chart
    from explorer.report.qt.pdf import write_pdf

    event = cancelled if cancelled is not None else threading.Event()
    try:
        result = export_snapshot(
            request.workspace, html=request.html, pdf=request.pdf, bundle=request.bundle,
            options=SnapshotOptions(
                scope=request.scope_word or request.picks, title=request.title,
                since_import=request.since_import, price=request.price,
                chart_renderer=render_target_chart if request.chart else None),
            mask=request.mask, pdf_writer=write_pdf, create_folders=True, progress=report,
            cancel=event)
        return SnapshotOutcome("ok", request, result.paths, objects=result.objects,
                               left_out=result.left_out)
    except SnapshotCancelled:
        return SnapshotOutcome("cancelled", request, message="Export cancelled; no file written.")
    except Exception as exc:  # the user sees one line; the traceback goes to the log
        if event.is_set():  # the interrupted query surfaces as an OperationalError
            return SnapshotOutcome("cancelled", request,
                                   message="Export cancelled; no file written.")
        log.exception("snapshot export failed")
        return SnapshotOutcome("failed", request, message=failure_message(exc))


def failure_message(exc: BaseException) -> str:
    """A readable line for a failed export (the report's own errors read as they are)."""
    from explorer.report.bundle import BundleError
    from explorer.report.errors import ReportWriteError
    from explorer.report.export import SnapshotExportError
    from explorer.report.scope import ScopeError
    from explorer.store.db import WorkspaceError

    text = " ".join(str(exc).split())
    if isinstance(exc, ScopeError | BundleError | WorkspaceError | SnapshotExportError
                  | ReportWriteError):
        return text
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        return f"Could not write the files{where}: {exc.strerror or text}"
    if type(exc).__name__ == "DiffError" or isinstance(exc, ValueError):
        return f"Could not build the snapshot: {text}"
    return f"{type(exc).__name__}: {text}"


class SnapshotThread(QThread):
    """Runs ``run_export(request)`` off the GUI thread."""

    progressed = Signal(str)  # stage name
    outcome = Signal(object)  # SnapshotOutcome, emitted once, last

    def __init__(self, request: SnapshotRequest, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Stop at the next stage or query step (safe from any thread)."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        self.outcome.emit(run_export(self.request, self._cancel, self.progressed.emit))


class SnapshotController(QObject):
    """One export: the worker thread plus a progress dialog whose Cancel works."""

    finished = Signal(object)  # SnapshotOutcome

    def __init__(self, request: SnapshotRequest, parent: QWidget, *,
                 show_dialog: bool = True) -> None:
        super().__init__(parent)
        self.thread = SnapshotThread(request, self)
        self.stages = _stages_of(request)
        self.dialog = _progress_dialog(parent, len(self.stages)) if show_dialog else None
        self.outcome: SnapshotOutcome | None = None
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

    def wait(self) -> None:
        self.thread.wait()

    def _on_progress(self, stage: str) -> None:
        if self.dialog is None or self.thread.cancel_requested:
            return
        self.dialog.setLabelText(stage_text(stage) + "…")
        if stage in self.stages:
            self.dialog.setValue(self.stages.index(stage))

    def _on_outcome(self, outcome: SnapshotOutcome) -> None:
        self.thread.wait()
        self.outcome = outcome
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self.finished.emit(outcome)


def _stages_of(request: SnapshotRequest) -> Sequence[str]:
    skipped = {"pdf"} if request.pdf is None else set()
    if request.bundle is None:
        skipped.add("bundle")
    return [s for s in STAGES if s not in skipped]


def _progress_dialog(parent: QWidget, steps: int) -> QProgressDialog:
    dialog = QProgressDialog(stage_text("read") + "…", "Cancel", 0, steps, parent)
    dialog.setObjectName("snapshotProgress")
    dialog.setWindowTitle("Exporting snapshot")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(300)  # quick exports finish without a flashing dialog
    dialog.setMinimumWidth(420)
    dialog.setValue(0)
    return dialog
