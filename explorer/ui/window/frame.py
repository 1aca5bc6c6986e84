"""The window's frame: tree, object list and inspector in splitters, the bottom docks,
menus and toolbar. Built once; the slots' contents change when a workspace (re)opens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
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


class WindowFrame:
    """The fixed widgets of the window: tree, slots, splitters, welcome page, docks, menus
    and toolbar, built once on ``window``; the slots' contents change per workspace."""

    def __init__(self, window: QMainWindow, actions: WindowActions, search_box: QWidget,
                 search_results: QWidget) -> None:
        self._window = window
        self.actions = actions
        self._build_central(window)
        self._build_docks(window, search_results)
        toggles = [d.toggleViewAction() for d in
                   (self.findings_dock, self.trends_dock, self.search_dock)]
        self.recent_menu = build_menus(window.menuBar(), actions, toggles)
        self.toolbar = QToolBar("Main toolbar", window)
        build_toolbar(self.toolbar, actions, search_box)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

    def _build_central(self, window: QMainWindow) -> None:
        self.tree = QTreeView()
        self.tree.setObjectName("workspaceTree")
        self.tree.setUniformRowHeights(True)
        self.tree.setHeaderHidden(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setMinimumWidth(220)
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
        window.setCentralWidget(self.stack)

    def _build_docks(self, window: QMainWindow, search_results: QWidget) -> None:
        self.findings_slot = Slot("findingsSlot", "No workspace open.")
        self.trends_slot = Slot("trendsSlot", "Target call trends appear here.")
        self.findings_dock = self._dock("Findings", "findingsDock", self.findings_slot)
        self.trends_dock = self._dock("Target call trends", "trendsDock", self.trends_slot)
        self.search_dock = self._dock("Search results", "searchDock", search_results)
        window.tabifyDockWidget(self.findings_dock, self.trends_dock)
        window.tabifyDockWidget(self.trends_dock, self.search_dock)
        self.findings_dock.raise_()
        window.resizeDocks([self.findings_dock], [190], Qt.Orientation.Vertical)

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self._window)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea
                             | Qt.DockWidgetArea.RightDockWidgetArea)
        self._window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        return dock

    def add_panel_dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        """A bottom panel tabbed with Findings (which stays in front) for feature modules."""
        dock = self._dock(title, name, widget)
        self._window.tabifyDockWidget(self.findings_dock, dock)
        self.findings_dock.raise_()
        return dock

    def menus(self) -> list[QMenu]:
        """The menu bar's menus, left to right (File first)."""
        return [menu for action in self._window.menuBar().actions()
                if isinstance(menu := action.menu(), QMenu)]

    def menu_titled(self, title: str) -> QMenu | None:
        """A menu by its title without the "&" ("View")."""
        return next((m for m in self.menus() if m.title().replace("&", "") == title), None)

    def add_to_file_menu(self, item: QAction | QMenu, *, separated: bool = False) -> None:
        """Put ``item`` in File, above the separator before Quit (a separator first when
        ``separated``)."""
        file_menu = self.menu_titled("File")
        if file_menu is None:
            return
        separators = [a for a in file_menu.actions() if a.isSeparator()]
        before = separators[-1] if separators else None
        if separated:
            file_menu.insertSeparator(before) if before else file_menu.addSeparator()
        if isinstance(item, QMenu):
            file_menu.insertMenu(before, item) if before else file_menu.addMenu(item)
        else:
            file_menu.insertAction(before, item) if before else file_menu.addAction(item)

    def docks(self) -> list[QDockWidget]:
        return self._window.findChildren(QDockWidget)

    def show_welcome(self) -> None:
        self.stack.setCurrentWidget(self.welcome)

    def show_workspace(self) -> None:
        self.stack.setCurrentWidget(self.main_splitter)

    def first_start_sizes(self) -> None:
        """First start: the inspector gets the room (a 1280x800 laptop left it ~250 px);
        the bottom panels and the list stay short."""
        dock_height = max(140, self._window.height() // 5)
        self._window.resizeDocks([self.findings_dock], [dock_height], Qt.Orientation.Vertical)
        sizes = self.content_splitter.sizes()
        total = sum(sizes)
        if total > 0:
            list_height = max(150, total * 3 // 10)
            # Below the inspector (when present): the annotation editor, visible but compact.
            extra = [max(110, total // 6)] * (len(sizes) - 2)
            inspector = max(100, total - list_height - sum(extra))
            self.content_splitter.setSizes([list_height, inspector, *extra])
