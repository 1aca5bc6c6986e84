"""The window's frame: tree, object list and inspector in splitters, the bottom docks,
menus and toolbar. Built once; the slots' contents change when a workspace (re)opens."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.actions import WindowActions, build_menus, build_toolbar

INSPECTOR_MINIMUM = 150  # px: a dock or the note editor never squeezes the inspector below
INSPECTOR_SHARE = 0.5  # of the window: what the inspector gets before the list keeps rows
LIST_SHARE = 0.3  # of the content column, when there is room; the list gives up rows first
PANEL_SHARE = 0.45  # of the window: the most a bottom panel takes when it opens
PANEL_MINIMUM = 160  # px: a bottom panel opens at least this tall


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
                 search_results: QWidget, welcome: QWidget) -> None:
        """``welcome``: the page shown while no workspace is open (``WelcomePage``)."""
        self._window = window
        self.actions = actions
        self.welcome = welcome
        self._build_central(window)
        self._build_docks(window, search_results)
        toggles = [d.toggleViewAction() for d in
                   (self.findings_dock, self.trends_dock, self.search_dock)]
        self.recent_menu = build_menus(window.menuBar(), actions, toggles)
        self.maximise_panel = QAction("&Maximise bottom panel", window)
        self.maximise_panel.setObjectName("maximisePanelAction")
        self.maximise_panel.setCheckable(True)
        self.maximise_panel.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.maximise_panel.setToolTip("The bottom panel takes the whole window (again: back)")
        self.maximise_panel.toggled.connect(self.set_panel_maximised)
        self.add_view_toggle(self.maximise_panel)
        self.toolbar = QToolBar("Main toolbar", window)
        build_toolbar(self.toolbar, actions, search_box)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

    def _build_central(self, window: QMainWindow) -> None:
        self.tree = QTreeView()
        self.tree.setObjectName("tree")
        self.tree.setUniformRowHeights(True)
        self.tree.setHeaderHidden(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setMinimumWidth(220)
        self.list_slot = Slot("objectListSlot")
        # The list yields first: its filter bar, header and a row or two stay, the rest of
        # its rows go before the inspector loses any room.
        self.list_slot.setMinimumHeight(6 * self.list_slot.fontMetrics().height())
        self.inspector_slot = Slot("inspectorSlot", "Choose an object in the tree.")
        self.inspector_slot.setMinimumHeight(INSPECTOR_MINIMUM)
        # List above the inspector: the list's filter bar and columns need the full width.
        self.content_splitter = _splitter(Qt.Orientation.Vertical, "contentSplitter",
                                          (self.list_slot, 1), (self.inspector_slot, 3))
        self.content_splitter.setChildrenCollapsible(False)
        self.main_splitter = _splitter(Qt.Orientation.Horizontal, "mainSplitter",
                                       (self.tree, 0), (self.content_splitter, 1))
        self.main_splitter.setSizes([290, 990])
        self.content_splitter.setSizes([230, 330])
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.main_splitter)
        window.setCentralWidget(self.stack)

    def _build_docks(self, window: QMainWindow, search_results: QWidget) -> None:
        self.panel_docks: dict[str, QDockWidget] = {}
        self._preferred_heights: dict[str, Callable[[], int]] = {}
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
        self.panel_docks[name.removesuffix("Dock")] = dock
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

    # ----- bottom panels ------------------------------------------------------------------
    def set_preferred_height(self, panel: str, height: Callable[[], int]) -> None:
        """How tall ``panel`` wants its dock's content (the trends chart: its plot's room)."""
        self._preferred_heights[panel] = height

    def panel_height(self, panel: str) -> int:
        """The dock height ``panel`` opens at: what its content needs, within the window."""
        dock = self.panel_docks[panel]
        wanted = self._preferred_heights.get(panel)
        content = wanted() if wanted else (dock.widget().sizeHint().height()
                                           if dock.widget() else PANEL_MINIMUM)
        title = dock.titleBarWidget().height() if dock.titleBarWidget() else \
            dock.fontMetrics().height() + 8
        limit = int(self._window.height() * PANEL_SHARE)
        if panel in self._preferred_heights:  # a stated need (the chart) wins over the share
            limit = max(limit, content + title)
        return max(PANEL_MINIMUM, min(content + title, limit))

    def raise_panel(self, panel: str) -> QDockWidget:
        """Show and raise one bottom panel (``findings``, ``trends``, …) at the height its
        content needs; the list then gives up rows before the inspector."""
        dock = self.panel_docks[panel]
        dock.show()
        dock.raise_()
        self.fit_panel(panel)
        return dock

    def fit_panel(self, panel: str) -> None:
        dock = self.panel_docks[panel]
        self._window.resizeDocks([dock], [self.panel_height(panel)], Qt.Orientation.Vertical)
        self.fit_content()
        # the dock's new height reaches the content column on the next layout pass
        QTimer.singleShot(0, self.fit_content)

    def panel_names(self) -> list[str]:
        return list(self.panel_docks)

    def raised_panel(self) -> str | None:
        """The bottom panel in front, if any shows."""
        for name, dock in self.panel_docks.items():
            if dock.isVisible() and not dock.visibleRegion().isEmpty():
                return name
        return None

    def set_panel_maximised(self, maximised: bool) -> None:
        """The bottom panels take the whole window (the tree, list and inspector hide)."""
        self.stack.setVisible(not maximised)
        if self.maximise_panel.isChecked() != maximised:
            self.maximise_panel.setChecked(maximised)

    def add_view_toggle(self, action: QAction) -> None:
        """A show/hide toggle at the end of View (a panel or region added by a module)."""
        view = self.menu_titled("View")
        if view is not None:
            view.addAction(action)

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

    def _list_minimum(self) -> int:
        """The list's floor: its title row, column header and one whole row (its filter bar
        folds away below its own height); the slot's minimum follows it."""
        content = self.list_slot.widget
        folded = getattr(content, "folded_height", None)
        if callable(folded):
            floor = int(folded())
            if floor > 0 and floor != self.list_slot.minimumHeight():
                self.list_slot.setMinimumHeight(floor)
        return self.list_slot.minimumHeight()

    def fit_region(self, widget: QWidget) -> None:
        """Give a region below the inspector (the note editor) the height it asks for; the
        difference comes from the list first (down to its minimum), then the inspector."""
        splitter = self.content_splitter
        index = splitter.indexOf(widget)
        sizes = splitter.sizes()
        if index < 2 or sum(sizes) <= 0:
            return
        wanted = _wanted_height(widget)
        delta = wanted - sizes[index]
        from_list = max(-delta, min(delta, sizes[0] - self.list_slot.minimumHeight()))
        sizes[0] -= from_list
        sizes[1] -= delta - from_list
        sizes[index] = wanted
        splitter.setSizes(sizes)

    def default_layout(self) -> None:
        """First start and scripted screenshots: no bottom panel raised, the inspector gets
        the room, the list a third at most, the note editor one line."""
        for dock in self.panel_docks.values():
            dock.hide()
        self.fit_content()

    def fit_content(self) -> None:
        """Share the content column: the regions below the inspector (the note editor) get
        what they ask for, the list its share while the inspector keeps its minimum, the
        inspector the rest. The list gives up rows first."""
        splitter = self.content_splitter
        sizes = splitter.sizes()
        total = sum(sizes)
        if total <= 0 or len(sizes) < 2:
            return
        extra = [_wanted_height(splitter.widget(i)) for i in range(2, len(sizes))]
        available = total - sum(extra)
        list_minimum = self._list_minimum()
        share = int((total + splitter.handleWidth() * (len(sizes) - 1)) * LIST_SHARE)
        inspector = max(INSPECTOR_MINIMUM, int(self._window.height() * INSPECTOR_SHARE))
        list_height = max(list_minimum, min(share, available - inspector))
        splitter.setSizes([list_height, available - list_height, *extra])


def _splitter(orientation: Qt.Orientation, name: str,
              *parts: tuple[QWidget, int]) -> QSplitter:
    """A splitter of ``parts``, each a widget and its stretch factor."""
    splitter = QSplitter(orientation)
    splitter.setObjectName(name)
    for index, (widget, stretch) in enumerate(parts):
        splitter.addWidget(widget)
        splitter.setStretchFactor(index, stretch)
    return splitter


def _wanted_height(widget: QWidget | None) -> int:
    """The height a region asks for: a scroll area asks for its content's, unscrolled."""
    if widget is None or widget.isHidden():
        return 0
    if isinstance(widget, QScrollArea) and (content := widget.widget()) is not None:
        return content.sizeHint().height() + 2 * widget.frameWidth()
    return widget.sizeHint().height()
