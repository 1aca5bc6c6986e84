"""The object list's table model: a flat table over ``explorer.store.lists``.

Sorting and filtering happen in SQL; rows arrive a page at a time through ``fetchMore``, which
QTableView calls on scroll. ``explorer.ui.object_list.ObjectListView`` shows it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from explorer.kinds import ObjectRef
from explorer.masking import TextMask
from explorer.store import lists
from explorer.store.workspace import Workspace
from explorer.ui.icons import icon_for
from explorer.ui.item_roles import NODE_TYPE_ROLE, OBJECT_REF_ROLE, SORT_ROLE
from explorer.ui.item_views import redraw_all_cells

PAGE_SIZE = 500
_NO_PARENT = QModelIndex()  # default argument, never mutated
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_NUMERIC_COLUMNS = frozenset({"id", "population", "ttl", "segments_using", "mappings"})
_COLUMN_TIPS: dict[str, str] = {
    "integration_code": "Integration code",
    "population": "Unique users in the last 30 days (uniques30Day in the export)",
    "ttl": "How long a qualification lasts (the trait's TTL)",
    "segments_using": "How many segments use it (segments for a merge rule)",
    "mappings": "Destination mappings (segments) or mapped segments (destinations)",
    "findings": "The worst open finding: error, warning or info",
    "note": "The review status of your annotation",
}


class ObjectListModel(QAbstractTableModel):
    """Rows of a ``lists.ListQuery``, loaded ``page_size`` at a time."""

    def __init__(self, workspace: Workspace, *, page_size: int = PAGE_SIZE,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._page_size = max(1, page_size)
        self._query: lists.ListQuery | None = None
        self._rows: list[lists.ListRow] = []
        self._total = 0
        self._text_mask: TextMask | None = None  # workshop masking

    # ----- public API -------------------------------------------------------------------
    @property
    def query(self) -> lists.ListQuery | None:
        return self._query

    @property
    def total(self) -> int:
        """Rows of the whole filtered list (loaded or not)."""
        return self._total

    def set_query(self, query: lists.ListQuery | None) -> None:
        """Show another list (or nothing); loads its first page."""
        self.beginResetModel()
        self._query = query
        self._rows = []
        self._total = 0 if query is None else lists.count_rows(self._ws.conn, query)
        if query is not None:
            self._rows = lists.fetch_rows(self._ws.conn, query, self._page_size, 0)
        self.endResetModel()

    def refresh(self) -> None:
        self.set_query(self._query)

    def row_at(self, row: int) -> lists.ListRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def column_key(self, column: int) -> str:
        return lists.LIST_COLUMNS[column].key

    def column_of(self, key: str) -> int:
        return lists.COLUMN_KEYS.index(key)

    def load_all(self) -> None:
        while self.canFetchMore(_NO_PARENT):
            self.fetchMore(_NO_PARENT)

    def set_text_mask(self, mask: TextMask | None) -> None:
        """Mask displayed cells and tooltips (workshop masking); None shows real values."""
        self._text_mask = mask
        redraw_all_cells(self, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole])

    @property
    def text_mask(self) -> TextMask | None:
        """The workshop mask in use (None: masking is off)."""
        return self._text_mask

    def mask(self, text: str) -> str:
        return self._text_mask(text) if self._text_mask is not None else text

    def row_of(self, ref: ObjectRef, *, max_rows: int = 20_000) -> int:
        """The row of ``ref``, loading pages until it comes (up to ``max_rows``); -1 if not
        listed."""
        while True:
            for n, row in enumerate(self._rows):
                if row.ref == ref:
                    return n
            if not self.canFetchMore(_NO_PARENT) or len(self._rows) >= max_rows:
                return -1
            self.fetchMore(_NO_PARENT)

    # ----- Qt model interface -------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(lists.LIST_COLUMNS)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if not self.canFetchMore(parent) or self._query is None:
            return
        page = lists.fetch_rows(self._ws.conn, self._query, self._page_size, len(self._rows))
        if not page:  # the workspace changed under us: stop asking
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(_NO_PARENT, first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self._query is None or not 0 <= column < len(lists.LIST_COLUMNS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(self._query.with_sort(self.column_key(column), descending))

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(lists.LIST_COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return lists.LIST_COLUMNS[section].header
        if role == Qt.ItemDataRole.ToolTipRole:
            return _COLUMN_TIPS.get(lists.LIST_COLUMNS[section].key)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        key = self.column_key(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self.mask(lists.format_cell(row, key))
        if role == OBJECT_REF_ROLE:
            return row.ref
        if role == NODE_TYPE_ROLE:
            return "object"
        if role == SORT_ROLE:
            return _sort_value(row, key)
        if role == Qt.ItemDataRole.DecorationRole and key == "name":
            return icon_for(row.kind, row.type, aep=bool(row.aep),
                            findings=row.worst_severity or False,
                            annotation=row.note_status is not None)
        if role == Qt.ItemDataRole.ToolTipRole and key == "name":
            return self.mask(f"{lists.format_cell(row, 'kind')} {row.id}: {row.name or ''}")
        if role == Qt.ItemDataRole.TextAlignmentRole and key in _NUMERIC_COLUMNS:
            return int(_RIGHT.value)
        return None


def _sort_value(row: lists.ListRow, key: str) -> Any:
    if key == "id":
        return row.id
    if key == "updated":
        return row.update_time or 0
    if key == "aep":
        return row.aep
    if key in _NUMERIC_COLUMNS:
        value = getattr(row, lists.LIST_COLUMNS[lists.COLUMN_KEYS.index(key)].sql)
        return -1 if value is None else value
    return lists.format_cell(row, key).casefold()
