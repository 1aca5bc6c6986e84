"""The explorer window: tree, object list, inspector, bottom panels, search and history.

The window owns the GUI thread's workspace connection. Components that read it (tree model,
object list, inspector, findings, trends) are built when a workspace opens and rebuilt (or
handed the new workspace) when another one opens or an import into the open one commits.
Imports run in a worker thread (``import_worker``); the window never blocks on them.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QMouseEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QFileDialog,
    QFrame,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from explorer.kinds import KINDS, ObjectRef
from explorer.paths import WORKSPACE_SUFFIX, data_dir
from explorer.store.db import WorkspaceError
from explorer.store.workspace import Workspace
from explorer.ui.actions import WindowActions, build_menus, build_toolbar
from explorer.ui.annotations.integration import AnnotationsIntegration
from explorer.ui.changes.integration import ChangesIntegration
from explorer.ui.common import NODE_TYPE_ROLE, OBJECT_REF_ROLE, app_settings
from explorer.ui.history import NavigationHistory
from explorer.ui.import_report_dialog import ImportReportDialog
from explorer.ui.import_worker import ImportController, ImportOutcome
from explorer.ui.recent import Openable, RecentFiles, classify_drop, classify_path, export_name
from explorer.ui.search import SearchBox, SearchController
from explorer.ui.workshop.window import WorkshopIntegration

log = logging.getLogger(__name__)

APP_TITLE = "AAM Config Explorer"
_READY_FALLBACK_MS = 1500  # if the tree never paints (minimised window), be ready anyway
_SETTINGS_PREFIX = "mainwindow/"


def _component(module: str, name: str) -> Any:
    """A component class from a sibling module, or None while that module is not there."""
    try:
        return getattr(importlib.import_module(module), name)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        log.warning("%s is not available: %s", module, exc)
        return None


class _Slot(QWidget):
    """A fixed place in the layout whose content is swapped when a workspace (re)opens."""

    def __init__(self, name: str, placeholder: str = "") -> None:
        super().__init__()
        self.setObjectName(name)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.widget: QWidget | None = None
        self.set_placeholder(placeholder)

    def set_widget(self, widget: QWidget) -> None:
        old, self.widget = self.widget, widget
        if old is not None:
            old.hide()
            self._layout.removeWidget(old)
            old.deleteLater()
        self._layout.addWidget(widget)
        widget.show()

    def set_placeholder(self, text: str) -> None:
        label = QLabel(text)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        label.setEnabled(False)
        self.set_widget(label)

    def is_placeholder(self) -> bool:
        return isinstance(self.widget, QLabel)

    def add_header(self, widget: QWidget) -> None:
        """A widget that stays above whatever the slot shows (presentation's breadcrumb)."""
        self._layout.insertWidget(0, widget)


class MainWindow(QMainWindow):
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

    # ----- layout -------------------------------------------------------------------------
    def _build_central(self) -> None:
        self.tree = QTreeView()
        self.tree.setObjectName("workspaceTree")
        self.tree.setUniformRowHeights(True)
        self.tree.setHeaderHidden(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setMinimumWidth(220)
        self.tree.viewport().installEventFilter(self)
        self.list_slot = _Slot("objectListSlot")
        self.inspector_slot = _Slot("inspectorSlot", "Choose an object in the tree.")
        # List above the inspector: the list's filter bar and columns need the full width.
        self.content_splitter = QSplitter(Qt.Orientation.Vertical)
        self.content_splitter.setObjectName("contentSplitter")
        self.content_splitter.addWidget(self.list_slot)
        self.content_splitter.addWidget(self.inspector_slot)
        self.content_splitter.setStretchFactor(0, 2)
        self.content_splitter.setStretchFactor(1, 3)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(self.tree)
        self.main_splitter.addWidget(self.content_splitter)
        self.main_splitter.setStretchFactor(0, 0)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([290, 990])
        self.content_splitter.setSizes([230, 330])
        self.welcome = QLabel(
            "<h2>AAM Config Explorer</h2><p>Open a workspace (File → Open workspace…),<br>"
            "import an AAM export folder or .zip (File → Import…),<br>"
            "or drop an export onto this window.</p>")
        self.welcome.setObjectName("welcome")
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.main_splitter)
        self.setCentralWidget(self.stack)

    def _build_docks(self) -> None:
        self.findings_slot = _Slot("findingsSlot", "No workspace open.")
        self.trends_slot = _Slot("trendsSlot", "Target call trends appear here.")
        self.findings_dock = self._dock("Findings", "findingsDock", self.findings_slot)
        self.trends_dock = self._dock("Target call trends", "trendsDock", self.trends_slot)
        self.search_dock = self._dock("Search results", "searchDock", QWidget())
        self.tabifyDockWidget(self.findings_dock, self.trends_dock)
        self.tabifyDockWidget(self.trends_dock, self.search_dock)
        self.findings_dock.raise_()
        self.resizeDocks([self.findings_dock], [190], Qt.Orientation.Vertical)
        # pyqtgraph costs ~0.4 s to import: the trends panel is built on first show only.
        self.trends_dock.visibilityChanged.connect(self._on_trends_visibility)

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea
                             | Qt.DockWidgetArea.RightDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        return dock

    def add_panel_dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        """A bottom panel tabbed with Findings (which stays in front) for feature modules."""
        dock = self._dock(title, name, widget)
        self.tabifyDockWidget(self.findings_dock, dock)
        self.findings_dock.raise_()
        return dock

    def _build_search(self) -> None:
        self.search_box = SearchBox()
        self.search_box.setMinimumWidth(280)
        self.search_box.setMaximumWidth(460)
        self.search_view = QTreeView()
        self.search_view.setObjectName("searchResults")
        self.search_view.setRootIsDecorated(False)
        self.search_view.setUniformRowHeights(True)
        self.search_view.setAlternatingRowColors(True)
        self.search_view.setModel(self.search.model)
        header = self.search_view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.search_dock.setWidget(self.search_view)
        self.search_box.textChanged.connect(self.search.set_query)
        self.search_box.accepted.connect(self._on_search_accepted)
        self.search_box.cleared.connect(self._on_search_cleared)
        self.search_box.moveSelection.connect(self._move_search_selection)
        self.search.resultsChanged.connect(self._on_search_results)
        self.search_view.clicked.connect(self._reveal_index)
        self.search_view.activated.connect(self._reveal_index)

    def _build_menus_and_toolbar(self) -> None:
        toggles = [d.toggleViewAction() for d in
                   (self.findings_dock, self.trends_dock, self.search_dock)]
        self.recent_menu = build_menus(self.menuBar(), self.actions_, toggles)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.toolbar = QToolBar("Main toolbar", self)
        build_toolbar(self.toolbar, self.actions_, self.search_box)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

    def _connect_actions(self) -> None:
        a = self.actions_
        a.open_workspace.triggered.connect(self.choose_workspace)
        a.open_export_folder.triggered.connect(self.choose_export_folder)
        a.open_export_zip.triggered.connect(self.choose_export_zip)
        a.clear_recent.triggered.connect(self.recent.clear)
        a.quit.triggered.connect(self.close)
        a.back.triggered.connect(self.go_back)
        a.forward.triggered.connect(self.go_forward)
        a.search.triggered.connect(self.focus_search)
        a.group_by_data_source.toggled.connect(self._on_grouping_toggled)
        a.about.triggered.connect(self.show_about)

    # ----- opening ------------------------------------------------------------------------
    def open_path(self, path: Path, *, select: ObjectRef | None = None, ask: bool = True
                  ) -> bool:
        """Open a workspace, or import an export (a folder, .zip or file) and open the result.

        ``ask=False`` imports without asking where to save (command line and drops beside
        the data folder); returns False when the path is nothing the window can open.
        """
        openable = classify_path(Path(path))
        if openable is None:
            self._fail(f"{path}: not a workspace ({WORKSPACE_SUFFIX}), an export folder or "
                       "a .zip archive")
            return False
        return self._open(openable, select=select, ask=ask)

    def _open(self, openable: Openable, *, select: ObjectRef | None, ask: bool) -> bool:
        if openable.kind == "workspace":
            return self.open_workspace(openable.path, select=select)
        target = None if ask else default_workspace_for(openable.path)
        return self.start_import(openable.path, target, select=select)

    def open_workspace(self, path: Path, *, select: ObjectRef | None = None) -> bool:
        """Open (or re-open) a workspace file and show it; False (and a message) on failure."""
        path = Path(path)
        try:
            workspace = Workspace.open(path)
        except WorkspaceError as exc:
            self._fail(str(exc))
            return False
        self._install_workspace(workspace)
        self.recent.add(path)
        if self._persist:
            RecentFiles.set_last_workspace(path)
        self.workspaceOpened.emit(str(path))
        if select is not None:
            self.reveal(select)
        self._request_ready()
        return True

    def _install_workspace(self, workspace: Workspace) -> None:
        self.workspaceAboutToChange.emit()
        old = self.workspace
        self.workspace = workspace
        self._is_ready = False
        self.history.clear()
        self._update_history_actions()
        self._install_tree(workspace)
        self._install_object_list(workspace)
        self._install_inspector(workspace)
        self._install_findings(workspace)
        self._reset_trends(workspace)
        self.stack.setCurrentWidget(self.main_splitter)
        self.setWindowTitle(f"{workspace.path.stem} — {APP_TITLE}")
        self._status_label.setText(workspace_summary(workspace))
        if self.search_box.text().strip():
            self.search.run_now()
        if old is not None:
            old.close()

    def _install_tree(self, workspace: Workspace) -> None:
        model_class = _component("explorer.ui.tree_model", "WorkspaceTreeModel")
        old_model = self.tree_model
        grouping = "data-source" if self.actions_.group_by_data_source.isChecked() else "storage"
        self.tree_model = model_class(workspace, grouping=grouping, parent=self)
        self.tree.setModel(self.tree_model)
        connect_load_more = _component("explorer.ui.tree_model", "connect_load_more")
        if connect_load_more is not None:
            connect_load_more(self.tree, self.tree_model)
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current)
        if old_model is not None:
            old_model.deleteLater()

    def _install_object_list(self, workspace: Workspace) -> None:
        view_class = _component("explorer.ui.object_list", "ObjectListView")
        if view_class is None:
            self.list_slot.set_placeholder("The object list is not available.")
            self.object_list = None
            return
        self.object_list = view_class(workspace)
        self._listed_target = None
        # Its filter bar asks for ~900 px; the splitter decides the width instead.
        self.object_list.setMinimumWidth(240)
        self.object_list.currentObjectChanged.connect(self._on_list_current)
        self.object_list.objectActivated.connect(self._on_reveal_signal)
        self.list_slot.set_widget(self.object_list)

    def _install_inspector(self, workspace: Workspace) -> None:
        view_class = _component("explorer.ui.inspector", "InspectorView")
        self.inspector = view_class(workspace)
        self.inspector.objectLinkActivated.connect(self._on_reveal_signal)
        self.inspector_slot.set_widget(self.inspector)

    def _install_findings(self, workspace: Workspace) -> None:
        panel_class = _component("explorer.ui.findings_panel", "FindingsPanel")
        if panel_class is None:
            self.findings_panel = None
            self.findings_slot.set_placeholder("The findings panel is not available.")
            return
        self.findings_panel = panel_class(workspace)
        self.findings_panel.objectActivated.connect(self._on_reveal_signal)
        if hasattr(self.findings_panel, "acceptanceChanged"):
            self.findings_panel.acceptanceChanged.connect(self._on_findings_changed)
        self.findings_slot.set_widget(self.findings_panel)

    def _on_findings_changed(self) -> None:
        """An accepted finding changes the tree's badges and the inspector's findings."""
        if self.tree_model is not None and hasattr(self.tree_model, "refresh_marks"):
            self.tree_model.refresh_marks()
        self.inspector.refresh()

    def _reset_trends(self, workspace: Workspace) -> None:
        self.trends_panel = None
        self._trends_created = False
        self.trends_slot.set_placeholder("Loading Target call trends…")
        if self.trends_dock.isVisible() and not self.trends_dock.visibleRegion().isEmpty():
            self._create_trends()

    def _on_trends_visibility(self, visible: bool) -> None:
        if visible and not self._trends_created and self.workspace is not None:
            self._create_trends()

    def _create_trends(self) -> None:
        self._trends_created = True
        panel_class = _component("explorer.ui.trends", "TrendsPanel")
        if panel_class is None:
            self.trends_slot.set_placeholder("Target call trends are not available.")
            return
        self.trends_panel = panel_class(self.workspace)
        # The panel asks for ~500 px of height: scroll rather than push the window past the
        # screen (1280x800 laptops) when the dock is short.
        scroller = QScrollArea()
        scroller.setObjectName("trendsScroller")
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidget(self.trends_panel)
        self.trends_slot.set_widget(scroller)
        self.workshop.apply_to(self.trends_panel)

    def _show_welcome(self) -> None:
        self.stack.setCurrentWidget(self.welcome)

    # ----- importing ----------------------------------------------------------------------
    def start_import(self, source: Path, target: Path | None = None, *,
                     select: ObjectRef | None = None) -> bool:
        """Import ``source`` into ``target`` in the background (asks where when None)."""
        if self.import_controller is not None:
            self._fail("An import is already running; wait for it or cancel it.")
            return False
        if target is None:
            target = self.ask_workspace_path(default_workspace_for(source))
            if target is None:
                return False
        self._pending_select = select if select is not None else self.current_ref()
        self.statusBar().showMessage(f"Importing {source}…")
        controller = ImportController(source, target, self)
        controller.finished.connect(self._on_import_finished)
        self.import_controller = controller
        controller.start()
        return True

    def ask_workspace_path(self, default: Path) -> Path | None:
        """Where to save the imported workspace (tests replace this method)."""
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the workspace as", str(default),
            f"AAM Config Explorer workspace (*{WORKSPACE_SUFFIX})")
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix == WORKSPACE_SUFFIX else path.with_name(
            path.name + WORKSPACE_SUFFIX)

    def _on_import_finished(self, outcome: ImportOutcome) -> None:
        controller, self.import_controller = self.import_controller, None
        if controller is not None:
            controller.deleteLater()
        select, self._pending_select = self._pending_select, None
        self.statusBar().clearMessage()
        if outcome.status == "ok":
            self.recent.add(outcome.source)
            self.open_workspace(outcome.target, select=select)
            if outcome.problems:
                self._show_report("Import report",
                                  f"Imported {outcome.source.name} with "
                                  f"{len(outcome.problems)} problem(s).",
                                  outcome)
            else:
                self.statusBar().showMessage(f"Imported {outcome.source.name}.", 8000)
        elif outcome.status == "cancelled":
            self.statusBar().showMessage(outcome.message, 8000)
        elif outcome.status == "refused":
            self._show_report("Import refused", outcome.message, outcome)
            self.loadFailed.emit(outcome.message)
        else:
            self._fail(f"The import failed: {outcome.message}")
        self.importFinished.emit(outcome)

    def _show_report(self, title: str, headline: str, outcome: ImportOutcome) -> None:
        if not self.interactive:
            log.warning("%s: %s\n%s", title, headline, "\n".join(outcome.problems))
            return
        dialog = ImportReportDialog(title, headline, outcome.problems, outcome.report, self)
        self._open_dialog(dialog)

    # ----- selection, reveal and history --------------------------------------------------
    def current_ref(self) -> ObjectRef | None:
        return self.history.current

    def reveal(self, ref: ObjectRef, *, record: bool = True) -> bool:
        """Expand the tree down to ``ref``, select it and show it in the inspector.

        Returns False when the object is not in the tree (it is still inspected)."""
        index = self.tree_model.index_for(ref) if self.tree_model is not None else QModelIndex()
        if not index.isValid():
            self._inspect(ref, record=record)
            return False
        self._expand_to(index)
        self._record_history = record
        try:
            if self.tree.currentIndex() == index:
                self._inspect(ref, record=record)
            else:
                self.tree.setCurrentIndex(index)
        finally:
            self._record_history = True
        self.tree.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def _expand_to(self, index: QModelIndex) -> None:
        parent = index.parent()
        chain = []
        while parent.isValid():
            chain.append(parent)
            parent = parent.parent()
        for ancestor in reversed(chain):
            self.tree.expand(ancestor)

    def _on_tree_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or current.data(NODE_TYPE_ROLE) == "more":
            return
        ref = current.data(OBJECT_REF_ROLE)
        target = self.tree_model.list_target(current)
        sibling = target is None and ref is not None
        if sibling:
            # A plain object: list its siblings (its folder), so the list never sits empty.
            target = self.tree_model.list_target(current.parent())
        self._show_in_list(target)
        if sibling and self.object_list is not None and hasattr(self.object_list, "select"):
            self.object_list.select(ref)  # the list highlights what the tree shows
        if ref is not None:
            self._inspect(ref, record=self._record_history)
        else:
            self.inspector.clear()
            self.currentObjectChanged.emit(None)

    def _show_in_list(self, target: ObjectRef | str | None) -> None:
        if self.object_list is None or target is None or target == self._listed_target:
            return
        self._listed_target = target
        self.object_list.show_node(target)

    def _on_list_current(self, kind: str, object_id: int) -> None:
        self._inspect(ObjectRef(kind, object_id))

    def _on_reveal_signal(self, kind: str, object_id: int) -> None:
        if kind in KINDS:
            self.reveal(ObjectRef(kind, object_id))

    def _inspect(self, ref: ObjectRef, *, record: bool = True) -> None:
        self.inspector.show_object(ref)
        self.currentObjectChanged.emit(ref)
        if record:
            self.history.visit(ref)
        self._update_history_actions()

    def go_back(self) -> None:
        ref = self.history.back()
        if ref is not None:
            self.reveal(ref, record=False)
        self._update_history_actions()

    def go_forward(self) -> None:
        ref = self.history.forward()
        if ref is not None:
            self.reveal(ref, record=False)
        self._update_history_actions()

    def _update_history_actions(self) -> None:
        self.actions_.back.setEnabled(self.history.can_go_back)
        self.actions_.forward.setEnabled(self.history.can_go_forward)

    def _on_grouping_toggled(self, by_data_source: bool) -> None:
        if self.tree_model is None:
            return
        current = self.current_ref()
        self.tree_model.set_grouping("data-source" if by_data_source else "storage")
        if current is not None:
            self.reveal(current, record=False)

    # ----- search -------------------------------------------------------------------------
    def _search_connection(self) -> Any:
        return self.workspace.conn if self.workspace is not None else None

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _on_search_results(self, query: str, count: int) -> None:
        if query.strip():
            self.search_dock.show()
            self.search_dock.raise_()
            self.search_dock.setWindowTitle(f"Search results ({count:,})")
            if count:
                self.search_view.setCurrentIndex(self.search.model.index(0, 0))
        else:
            self.search_dock.setWindowTitle("Search results")

    def _on_search_accepted(self) -> None:
        if self.search.is_pending():
            self.search.run_now()
        index = self.search_view.currentIndex()
        if not index.isValid() and self.search.model.rowCount() > 0:
            index = self.search.model.index(0, 0)
        if index.isValid():
            self._reveal_index(index)

    def _on_search_cleared(self) -> None:
        self.search.set_query("")

    def _move_search_selection(self, step: int) -> None:
        rows = self.search.model.rowCount()
        if rows == 0:
            return
        row = self.search_view.currentIndex().row() + step
        self.search_view.setCurrentIndex(self.search.model.index(max(0, min(rows - 1, row)), 0))

    def _reveal_index(self, index: QModelIndex) -> None:
        ref = index.siblingAtColumn(0).data(OBJECT_REF_ROLE)
        if isinstance(ref, ObjectRef):
            self.reveal(ref)

    # ----- ready --------------------------------------------------------------------------
    @property
    def is_ready(self) -> bool:
        return self._is_ready

    def _request_ready(self) -> None:
        """Emit ``ready`` after the tree has painted the loaded workspace."""
        self._ready_pending = True
        if self.isVisible():
            self.tree.viewport().update()
            QTimer.singleShot(_READY_FALLBACK_MS, self._emit_ready)
        else:
            QTimer.singleShot(0, self._emit_ready)

    def _emit_ready(self) -> None:
        if not self._ready_pending:
            return
        self._ready_pending = False
        self._is_ready = True
        self.ready.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        etype = event.type()
        if etype == QEvent.Type.Paint and self._ready_pending and watched is self.tree.viewport():
            QTimer.singleShot(0, self._emit_ready)  # after this paint has finished
        elif etype == QEvent.Type.MouseButtonPress and self._owns(watched):
            return self._mouse_navigation(event)  # type: ignore[arg-type]
        return False

    def _owns(self, watched: QObject) -> bool:
        return isinstance(watched, QWidget) and watched.window() is self

    def _mouse_navigation(self, event: QMouseEvent) -> bool:
        if event.button() == Qt.MouseButton.BackButton:
            self.go_back()
            return True
        if event.button() == Qt.MouseButton.ForwardButton:
            self.go_forward()
            return True
        return False

    # ----- file dialogs, recent, drops ----------------------------------------------------
    def choose_workspace(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Open workspace", str(self._dialog_folder()),
            f"AAM Config Explorer workspace (*{WORKSPACE_SUFFIX});;All files (*)")
        if chosen:
            self.open_workspace(Path(chosen))

    def choose_export_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Import an AAM export folder",
                                                  str(Path.home()))
        if chosen:
            self.start_import(Path(chosen))

    def choose_export_zip(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Import a zipped AAM export",
                                                str(Path.home()), "Zip archives (*.zip)")
        if chosen:
            self.start_import(Path(chosen))

    def _dialog_folder(self) -> Path:
        return self.workspace.path.parent if self.workspace is not None else data_dir()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = self.recent.paths()
        for path in paths:
            kind = "workspace" if path.suffix == WORKSPACE_SUFFIX else "export"
            action = QAction(f"{path.name}  ({kind}: {path.parent})", self.recent_menu)
            action.setData(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))
            self.recent_menu.addAction(action)
        if not paths:
            empty = self.recent_menu.addAction("No recent files")
            empty.setEnabled(False)
        self.recent_menu.addSeparator()
        self.recent_menu.addAction(self.actions_.clear_recent)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if classify_drop(_local_paths(event)) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        openable = classify_drop(_local_paths(event))
        if openable is None:
            event.ignore()
            return
        event.acceptProposedAction()
        # Opened after the drop returns: the drag source must not wait for an import dialog.
        QTimer.singleShot(0, lambda: self._open(openable, select=None, ask=True))

    # ----- messages -----------------------------------------------------------------------
    def _fail(self, message: str) -> None:
        log.warning("%s", message)
        self.loadFailed.emit(message)
        if self.interactive:
            box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE, message,
                              QMessageBox.StandardButton.Ok, self)
            self._open_dialog(box)

    def _open_dialog(self, dialog: QWidget) -> None:
        """Show a dialog window-modal without blocking (tests inspect ``last_dialog``)."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog = dialog
        dialog.open()  # type: ignore[attr-defined]

    def show_about(self) -> None:
        from explorer import __version__

        box = QMessageBox(QMessageBox.Icon.Information, f"About {APP_TITLE}",
                          f"<b>{APP_TITLE}</b> {__version__}<br>Explore Adobe Audience "
                          "Manager tenant exports offline. Nothing leaves this machine.",
                          QMessageBox.StandardButton.Ok, self)
        self._open_dialog(box)

    # ----- settings -----------------------------------------------------------------------
    def restore_settings(self) -> None:
        settings = app_settings()
        geometry = settings.value(_SETTINGS_PREFIX + "geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value(_SETTINGS_PREFIX + "state")
        if isinstance(state, QByteArray):
            self._layout_restored = self.restoreState(state)
        for splitter in (self.main_splitter, self.content_splitter):
            saved = settings.value(_SETTINGS_PREFIX + splitter.objectName())
            if isinstance(saved, QByteArray):
                splitter.restoreState(saved)
        by_source = settings.value(_SETTINGS_PREFIX + "groupByDataSource", False, type=bool)
        self.actions_.group_by_data_source.setChecked(bool(by_source))

    def save_settings(self) -> None:
        settings = app_settings()
        settings.setValue(_SETTINGS_PREFIX + "geometry", self.saveGeometry())
        settings.setValue(_SETTINGS_PREFIX + "state", self.saveState())
        for splitter in (self.main_splitter, self.content_splitter):
            settings.setValue(_SETTINGS_PREFIX + splitter.objectName(), splitter.saveState())
        settings.setValue(_SETTINGS_PREFIX + "groupByDataSource",
                          self.actions_.group_by_data_source.isChecked())
        settings.sync()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._first_show_done:
            self._first_show_done = True
            if not self._layout_restored:
                self._default_layout()

    def _default_layout(self) -> None:
        """First start: the inspector gets the room (a 1280x800 laptop left it ~250 px);
        the bottom panels and the list stay short."""
        dock_height = max(140, self.height() // 5)
        self.resizeDocks([self.findings_dock], [dock_height], Qt.Orientation.Vertical)
        sizes = self.content_splitter.sizes()
        total = sum(sizes[:2])
        if total > 0:
            list_height = max(150, total * 3 // 10)
            self.content_splitter.setSizes([list_height, total - list_height, *sizes[2:]])

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


def default_workspace_for(source: Path) -> Path:
    """``data_dir()/<export name>.aamws``: where an imported export is saved by default."""
    return data_dir() / f"{export_name(Path(source))}{WORKSPACE_SUFFIX}"


def workspace_summary(workspace: Workspace) -> str:
    """The status bar's line: tenant, export date and the main counts."""
    info = workspace.info()
    counts = info["counts"]
    parts = []
    if info.get("partner_id") is not None:
        parts.append(f"Partner {info['partner_id']}")
    if info.get("export_date"):
        parts.append(f"export {info['export_date']}")
    parts.append(f"{counts.get('traits', 0):,} traits")
    parts.append(f"{counts.get('segments', 0):,} segments")
    return "  ·  ".join(parts)


def _local_paths(event: QDropEvent | QDragEnterEvent) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
