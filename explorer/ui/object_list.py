"""The object list: the objects of the selected tree node, filtered, sorted, paged, exportable.

``ObjectListView`` shows ``ObjectListModel`` (``explorer.ui.object_list_model``) with a filter
bar, a column chooser (persisted in QSettings) and CSV export.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from explorer.kinds import ObjectRef
from explorer.masking import TextMask, mask_csv_text
from explorer.store import lists
from explorer.store.queries import latest_export_date
from explorer.store.workspace import Workspace
from explorer.ui.flow_layout import FlowLayout
from explorer.ui.item_roles import OBJECT_REF_ROLE
from explorer.ui.item_views import is_enter_press
from explorer.ui.object_list_model import PAGE_SIZE, ObjectListModel
from explorer.ui.settings import app_settings

MIN_VISIBLE_ROWS = 6
HIDDEN_COLUMNS_KEY = "objectList/hiddenColumns"


class ObjectListView(QWidget):
    """Filter bar + sortable table + column chooser + CSV export for one tree node."""

    objectActivated = Signal(str, int)  # kind, id: double-click or Enter
    currentObjectChanged = Signal(str, int)  # kind, id: the current row changed

    def __init__(self, workspace: Workspace, *, page_size: int = PAGE_SIZE,
                 parent: QWidget | None = None, remember_choices: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("objectList")
        # False (scripted screenshots): the default columns, never read from or saved to
        # QSettings
        self._remember_choices = remember_choices
        self._ws = workspace
        self._source: lists.ListSource | None = None
        self._user_hidden: set[str] = set()  # columns the user hid (persisted)
        self._updating_filters = False
        self._selecting = False  # select() moves the current row without announcing it
        self.list_model = ObjectListModel(workspace, page_size=page_size, parent=self)
        self._build_widgets()
        self._restore_hidden_columns()

    # ----- public API -------------------------------------------------------------------
    def show_node(self, target: ObjectRef | str | None) -> None:
        """List what a tree node holds: an ObjectRef (folder, data source, merge rule,
        destination) or a group key ("traits", "segments", "data-sources", "merge-rules",
        "destinations"); None clears the list."""
        if target is None:
            self._source = None
            self.list_model.set_query(None)
            self._update_summary()
            return
        is_folder = isinstance(target, ObjectRef) and target.kind.endswith("-folder")
        self._source = lists.ListSource(target, self.subfolders_check.isChecked())
        self.subfolders_check.setEnabled(is_folder)
        self._updating_filters = True
        try:
            self._fit_filters_to_source()
        finally:
            self._updating_filters = False
        self._fill_filter_choices()
        self._hide_columns_outside_source()
        self._apply()  # sizes the columns to the new rows

    def source(self) -> lists.ListSource | None:
        return self._source

    def filters(self) -> lists.ListFilters:
        since: date | None = None
        if self.updated_check.isChecked():
            chosen_day = self.updated_edit.date().toPython()
            since = chosen_day if isinstance(chosen_day, date) else None
        chosen = lists.ListFilters(
            type=self.type_combo.currentData(),
            data_source_id=self.data_source_combo.currentData(),
            status=self.status_combo.currentData(),
            merge_rule_id=self.merge_rule_combo.currentData(),
            updated_since=since,
            aep_only=self.aep_check.isChecked(),
        )
        if self._source is None:
            return chosen
        # A filter the listed kinds cannot have (status on merge rules) never filters.
        return chosen.restricted_to(self._source.applicable_filters())

    def clear_filters(self) -> None:
        """Back to "all" on every filter (the "Clear" link of the summary)."""
        self._updating_filters = True
        try:
            for combo in self._filter_combos():
                combo.setCurrentIndex(0)
            self.updated_check.setChecked(False)
            self.aep_check.setChecked(False)
        finally:
            self._updating_filters = False
        self._apply()

    def visible_columns(self) -> list[str]:
        return [key for n, key in enumerate(lists.COLUMN_KEYS)
                if not self.table.isColumnHidden(n)]

    def source_columns(self) -> tuple[str, ...]:
        """The columns that mean something for the listed kinds (all without a source)."""
        if self._source is None:
            return lists.COLUMN_KEYS
        return lists.columns_for(self._source.kinds())

    def set_column_visible(self, key: str, visible: bool) -> None:
        if not visible and len(self.visible_columns()) <= 1 and key in self.visible_columns():
            return  # never hide the last column: the table would be unusable
        if visible:
            self._user_hidden.discard(key)
        else:
            self._user_hidden.add(key)
        self._show_columns_of_source()
        if not self._remember_choices:
            return
        settings = app_settings()
        settings.setValue(HIDDEN_COLUMNS_KEY,
                          ",".join(k for k in lists.COLUMN_KEYS if k in self._user_hidden))
        settings.sync()

    def _show_columns_of_source(self) -> None:
        """The listed kinds' columns, less those the user hid; then widths to fit them."""
        self._hide_columns_outside_source()
        self._size_columns()

    def _hide_columns_outside_source(self) -> None:
        """Only the listed kinds' columns, less those the user hid (widths unchanged)."""
        shown = self.source_columns()
        for n, key in enumerate(lists.COLUMN_KEYS):
            self.table.setColumnHidden(n, key not in shown or key in self._user_hidden)
        if not self.visible_columns():
            self.table.setColumnHidden(lists.COLUMN_KEYS.index("name"), False)

    def export_csv(self, path: str | Path, *, masked: bool | None = None) -> int:
        """Write the whole filtered, sorted list (visible columns) to ``path``; rows written.

        ``masked`` (default: whenever masking is on) masks every cell as the table shows it.
        """
        query = self.list_model.query
        if query is None:
            return 0
        mask = self.list_model.text_mask
        if masked is None:
            masked = mask is not None
        if not masked or mask is None:
            return lists.export_csv(self._ws.conn, query, path, self.visible_columns())
        buffer = io.StringIO()
        count = lists.export_csv(self._ws.conn, query, buffer, self.visible_columns())
        # utf-8-sig like the unmasked export, so Excel detects UTF-8.
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            handle.write(mask_csv_text(buffer.getvalue(), mask))
        return count

    def set_text_mask(self, mask: TextMask | None) -> None:
        """Mask the table, the summary and the filter choices (workshop masking)."""
        self.list_model.set_text_mask(mask)
        if self._source is not None:
            self._fill_filter_choices()
        self._update_summary()

    def select(self, ref: ObjectRef) -> bool:
        """Make ``ref``'s row current and visible (the object revealed in the tree), without
        emitting ``currentObjectChanged``; False when the list does not hold it."""
        row = self.list_model.row_of(ref)
        if row < 0:
            self.table.clearSelection()
            return False
        index = self.list_model.index(row, max(0, self._first_visible_column()))
        self._selecting = True
        try:
            self.table.setCurrentIndex(index)
            self.table.selectRow(row)
        finally:
            self._selecting = False
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    def clear_selection(self) -> None:
        """No current or selected row (the current object is not in this list)."""
        self._selecting = True
        try:
            self.table.selectionModel().clear()
        finally:
            self._selecting = False

    def current_ref(self) -> ObjectRef | None:
        ref = self.table.currentIndex().data(OBJECT_REF_ROLE)
        return ref if isinstance(ref, ObjectRef) else None

    def _first_visible_column(self) -> int:
        return next((n for n in range(self.list_model.columnCount())
                     if not self.table.isColumnHidden(n)), 0)

    def columns_menu(self) -> QMenu:
        """A menu of checkable column actions (used by the button and the header)."""
        menu = QMenu(self)
        applicable = self.source_columns()
        for n, column in enumerate(lists.LIST_COLUMNS):
            if column.key not in applicable:
                continue
            action = QAction(column.header, menu)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(n))
            action.setData(column.key)
            action.toggled.connect(
                lambda checked, key=column.key: self.set_column_visible(key, checked))
            menu.addAction(action)
        return menu

    # ----- construction -------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        # "N filters active · Clear": shown while filters narrow the list.
        self.filters_hint = QLabel()
        self.filters_hint.setObjectName("listFiltersHint")
        self.filters_hint.setTextFormat(Qt.TextFormat.RichText)
        self.filters_hint.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.filters_hint.linkActivated.connect(lambda _link: self.clear_filters())
        self.filters_hint.hide()
        self.subfolders_check = QCheckBox("Include subfolders")
        self.subfolders_check.setChecked(True)
        self.subfolders_check.setEnabled(False)
        self.type_combo = self._combo("Type", 14)
        self.data_source_combo = self._combo("Data source", 20)
        self.status_combo = self._combo("Status", 12)
        self.merge_rule_combo = self._combo("Merge rule", 20)
        self.updated_check = QCheckBox("Updated since")
        self.updated_edit = QDateEdit()
        self.updated_edit.setCalendarPopup(True)
        self.updated_edit.setDisplayFormat("yyyy-MM-dd")
        self.updated_edit.setDate(_default_updated_since(self._ws))
        self.updated_edit.setEnabled(False)
        self.aep_check = QCheckBox("AEP-shared only")
        self.columns_button = QPushButton("Columns…")
        self.export_button = QPushButton("Export CSV…")

        self.table = QTableView()
        self.table.setModel(self.list_model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(self.list_model.column_of("name"), Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # One line per row, elided: a wrapped name would make its row two lines high.
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._compact_rows()
        self._reserve_rows()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.viewport().installEventFilter(self)

        # The filters wrap onto a second line in a narrow window instead of being clipped;
        # "Updated since" and its date stay together.
        updated = QWidget()
        updated_row = QHBoxLayout(updated)
        updated_row.setContentsMargins(0, 0, 0, 0)
        updated_row.addWidget(self.updated_check)
        updated_row.addWidget(self.updated_edit)
        self._updated_box = updated
        filter_bar = QWidget()
        filter_bar.setObjectName("listFilterBar")
        filters = FlowLayout(filter_bar)
        for widget in (self.subfolders_check, self.type_combo, self.data_source_combo,
                       self.status_combo, self.merge_rule_combo, updated, self.aep_check):
            filters.addWidget(widget)
        self.filter_bar = filter_bar
        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.filters_hint)
        top.addWidget(self.columns_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(filter_bar)
        layout.addWidget(self.table, 1)
        self._top_row = top
        self._connect_signals()
        self._update_summary()
        self._size_columns()

    def _size_columns(self) -> None:
        """Every column but Name as wide as its content (the loaded rows, up to a cap) and
        never narrower than its header text; Name takes the rest, but never less than
        NAME_MIN_CHARACTERS (the table scrolls sideways instead). Hidden columns keep their
        width: whatever shows one sizes the columns again."""
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        header_metrics = header.fontMetrics()
        padding = 2 * metrics.averageCharWidth()  # cell margins
        arrow = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize)
        rows = [self.list_model.row_at(n) for n in range(min(self.list_model.rowCount(),
                                                               _ROWS_MEASURED))]
        cap = _MAX_COLUMN_CHARACTERS * metrics.averageCharWidth()
        widths: dict[str, int] = {}  # a column's cells repeat (types, statuses, dates)
        for column, spec in enumerate(lists.LIST_COLUMNS):
            if spec.key == "name" or self.table.isColumnHidden(column):
                continue
            needed = header_metrics.horizontalAdvance(spec.header) + arrow + padding
            texts = {_COLUMN_SAMPLES.get(spec.key, "")}
            texts.update(lists.format_cell(row, spec.key) for row in rows if row is not None)
            for text in texts - widths.keys():
                widths[text] = metrics.horizontalAdvance(text)
            content = max(widths[text] for text in texts)
            header.resizeSection(column, max(needed, min(content, cap) + padding))
        header.setMinimumSectionSize(metrics.horizontalAdvance("AEP") + padding // 2)
        self._fit_name_column()

    def name_min_width(self) -> int:
        return NAME_MIN_CHARACTERS * self.table.fontMetrics().averageCharWidth()

    def _fit_name_column(self) -> None:
        """Name fills the width the other columns leave, and keeps at least its minimum."""
        header = self.table.horizontalHeader()
        name = self.list_model.column_of("name")
        others = sum(header.sectionSize(n) for n in range(self.list_model.columnCount())
                     if n != name and not self.table.isColumnHidden(n))
        room = self.table.viewport().width() - others
        header.resizeSection(name, max(room, self.name_min_width()))

    def _compact_rows(self) -> None:
        """Rows as high as one line of the current font (follows zoom)."""
        height = self.table.fontMetrics().height() + 6
        self.table.verticalHeader().setMinimumSectionSize(height)
        self.table.verticalHeader().setDefaultSectionSize(height)

    def _reserve_rows(self) -> None:
        """Room for a few rows whatever the splitter was told (~4 at 1280x800 otherwise).
        Set once from the starting font: a zoom must not move the splitters it restores."""
        height = self.table.verticalHeader().defaultSectionSize()
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setMinimumHeight(header + MIN_VISIBLE_ROWS * height
                                    + 2 * self.table.frameWidth())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self._compact_rows()
            self._size_columns()

    def _combo(self, label: str, characters: int) -> QComboBox:
        combo = QComboBox()
        combo.setToolTip(label)
        combo.addItem(f"{label}: all", None)
        # A stable width from the font, not from the current choices, so a combo keeps its
        # width from one node to the next; long entries are elided.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(characters)
        combo.view().setTextElideMode(Qt.TextElideMode.ElideRight)
        return combo

    def _filter_combos(self) -> tuple[QComboBox, ...]:
        return (self.type_combo, self.data_source_combo, self.status_combo,
                self.merge_rule_combo)

    def _connect_signals(self) -> None:
        for combo in self._filter_combos():
            combo.currentIndexChanged.connect(self._filters_changed)
        self.updated_check.toggled.connect(self.updated_edit.setEnabled)
        self.updated_check.toggled.connect(self._filters_changed)
        self.updated_edit.dateChanged.connect(self._filters_changed)
        self.aep_check.toggled.connect(self._filters_changed)
        self.subfolders_check.toggled.connect(self._subfolders_changed)
        self.columns_button.clicked.connect(self._show_columns_menu_at_button)
        self.export_button.clicked.connect(self._ask_and_export)
        self.table.horizontalHeader().customContextMenuRequested.connect(
            self._show_columns_menu_at_header)
        # Not `activated`: on some desktops that fires on a single click.
        self.table.doubleClicked.connect(self._emit_activated)
        self.table.installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(self._emit_current)
        self.list_model.modelReset.connect(self._update_summary)
        self.list_model.rowsInserted.connect(self._update_summary)

    def _restore_hidden_columns(self) -> None:
        stored = (app_settings().value(HIDDEN_COLUMNS_KEY, None) if self._remember_choices
                  else None)
        if stored is None:
            stored = ",".join(sorted(lists.DEFAULT_HIDDEN_COLUMNS))
        text = ",".join(stored) if isinstance(stored, list) else str(stored or "")
        hidden = {key for key in text.split(",") if key in lists.COLUMN_KEYS}
        if len(hidden) >= len(lists.COLUMN_KEYS):
            hidden = set()
        self._user_hidden = hidden
        self._show_columns_of_source()

    # ----- behaviour ----------------------------------------------------------------------
    def _fill_filter_choices(self) -> None:
        assert self._source is not None
        choices = lists.filter_choices(self._ws.conn, self._source)
        mask = self.list_model.mask
        self._updating_filters = True
        try:
            _refill(self.type_combo, [(t, lists.type_label(t)) for t in choices.types])
            _refill(self.status_combo, [(s, s) for s in choices.statuses])
            _refill(self.data_source_combo,
                    [(ds_id, mask(lists.choice_label(ds_id, name)))
                     for ds_id, name in choices.data_sources])
            _refill(self.merge_rule_combo,
                    [(mr_id, mask(lists.choice_label(mr_id, name)))
                     for mr_id, name in choices.merge_rules])
        finally:
            self._updating_filters = False

    def _fit_filters_to_source(self) -> None:
        """Reset and hide the filters the new list cannot have (status on merge rules), so a
        filter set on one node never empties another (the combos follow their choices)."""
        assert self._source is not None
        applicable = self._source.applicable_filters()
        updated = "updated_since" in applicable
        if not updated:
            self.updated_check.setChecked(False)
        self._updated_box.setVisible(updated)
        if "aep_only" not in applicable:
            self.aep_check.setChecked(False)
        self.aep_check.setVisible("aep_only" in applicable)

    def _filters_changed(self, *_args: object) -> None:
        if not self._updating_filters:
            self._apply()

    def _subfolders_changed(self, checked: bool) -> None:
        if self._source is not None and isinstance(self._source.target, ObjectRef):
            self._source = lists.ListSource(self._source.target, checked)
            self._apply()

    def _apply(self) -> None:
        if self._source is None:
            return
        header = self.table.horizontalHeader()
        sort_key = self.list_model.column_key(header.sortIndicatorSection()) \
            if 0 <= header.sortIndicatorSection() < len(lists.COLUMN_KEYS) else "name"
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        query = lists.ListQuery(self._source, self.filters(), sort_key, descending)
        self.list_model.set_query(query)
        self._size_columns()

    def _update_summary(self, *_args: object) -> None:
        model = self.list_model
        if self._source is None:
            self.summary_label.setText("Choose a group or folder in the tree to list its objects")
            self.summary_label.setToolTip("")
            self.filters_hint.hide()
            return
        loaded = model.rowCount()
        noun = "object" if model.total == 1 else "objects"
        shown = f"{model.total:,} {noun}"
        if loaded < model.total:
            shown += f" ({loaded:,} loaded)"
        title, tooltip = self._source.title(self._ws.conn)
        self.summary_label.setText(model.mask(f"{title} — {shown}"))
        self.summary_label.setToolTip(model.mask(tooltip))
        self._update_filters_hint()

    def _update_filters_hint(self) -> None:
        query = self.list_model.query
        active = query.filters.restricted_to(query.source.applicable_filters()).active() \
            if query is not None else []
        if query is None or not active:
            self.filters_hint.hide()
            return
        unfiltered = lists.count_rows(self._ws.conn, lists.ListQuery(query.source))
        noun = "filter" if len(active) == 1 else "filters"
        hidden = unfiltered - self.list_model.total
        self.filters_hint.setText(
            f"{len(active)} {noun} active ({hidden:,} of {unfiltered:,} hidden) · "
            '<a href="clear">Clear</a>')
        self.filters_hint.setToolTip("Filters: " + ", ".join(
            _FILTER_LABELS[name] for name in active))
        self.filters_hint.show()

    def _show_columns_menu_at_button(self) -> None:
        menu = self.columns_menu()
        menu.exec(self.columns_button.mapToGlobal(QPoint(0, self.columns_button.height())))

    def _show_columns_menu_at_header(self, pos: QPoint) -> None:
        menu = self.columns_menu()
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))

    def _ask_and_export(self) -> None:
        if self.list_model.query is None:
            return
        settings = app_settings()
        start = str(settings.value("objectList/lastExportDir", "") or "")
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export list as CSV", str(Path(start) / "objects.csv") if start else
            "objects.csv", "CSV files (*.csv)")
        if not path:
            return
        self.export_csv(path)
        settings.setValue("objectList/lastExportDir", str(Path(path).parent))

    # --- yielding room ------------------------------------------------------------------------
    def folded_height(self) -> int:
        """The least height the list is useful at: its title row, the column header and one
        whole row; the filter bar folds away below ``unfolded_height``."""
        row = self.table.verticalHeader().defaultSectionSize()
        return (self._top_row.sizeHint().height() + self._spacing()
                + self.table.horizontalHeader().sizeHint().height() + row
                + 2 * self.table.frameWidth())

    def unfolded_height(self) -> int:
        """The height from which the filter bar shows (with two rows under it)."""
        bar = self.filter_bar.heightForWidth(max(1, self.width()))
        row = self.table.verticalHeader().defaultSectionSize()
        return self.folded_height() + max(bar, 0) + self._spacing() + row

    def _spacing(self) -> int:
        layout = self.layout()
        return layout.spacing() if layout is not None else 0

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # When a bottom panel takes the room, the filter bar folds away rather than being
        # overdrawn by the table; enlarging the list brings it back.
        unfolded = event.size().height() >= self.unfolded_height()
        if self.filter_bar.isHidden() == unfolded:
            self.filter_bar.setVisible(unfolded)
        # the few rows left show the current one (once the table has its new height)
        QTimer.singleShot(0, self, self._show_current_row)

    def _show_current_row(self) -> None:
        selection = self.table.selectionModel()
        rows = selection.selectedRows() if selection is not None else []
        current = rows[0] if rows else self.table.currentIndex()
        if current.isValid():  # through a shown column: a hidden one has no place to show
            column = self.table.horizontalHeader().logicalIndexAt(0)
            self.table.scrollTo(current.siblingAtColumn(max(column, 0)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_name_column()
            return False
        if watched is self.table and is_enter_press(event):
            self._emit_activated(self.table.currentIndex())
            return True
        return super().eventFilter(watched, event)

    def _emit_activated(self, index: QModelIndex) -> None:
        ref = index.data(OBJECT_REF_ROLE) if index.isValid() else None
        if isinstance(ref, ObjectRef):
            self.objectActivated.emit(ref.kind, ref.id)

    def _emit_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._selecting:
            return
        ref = current.data(OBJECT_REF_ROLE) if current.isValid() else None
        if isinstance(ref, ObjectRef):
            self.currentObjectChanged.emit(ref.kind, ref.id)


# Name never gets narrower than this many average characters (at 1024x768 it collapsed).
NAME_MIN_CHARACTERS = 28
# Other columns grow to their content up to this many characters, then elide.
_MAX_COLUMN_CHARACTERS = 14
_ROWS_MEASURED = 200  # loaded rows whose text sizes the columns
# The smallest a column is, whatever the rows hold (its usual content in the current font).
_COLUMN_SAMPLES: dict[str, str] = {"id": "0000000", "updated": "0000-00-00"}


def _default_updated_since(workspace: Workspace) -> QDate:
    """A year before the export date ("updated in the year before this export"), or before
    today when the workspace has no export date."""
    export_date = latest_export_date(workspace.conn)
    anchor = QDate.fromString(export_date, "yyyy-MM-dd") if export_date else QDate()
    return (anchor if anchor.isValid() else QDate.currentDate()).addYears(-1)
_FILTER_LABELS = {"type": "Type", "data_source_id": "Data source", "status": "Status",
                  "merge_rule_id": "Merge rule", "updated_since": "Updated since",
                  "aep_only": "AEP-shared only"}


def _refill(combo: QComboBox, items: list[tuple[Any, str]]) -> None:
    """Replace a filter combo's choices, keeping the current choice when it still exists."""
    current = combo.currentData()
    while combo.count() > 1:
        combo.removeItem(1)
    for value, text in items:
        combo.addItem(text, value)
    found = combo.findData(current) if current is not None else 0
    combo.setCurrentIndex(max(found, 0))
    combo.setVisible(bool(items))
