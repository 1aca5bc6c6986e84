"""The Target call trends panel: chart, settings events, monthly table, billing, what-if.

Importing this module (and constructing the panel) does not import pyqtgraph: the chart is
built the first time the panel is shown, or when a caller asks for it (``ensure_chart``).

The panel is put together from ``events_editor`` (the events tab), ``export`` (PNG and CSV)
and ``tables`` (the read-only tables); ``chart`` and ``whatif`` draw the rest.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.analysis.usage import AGGREGATIONS, table_totals, usage_summary
from explorer.store import history
from explorer.store.db import transaction
from explorer.store.workspace import Workspace
from explorer.ui.trends.chart_data import ChartData, chart_data, series_label
from explorer.ui.trends.events_editor import EventEditing
from explorer.ui.trends.export import DEFAULT_EXPORT_SIZE, ChartExporting, ExportSizeDialog
from explorer.ui.trends.tables import fill_months_table, read_only_table
from explorer.ui.trends.whatif import WhatIfView

if TYPE_CHECKING:  # the chart module imports pyqtgraph: only for type checkers here
    from explorer.ui.trends.chart import TrendsChart


BASE_SERIES = ("target", "analytics", "other", "total")
# The export dialog and its default size lived here before the split.
__all__ = ["BASE_SERIES", "DEFAULT_EXPORT_SIZE", "ExportSizeDialog", "TrendsPanel"]


class TrendsPanel(EventEditing, ChartExporting, QWidget):
    """Target call trends of one workspace; every change it makes is saved to the workspace.

    Signals: ``eventsChanged`` after an event is added, edited or deleted; ``priceChanged``
    (float or None) after the price per 1,000 Target calls is saved.
    """

    eventsChanged = Signal()
    priceChanged = Signal(object)

    def __init__(self, workspace: Workspace | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.summary: dict[str, Any] | None = None
        self.chart: TrendsChart | None = None
        self.aggregation = "day"
        self.reduction_pct: float | None = None
        self._visible: set[str] = {"target"}
        self._text_mask: Callable[[str], str] | None = None  # workshop masking
        # How dialogs are run; tests replace it to fill a dialog instead of exec()-ing it.
        self.run_dialog: Callable[[QDialog], bool] = lambda dialog: bool(dialog.exec())
        self._build()
        self.refresh()

    # --- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.series_checks: dict[str, QCheckBox] = {}
        self._series_row = QHBoxLayout()
        self._series_row.setContentsMargins(0, 0, 0, 0)
        self.aggregation_combo = QComboBox()
        self.aggregation_combo.addItems([a.capitalize() for a in AGGREGATIONS])
        self.aggregation_combo.currentIndexChanged.connect(
            lambda i: self.set_aggregation(AGGREGATIONS[i]))
        self.price_spin = QDoubleSpinBox(minimum=0, maximum=1_000_000, decimals=4)
        self.price_spin.setSpecialValueText("not set")
        self.price_spin.setToolTip("Price per 1,000 Target calls (saved in the workspace)")
        self.price_spin.valueChanged.connect(self._price_edited)
        self.reduction_spin = QDoubleSpinBox(minimum=0, maximum=100, decimals=1, suffix=" %")
        self.reduction_spin.setSpecialValueText("observed")
        self.reduction_spin.setToolTip(
            "Reduction of Target calls to project for Once Per Session; 'observed' uses the "
            "change measured after an earlier Once Per Session event")
        self.reduction_spin.valueChanged.connect(
            lambda v: self.set_reduction(v if v > 0 else None))
        self.sharing_label = QLabel()
        self.sharing_label.setWordWrap(True)
        self.message_label = QLabel()
        self.message_label.setStyleSheet("color: #D55E00")
        self.message_label.hide()
        top = QHBoxLayout()
        top.addLayout(self._series_row)
        top.addStretch(1)
        for label, widget in (("Show", self.aggregation_combo),
                              ("Price / 1,000 Target calls", self.price_spin),
                              ("Once Per Session reduction", self.reduction_spin)):
            top.addWidget(QLabel(label))
            top.addWidget(widget)
        top.addLayout(self._export_buttons())
        self.chart_area = QWidget()
        self._chart_layout = QVBoxLayout(self.chart_area)
        self._chart_layout.setContentsMargins(0, 0, 0, 0)
        self.empty_label = QLabel("No usage history yet: import an Activity Usage CSV export.")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._chart_layout.addWidget(self.empty_label)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._events_tab(), "Events")
        self.months_table = read_only_table(2)
        self.tabs.addTab(self.months_table, "Months")
        self.whatif_view = WhatIfView()
        self.tabs.addTab(self.whatif_view, "What if Shared Audiences were disabled")
        self.chart_area.setMinimumWidth(320)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.chart_area)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 400])  # in proportion: the chart gets the larger share
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.sharing_label)
        layout.addWidget(self.message_label)
        layout.addWidget(splitter, 1)

    # --- the workspace ------------------------------------------------------------------------

    def set_workspace(self, workspace: Workspace | None) -> None:
        """Show another workspace (or none); the panel does not close the old one."""
        self.workspace = workspace
        self.refresh()

    def refresh(self) -> None:
        """Re-read the history from the workspace and redraw everything."""
        if self.workspace is None:
            self.summary = None
        else:
            self.summary = usage_summary(self.workspace.conn, reduction_pct=self.reduction_pct)
        self._update_series_checks()
        self._update_price_spin()
        self._update_events_table()
        self._update_months_table()
        self._update_sharing()
        if self.summary is not None:
            self.whatif_view.set_summary(self.summary)
        self._update_chart()
        buttons = (self.add_event_button, self.export_csv_button, self.export_png_button)
        for button in buttons:
            button.setEnabled(self.workspace is not None)

    def set_text_mask(self, mask: Callable[[str], str] | None) -> None:
        """Mask the events table and the chart's event labels (workshop masking)."""
        self._text_mask = mask
        self.refresh()

    def _masked(self, text: str) -> str:
        return self._text_mask(text) if self._text_mask is not None else text

    def _write(self, change: Callable[[sqlite3.Connection], Any]) -> tuple[bool, Any]:
        """Run one change in a transaction: (saved, result). A failure (a read-only file, a
        refused value) is shown in the panel, not raised."""
        if self.workspace is None:
            return False, None
        try:
            with transaction(self.workspace.conn) as conn:
                result = change(conn)
        except (sqlite3.Error, ValueError, KeyError) as exc:
            self.show_message(f"Not saved: {exc}")
            return False, None
        self.show_message("")
        return True, result

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    # --- series, aggregation, price -----------------------------------------------------------

    def available_series(self) -> list[str]:
        present = list(self.summary["series"]) if self.summary else []
        return [*BASE_SERIES, *(n for n in present if n not in BASE_SERIES)]

    def _update_series_checks(self) -> None:
        present = set(self.summary["series"]) if self.summary else set()
        for name in self.available_series():
            check = self.series_checks.get(name)
            if check is None:
                check = QCheckBox(series_label(name))
                check.toggled.connect(lambda on, n=name: self.set_series_visible(n, on))
                self._series_row.addWidget(check)
                self.series_checks[name] = check
            check.blockSignals(True)
            check.setChecked(name in self._visible)
            check.setEnabled(name in present)
            check.blockSignals(False)

    def set_series_visible(self, name: str, visible: bool) -> None:
        (self._visible.add if visible else self._visible.discard)(name)
        check = self.series_checks.get(name)
        if check is not None and check.isChecked() != visible:
            check.blockSignals(True)
            check.setChecked(visible)
            check.blockSignals(False)
        self._update_chart()

    def visible_series(self) -> list[str]:
        return [n for n in self.available_series() if n in self._visible]

    def set_aggregation(self, aggregation: str) -> None:
        if aggregation not in AGGREGATIONS:
            raise ValueError(f"aggregation must be one of {AGGREGATIONS}")
        self.aggregation = aggregation
        index = AGGREGATIONS.index(aggregation)
        if self.aggregation_combo.currentIndex() != index:
            self.aggregation_combo.setCurrentIndex(index)  # calls back here; same value
        self._update_chart()

    def _update_price_spin(self) -> None:
        price = self.summary["estimate"]["price_per_1000"] if self.summary else None
        self.price_spin.blockSignals(True)
        self.price_spin.setValue(price or 0)
        self.price_spin.blockSignals(False)
        self.price_spin.setEnabled(self.workspace is not None)

    def _price_edited(self, value: float) -> None:
        self.set_price(value if value > 0 else None)

    def set_price(self, price: float | None) -> None:
        """Save the price per 1,000 Target calls (None forgets it) and update the estimate."""
        saved, _ = self._write(lambda conn: history.set_price(conn, price))
        self.refresh()
        if saved:
            self.priceChanged.emit(price)

    def set_reduction(self, reduction_pct: float | None) -> None:
        """The reduction to project for Once Per Session (None: the observed one)."""
        self.reduction_pct = reduction_pct
        self.reduction_spin.blockSignals(True)
        self.reduction_spin.setValue(reduction_pct or 0)
        self.reduction_spin.blockSignals(False)
        self.refresh()

    # --- chart --------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.summary and self.summary["series"]:
            self.ensure_chart()

    def ensure_chart(self) -> TrendsChart:
        """Build the chart (importing pyqtgraph) if that has not happened yet."""
        if self.chart is None:
            from explorer.ui.trends.chart import TrendsChart

            self.chart = TrendsChart(self.chart_area)
            self._chart_layout.addWidget(self.chart)
            self._update_chart()
        return self.chart

    def chart_data(self) -> ChartData:
        if self.summary is None:
            return ChartData(self.aggregation)
        data = chart_data(self.summary, self.visible_series(), self.aggregation)
        for mark in data.events:
            mark.label = self._masked(mark.label)
        return data

    def _update_chart(self) -> None:
        has_data = bool(self.summary and self.summary["series"])
        self.empty_label.setVisible(not has_data)
        if self.chart is None and has_data and self.isVisible():
            self.ensure_chart()
            return  # ensure_chart drew it
        if self.chart is not None:
            self.chart.setVisible(has_data)
            self.chart.set_data(self.chart_data())

    @property
    def curves(self) -> dict[str, Any]:
        """Series name -> the pyqtgraph PlotDataItem drawn for it (builds the chart)."""
        return self.ensure_chart().curves

    @property
    def event_lines(self) -> list[Any]:
        """One pyqtgraph InfiniteLine per settings event (``.event_id`` names the event)."""
        return self.ensure_chart().event_lines

    @property
    def projection_line(self) -> Any | None:
        """The horizontal Once Per Session projection line, when a reduction is known."""
        return self.ensure_chart().projection_line

    # --- months, sharing ----------------------------------------------------------------------

    def month_columns(self) -> list[str]:
        names = list(self.summary["series"]) if self.summary else []
        ordered = [n for n in self.available_series() if n in names]
        price_known = bool(self.summary and self.summary["estimate"]["price_per_1000"])
        return ["month", "days", *ordered, *(["estimated_cost"] if price_known else [])]

    def month_rows(self) -> list[dict[str, Any]]:
        """The monthly table's rows, the totals row last (what the CSV export writes)."""
        months = self.summary["months"] if self.summary else []
        return [*months, table_totals(months)] if months else []

    def _update_months_table(self) -> None:
        fill_months_table(self.months_table, self.month_columns(), self.month_rows())

    def _update_sharing(self) -> None:
        if self.summary is None:
            self.sharing_label.setText("No workspace.")
            return
        sharing = self.summary["sharing"]
        shared = sharing["shared_audiences"]
        since = f" since {sharing['shared_audiences_since']}" \
            if sharing["shared_audiences_since"] else ""
        collection = sharing["data_collection"]
        collection_since = f" since {sharing['data_collection_since']}" \
            if sharing["data_collection_since"] else ""
        self.sharing_label.setText(
            f"Shared Audiences for this tenant: {shared}{since} · Target data collection: "
            f"{collection}{collection_since}")
        self.sharing_label.setToolTip("\n".join(sharing["facts"]))
