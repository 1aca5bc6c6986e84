"""The Annotations panel: every annotation in the workspace, filtered by tag and status.

``AnnotationsModel`` is a table over ``list_annotations`` (small: a consultant's notes, loaded
whole). Orphaned annotations, whose object left the export, stay listed in grey italics.
``AnnotationsPanel`` adds the filters, "Export CSV…" and ``objectActivated(kind, id)`` on
double-click or Enter.

Workshop masking (``set_text_mask``) masks every displayed text and tooltip, the tag filter's
entries (the filter itself keeps the real tags) and the CSV export; rows stay the same.
"""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from explorer.kinds import KINDS, ObjectRef
from explorer.masking import TextMask, mask_csv_text
from explorer.store.annotations import (
    STATUSES,
    Annotation,
    all_tags,
    annotations_to_csv,
    format_tags,
    list_annotations,
    local_time_text,
)
from explorer.store.workspace import Workspace
from explorer.ui.item_roles import OBJECT_REF_ROLE, SORT_ROLE
from explorer.ui.item_views import is_enter_press, redraw_all_cells
from explorer.ui.settings import app_settings

ANNOTATION_ROLE = Qt.ItemDataRole.UserRole + 30  # the row's Annotation
ORPHANED_TEXT = "(orphaned)"
ORPHANED_TOOLTIP = "object no longer in the export"
COLUMNS: tuple[str, ...] = ("Kind", "ID", "Object", "Status", "Tags", "Note", "Updated")
_ALL = ""  # the "All" entry's data in the filter combos
_LAST_DIR_SETTING = "annotations/lastExportDir"
_Index = QModelIndex | QPersistentModelIndex


class AnnotationsModel(QAbstractTableModel):
    """One row per annotation, as ``list_annotations`` returns them (newest first)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Annotation] = []
        self._text_mask: TextMask | None = None  # workshop masking

    def set_text_mask(self, mask: TextMask | None) -> None:
        """Mask displayed texts and tooltips; None shows the real values."""
        self._text_mask = mask
        redraw_all_cells(self)

    def mask(self, text: str) -> str:
        return self._text_mask(text) if self._text_mask is not None and text else text

    def set_annotations(self, annotations: list[Annotation]) -> None:
        self.beginResetModel()
        self._rows = list(annotations)
        self.endResetModel()

    def annotation(self, row: int) -> Annotation:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt default
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        annotation = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.mask(_display(annotation, column))
        if role == SORT_ROLE:  # what is shown: masked rows sort by their placeholders
            if column == 1:
                return annotation.object_id
            return self.mask(_display(annotation, column)).casefold()
        if role == OBJECT_REF_ROLE:
            return ObjectRef(annotation.kind, annotation.object_id)
        if role == ANNOTATION_ROLE:
            return annotation
        if role == Qt.ItemDataRole.ToolTipRole:
            tooltip = _tooltip(annotation, column)
            return None if tooltip is None else self.mask(tooltip)
        if annotation.orphaned:
            return _orphan_style(role)
        return None


def _display(annotation: Annotation, column: int) -> str:
    if column == 0:
        return KINDS[annotation.kind].label if annotation.kind in KINDS else annotation.kind
    if column == 1:
        return str(annotation.object_id)
    if column == 2:
        return ORPHANED_TEXT if annotation.orphaned else (annotation.object_name or "")
    if column == 3:
        return annotation.status
    if column == 4:
        return format_tags(annotation.tags)
    if column == 5:
        return annotation.note.splitlines()[0] if annotation.note else ""
    return local_time_text(annotation.updated)


def _tooltip(annotation: Annotation, column: int) -> str | None:
    if annotation.orphaned:
        return ORPHANED_TOOLTIP
    if column == 5 and annotation.note:
        return annotation.note  # the whole note, line breaks included
    return None


def _orphan_style(role: int) -> Any:
    if role == Qt.ItemDataRole.FontRole:
        font = QFont()
        font.setItalic(True)
        return font
    if role == Qt.ItemDataRole.ForegroundRole:
        return QBrush(QColor("#7F7F7F"))
    return None



class _SortProxy(QSortFilterProxyModel):
    """Sorts by SORT_ROLE (ids as numbers); the rows are already filtered in the store."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)


class AnnotationsPanel(QWidget):
    """Filters + table of annotations; ``objectActivated(kind, id)`` on double-click/Enter."""

    objectActivated = Signal(str, int)

    def __init__(self, workspace: Workspace | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotationsPanel")
        self._workspace = workspace
        self._text_mask: TextMask | None = None
        self.model = AnnotationsModel(self)
        self.proxy = _SortProxy(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self.reload()

    # -- public API ---------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace | None) -> None:
        self._workspace = workspace
        self.reload()

    def set_text_mask(self, mask: TextMask | None) -> None:
        """Workshop masking: mask the table, the tag filter's entries and CSV exports (None:
        real values). The filters and the rows stay as they are."""
        self._text_mask = mask
        self.model.set_text_mask(mask)
        self._refresh_tag_combo()
        self.table.resizeColumnsToContents()

    def text_mask(self) -> TextMask | None:
        return self._text_mask

    def reload(self) -> None:
        """Re-read the annotations and the tag list (after an edit, undo or re-import)."""
        self._refresh_tag_combo()
        self._load_rows()

    def set_tag_filter(self, tag: str | None) -> None:
        """Show only annotations with ``tag`` (None: all tags)."""
        index = self.tag_combo.findData(tag or _ALL)
        self.tag_combo.setCurrentIndex(max(index, 0))

    def set_status_filter(self, status: str | None) -> None:
        index = self.status_combo.findData(status or _ALL)
        self.status_combo.setCurrentIndex(max(index, 0))

    def set_orphaned_only(self, orphaned_only: bool) -> None:
        self.orphaned_check.setChecked(orphaned_only)

    def filters(self) -> dict[str, Any]:
        """The current filters, as ``list_annotations`` and ``annotations_to_csv`` take them."""
        return {"tag": self.tag_combo.currentData() or None,
                "status": self.status_combo.currentData() or None,
                "orphaned_only": self.orphaned_check.isChecked()}

    def shown_annotations(self) -> list[Annotation]:
        """The rows in view order."""
        return [self.proxy.index(r, 0).data(ANNOTATION_ROLE)
                for r in range(self.proxy.rowCount())]

    def export_csv(self, path: str | Path) -> int:
        """Write the filtered annotations to ``path`` (masked while masking is on); returns
        how many rows."""
        if self._workspace is None:
            return 0
        if self._text_mask is None:
            return annotations_to_csv(self._workspace.conn, path, **self.filters())
        buffer = io.StringIO()
        count = annotations_to_csv(self._workspace.conn, buffer, **self.filters())
        # utf-8-sig as the unmasked export, for Excel
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            handle.write(mask_csv_text(buffer.getvalue(), self._text_mask))
        return count

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.tag_combo = QComboBox()
        self.tag_combo.setAccessibleName("Filter by tag")
        self.tag_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Filter by status")
        self.status_combo.addItem("All statuses", _ALL)
        for status in STATUSES:
            self.status_combo.addItem(status, status)
        self.orphaned_check = QCheckBox("Orphaned only")
        self.orphaned_check.setToolTip("Annotations whose object is no longer in the export")
        self.export_button = QPushButton("Export CSV…")
        self.export_button.clicked.connect(self._ask_and_export)
        self.count_label = QLabel()
        self.table = self._build_table()
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Tag:"))
        bar.addWidget(self.tag_combo)
        bar.addWidget(QLabel("Status:"))
        bar.addWidget(self.status_combo)
        bar.addWidget(self.orphaned_check)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.tag_combo.currentIndexChanged.connect(self._load_rows)
        self.status_combo.currentIndexChanged.connect(self._load_rows)
        self.orphaned_check.toggled.connect(self._load_rows)

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # store order: newest first
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        table.doubleClicked.connect(self._activate)
        table.installEventFilter(self)
        return table

    # -- behaviour ----------------------------------------------------------------------------
    def _refresh_tag_combo(self) -> None:
        current = self.tag_combo.currentData() or _ALL
        tags = self._read(all_tags, []) if self._workspace is not None else []
        self.tag_combo.blockSignals(True)  # one reload at the end, not one per item
        try:
            self.tag_combo.clear()
            self.tag_combo.addItem("All tags", _ALL)
            for tag in tags:  # shown masked, filtered by the real tag
                self.tag_combo.addItem(self.model.mask(tag), tag)
            self.tag_combo.setCurrentIndex(max(self.tag_combo.findData(current), 0))
        finally:
            self.tag_combo.blockSignals(False)

    def _load_rows(self) -> None:
        selected = self._selected_ref()
        rows: list[Annotation] = []
        if self._workspace is not None:
            filters = self.filters()
            rows = self._read(lambda conn: list_annotations(conn, **filters), [])
        self.model.set_annotations(rows)
        self.table.resizeColumnsToContents()
        self._update_count(len(rows))
        if selected is not None:
            self._select(selected)

    def _read(self, query: Any, default: Any) -> Any:
        assert self._workspace is not None
        try:
            return query(self._workspace.conn)
        except sqlite3.Error as exc:
            self.count_label.setText(f"Cannot read annotations: {exc}")
            return default

    def _update_count(self, shown: int) -> None:
        if shown == 0:
            text = "No annotations" if not any(self.filters().values()) else "None match"
        else:
            text = f"{shown} annotation{'s' if shown != 1 else ''}"
        self.count_label.setText(text)
        self.export_button.setEnabled(shown > 0)

    def _selected_ref(self) -> ObjectRef | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].data(OBJECT_REF_ROLE) if rows else None

    def _select(self, ref: ObjectRef) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(OBJECT_REF_ROLE) == ref:
                self.table.selectRow(row)
                return

    def _activate(self, index: QModelIndex) -> None:
        ref = index.data(OBJECT_REF_ROLE) if index.isValid() else None
        if isinstance(ref, ObjectRef):
            self.objectActivated.emit(ref.kind, ref.id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and is_enter_press(event):
            self._activate(self.table.currentIndex())
            return True
        return super().eventFilter(watched, event)

    def _ask_and_export(self) -> None:
        settings = app_settings()
        start = str(settings.value(_LAST_DIR_SETTING, "") or "")
        suggested = str(Path(start) / "annotations.csv") if start else "annotations.csv"
        path, _filter = QFileDialog.getSaveFileName(self, "Export annotations as CSV",
                                                    suggested, "CSV files (*.csv)")
        if not path:
            return
        try:
            self.export_csv(path)
        except OSError as exc:
            self.count_label.setText(f"Export failed: {exc.strerror or exc}")
            return
        settings.setValue(_LAST_DIR_SETTING, str(Path(path).parent))

