"""Exporting a snapshot: the one use case behind ``aam-explorer snapshot`` and the window's
"Export snapshot" (its worker thread calls the same function).

``export_snapshot`` reads the workspace once, then writes the HTML page, the PDF and the
``.aamsnap`` bundle asked for, each under a temporary name beside its target; only when all
are complete are they renamed into place (``explorer.report.atomic``), so a cancel or a
failure leaves no half-written file and never replaces a good one.

The one deliberate difference between the callers is a parameter: the window creates the
folder the user picked (``create_folders=True``); the command line refuses a folder that does
not exist, so a typo never scatters files.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer.kinds import ObjectRef
from explorer.masking import CLASS_LABELS, CLASSES, Masker
from explorer.report.atomic import AtomicFiles
from explorer.report.errors import ReportWriteError
from explorer.report.scope import Scope, resolve_scope
from explorer.report.snapshot.build import DEFAULT_MAX_OBJECTS, build_snapshot
from explorer.report.snapshot.model import MaskingNote, PriceChoice, Snapshot
from explorer.report.snapshot.render import render_html
from explorer.report.snapshot.usage import ChartRenderer

PdfWriter = Callable[[Snapshot, Path], Path]

STAGES: tuple[str, ...] = ("read", "html", "pdf", "bundle", "save")
STAGE_LABELS: dict[str, str] = {
    "read": "Reading the workspace",
    "html": "Writing the HTML page",
    "pdf": "Writing the PDF",
    "bundle": "Writing the .aamsnap bundle",
    "save": "Saving the files",
}
BUNDLE_WITH_MASKING = ("a bundle holds the workspace's own data, which masking cannot hide: "
                       "export the bundle without masking, or leave it out")
_INTERRUPT_EVERY = 10_000  # SQLite VM steps between two cancel checks inside one query


class ExportCancelled(Exception):
    """The user cancelled; nothing was written."""


class SnapshotExportError(ValueError):
    """An export that cannot be made as asked; the message is meant for the user."""


@dataclass(frozen=True)
class ExportResult:
    paths: list[Path]
    objects: int
    left_out: int = 0
    masked: bool = False


@dataclass(frozen=True)
class SnapshotOptions:
    """What the report shows (the files to write are ``export_snapshot``'s own arguments)."""

    scope: Scope | Sequence[ObjectRef] | str = ()  # picks, a special scope word, or a Scope
    title: str | None = None
    since_import: int | None = None
    # draws the Target chart (explorer.report.qt.chart_png.render_target_chart); None: no chart
    chart_renderer: ChartRenderer | None = None
    usage: bool | None = None  # the Target calls chapter (default: whole tenant only)
    price: PriceChoice | None = None  # the user chose to include the estimated cost
    max_objects: int = DEFAULT_MAX_OBJECTS


def stage_text(stage: str) -> str:
    return STAGE_LABELS.get(stage, stage.capitalize())


def masking_note(masker: Masker) -> MaskingNote:
    """What the first page says about ``masker``: its classes and how many terms (never the
    terms themselves)."""
    rules = masker.rules
    classes = tuple(CLASS_LABELS[c].split(" (")[0] for c in CLASSES if c in rules.classes)
    return MaskingNote(classes, len(rules.terms), len(rules.valid_regexes()))


def resolve_mask(mask: Masker | None) -> tuple[Masker | None, MaskingNote | None]:
    """The masker to apply and what the first page says about it; (None, None) when masking
    is off."""
    if mask is None or not mask.active:
        return None, None
    return mask, masking_note(mask)


def export_snapshot(workspace: Any, *, html: Path | None = None, pdf: Path | None = None,
                    bundle: Path | None = None, options: SnapshotOptions | None = None,
                    mask: Masker | None = None,
                    pdf_writer: PdfWriter | None = None,
                    create_folders: bool = False,
                    progress: Callable[[str], None] | None = None,
                    cancel: Callable[[], bool] | threading.Event | None = None
                    ) -> ExportResult:
    """Write the snapshot of ``workspace`` (an open ``Workspace``, or a path opened here
    read-only) to ``html``, ``pdf`` and/or ``bundle``.

    ``mask`` masks every client value and the first page says so; it cannot go with a bundle
    (SnapshotExportError). The PDF is written by ``pdf_writer``
    (``explorer.report.qt.pdf.write_pdf``: the caller loads Qt, the core does not).
    ``progress`` receives each stage's name (STAGES); ``cancel`` is
    asked between stages and inside long queries (ExportCancelled). Errors: ScopeError,
    SnapshotExportError, ReportWriteError (an OSError naming the path).
    """
    options = options or SnapshotOptions()
    targets = [p for p in (html, pdf, bundle) if p is not None]
    if not targets:
        raise SnapshotExportError("nothing to write: give an HTML, PDF or bundle path")
    masker = resolve_mask(mask)
    if masker[0] is not None and bundle is not None:
        raise SnapshotExportError(BUNDLE_WITH_MASKING)
    if pdf is not None and pdf_writer is None:
        raise SnapshotExportError("a PDF needs its writer (explorer.report.qt.pdf.write_pdf)")
    cancelled = _cancel_check(cancel)
    report = progress or (lambda _stage: None)
    _prepare_folders(targets, create_folders)
    if isinstance(workspace, str | Path):
        from explorer.store.workspace import Workspace

        with Workspace.open(workspace, readonly=True) as opened:
            return _export(opened, html, pdf, bundle, options, masker, pdf_writer, report,
                           cancelled)
    return _export(workspace, html, pdf, bundle, options, masker, pdf_writer, report, cancelled)


def _cancel_check(cancel: Callable[[], bool] | threading.Event | None) -> Callable[[], bool]:
    if cancel is None:
        return lambda: False
    if isinstance(cancel, threading.Event):
        return cancel.is_set
    return cancel


def _prepare_folders(targets: list[Path], create: bool) -> None:
    for target in targets:
        folder = target.expanduser().absolute().parent
        if create:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ReportWriteError(target, exc.strerror or str(exc)) from None
        elif not folder.is_dir():
            raise ReportWriteError(target, f"the folder {folder} does not exist")


def _export(workspace: Any, html: Path | None, pdf: Path | None, bundle: Path | None,
            options: SnapshotOptions,
            masker: tuple[Masker | None, MaskingNote | None],
            pdf_writer: PdfWriter | None, report: Callable[[str], None],
            cancelled: Callable[[], bool]) -> ExportResult:
    def stage(name: str) -> None:
        if cancelled():
            raise ExportCancelled()
        report(name)

    conn: sqlite3.Connection = workspace.conn
    # A non-zero return interrupts the running statement (sqlite3.OperationalError).
    conn.set_progress_handler(lambda: int(cancelled()), _INTERRUPT_EVERY)
    files = AtomicFiles()
    try:
        stage("read")
        scope = _scope(conn, options.scope)
        snapshot = build_snapshot(
            conn, scope=scope, title=options.title, since_import=options.since_import,
            mask=masker[0], masking=masker[1],
            chart_renderer=options.chart_renderer, usage=options.usage,
            price=options.price, max_objects=options.max_objects)
        page = render_html(snapshot)
        if html is not None:
            stage("html")
            files.temp_for(html).write_text(page, encoding="utf-8")
        if pdf is not None and pdf_writer is not None:
            stage("pdf")
            pdf_writer(snapshot, files.temp_for(pdf))
        if bundle is not None:
            stage("bundle")
            from explorer.report.bundle import write_bundle

            write_bundle(conn, scope, page, files.temp_for(bundle), manifest={
                "title": snapshot.title, "partner_id": snapshot.partner_id,
                "export_date": snapshot.snapshot_date, "objects": snapshot.object_count()})
        stage("save")
        paths = files.commit()
    except sqlite3.OperationalError:
        if cancelled():  # the interrupted query
            raise ExportCancelled() from None
        raise
    finally:
        files.discard()
        conn.set_progress_handler(None, 0)
    return ExportResult(paths, snapshot.object_count(), snapshot.left_out,
                        masker[0] is not None)


def _scope(conn: sqlite3.Connection, scope: Scope | Sequence[ObjectRef] | str) -> Scope:
    if isinstance(scope, Scope):
        return scope
    if isinstance(scope, str):
        return resolve_scope(conn, special=scope)
    return resolve_scope(conn, tuple(scope))
