"""The trends panel's Events tab: the settings events table and its Add / Edit / Delete."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtWidgets import QDialog, QPushButton, QWidget

from explorer.masking import TextMask
from explorer.store import usage_events as history
from explorer.store.workspace import Workspace
from explorer.ui.box_layout import side_by_side, stacked
from explorer.ui.trends.event_dialog import EventDialog
from explorer.ui.trends.tables import EVENT_COLUMNS, ID_ROLE, fill_events_table, read_only_table


class EventsHost(Protocol):
    """What the Events tab uses of its panel."""

    workspace: Workspace | None
    run_dialog: Callable[[QDialog], bool]

    def write(self, change: Callable[[sqlite3.Connection], Any]) -> tuple[bool, Any]: ...

    def last_usage_day(self) -> str | None: ...

    def events_written(self) -> None: ...


class EventsTab(QWidget):
    """The events table and its buttons; every write goes through the host's ``write`` and
    ends with its ``events_written`` (the panel refreshes and announces the change)."""

    def __init__(self, host: EventsHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self.table = read_only_table(len(EVENT_COLUMNS))
        self.table.setHorizontalHeaderLabels(list(EVENT_COLUMNS))
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit_selected_event())
        self.add_button = QPushButton("Add…")
        self.add_button.clicked.connect(self.add_event_with_dialog)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.clicked.connect(self.edit_selected_event)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.delete_selected_event)
        buttons = side_by_side(None, self.add_button, self.edit_button, self.delete_button)
        buttons.addStretch(1)
        stacked(self, self.table, buttons, margins=(0, 0, 0, 0))

    def add_event(self, day: str, setting: str, value: str, note: str = "") -> int | None:
        """Save a settings event (not duplicated if it exists); its id, or None if refused."""
        saved, result = self._host.write(lambda conn: history.add_event(
            conn, day, setting, value, note=note, source="manual"))
        if not saved:
            return None
        self._host.events_written()
        return int(result[0])

    def edit_event(self, event_id: int, day: str, setting: str, value: str,
                   note: str = "") -> bool:
        saved, _event = self._host.write(lambda conn: history.update_event(
            conn, event_id, day=day, setting=setting, value=value, note=note))
        if saved:
            self._host.events_written()
        return saved

    def delete_event(self, event_id: int) -> bool:
        saved, deleted = self._host.write(lambda conn: history.delete_event(conn, event_id))
        if saved and deleted:
            self._host.events_written()
        return bool(saved and deleted)

    def selected_event_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return None if item is None else item.data(ID_ROLE)

    def select_event(self, event_id: int) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(ID_ROLE) == event_id:
                self.table.selectRow(row)
                return

    def add_event_with_dialog(self) -> int | None:
        dialog = EventDialog(self, default_day=self._host.last_usage_day())
        if not self._host.run_dialog(dialog):
            return None
        event_id = self.add_event(*dialog.values())
        if event_id is not None:
            self.select_event(event_id)
        return event_id

    def edit_selected_event(self) -> bool:
        event_id = self.selected_event_id()
        workspace = self._host.workspace
        event = None if event_id is None or workspace is None else history.get_event(
            workspace.conn, event_id)
        if event is None:
            return False
        dialog = EventDialog(self, event)
        if not self._host.run_dialog(dialog):
            return False
        saved = self.edit_event(event.id, *dialog.values())
        self.select_event(event.id)
        return saved

    def delete_selected_event(self) -> bool:
        event_id = self.selected_event_id()
        return event_id is not None and self.delete_event(event_id)

    def show_events(self, events: list[dict[str, Any]], mask: TextMask) -> None:
        """Fill the table (the buttons' state is the panel's: events present, read-only)."""
        fill_events_table(self.table, events, mask)
