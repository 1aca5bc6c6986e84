"""The import report: a summary and the problems as a copyable list of one-line messages."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QVBoxLayout,
    QWidget,
)


def report_summary(report: Any) -> str:
    """A short plain-text summary: tenant, export date, what was loaded, notes."""
    # Imported on use: the importers package loads the pydantic records (~0.2 s), which the
    # window must not pay before its first paint.
    from explorer.importers.summary import summary_lines

    return "" if report is None else "\n".join(summary_lines(report))


class ImportReportDialog(QDialog):
    """Shows what an import found wrong (or why it was refused); never a traceback."""

    def __init__(self, title: str, headline: str, problems: list[str],
                 report: Any = None, parent: QWidget | None = None, *,
                 detail: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("importReportDialog")
        self.resize(720, 420)
        layout = QVBoxLayout(self)
        self.headline = QLabel(headline)
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)  # names are never markup
        font = self.headline.font()
        font.setBold(True)
        self.headline.setFont(font)
        layout.addWidget(self.headline)
        self.detail = QLabel(detail)  # e.g. which export a refusal is about
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)  # paths are never markup
        self.detail.setVisible(bool(detail))
        layout.addWidget(self.detail)
        summary = report_summary(report)
        if summary:
            self.summary = QLabel(summary)
            self.summary.setWordWrap(True)
            self.summary.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(self.summary)
        self.problem_list = self._problem_list(problems)
        layout.addWidget(self.problem_list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy_button = buttons.addButton("Copy all", QDialogButtonBox.ButtonRole.ActionRole)
        copy_button.clicked.connect(self.copy_all)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        QShortcut(QKeySequence.StandardKey.Copy, self.problem_list, self.copy_selected)

    def _problem_list(self, problems: list[str]) -> QListWidget:
        widget = QListWidget()
        widget.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        widget.setWordWrap(True)
        widget.setAlternatingRowColors(True)
        style = self.style()
        error_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
        warning_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for line in problems:
            icon = error_icon if line.startswith("Error") else warning_icon
            widget.addItem(QListWidgetItem(icon, line))
        if not problems:
            widget.addItem("No problems found.")
        return widget

    def messages(self) -> list[str]:
        return [self.problem_list.item(i).text() for i in range(self.problem_list.count())]

    def copy_all(self) -> None:
        QGuiApplication.clipboard().setText("\n".join(self.messages()))

    def copy_selected(self) -> None:
        lines = [item.text() for item in self.problem_list.selectedItems()]
        QGuiApplication.clipboard().setText("\n".join(lines or self.messages()))
