"""The explorer window: tree, object list, inspector, bottom panels, search and history.

The window owns the GUI thread's workspace connection. Components that read it (tree model,
object list, inspector, findings, trends) are built when a workspace opens and rebuilt (or
handed the new workspace) when another one opens or an import into the open one commits.
Imports run in a worker thread (``import_worker``); the window never blocks on them.

``MainWindow`` composes one mixin per concern from ``explorer.ui.window`` (layout, saved
state, components, opening and importing, navigation, search, readiness, messages); this
module keeps the signals, the construction order, the event filter and closing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget

from explorer.kinds import ObjectRef
from explorer.store.workspace import Workspace
from explorer.ui.actions import WindowActions
from explorer.ui.annotations.integration import AnnotationsIntegration
from explorer.ui.changes.integration import ChangesIntegration
from explorer.ui.history import NavigationHistory
from explorer.ui.import_worker import ImportController
from explorer.ui.lineage.integration import LineageIntegration
from explorer.ui.recent import RecentFiles
from explorer.ui.search import SearchController
from explorer.ui.snapshot.integration import SnapshotIntegration
from explorer.ui.window.components import ComponentsMixin
from explorer.ui.window.layout import LayoutMixin
from explorer.ui.window.messages import APP_TITLE, MessagesMixin, workspace_summary
from explorer.ui.window.navigation import NavigationMixin
from explorer.ui.window.opening import OpeningMixin, default_workspace_for
from explorer.ui.window.persistence import PersistenceMixin
from explorer.ui.window.readiness import ReadinessMixin
from explorer.ui.window.searching import SearchingMixin
from explorer.ui.workshop.window import WorkshopIntegration

__all__ = ["APP_TITLE", "MainWindow", "default_workspace_for", "workspace_summary"]


class MainWindow(LayoutMixin, PersistenceMixin, ComponentsMixin, OpeningMixin,
                 NavigationMixin, SearchingMixin, ReadinessMixin, MessagesMixin, QMainWindow):
    """The explorer window. ``ready`` fires once a workspace is loaded, the tree painted and
    the requested selection shown (screenshot mode and tests wait for it, not for timers)."""

    ready = Signal()
    workspaceOpened = Signal(str)  # path
    loadFailed = Signal(str)  # a one-line message: opening or importing failed
    importFinished = Signal(object)  # ImportOutcome
    workspaceAboutToChange = Signal()  # before the open workspace is replaced or closed
    currentObjectChanged = Signal(object)  # ObjectRef | None shown in the inspector

    def __init__(self, *, interactive: bool = True, restore_settings: bool = True) -> None:
        super().__init__()
        # interactive=False (screenshot mode): no questions, no modal dialogs, no saved state.
        self.interactive = interactive
        self._persist = restore_settings
        self.workspace: Workspace | None = None
        self.history: NavigationHistory[ObjectRef] = NavigationHistory()
        self.recent = RecentFiles()
        self.import_controller: ImportController | None = None
        self.last_dialog: QWidget | None = None
        self.tree_model: Any = None
        self._record_history = True
        self._ready_pending = False
        self._is_ready = False
        self._pending_select: ObjectRef | None = None
        self._trends_created = False
        self._listed_target: ObjectRef | str | None = None
        self._layout_restored = False  # saved dock/splitter state was restored
        self._first_show_done = False

        self.setWindowTitle(APP_TITLE)
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks
                            | QMainWindow.DockOption.AllowTabbedDocks)
        self.resize(1280, 800)
        self._build_central()
        self._build_docks()
        self.search = SearchController(self._search_connection, self)
        self._build_search()
        self.actions_ = WindowActions(self)
        self._build_menus_and_toolbar()
        self._connect_actions()
        self.annotations = AnnotationsIntegration(self)
        self.changes = ChangesIntegration(self)  # Changes dock, File > Compare…
        self.snapshot = SnapshotIntegration(self)  # File > Export, .aamsnap bundles
        self.lineage = LineageIntegration(self)  # Lineage dock
        self.statusBar().setObjectName("statusBar")
        self._status_label = QLabel()
        self.statusBar().addPermanentWidget(self._status_label)
        self.workshop = WorkshopIntegration(self)
        app = QApplication.instance()
        if app is not None:  # mouse back/forward buttons anywhere in this window
            app.installEventFilter(self)
        if self._persist:
            self.restore_settings()
        self._show_welcome()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        etype = event.type()
        if etype == QEvent.Type.Paint and self._ready_pending and watched is self.tree.viewport():
            QTimer.singleShot(0, self._emit_ready)  # after this paint has finished
        elif etype == QEvent.Type.MouseButtonPress and self._owns(watched):
            return self._mouse_navigation(event)  # type: ignore[arg-type]
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.import_controller is not None:
            self.import_controller.cancel()
            self.import_controller.thread.wait()
        self.workspaceAboutToChange.emit()
        self.workshop.window_closing()
        if self._persist:
            self.save_settings()
        self.workshop.window_closed()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None
        super().closeEvent(event)
