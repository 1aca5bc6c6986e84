"""Getting a workspace into the window: open a workspace file or a snapshot bundle, import an
export (folder, .zip or file) as a background task and open the result, the file dialogs,
recent files and drops."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu

from explorer.kinds import ObjectRef
from explorer.paths import WORKSPACE_SUFFIX, data_dir
from explorer.report.bundle import BUNDLE_SUFFIX
from explorer.store.db import WorkspaceError
from explorer.store.workspace import Workspace
from explorer.ui.actions import WindowActions
from explorer.ui.import_worker import ImportController, ImportOutcome
from explorer.ui.recent import Openable, RecentFiles, classify_drop, classify_path, export_name
from explorer.ui.window.messages import Messenger, log
from explorer.ui.window.navigator import Navigator
from explorer.ui.window.readiness import Readiness
from explorer.ui.window.session import WorkspaceSession


class BundleOpener(Protocol):
    """Opens a .aamsnap bundle read-only (the snapshot feature)."""

    def __call__(self, path: Path, *, select: ObjectRef | None = None) -> bool: ...


def default_workspace_for(source: Path) -> Path:
    """``data_dir()/<export name>.aamws``: where an imported export is saved by default."""
    return data_dir() / f"{export_name(Path(source))}{WORKSPACE_SUFFIX}"


class Opener(QObject):
    """Every way something gets opened: paths, dialogs, recent files, drops, imports."""

    importFinished = Signal(object)  # ImportOutcome

    def __init__(self, window: QMainWindow, session: WorkspaceSession, navigator: Navigator,
                 readiness: Readiness, messenger: Messenger, actions: WindowActions,
                 recent_menu: QMenu, *, remember_last: bool) -> None:
        super().__init__(window)
        self._window = window
        self._session = session
        self._navigator = navigator
        self._readiness = readiness
        self._messenger = messenger
        self._actions = actions
        self._recent_menu = recent_menu
        self._remember_last = remember_last
        self.recent = RecentFiles()
        self.import_task: ImportController | None = None
        self._pending_select: ObjectRef | None = None
        self._open_bundle: BundleOpener | None = None
        recent_menu.aboutToShow.connect(self.fill_recent_menu)

    def set_bundle_opener(self, open_bundle: BundleOpener) -> None:
        self._open_bundle = open_bundle

    # ----- opening ------------------------------------------------------------------------
    def open_path(self, path: Path, *, select: ObjectRef | None = None, ask: bool = True
                  ) -> bool:
        """Open a workspace, or import an export (a folder, .zip or file) and open the result.

        ``ask=False`` imports without asking where to save (command line and drops beside
        the data folder); returns False when the path is nothing the window can open.
        """
        openable = classify_path(Path(path))
        if openable is None and not Path(path).exists():
            self._messenger.fail(f"File not found: {path}")
            return False
        if openable is None:
            self._messenger.fail(f"{path}: not a workspace ({WORKSPACE_SUFFIX}), a snapshot "
                                 f"({BUNDLE_SUFFIX}), an export folder or a .zip archive")
            return False
        return self._open(openable, select=select, ask=ask)

    def _open(self, openable: Openable, *, select: ObjectRef | None, ask: bool) -> bool:
        if openable.kind == "workspace":
            return self.open_workspace(openable.path, select=select)
        if openable.kind == "snapshot" and self._open_bundle is not None:
            return self._open_bundle(openable.path, select=select)  # shown read-only
        target = None if ask else default_workspace_for(openable.path)
        return self.start_import(openable.path, target, select=select)

    def open_workspace(self, path: Path, *, select: ObjectRef | None = None) -> bool:
        """Open (or re-open) a workspace file and show it; False (and a message) on failure."""
        path = Path(path)
        try:
            workspace = Workspace.open(path)
        except WorkspaceError as exc:
            self._messenger.fail(str(exc))
            return False
        self.show(workspace, select=select, remember=path)
        return True

    def open_demo(self) -> bool:
        """The bundled demo tenant (imported into its workspace on first use)."""
        from explorer.demo import ensure_demo_workspace

        try:
            path = ensure_demo_workspace()
        except Exception as exc:  # a broken demo must say what broke, not show a traceback
            self._messenger.fail(f"cannot prepare the demo workspace: {exc}")
            return False
        return self.open_workspace(path)

    def show(self, workspace: Workspace, *, select: ObjectRef | None = None,
             remember: Path | None = None) -> None:
        """Make ``workspace`` the open one, announce it and show ``select`` (the one path
        every opening takes: files, imports, snapshot bundles)."""
        previous = self._session.workspace
        reimported = previous is not None and previous.path.resolve() == workspace.path.resolve()
        self._session.replace(workspace)
        if remember is not None:
            self.recent.add(remember)
            if self._remember_last:
                RecentFiles.set_last_workspace(remember)
        self._session.announce_opened(reimported=reimported)
        if select is not None:
            self._navigator.reveal(select)
        self._readiness.request()

    # ----- importing ----------------------------------------------------------------------
    def start_import(self, source: Path, target: Path | None = None, *,
                     select: ObjectRef | None = None) -> bool:
        """Import ``source`` into ``target`` in the background (asks where when None)."""
        if self.import_task is not None:
            self._messenger.fail("An import is already running; wait for it or cancel it.")
            return False
        if target is None:
            target = self.ask_workspace_path(default_workspace_for(source))
            if target is None:
                return False
        self._pending_select = select if select is not None else self._navigator.current_ref()
        self._window.statusBar().showMessage(f"Importing {source}…")
        task = ImportController(source, target, self._window)
        task.finished.connect(self.on_import_finished)
        self.import_task = task
        task.start()
        return True

    def cancel_import(self) -> None:
        """Stop a running import and wait for it (the window closes)."""
        if self.import_task is not None:
            self.import_task.cancel()
            self.import_task.wait()

    def ask_workspace_path(self, default: Path) -> Path | None:
        """Where to save the imported workspace (tests replace this method)."""
        chosen, _ = QFileDialog.getSaveFileName(
            self._window, "Save the workspace as", str(default),
            f"AAM Config Explorer workspace (*{WORKSPACE_SUFFIX})")
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix == WORKSPACE_SUFFIX else path.with_name(
            path.name + WORKSPACE_SUFFIX)

    def on_import_finished(self, outcome: ImportOutcome) -> None:
        """Open the imported workspace, or say why not (the import task's ``finished``)."""
        task, self.import_task = self.import_task, None
        if task is not None:
            task.deleteLater()
        select, self._pending_select = self._pending_select, None
        status = self._window.statusBar()
        status.clearMessage()
        if outcome.status == "ok":
            self.recent.add(outcome.source)
            self.open_workspace(outcome.target, select=select)
            if outcome.problems:
                self._show_report("Import report",
                                  f"Imported {outcome.source.name} with "
                                  f"{len(outcome.problems)} problem(s).",
                                  outcome)
            else:
                notes = list(getattr(outcome.report, "notes", None) or [])
                status.showMessage(" ".join([f"Imported {outcome.source.name}.", *notes]), 8000)
        elif outcome.status == "cancelled":
            status.showMessage(outcome.message, 8000)
        elif outcome.status == "refused":
            self._show_report("Import refused", refusal_headline(outcome.source), outcome,
                              detail=refusal_detail(outcome))
            self._messenger.failed_quietly(outcome.message)
        else:
            self._messenger.fail(f"The import failed: {outcome.message}")
        self.importFinished.emit(outcome)

    def _show_report(self, title: str, headline: str, outcome: ImportOutcome, *,
                     detail: str = "") -> None:
        problems = outcome.problems or ([f"Error: {outcome.message}"] if outcome.message else [])
        if not self._messenger.interactive:
            log.warning("%s: %s\n%s", title, headline, "\n".join(problems))
            return
        from explorer.ui.import_report_dialog import ImportReportDialog  # on first use

        dialog = ImportReportDialog(title, headline, problems, outcome.report, self._window,
                                    detail=detail)
        self._messenger.open_dialog(dialog)

    # ----- file dialogs, recent, drops ----------------------------------------------------
    def choose_workspace(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self._window, "Open workspace", str(self._dialog_folder()),
            f"AAM Config Explorer workspace or snapshot (*{WORKSPACE_SUFFIX} *{BUNDLE_SUFFIX});;"
            "All files (*)")
        if chosen:
            self.open_path(Path(chosen))

    def choose_export_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self._window, "Import an AAM export folder",
                                                  str(Path.home()))
        if chosen:
            self.start_import(Path(chosen))

    def choose_export_zip(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self._window, "Import a zipped AAM export",
                                                str(Path.home()), "Zip archives (*.zip)")
        if chosen:
            self.start_import(Path(chosen))

    def _dialog_folder(self) -> Path:
        workspace = self._session.workspace
        return workspace.path.parent if workspace is not None else data_dir()

    def fill_recent_menu(self) -> None:
        menu = self._recent_menu
        menu.clear()
        paths = self.recent.paths()
        for path in paths:
            kind = "workspace" if path.suffix == WORKSPACE_SUFFIX else "export"
            # "&" doubled: a menu text's "&" would otherwise become a shortcut and vanish.
            label = f"{path.name}  ({kind}: {path.parent})".replace("&", "&&")
            action = QAction(label, menu)
            action.setData(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))
            menu.addAction(action)
        if not paths:
            empty = menu.addAction("No recent files")
            empty.setEnabled(False)
        menu.addSeparator()
        menu.addAction(self._actions.clear_recent)

    def accepts_drop(self, event: QDragEnterEvent) -> None:
        if classify_drop(_local_paths(event)) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def drop(self, event: QDropEvent) -> None:
        openable = classify_drop(_local_paths(event))
        if openable is None:
            event.ignore()
            return
        event.acceptProposedAction()
        # Opened after the drop returns: the drag source must not wait for an import dialog.
        QTimer.singleShot(0, lambda: self._open(openable, select=None, ask=True))


def refusal_headline(source: Path) -> str:
    """"Could not import <export name>": the headline names what was imported."""
    return f"Could not import {export_name(Path(source))}"


def refusal_detail(outcome: ImportOutcome) -> str:
    """Where the export came from, that nothing changed, and the reason(s) listed below."""
    count = len(outcome.problems) or 1
    reasons = "The reason is" if count == 1 else f"The {count} reasons are"
    return (f"{outcome.source}\nNothing was written to the workspace. "
            f"{reasons} listed below.")


def _local_paths(event: QDropEvent | QDragEnterEvent) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
