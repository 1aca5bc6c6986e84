"""Exporting the trends chart as PNG (at a size the user picks) and the monthly
table as CSV.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QWidget,
)

from explorer.analysis.trends import ChartData

if TYPE_CHECKING:  # the chart module imports pyqtgraph: only for type checkers here
    from explorer.ui.trends.chart import TrendsChart


DEFAULT_EXPORT_SIZE = (1200, 600)


class ChartSource(Protocol):
    """What the chart export uses of its panel."""

    chart: TrendsChart | None
    run_dialog: Callable[[QDialog], bool]

    def chart_data(self) -> ChartData: ...

    def month_columns(self) -> list[str]: ...

    def month_rows(self) -> list[dict[str, Any]]: ...


class ChartExport(QWidget):
    """The trends panel's export buttons ("Export chart…", "Export months…") and what they
    write: the chart as a PNG of a chosen size, the monthly table as CSV."""

    def __init__(self, source: ChartSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source = source
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.png_button = QPushButton("Export chart…")
        self.png_button.clicked.connect(self._ask_export_png)
        self.csv_button = QPushButton("Export months…")
        self.csv_button.clicked.connect(self._ask_export_csv)
        row.addWidget(self.png_button)
        row.addWidget(self.csv_button)

    def export_png(self, path: str | Path, width: int, height: int) -> Path:
        """Save the chart as it is now (series, aggregation, markers) as a width x height PNG."""
        from explorer.ui.trends.chart import render_png  # pyqtgraph: on first export only

        return render_png(self._source.chart_data(), path, width, height)

    def export_csv(self, path: str | Path) -> Path:
        """Save the monthly table (with its totals row) as CSV."""
        columns = self._source.month_columns()
        target = Path(path)
        with target.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in self._source.month_rows():
                writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
        return target

    def _ask_export_png(self) -> None:
        size = ExportSizeDialog(self, *self._default_export_size())
        if not self._source.run_dialog(size):
            return
        path, _filter = QFileDialog.getSaveFileName(self, "Export chart", "target-calls.png",
                                                    "PNG image (*.png)")
        if path:
            self.export_png(path, *size.chosen_size())

    def _ask_export_csv(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, "Export monthly table",
                                                    "target-calls-by-month.csv",
                                                    "CSV file (*.csv)")
        if path:
            self.export_csv(path)

    def _default_export_size(self) -> tuple[int, int]:
        chart = self._source.chart
        if chart is not None and chart.width() >= 200:
            return chart.width(), chart.height()
        return DEFAULT_EXPORT_SIZE


class ExportSizeDialog(QDialog):
    """Asks for the width and height of the exported image, in pixels."""

    def __init__(self, parent: QWidget | None, width: int, height: int) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export chart")
        self.width_spin = QSpinBox(minimum=50, maximum=10_000, value=width, suffix=" px")
        self.height_spin = QSpinBox(minimum=50, maximum=10_000, value=height, suffix=" px")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Width", self.width_spin)
        form.addRow("&Height", self.height_spin)
        form.addRow(buttons)

    def chosen_size(self) -> tuple[int, int]:
        return self.width_spin.value(), self.height_spin.value()
