"""Writing a snapshot (HTML, and optionally PDF and a .aamsnap bundle) as a background task.

The worker opens its own read-only connection, never touches a widget and reports through
signals; the export itself is the core's ``export_snapshot`` (the command line's too), which
writes every file atomically and checks cancel between stages and inside long queries.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QWidget

from explorer.analysis.diff import DiffError
from explorer.kinds import ObjectRef
from explorer.masking import Masker
from explorer.report.bundle import BundleError
from explorer.report.errors import ReportWriteError
from explorer.report.export import STAGES, ExportCancelled, SnapshotExportError, stage_text
from explorer.report.scope import ScopeError
from explorer.report.snapshot.model import PriceChoice
from explorer.store.db import WorkspaceError
from explorer.ui.tasks import BackgroundTask, Job, ProgressDialogSpec, TaskControl, TaskThread

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
    mask: Masker | None = None
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
    text = " ".join(str(exc).split())
    if isinstance(exc, ScopeError | BundleError | WorkspaceError | SnapshotExportError
                  | ReportWriteError):
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
