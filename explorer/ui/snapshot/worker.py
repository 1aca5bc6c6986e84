"""Writing a snapshot (HTML, and optionally PDF and a .aamsnap bundle) in a worker thread.

The worker opens its own read-only connection, never touches a widget and reports through
signals. Every file is first written beside its target under a temporary name; only when all
of them are complete are they renamed into place (``os.replace``), so a cancel or a failure
leaves no half-written file and never replaces a good one. Cancel is checked between stages
and interrupts a running query (SQLite's progress handler), so it is prompt even on a large
tenant.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from explorer.kinds import ObjectRef
from explorer.masking import TextMask

log = logging.getLogger(__name__)

STAGES: tuple[str, ...] = ("read", "html", "pdf", "bundle", "save")
STAGE_LABELS: dict[str, str] = {
    "read": "Reading the workspace",
    "html": "Writing the HTML page",
    "pdf": "Writing the PDF",
    "bundle": "Writing the .aamsnap bundle",
    "save": "Saving the files",
}
_INTERRUPT_EVERY = 10_000  # SQLite VM steps between two cancel checks inside one query


class SnapshotCancelled(Exception):
    """The user cancelled; nothing was written."""


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


def stage_text(stage: str) -> str:
    return STAGE_LABELS.get(stage, stage.capitalize())


def _temp_beside(target: Path) -> Path:
    """An unused name next to ``target`` (same file system, so the rename is atomic). Not
    created here: the writers create it with the usual permissions (mkstemp's are 0600)."""
    return target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.partial")


class _Export:
    """One run of a request; ``check`` raises SnapshotCancelled once cancel was asked."""

    def __init__(self, request: SnapshotRequest, cancelled: threading.Event,
                 report: Callable[[str], None]) -> None:
        self.request = request
        self.cancelled = cancelled
        self.report = report
        self.temps: dict[Path, Path] = {}

    def check(self) -> None:
        if self.cancelled.is_set():
            raise SnapshotCancelled()

    def stage(self, name: str) -> None:
        self.check()
        self.report(name)

    def run(self) -> SnapshotOutcome:
        from explorer.store.workspace import Workspace

        request = self.request
        for target in request.outputs():
            target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with Workspace.open(request.workspace, readonly=True) as workspace:
                conn = workspace.conn
                # A non-zero return interrupts the running statement (sqlite3.OperationalError).
                conn.set_progress_handler(lambda: int(self.cancelled.is_set()), _INTERRUPT_EVERY)
                outcome = self._write(conn)
            self.stage("save")
            for target, temp in self.temps.items():
                os.replace(temp, target)
            self.temps.clear()
            return outcome
        finally:
            for temp in self.temps.values():
                temp.unlink(missing_ok=True)
                # write_bundle builds its zip under "<name>.partial" before renaming it
                temp.with_name(temp.name + ".partial").unlink(missing_ok=True)

    def _write(self, conn: Any) -> SnapshotOutcome:
        from explorer.report.qt.chart_png import render_target_chart
        from explorer.report.scope import resolve_scope
        from explorer.report.snapshot import build_snapshot, render_html

        request = self.request
        self.stage("read")
        scope = resolve_scope(conn, request.picks)
        report = build_snapshot(conn, scope=scope, title=request.title,
                                since_import=request.since_import, mask=request.mask,
                                chart_renderer=render_target_chart if request.chart else None)
        self.stage("html")
        html = render_html(report)
        self._temp(request.html).write_text(html, encoding="utf-8")
        if request.pdf is not None:
            self.stage("pdf")
            from explorer.report.qt.pdf import write_pdf

            write_pdf(report, self._temp(request.pdf))
        if request.bundle is not None:
            self.stage("bundle")
            from explorer.report.bundle import write_bundle

            write_bundle(conn, scope, html, self._temp(request.bundle), manifest={
                "title": report.title, "partner_id": report.partner_id,
                "export_date": report.snapshot_date, "objects": report.object_count()})
        self.check()
        return SnapshotOutcome("ok", request, request.outputs(), objects=report.object_count(),
                               left_out=report.left_out)

    def _temp(self, target: Path) -> Path:
        temp = _temp_beside(target)
        self.temps[target] = temp
        return temp


def run_export(request: SnapshotRequest, cancelled: threading.Event | None = None,
               report: Callable[[str], None] | None = None) -> SnapshotOutcome:
    """Write the request's files; never raises: failures become a one-line message."""
    event = cancelled if cancelled is not None else threading.Event()
    try:
        return _Export(request, event, report or (lambda _stage: None)).run()
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
    from explorer.report.scope import ScopeError
    from explorer.store.db import WorkspaceError

    text = " ".join(str(exc).split())
    if isinstance(exc, ScopeError | BundleError | WorkspaceError):
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
