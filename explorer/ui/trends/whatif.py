"""'What if Shared Audiences were disabled': current vs Once Per Session vs disabled."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLayout,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

# Two-line headers keep the number columns narrow, leaving the notes room to wrap.
_COLUMNS = ("Scenario", "Target calls\n/ month", "Estimated cost\n/ month", "Based on")
_MIN_NOTES_WIDTH = 180  # px: below this the tab scrolls sideways instead of squeezing notes


def _number(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


class WhatIfView(QWidget):
    """A three-row comparison table and what each choice stops or keeps, from the summary;
    ``controls`` (the panel's price and reduction inputs) go above the table. The tab scrolls
    as a whole, so it never makes the panel taller than its dock."""

    def __init__(self, controls: QLayout | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(_COLUMNS))
        self.table.setHorizontalHeaderLabels(list(_COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)  # "Based on" takes the rest and wraps
        # Every scenario row always visible: the table is as tall as its rows, never scrolls.
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The stretched notes column settles after layout: fit the rows once it has.
        header.sectionResized.connect(lambda *_: QTimer.singleShot(0, self._fit_table_height))
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignTop)
        content = QWidget()
        layout = QVBoxLayout(content)
        if controls is not None:
            layout.addLayout(controls)
        layout.addWidget(self.table)
        layout.addWidget(self.explanation, 1)
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroller)

    def set_summary(self, summary: dict[str, Any]) -> None:
        what_if = summary["what_if_disabled"]
        scenarios = what_if["scenarios"]
        self.table.setRowCount(len(scenarios))
        for row, scenario in enumerate(scenarios):
            cells = (scenario["label"], _number(scenario["monthly_calls"]),
                     _number(scenario["monthly_cost"], 2), _basis(scenario))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (1, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        for column in range(len(_COLUMNS) - 1):  # the notes column stretches and wraps
            self.table.resizeColumnToContents(column)
        self._fit_table_height()
        self.explanation.setText(_explanation(what_if, summary["sharing"]))

    def _fit_table_height(self) -> None:
        """As tall as the header plus every (wrapped) row: no row is ever scrolled away."""
        fixed = sum(self.table.columnWidth(c) for c in range(len(_COLUMNS) - 1))
        self.table.setMinimumWidth(fixed + _MIN_NOTES_WIDTH + 2 * self.table.frameWidth())
        self.table.resizeRowsToContents()
        rows_height = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                  + rows_height + 2 * self.table.frameWidth())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_table_height()  # a narrower table wraps its notes onto more lines

    def row_values(self, scenario: str) -> tuple[str, str]:
        """(calls, cost) as shown for the scenario 'current', 'once-per-session' or 'disabled'."""
        order = ["current", "once-per-session", "disabled"]
        row = order.index(scenario)
        calls, cost = self.table.item(row, 1), self.table.item(row, 2)
        return (calls.text() if calls else ""), (cost.text() if cost else "")


def _basis(scenario: dict[str, Any]) -> str:
    if scenario["scenario"] == "current":
        return "mean daily Target calls of the last 30 days × 30"
    if scenario["scenario"] == "disabled":
        return "no Target calls to Audience Manager"
    if scenario.get("reduction_pct") is None:
        return "no reduction known: enter one, or record a Once Per Session event"
    return f"{scenario['reduction_pct']:g} % fewer calls ({scenario['reduction_source']})"


def _bullets(title: str, lines: list[str]) -> str:
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return f"<p><b>{escape(title)}</b></p><ul>{items}</ul>"


def _explanation(what_if: dict[str, Any], sharing: dict[str, Any]) -> str:
    return "".join((
        _bullets("If Shared Audiences were disabled, this stops:", what_if["stops"]),
        _bullets("Use cases lost:", what_if["lost_use_cases"]),
        _bullets("The alternative, Once Per Session:", what_if["once_per_session"]),
        _bullets("How sharing with Target works:", sharing["facts"]),
    ))
