"""Writing a snapshot (HTML, and optionally PDF and a .aamsnap bundle) as a background task.

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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from explorer.analysis.diff import DiffError
from explorer.kinds import ObjectRef
from explorer.masking import TextMask
from explorer.report.bundle import BundleError, write_bundle
from explorer.report.scope import ScopeError, resolve_scope
from explorer.store.db import WorkspaceError
from explorer.store.workspace import Workspace
from explorer.ui.tasks import BackgroundTask, Job, ProgressDialogSpec, TaskControl, TaskThread

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
        # The report and PDF writers cost 0.1-0.2 s to import: not at the window's start.
        from explorer.report.qt.chart_png import render_target_chart
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
    text = " ".join(str(exc).split())
    if isinstance(exc, ScopeError | BundleError | WorkspaceError):
        return text
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        return f"Could not write the files{where}: {exc.strerror or text}"
    if isinstance(exc, DiffError | ValueError):
        return f"Could not build the snapshot: {text}"
    return f"{type(exc).__name__}: {text}"


def snapshot_job(request: SnapshotRequest) -> Job:
    """The export as a background job: progress is the stage name."""
    def job(control: TaskControl) -> SnapshotOutcome:
        return run_export(request, control.cancelled,
                          lambda stage: control.report(stage, 0, 0, ""))
    return job


class SnapshotController(BackgroundTask):
    """One export: the worker thread plus a progress dialog whose Cancel works."""

    def __init__(self, request: SnapshotRequest, parent: QWidget, *,
                 show_dialog: bool = True) -> None:
        self.stages = _stages_of(request)
        dialog = ProgressDialogSpec("Exporting snapshot", stage_text("read") + "…",
                                    len(self.stages), "snapshotProgress")
        super().__init__(TaskThread(snapshot_job(request)), parent,
                         dialog=dialog if show_dialog else None,
                         label=lambda stage, *_: stage_text(stage) + "…",
                         stages=self.stages)


def _stages_of(request: SnapshotRequest) -> list[str]:
    skipped = {"pdf"} if request.pdf is None else set()
    if request.bundle is None:
        skipped.add("bundle")
    return [s for s in STAGES if s not in skipped]
