"""The search box (toolbar, Ctrl+F / Ctrl+K) and its results panel: typing queries the
``SearchController``; Enter or a click announces the chosen result (``objectChosen``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import QDockWidget

from explorer.kinds import ObjectRef
from explorer.ui.item_roles import OBJECT_REF_ROLE
from explorer.ui.search import SearchBox, SearchController, SearchResultsPanel
from explorer.ui.window.session import WorkspaceSession


class SearchPane(QObject):
    """The search box, the results view and the controller behind them. The results dock
    belongs to the layout: the window hands it over with ``set_dock``."""

    objectChosen = Signal(object)  # ObjectRef

    def __init__(self, session: WorkspaceSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.controller = SearchController(self._connection, self)
        self.box = SearchBox()
        self.box.setMinimumWidth(280)
        self.box.setMaximumWidth(460)
        self.panel = SearchResultsPanel(self.controller)  # what the results dock shows
        self.view = self.panel.view
        self._dock: QDockWidget | None = None
        self._open_dock: Callable[[], object] | None = None
        self.box.textChanged.connect(self.controller.set_query)
        self.box.accepted.connect(self._on_accepted)
        self.box.cleared.connect(lambda: self.controller.set_query(""))
        self.box.moveSelection.connect(self._move_selection)
        self.controller.resultsChanged.connect(self._on_results)
        self.view.clicked.connect(self._choose)
        self.view.activated.connect(self._choose)

    def set_dock(self, dock: QDockWidget, open_dock: Callable[[], object] | None = None
                 ) -> None:
        """The results dock; ``open_dock`` opens it at its content's height when hidden."""
        self._dock = dock
        self._open_dock = open_dock

    def wanted_height(self) -> int:
        """The results panel's need: its status line, the header and up to ten results
        (two rows' room when nothing matched, for the message to sit in)."""
        rows = max(2, min(10, self.controller.model.rowCount()))
        row = self.view.sizeHintForRow(0) if self.controller.model.rowCount() else \
            self.view.fontMetrics().height() + 6
        return (self.panel.status_label.sizeHint().height() + self.view.header().height()
                + rows * row + 24)

    def search_for(self, text: str) -> None:
        """Type ``text`` into the box and run it at once (scripted screenshots)."""
        self.box.setText(text)
        self.controller.set_query(text)
        self.controller.run_now()

    def _connection(self) -> sqlite3.Connection | None:
        workspace = self._session.workspace
        return workspace.conn if workspace is not None else None

    def focus(self) -> None:
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    def rerun(self) -> None:
        """Run the typed query again (another workspace opened)."""
        if self.box.text().strip():
            self.controller.run_now()

    def _on_results(self, query: str, count: int) -> None:
        if self._dock is None:
            return
        if query.strip():
            if self._dock.isHidden() and self._open_dock is not None:
                self._open_dock()
            else:
                self._dock.show()
                self._dock.raise_()
            self._dock.setWindowTitle(f"Search results ({count:,})")
            if count:
                self.view.setCurrentIndex(self.controller.model.index(0, 0))
        else:
            self._dock.setWindowTitle("Search results")

    def _on_accepted(self) -> None:
        if self.controller.is_pending():
            self.controller.run_now()
        index = self.view.currentIndex()
        if not index.isValid() and self.controller.model.rowCount() > 0:
            index = self.controller.model.index(0, 0)
        if index.isValid():
            self._choose(index)

    def _move_selection(self, step: int) -> None:
        rows = self.controller.model.rowCount()
        if rows == 0:
            return
        row = self.view.currentIndex().row() + step
        self.view.setCurrentIndex(self.controller.model.index(max(0, min(rows - 1, row)), 0))

    def _choose(self, index: QModelIndex) -> None:
        ref = index.siblingAtColumn(0).data(OBJECT_REF_ROLE)
        if isinstance(ref, ObjectRef):
            self.objectChosen.emit(ref)
