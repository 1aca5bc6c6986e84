"""The explorer window: its parts are objects, constructed and wired in ``MainWindow.__init__``.

- ``session`` (``WorkspaceSession``): the open workspace, whether it is read-only, the diff
  and masker shown with it; ``aboutToChange`` / ``replaced`` / ``opened`` and ``changed``
  (one ``Change`` per write: the one change channel).
- ``frame`` (``WindowFrame``): the fixed widgets: tree, slots, splitters, docks, menus.
- ``panels`` (``Panels``): tree model, object list, inspector, findings and trends panels,
  rebuilt per workspace, refreshed from each ``Change``.
- ``navigator`` (``Navigator``): back/forward, reveal, the tree ↔ list ↔ inspector sync.
- ``opener`` (``Opener``): open, import (a background task), recent files, drops.
- ``search_pane``, ``readiness``, ``messenger``, ``saved_layout``: the search box, the
  ``ready`` signal, messages and dialogs, the layout across restarts.
- the feature integrations (annotations, changes, snapshot, workshop) see the window through
  ``explorer.ui.window.services.WindowServices``.

The window owns the GUI thread's workspace connection (through the session); imports,
snapshot exports and diffs run as background tasks with their own connections.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from explorer.kinds import ObjectRef
from explorer.store.workspace import Workspace
from explorer.ui.actions import WindowActions
from explorer.ui.annotations.integration import AnnotationsIntegration
from explorer.ui.changes.integration import ChangesIntegration
from explorer.ui.findings import FindingsPanel
from explorer.ui.inspector import InspectorView
from explorer.ui.lineage.integration import LineageIntegration
from explorer.ui.object_list import ObjectListView
from explorer.ui.recent import RecentFiles
from explorer.ui.search import SearchController
from explorer.ui.snapshot.integration import SnapshotIntegration
from explorer.ui.tree_model import WorkspaceTreeModel
from explorer.ui.trends import TrendsPanel
from explorer.ui.window.change import Change
from explorer.ui.window.frame import WindowFrame
from explorer.ui.window.messages import APP_TITLE, MASKED_SUFFIX, Messenger, workspace_summary
from explorer.ui.window.navigation_history import NavigationHistory
from explorer.ui.window.navigator import Navigator
from explorer.ui.window.opener import Opener, default_workspace_for
from explorer.ui.window.panels import Panels
from explorer.ui.window.readiness import Readiness
from explorer.ui.window.saved_layout import SavedLayout
from explorer.ui.window.search_pane import SearchPane
from explorer.ui.window.session import WorkspaceSession
from explorer.ui.window.welcome import WelcomePage
from explorer.ui.workshop.integration import WorkshopIntegration
from explorer.ui.workshop.themes import THEMES

__all__ = ["APP_TITLE", "MainWindow", "default_workspace_for", "workspace_summary"]


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
        self._persist = restore_settings
        self._first_show_done = False
        self.setWindowTitle(APP_TITLE)
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks
                            | QMainWindow.DockOption.AllowTabbedDocks)
        self.resize(1280, 800)

        # ----- the parts ------------------------------------------------------------------
        self.session = WorkspaceSession(self)
        self.messenger = Messenger(self, self.loadFailed, interactive=interactive)
        self.search_pane = SearchPane(self.session, self)
        self.actions_ = WindowActions(self, THEMES)
        self.welcome = WelcomePage(RecentFiles())
        self.frame = WindowFrame(self, self.actions_, self.search_pane.box,
                                 self.search_pane.panel, self.welcome)
        self.search_pane.set_dock(self.frame.search_dock,
                                  lambda: self.frame.raise_panel("search"))
        self.frame.set_preferred_height("search", self.search_pane.wanted_height)
        self.panels = Panels(self.frame, self.session, self.actions_,
                             self.search_pane.controller, self,
                             remember_choices=restore_settings)
        self.navigator = Navigator(self, self.frame, self.panels, self.actions_)
        self.readiness = Readiness(self.frame.tree, self)
        self.opener = Opener(self, self.session, self.navigator, self.readiness,
                             self.messenger, self.actions_, self.frame.recent_menu,
                             remember_last=restore_settings)
        self.saved_layout = SavedLayout(self, self.frame, self.actions_)
        self.status_label = QLabel()
        self._wire()

        # ----- the feature integrations ---------------------------------------------------
        self.annotations = AnnotationsIntegration(self)
        self.changes = ChangesIntegration(self)  # Changes dock, File > Compare…
        self.snapshot = SnapshotIntegration(self)  # File > Export, .aamsnap bundles
        self.opener.set_bundle_opener(self.snapshot.open_bundle)
        self.lineage = LineageIntegration(self)  # Lineage dock
        self.statusBar().setObjectName("statusBar")
        self.statusBar().addPermanentWidget(self.status_label)
        self.workshop = WorkshopIntegration(self)
        for name, dock in self.frame.panel_docks.items():
            # a panel opened from View opens at the height its content needs
            dock.toggleViewAction().triggered.connect(
                lambda checked, panel=name: self.frame.raise_panel(panel) if checked else None)
        if self._persist:
            self.saved_layout.restore()
        self.frame.show_welcome()

    def _wire(self) -> None:
        """Every connection between the window's parts, in one place."""
        session, frame, panels, navigator = self.session, self.frame, self.panels, self.navigator
        a = self.actions_
        # the window's own signals follow its parts
        session.aboutToChange.connect(self.workspaceAboutToChange)
        session.opened.connect(self.workspaceOpened)
        navigator.currentObjectChanged.connect(self.currentObjectChanged)
        self.readiness.ready.connect(self.ready)
        self.opener.importFinished.connect(self.importFinished)
        # another workspace: start over, then show it
        session.replaced.connect(lambda _workspace: navigator.reset())
        session.replaced.connect(lambda _workspace: self.readiness.reset())
        session.replaced.connect(lambda _workspace: frame.show_workspace())
        session.replaced.connect(lambda _workspace: self._update_title())
        session.replaced.connect(lambda _workspace: self.search_pane.rerun())
        session.changed.connect(self._on_change)
        panels.installed.connect(self._fit_first_workspace, Qt.ConnectionType.SingleShotConnection)
        # what the panels and the search ask to show
        panels.objectActivated.connect(navigator.reveal_object)
        panels.listCurrentChanged.connect(navigator.inspect_listed)
        panels.treeCurrentChanged.connect(navigator.on_tree_current)
        self.search_pane.objectChosen.connect(navigator.reveal)
        # actions
        a.open_workspace.triggered.connect(self.opener.choose_workspace)
        a.open_export_folder.triggered.connect(self.opener.choose_export_folder)
        a.open_export_zip.triggered.connect(self.opener.choose_export_zip)
        a.clear_recent.triggered.connect(self.opener.recent.clear)
        self.welcome.demoRequested.connect(self.opener.open_demo)
        self.welcome.importRequested.connect(self.opener.choose_export_folder)
        self.welcome.openRequested.connect(self.opener.choose_workspace)
        self.welcome.recentChosen.connect(self.opener.open_path)
        a.quit.triggered.connect(self.close)
        a.back.triggered.connect(navigator.go_back)
        a.forward.triggered.connect(navigator.go_forward)
        a.search.triggered.connect(self.search_pane.focus)
        a.overview.triggered.connect(self.show_overview)
        panels.installed.connect(lambda: a.overview.setEnabled(True))
        a.group_by_data_source.toggled.connect(navigator.regroup)
        a.about.triggered.connect(self.messenger.show_about)

    def _on_change(self, change: Change) -> None:
        if change.masking:
            self._update_title()

    def _update_title(self) -> None:
        workspace = self.session.workspace
        if workspace is None:
            return
        mask = self.session.mask
        suffix = MASKED_SUFFIX if self.session.masker is not None else ""
        self.setWindowTitle(f"{mask(workspace.path.stem)} — {APP_TITLE}{suffix}")
        self.status_label.setText(mask(workspace_summary(workspace)))

    # ----- what the integrations use (``WindowServices``) ---------------------------------
    def main_window(self) -> QMainWindow:
        return self

    @property
    def persist(self) -> bool:
        return self._persist

    @property
    def search(self) -> SearchController:
        return self.search_pane.controller

    # ----- the parts by their usual names (scripts, tests, screenshot mode) ---------------
    @property
    def interactive(self) -> bool:
        return self.messenger.interactive

    @interactive.setter
    def interactive(self, value: bool) -> None:
        self.messenger.interactive = value

    @property
    def workspace(self) -> Workspace | None:
        return self.session.workspace

    @property
    def read_only(self) -> bool:
        return self.session.read_only

    @property
    def is_ready(self) -> bool:
        return self.readiness.is_ready

    @property
    def last_dialog(self) -> QWidget | None:
        return self.messenger.last_dialog

    @property
    def history(self) -> NavigationHistory[ObjectRef]:
        return self.navigator.history

    @property
    def tree_model(self) -> WorkspaceTreeModel | None:
        return self.panels.tree_model

    @property
    def object_list(self) -> ObjectListView | None:
        return self.panels.object_list

    @property
    def inspector(self) -> InspectorView | None:
        return self.panels.inspector

    @property
    def findings_panel(self) -> FindingsPanel | None:
        return self.panels.findings_panel

    @property
    def trends_panel(self) -> TrendsPanel | None:
        return self.panels.trends_panel

    def raise_panel(self, panel: str) -> None:
        """Show one bottom panel in front (``findings``, ``trends``, ``search``,
        ``annotations``, ``changes``, ``lineage``), at the height its content needs."""
        self.frame.raise_panel(panel)

    def open_path(self, path: Path, *, select: ObjectRef | None = None, ask: bool = True
                  ) -> bool:
        return self.opener.open_path(path, select=select, ask=ask)

    def open_workspace(self, path: Path, *, select: ObjectRef | None = None) -> bool:
        return self.opener.open_workspace(path, select=select)

    def start_import(self, source: Path, target: Path | None = None, *,
                     select: ObjectRef | None = None) -> bool:
        return self.opener.start_import(source, target, select=select)

    def reveal(self, ref: ObjectRef, *, record: bool = True) -> bool:
        return self.navigator.reveal(ref, record=record)

    def current_ref(self) -> ObjectRef | None:
        return self.navigator.current_ref()

    def show_overview(self) -> None:
        """The tenant overview in the inspector; tree and list let go of their selection."""
        self.navigator.show_overview()

    def go_back(self) -> None:
        self.navigator.go_back()

    def go_forward(self) -> None:
        self.navigator.go_forward()

    # ----- Qt events ----------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._first_show_done:
            self._first_show_done = True
            if not self.saved_layout.restored:
                self.frame.default_layout()

    def _fit_first_workspace(self) -> None:
        # the object list states its floor once it exists: share the column again
        if not self.saved_layout.restored:
            QTimer.singleShot(0, self.frame.fit_content)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.opener.accepts_drop(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self.opener.drop(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.opener.cancel_import()
        self.workshop.window_closing()
        if self._persist:
            self.saved_layout.save()
        self.session.close()
        self.workshop.window_closed()
        self.navigator.detach()
        super().closeEvent(event)
