"""The window's fixed layout: tree, object list and inspector in splitters, the bottom docks,
menus and toolbar. Built once; the slots' contents change when a workspace (re)opens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QLabel,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.actions import WindowActions, build_menus, build_toolbar


class Slot(QWidget):
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


class LayoutMixin:
    """Builds the central widgets, the docks, menus and toolbar of ``MainWindow``."""

    tree: QTreeView
    list_slot: Slot
    inspector_slot: Slot
    findings_slot: Slot
    trends_slot: Slot
    content_splitter: QSplitter
    main_splitter: QSplitter
    welcome: QLabel
    stack: QStackedWidget
    findings_dock: QDockWidget
    trends_dock: QDockWidget
    search_dock: QDockWidget
    toolbar: QToolBar
    actions_: WindowActions

    def _build_central(self) -> None:
        self.tree = QTreeView()
        self.tree.setObjectName("workspaceTree")
        self.tree.setUniformRowHeights(True)
        self.tree.setHeaderHidden(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setMinimumWidth(220)
        self.tree.viewport().installEventFilter(self)
        self.list_slot = Slot("objectListSlot")
        # The list keeps about six rows below its filter bar whatever the first-start layout
        # gives it (at 1280x800 it would otherwise show ~4). Set before any layout so
        # restoring saved splitter sizes lands on the same sizes.
        self.list_slot.setMinimumHeight(12 * self.list_slot.fontMetrics().height() + 6)
        self.inspector_slot = Slot("inspectorSlot", "Choose an object in the tree.")
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
        self.findings_slot = Slot("findingsSlot", "No workspace open.")
        self.trends_slot = Slot("trendsSlot", "Target call trends appear here.")
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

    def _show_welcome(self) -> None:
        self.stack.setCurrentWidget(self.welcome)
