"""The trends panel's read-only tables: settings events and the monthly table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from explorer.analysis.trends import series_label
from explorer.masking import TextMask

EVENT_COLUMNS = ("Date", "Setting", "Value", "Note", "Target/day before", "Target/day after",
                 "Change")
ID_ROLE = Qt.ItemDataRole.UserRole


def number_text(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def table_item(text: str, *, numeric: bool = False, bold: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if numeric:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if bold:
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)
    return item


def read_only_table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def column_title(key: str) -> str:
    titles = {"month": "Month", "days": "Days", "estimated_cost": "Estimated cost"}
    return titles.get(key, series_label(key))


def fill_events_table(table: QTableWidget, events: list[dict[str, Any]],
                      masked: TextMask) -> None:
    """One row per settings event (``usage_summary``'s events); the event id is kept on the
    first cell under ``ID_ROLE``; client text passes through ``masked``."""
    table.setRowCount(len(events))
    for row, event in enumerate(events):
        change = event["change_pct"]
        cells = (
            table_item(event["date"]), table_item(masked(event["setting"])),
            table_item(masked(event["value"])), table_item(masked(event["note"])),
            table_item(number_text(event["target_avg_before"]), numeric=True),
            table_item(number_text(event["target_avg_after"]), numeric=True),
            table_item("–" if change is None else f"{change:+.1f} %", numeric=True),
        )
        cells[0].setData(ID_ROLE, event["id"])
        for column, item in enumerate(cells):
            table.setItem(row, column, item)
    table.resizeColumnsToContents()


def fill_months_table(table: QTableWidget, columns: list[str],
                      rows: list[dict[str, Any]]) -> None:
    """The monthly table: one row per month, the last row (the totals) in bold."""
    table.setColumnCount(len(columns))
    table.setHorizontalHeaderLabels([column_title(c) for c in columns])
    table.setRowCount(len(rows))
    for row_index, row in enumerate(rows):
        total = row_index == len(rows) - 1
        for column, key in enumerate(columns):
            value = row.get(key)
            if key == "month":
                text = str(value)
            else:
                text = number_text(value, 2 if key == "estimated_cost" else 0)
            table.setItem(row_index, column,
                          table_item(text, numeric=key != "month", bold=total))
    table.resizeColumnsToContents()
