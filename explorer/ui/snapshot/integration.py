"""Wires snapshot export and .aamsnap bundles into the main window.

File > Export (and the toolbar's Export button): the snapshot dialog and its worker, the
window as PNG, findings / annotations / search results / the current list as CSV. Opening a
``.aamsnap`` (``open_bundle``, called by the window's open path): the bundle's workspace is
extracted to a temporary folder and shown read-only, with a yellow bar above the inspector;
the folder is removed when another workspace opens or the window closes.

Kept apart from ``main_window.py``: the window only creates this object and hands its
``open_bundle`` to the opener for ``.aamsnap`` paths; everything else follows the session
(``aboutToChange``, ``opened``, ``changed``) and the window's ``windowTitleChanged``.
"""

from __future__ import annotations

import atexit
import io
import logging
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStyle,
    QToolBar,
)

from explorer.kinds import FOLDER_KIND_OF, KIND_IN_FOLDER, KINDS, ObjectRef
from explorer.masking import Masker, TextMask
from explorer.report.atomic import atomic_path
from explorer.report.bundle import BundleError, bundle_info, open_bundle
from explorer.store.db import WorkspaceError
from explorer.store.names import object_name
from explorer.store.usage_events import get_currency, get_price
from explorer.store.workspace import Workspace
from explorer.ui.settings import app_settings
from explorer.ui.window.change import Change

if TYPE_CHECKING:
    from explorer.ui.snapshot.export_dialog import ExportChoices, SnapshotExportDialog
    from explorer.ui.snapshot.worker import SnapshotController, SnapshotOutcome, SnapshotRequest
    from explorer.ui.window.services import WindowServices

log = logging.getLogger(__name__)

READ_ONLY_MARK = "(snapshot, read-only)"
_FOLDER_SETTING = "snapshot/exportFolder"
_BAR_STYLE = ("QFrame#snapshotInfoBar { background-color: #FFF4C2; border: 1px solid #E3C453;"
              " border-radius: 3px; } QFrame#snapshotInfoBar QLabel { color: #3B3000; }")
_CSV_FILTER = "CSV files (*.csv)"
# Extraction folders still to remove (a file a closed connection held on Windows): retried
# on the next event-loop turn and at exit.
_LEFTOVER_FOLDERS: set[Path] = set()


def _remove_folder(folder: Path) -> bool:
    shutil.rmtree(folder, ignore_errors=True)
    if folder.exists():
        _LEFTOVER_FOLDERS.add(folder)
        return False
    _LEFTOVER_FOLDERS.discard(folder)
    return True


@atexit.register
def _remove_leftovers() -> None:
    for folder in list(_LEFTOVER_FOLDERS):
        _remove_folder(folder)


def write_atomically(target: Path, write: Callable[[Path], Any]) -> Any:
    """``write(temp)`` to a temporary name beside ``target``, then rename it into place."""
    with atomic_path(target) as temp:
        return write(temp)


def write_csv(target: Path, produce: Callable[[io.StringIO], int],
              mask: TextMask | None) -> int:
    """A CSV written by ``produce``, masked when asked (``csv_export.write_masked_csv``)."""
    from explorer.report.csv_export import write_masked_csv

    return write_masked_csv(target, produce, mask)


@dataclass
class OpenedBundle:
    """The bundle shown in the window: where it came from and where it was extracted."""

    path: Path
    folder: Path
    info: dict[str, Any]

    def bar_text(self, mask: TextMask) -> str:
        created = str(self.info.get("created") or "")[:10] or "an unknown date"
        title = str(self.info.get("title") or self.path.stem)
        return f"Read-only snapshot from {created} — {mask(title)}"

    def details(self, mask: TextMask) -> str:
        scope = ", ".join(str(s) for s in self.info.get("scope") or []) or "tenant"
        lines = [f"File: {self.path}", f"Scope: {scope}"]
        if self.info.get("export_date"):
            lines.append(f"AAM export of {self.info['export_date']}")
        if self.info.get("objects") is not None:
            lines.append(f"{self.info['objects']:,} objects")
        lines.append("Edits are not possible: annotations, findings and settings are "
                     "shown as they were exported.")
        return mask("\n".join(lines))


class ReadOnlyBar(QFrame):
    """The yellow bar above the inspector while a bundle is shown."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("snapshotInfoBar")
        self.setStyleSheet(_BAR_STYLE)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel()
        self.label.setObjectName("snapshotInfoText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        self.hide()

    def text(self) -> str:
        return self.label.text()


class SnapshotIntegration(QObject):
    """Export actions and read-only bundles of one main window."""

    exportFinished = Signal(object)  # SnapshotOutcome
    bundleOpened = Signal(str)  # the .aamsnap path

    def __init__(self, window: WindowServices) -> None:
        super().__init__(window.main_window())
        self.window = window
        self.session = window.session
        main_window = window.main_window()
        self.bundle: OpenedBundle | None = None
        self._opening: OpenedBundle | None = None
        self.controller: SnapshotController | None = None
        self.last_dialog: Any = None
        self.last_outcome: SnapshotOutcome | None = None
        self.last_message: QMessageBox | None = None
        self.info_bar = ReadOnlyBar()
        window.frame.inspector_slot.add_header(self.info_bar)
        self._build_actions(main_window)
        window.frame.add_to_file_menu(self.export_menu, separated=True)
        self._add_to_toolbar(window.frame.toolbar, window.actions_.open_export_folder)
        self.session.aboutToChange.connect(self._before_workspace_change)
        self.session.opened.connect(self._after_workspace_opened)
        self.session.changed.connect(self._on_change)
        main_window.windowTitleChanged.connect(self._mark_title)
        main_window.destroyed.connect(_remove_leftovers)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._leave_bundle)
        self._update_actions()

    # ----- actions and menus --------------------------------------------------------------
    def _build_actions(self, window: QMainWindow) -> None:
        def action(text: str, name: str, slot: Callable[[], Any], tip: str,
                   shortcut: str | None = None) -> QAction:
            act = QAction(text, window)
            act.setObjectName(name)
            act.setStatusTip(tip)
            act.setToolTip(tip)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(lambda _=False: slot())
            window.addAction(act)
            return act

        self.export_action = action(
            "&Snapshot…", "exportSnapshotAction", self.open_export_dialog,
            "Export an annotated snapshot: HTML page, PDF, .aamsnap bundle (Ctrl+E)", "Ctrl+E")
        self.export_action.setIcon(window.style().standardIcon(
            QStyle.StandardPixmap.SP_DialogSaveButton))
        self.export_action.setIconText("Export")
        self.png_action = action("&Window as PNG…", "exportPngAction", self.ask_and_save_png,
                                 "Save a picture of the window as it is shown (masked when "
                                 "masking is on)")
        self.findings_csv_action = action("&Findings as CSV…", "exportFindingsCsvAction",
                                          self.ask_and_export_findings,
                                          "Every finding, accepted ones too, as CSV")
        self.annotations_csv_action = action("&Annotations as CSV…",
                                             "exportAnnotationsCsvAction",
                                             self.ask_and_export_annotations,
                                             "Every annotation as CSV")
        self.search_csv_action = action("Search &results as CSV…", "exportSearchCsvAction",
                                        self.ask_and_export_search,
                                        "The results of the search box's query as CSV")
        self.list_csv_action = action("Current &list as CSV…", "exportListCsvAction",
                                      self.ask_and_export_list,
                                      "The object list as filtered and sorted, visible "
                                      "columns, as CSV")
        self.export_menu = QMenu("&Export", window)
        self.export_menu.setObjectName("exportMenu")
        self.export_menu.addAction(self.export_action)
        self.export_menu.addAction(self.png_action)
        self.export_menu.addSeparator()
        for act in (self.findings_csv_action, self.annotations_csv_action,
                    self.search_csv_action, self.list_csv_action):
            self.export_menu.addAction(act)

    def _add_to_toolbar(self, toolbar: QToolBar, anchor: QAction) -> None:
        actions = toolbar.actions()
        before = None
        if anchor in actions and actions.index(anchor) + 1 < len(actions):
            before = actions[actions.index(anchor) + 1]  # right after Import
        toolbar.insertAction(before, self.export_action) if before else \
            toolbar.addAction(self.export_action)

    def _update_actions(self) -> None:
        has_workspace = self.session.workspace is not None
        for act in self.export_menu.actions():
            if not act.isSeparator():
                act.setEnabled(has_workspace)
        self.png_action.setEnabled(True)
        read_only = self.session.read_only
        self.export_action.setEnabled(has_workspace and not read_only)
        if read_only:
            self.export_action.setStatusTip("A read-only snapshot cannot be exported again: its "
                                            "page is in the bundle")
        else:
            self.export_action.setStatusTip("Export an annotated snapshot: HTML page, PDF, "
                                            ".aamsnap bundle (Ctrl+E)")

    # ----- following the window -----------------------------------------------------------
    def _before_workspace_change(self) -> None:
        if self.controller is not None:  # its connection is its own, but not past the window
            self.controller.cancel()
            self.controller.wait()
        old, self.bundle = self.bundle, self._opening
        if old is not None and old is not self.bundle:
            self._schedule_removal(old.folder)

    def _after_workspace_opened(self, _path: str) -> None:
        self._show_bar()
        self._update_actions()
        self._mark_title(self.window.main_window().windowTitle())

    def _on_change(self, change: Change) -> None:
        if change.masking:
            self._show_bar()

    def _leave_bundle(self) -> None:
        """Forget the shown bundle (quit): its folder goes once the connection is closed."""
        if self.bundle is not None:
            self._schedule_removal(self.bundle.folder)

    def _schedule_removal(self, folder: Path) -> None:
        # The window closes the old connection right after workspaceAboutToChange; on POSIX
        # the files go at once, elsewhere on the next turn of the event loop (or at exit).
        if not _remove_folder(folder):
            QTimer.singleShot(0, lambda: _remove_folder(folder))

    def _mark_title(self, title: str) -> None:
        if self.bundle is None or READ_ONLY_MARK in title:
            return
        name, sep, rest = title.partition(" — ")
        self.window.main_window().setWindowTitle(f"{name} {READ_ONLY_MARK}{sep}{rest}" if sep
                                                 else f"{title} {READ_ONLY_MARK}")

    def _mask(self) -> TextMask:
        return self.session.mask

    def _show_bar(self) -> None:
        if self.bundle is None:
            self.info_bar.hide()
            return
        mask = self._mask()
        self.info_bar.label.setText(self.bundle.bar_text(mask))
        self.info_bar.setToolTip(self.bundle.details(mask))
        self.info_bar.show()

    # ----- opening a bundle ---------------------------------------------------------------
    def open_bundle(self, path: Path, *, select: ObjectRef | None = None) -> bool:
        """Show the bundle at ``path`` read-only; False (and a message) when it cannot be."""
        path = Path(path)
        try:
            info = bundle_info(path)
            extracted = open_bundle(path)
        except (BundleError, OSError) as exc:
            self._fail(f"Cannot open the snapshot: {exc}")
            return False
        # Named after the bundle: the window titles the workspace by its file name.
        workspace_path = extracted.with_name(f"{path.stem}.aamws")
        try:
            extracted.rename(workspace_path)
            workspace = Workspace.open(workspace_path, readonly=True)
        except (WorkspaceError, OSError) as exc:
            _remove_folder(extracted.parent)
            self._fail(f"Cannot open the snapshot: {exc}")
            return False
        self._opening = OpenedBundle(path, extracted.parent, info)
        try:
            self.window.opener.show(workspace, select=select)
        finally:
            self._opening = None
        self.bundleOpened.emit(str(path))
        return True

    # ----- snapshot export ----------------------------------------------------------------
    def export_choices(self) -> ExportChoices:
        """What the dialog starts with, from the window's workspace and current object."""
        # the dialog pulls in the whole snapshot report (jinja2 included): loaded on first use
        from explorer.ui.snapshot.export_dialog import ExportChoices

        workspace = self.session.workspace
        assert workspace is not None, "export choices need an open workspace"
        mask = self._mask()
        masking_on = self.output_mask() is not None
        stem = workspace.path.stem
        current = self.window.navigator.current_ref()
        folder = _folder_of(workspace.conn, current) if current is not None else None
        imports = workspace.imports()
        name = "snapshot" if masking_on else f"{stem}-snapshot"
        return ExportChoices(
            workspace=workspace.path,
            default_title=f"{mask(stem)} configuration review",
            default_path=_export_folder() / f"{name}-{date.today().isoformat()}.html",
            current=current,
            current_label=mask(_label(workspace.conn, current)) if current else "",
            folder=folder,
            folder_label=mask(_label(workspace.conn, folder)) if folder else "",
            picks=[current] if current is not None else [],
            imports=[(r.id, _import_label(r)) for r in imports[:-1]],
            masking_on=masking_on,
            price=get_price(workspace.conn),
            currency=get_currency(workspace.conn),
        )

    def output_mask(self) -> Masker | None:
        """What exports mask with while masking is on, else None."""
        return self.session.masker

    def open_export_dialog(self) -> SnapshotExportDialog | None:
        """The export dialog (shown window-modal); None when nothing can be exported."""
        if self.session.workspace is None:
            return None
        if self.session.read_only:
            self._warn("This is a read-only snapshot: it cannot be exported again. Its page "
                       "is the snapshot.html inside the .aamsnap bundle.")
            return None
        from explorer.ui.snapshot.export_dialog import SnapshotExportDialog

        dialog = SnapshotExportDialog(self.export_choices(), self.output_mask(),
                                      self.window.main_window())
        dialog.accepted.connect(lambda: self.start_export(dialog.request()))
        self.last_dialog = dialog
        self._open(dialog)
        return dialog

    def start_export(self, request: SnapshotRequest) -> SnapshotController | None:
        """Write the request's files in the background; the outcome is shown when done."""
        if self.controller is not None:
            self._warn("A snapshot export is already running.")
            return None
        from explorer.ui.snapshot.worker import SnapshotController

        app_settings().setValue(_FOLDER_SETTING, str(request.html.parent))
        controller = SnapshotController(request, self.window.main_window(), show_dialog=True)
        controller.finished.connect(self._on_export_finished)
        self.controller = controller
        self.window.main_window().statusBar().showMessage("Exporting the snapshot…")
        controller.start()
        return controller

    def _on_export_finished(self, outcome: SnapshotOutcome) -> None:
        controller, self.controller = self.controller, None
        if controller is not None:
            controller.deleteLater()
        self.last_outcome = outcome
        status = self.window.main_window().statusBar()
        status.clearMessage()
        if outcome.status == "ok":
            status.showMessage(f"Snapshot written: {outcome.paths[0]}", 8000)
            self._show_written(outcome)
        elif outcome.status == "cancelled":
            status.showMessage(outcome.message, 8000)
        else:
            self._warn(f"The snapshot could not be exported.\n\n{outcome.message}")
        self.exportFinished.emit(outcome)

    def _show_written(self, outcome: SnapshotOutcome) -> None:
        lines = "\n".join(str(p) for p in outcome.paths)
        text = f"Snapshot written ({outcome.objects:,} objects):\n\n{lines}"
        if outcome.left_out:
            text += (f"\n\n{outcome.left_out:,} objects were left out to keep the page "
                     "readable: export a folder or a data source for the rest.")
        self._message(QMessageBox.Icon.Information, text)

    # ----- PNG and CSV --------------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        workspace = self.session.workspace
        if workspace is None:
            raise ValueError("No workspace is open.")
        return workspace.conn

    def ask_save_path(self, caption: str, default_name: str, file_filter: str) -> Path | None:
        """Where to save (tests replace this method)."""
        chosen, _ = QFileDialog.getSaveFileName(self.window.main_window(), caption,
                                                str(_export_folder() / default_name),
                                                file_filter)
        if not chosen:
            return None
        app_settings().setValue(_FOLDER_SETTING, str(Path(chosen).parent))
        return Path(chosen)

    def save_window_png(self, path: Path) -> Path:
        """The window as shown (masking included) to ``path`` (.png added when missing)."""
        path = Path(path)
        if path.suffix.lower() != ".png":
            path = path.with_name(path.name + ".png")
        pixmap = self.window.main_window().grab()

        def write(temp: Path) -> None:
            if not pixmap.save(str(temp), "PNG"):
                raise OSError(f"could not write {path}")

        write_atomically(path, write)
        return path

    def export_findings_csv(self, path: Path) -> int:
        from explorer.report.csv_export import findings_csv

        conn = self._connection()
        return write_csv(Path(path), lambda out: findings_csv(conn, out), self.output_mask())

    def export_annotations_csv(self, path: Path) -> int:
        from explorer.report.csv_export import annotations_csv

        conn = self._connection()
        return write_csv(Path(path), lambda out: annotations_csv(conn, out),
                         self.output_mask())

    def export_search_csv(self, path: Path) -> int:
        query = self.window.search.query.strip()
        if not query:
            raise ValueError("The search box is empty: search for something first.")
        from explorer.report.csv_export import search_csv

        conn = self._connection()
        return write_csv(Path(path), lambda out: search_csv(conn, query, out),
                         self.output_mask())

    def export_list_csv(self, path: Path) -> int:
        view = self.window.panels.object_list
        if view is None or view.source is None:
            raise ValueError("No list is shown: choose a folder or a group in the tree first.")
        # The list masks its cells itself whenever masking is on (as the table shows them).
        return write_atomically(Path(path), lambda temp: view.export_csv(temp))

    def ask_and_save_png(self) -> None:
        path = self.ask_save_path("Export the window as PNG", "window.png", "PNG images (*.png)")
        if path is not None:
            self._run_export(lambda: self.save_window_png(path), "Window saved as {path}",
                             path)

    def ask_and_export_findings(self) -> None:
        self._ask_csv("Export findings as CSV", "findings.csv", self.export_findings_csv)

    def ask_and_export_annotations(self) -> None:
        self._ask_csv("Export annotations as CSV", "annotations.csv",
                      self.export_annotations_csv)

    def ask_and_export_search(self) -> None:
        if not self.window.search.query.strip():
            self._warn("The search box is empty: search for something first.")
            return
        self._ask_csv("Export search results as CSV", "search-results.csv",
                      self.export_search_csv)

    def ask_and_export_list(self) -> None:
        self._ask_csv("Export the list as CSV", "objects.csv", self.export_list_csv)

    def _ask_csv(self, caption: str, default_name: str, export: Callable[[Path], int]) -> None:
        if self.session.workspace is None:
            return
        path = self.ask_save_path(caption, default_name, _CSV_FILTER)
        if path is None:
            return
        if path.suffix.lower() != ".csv":
            path = path.with_name(path.name + ".csv")
        self._run_export(lambda: export(path), "{count:,} rows written to {path}", path)

    def _run_export(self, run: Callable[[], Any], done: str, path: Path) -> None:
        try:
            result = run()
        except (OSError, ValueError, sqlite3.Error) as exc:
            log.warning("export to %s failed: %s", path, exc)
            self._warn(f"Could not export to {path}:\n{exc}")
            return
        count = result if isinstance(result, int) else 0
        self.window.main_window().statusBar().showMessage(done.format(count=count, path=path),
                                                          8000)

    # ----- messages -----------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> None:
        self.window.messenger.open_dialog(dialog)

    def _message(self, icon: QMessageBox.Icon, text: str) -> None:
        if not self.window.messenger.interactive:
            log.info("%s", text)
            return
        box = QMessageBox(icon, "Export snapshot", text, QMessageBox.StandardButton.Ok,
                          self.window.main_window())
        box.setObjectName("snapshotMessage")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                    | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.last_message = box
        self._open(box)

    def _warn(self, text: str) -> None:
        log.warning("%s", text)
        self._message(QMessageBox.Icon.Warning, text)

    def _fail(self, text: str) -> None:
        self.window.messenger.fail(text)


# ----- small queries ----------------------------------------------------------------------


def _export_folder() -> Path:
    saved = app_settings().value(_FOLDER_SETTING, "")
    folder = Path(str(saved)) if saved else Path.home()
    return folder if folder.is_dir() else Path.home()


def _label(conn: sqlite3.Connection, ref: ObjectRef) -> str:
    """``Trait: Name (1000001)`` for the dialog's scope choices."""
    spec = KINDS.get(ref.kind)
    if spec is None:
        return str(ref)
    name = object_name(conn, ref.kind, ref.id) or f"{spec.label} {ref.id}"
    return f"{spec.label}: {name} ({ref.id})"


def _folder_of(conn: sqlite3.Connection, ref: ObjectRef) -> ObjectRef | None:
    """The folder holding ``ref``: a trait's or segment's folder, a folder's parent."""
    if ref.kind in FOLDER_KIND_OF:
        column, folder_kind = "folder_id", FOLDER_KIND_OF[ref.kind]
    elif ref.kind in KIND_IN_FOLDER:
        column, folder_kind = "parent_id", ref.kind
    else:
        return None
    row = conn.execute(f"SELECT {column} FROM {KINDS[ref.kind].table} WHERE id = ?",
                       (ref.id,)).fetchone()
    if row is None or row[0] is None:
        return None
    return ObjectRef(folder_kind, int(row[0]))


def _import_label(record: Any) -> str:
    export = f"export of {record.export_date}" if record.export_date else "export"
    when = str(record.finished_at or "")[:10]
    return f"Import {record.id} — {export}" + (f" (imported {when})" if when else "")

