"""The search box (toolbar, Ctrl+F / Ctrl+K) and its results dock: typing queries the
``SearchController``, Enter or a click reveals the chosen result in the tree."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDockWidget, QTreeView

from explorer.kinds import ObjectRef
from explorer.ui.common import OBJECT_REF_ROLE
from explorer.ui.search import SearchBox, SearchController, SearchResultsPanel


class SearchingMixin:
    """Builds and wires ``MainWindow``'s search box and results view."""

    search: SearchController
    search_box: SearchBox
    search_view: QTreeView
    search_panel: SearchResultsPanel
    search_dock: QDockWidget

    def _build_search(self) -> None:
        self.search_box = SearchBox()
        self.search_box.setMinimumWidth(280)
        self.search_box.setMaximumWidth(460)
        self.search_panel = SearchResultsPanel(self.search)
        self.search_view = self.search_panel.view
        self.search_dock.setWidget(self.search_panel)
        self.search_box.textChanged.connect(self.search.set_query)
        self.search_box.accepted.connect(self._on_search_accepted)
        self.search_box.cleared.connect(self._on_search_cleared)
        self.search_box.moveSelection.connect(self._move_search_selection)
        self.search.resultsChanged.connect(self._on_search_results)
        self.search_view.clicked.connect(self._reveal_index)
        self.search_view.activated.connect(self._reveal_index)

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
