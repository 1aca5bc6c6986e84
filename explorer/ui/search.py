"""The search box: search-as-you-type over every object, results as a flat list model."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from explorer.kinds import KINDS, ObjectRef
from explorer.masking import TextMask
from explorer.ui.common import OBJECT_REF_ROLE, SORT_ROLE
from explorer.ui.icons import icon_for

log = logging.getLogger(__name__)

DEBOUNCE_MS = 120
RESULT_LIMIT = 200

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class SearchHit:
    kind: str
    id: int
    name: str
    trait_type: str | None = None  # traits only: picks the icon

    @property
    def ref(self) -> ObjectRef:
        return ObjectRef(self.kind, self.id)


class SearchResultsModel(QAbstractTableModel):
    """Flat list of hits: kind, name, id (OBJECT_REF_ROLE gives the ObjectRef of a row)."""

    HEADERS = ("Kind", "Name", "ID")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._text_mask: TextMask | None = None  # workshop masking

    def set_text_mask(self, mask: TextMask | None) -> None:
        """Mask what the results display (the search itself runs on the real values)."""
        self._text_mask = mask
        if self._hits:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._hits) - 1, len(self.HEADERS) - 1))

    def _masked(self, text: str) -> str:
        return self._text_mask(text) if self._text_mask is not None else text

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> SearchHit:
        return self._hits[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._masked(_display(hit, column))
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return icon_for(hit.kind, hit.trait_type)
        if role == OBJECT_REF_ROLE:
            return hit.ref
        if role == SORT_ROLE:
            return hit.id if column == 2 else _display(hit, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._masked(f"{_kind_label(hit.kind)} {hit.id}: {hit.name}")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _kind_label(kind_name: str) -> str:
    kind = KINDS.get(kind_name)
    return kind.label if kind else kind_name


def _display(hit: SearchHit, column: int) -> str:
    if column == 0:
        return _kind_label(hit.kind)
    if column == 1:
        return hit.name or "(unnamed)"
    return str(hit.id)


def run_search(conn: sqlite3.Connection, text: str, limit: int = RESULT_LIMIT
               ) -> list[SearchHit]:
    """Hits for what the user typed; a query FTS cannot parse yields no hits, not an error."""
    from explorer.store import queries  # the store's search lives with the other queries

    text = text.strip()
    if not text:
        return []
    try:
        rows = queries.search(conn, text, limit, trait_types=True)
    except (sqlite3.Error, ValueError) as exc:
        log.debug("search %r failed: %s", text, exc)
        return []
    hits = []
    for row in rows:
        values = dict(row)  # a dict or an sqlite3.Row, whichever the query returns
        hits.append(SearchHit(str(values["kind"]), int(values["id"]),
                              str(values.get("name") or ""), values.get("trait_type")))
    return hits


class SearchController(QObject):
    """Debounces typing and refreshes the results model.

    ``connection`` is asked for the current read connection each time, so reopening the
    workspace needs no rewiring; it may return None when no workspace is open.
    """

    resultsChanged = Signal(str, int)  # query, number of hits

    def __init__(self, connection: Callable[[], sqlite3.Connection | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._connection = connection
        self.model = SearchResultsModel(self)
        self._pending = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_now)

    @property
    def query(self) -> str:
        return self._pending

    def set_query(self, text: str) -> None:
        """Remember the text and search once typing pauses."""
        self._pending = text
        if text.strip():
            self._timer.start()
        else:
            self._timer.stop()
            self.run_now()

    def run_now(self) -> None:
        self._timer.stop()
        conn = self._connection()
        hits = run_search(conn, self._pending) if conn is not None else []
        self.model.set_hits(hits)
        self.resultsChanged.emit(self._pending, len(hits))

    def is_pending(self) -> bool:
        return self._timer.isActive()


class SearchBox(QLineEdit):
    """The toolbar's search field: Esc clears; Enter, Up and Down are forwarded as signals."""

    cleared = Signal()
    accepted = Signal()
    moveSelection = Signal(int)  # -1 up, +1 down

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("Search names, IDs, codes, rules…  (Ctrl+K)")
        self.setClearButtonEnabled(True)
        self.setObjectName("searchBox")
        self.returnPressed.connect(self.accepted)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.clear()
            self.cleared.emit()
            return
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.moveSelection.emit(1 if key == Qt.Key.Key_Down else -1)
            return
        super().keyPressEvent(event)
