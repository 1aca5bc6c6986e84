"""Adding, editing and deleting settings events from the trends panel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from explorer.store import history
from explorer.store.workspace import Workspace
from explorer.ui.trends.event_dialog import EventDialog
from explorer.ui.trends.tables import EVENT_COLUMNS, ID_ROLE, fill_events_table, read_only_table


class EventEditing:
    """The trends panel's events tab and what its buttons do (a mixin of ``TrendsPanel``,
    which provides the workspace, ``_write``, ``refresh`` and ``eventsChanged``)."""

    workspace: Workspace | None
    summary: dict[str, Any] | None
    run_dialog: Callable[[QDialog], bool]
    eventsChanged: Any  # the panel's Signal
    last_usage_day: Callable[[], str | None]

    def _events_tab(self) -> QWidget:
        tab = QWidget()
        self.events_table = read_only_table(len(EVENT_COLUMNS))
        self.events_table.setHorizontalHeaderLabels(list(EVENT_COLUMNS))
        self.events_table.horizontalHeader().setStretchLastSection(False)
        self.events_table.itemDoubleClicked.connect(lambda _item: self.edit_selected_event())
        self.add_event_button = QPushButton("Add…")
        self.add_event_button.clicked.connect(self.add_event_with_dialog)
        self.edit_event_button = QPushButton("Edit…")
        self.edit_event_button.clicked.connect(self.edit_selected_event)
        self.delete_event_button = QPushButton("Delete")
        self.delete_event_button.clicked.connect(self.delete_selected_event)
        buttons = QHBoxLayout()
        for button in (self.add_event_button, self.edit_event_button,
                       self.delete_event_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.events_table)
        layout.addLayout(buttons)
        return tab

    def add_event(self, day: str, setting: str, value: str, note: str = "") -> int | None:
        """Save a settings event (not duplicated if it exists); its id, or None if refused."""
        saved, result = self._write(lambda conn: history.add_event(
            conn, day, setting, value, note=note, source="manual"))
        if not saved:
            return None
        self._events_changed()
        return result[0]

    def edit_event(self, event_id: int, day: str, setting: str, value: str,
                   note: str = "") -> bool:
        saved, _event = self._write(lambda conn: history.update_event(
            conn, event_id, day=day, setting=setting, value=value, note=note))
        if saved:
            self._events_changed()
        return saved

    def delete_event(self, event_id: int) -> bool:
        saved, deleted = self._write(lambda conn: history.delete_event(conn, event_id))
        if saved and deleted:
            self._events_changed()
        return bool(saved and deleted)

    def _events_changed(self) -> None:
        self.refresh()
        self.eventsChanged.emit()

    def selected_event_id(self) -> int | None:
        rows = self.events_table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.events_table.item(rows[0].row(), 0).data(ID_ROLE)

    def select_event(self, event_id: int) -> None:
        for row in range(self.events_table.rowCount()):
            if self.events_table.item(row, 0).data(ID_ROLE) == event_id:
                self.events_table.selectRow(row)
                return

    def add_event_with_dialog(self) -> int | None:
        dialog = EventDialog(self, default_day=self.last_usage_day())
        if not self.run_dialog(dialog):
            return None
        event_id = self.add_event(*dialog.values())
        if event_id is not None:
            self.select_event(event_id)
        return event_id

    def edit_selected_event(self) -> bool:
        event_id = self.selected_event_id()
        event = None if event_id is None or self.workspace is None else history.get_event(
            self.workspace.conn, event_id)
        if event is None:
            return False
        dialog = EventDialog(self, event)
        if not self.run_dialog(dialog):
            return False
        saved = self.edit_event(event.id, *dialog.values())
        self.select_event(event.id)
        return saved

    def delete_selected_event(self) -> bool:
        event_id = self.selected_event_id()
        return event_id is not None and self.delete_event(event_id)

    def _update_events_table(self) -> None:
        events = self.summary["events"] if self.summary else []
        fill_events_table(self.events_table, events, self._masked)
        # the buttons' state (events present, read-only workspace) is the panel's _update_editing
