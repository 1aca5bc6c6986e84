"""The Target call trends panel: chart, settings events, monthly table, billing, what-if.

Importing this module (and constructing the panel) does not import pyqtgraph: the chart is
built the first time the panel is shown, or when a caller asks for it (``ensure_chart``).

The panel is composed of ``events_editor.EventsTab`` (the events tab) and
``export.ChartExport`` (PNG and CSV); ``tables`` fills the read-only tables, ``chart`` and
``whatif`` draw the rest.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.analysis.trends import ChartData, chart_data, headline, series_label
from explorer.analysis.usage import AGGREGATIONS, WEEK, table_totals, usage_summary
from explorer.masking import TextMask
from explorer.store import usage_events as history
from explorer.store.db import transaction
from explorer.store.workspace import Workspace
from explorer.ui.box_layout import stacked
from explorer.ui.settings import app_settings
from explorer.ui.trends.events_editor import EventsTab
from explorer.ui.trends.export import ChartExport
from explorer.ui.trends.tables import fill_months_table, read_only_table
from explorer.ui.trends.whatif import WhatIfView

if TYPE_CHECKING:  # the chart module imports pyqtgraph: only for type checkers here
    from explorer.ui.trends.chart import TrendsChart


BASE_SERIES = ("target", "analytics", "other", "total")
AGGREGATION_KEY = "trends/aggregation"  # the user's choice, kept across workspaces (QSettings)
DEFAULT_AGGREGATION = WEEK  # two years of daily calls read best as weekly means
READ_ONLY_TIP = ("This workspace is read-only (a snapshot bundle, or a file opened "
                 "read-only): settings events and the price cannot be changed here.")
PRICE_TIP = "Price per 1,000 Target calls (saved in the workspace)"
__all__ = ["BASE_SERIES", "CHART_AREA_MINIMUM_HEIGHT", "TrendsPanel"]


# px: the chart's share of the panel; the plot (axes and curves) then keeps 250 px and more
CHART_AREA_MINIMUM_HEIGHT = 262
NO_USAGE_TIP = "No usage data to export: import an Activity Usage CSV export first."

class TrendsPanel(QWidget):
    """Target call trends of one workspace; every change it makes is saved to the workspace.

    Signals: ``eventsChanged`` after an event is added, edited or deleted; ``priceChanged``
    (float or None) after the price per 1,000 Target calls is saved.
    """

    eventsChanged = Signal()
    priceChanged = Signal(object)

    def __init__(self, workspace: Workspace | None = None,
                 parent: QWidget | None = None, *, remember_choices: bool = True) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.summary: dict[str, Any] | None = None
        self.chart: TrendsChart | None = None
        # False (scripted screenshots): the aggregation is the default, never read or saved
        self._remember_choices = remember_choices
        self.aggregation = saved_aggregation() if remember_choices else DEFAULT_AGGREGATION
        self.reduction_pct: float | None = None
        self._visible: set[str] = {"target"}
        self._text_mask: TextMask | None = None  # workshop masking
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
        self.aggregation_combo.setCurrentIndex(AGGREGATIONS.index(self.aggregation))
        self.aggregation_combo.setToolTip("Each day, or the mean calls per day of each week or "
                                          "month (your choice is remembered)")
        self.aggregation_combo.currentIndexChanged.connect(
            lambda i: self.set_aggregation(AGGREGATIONS[i]))
        self._build_cost_inputs()
        self.headline_label = WrappedLabel()
        self.headline_label.setObjectName("trendsHeadline")
        bold = QFont()  # only the weight is set: the size still follows zoom
        bold.setBold(True)
        self.headline_label.setFont(bold)
        self.headline_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label = WrappedLabel()
        self.message_label.setStyleSheet("color: #D55E00")
        self.message_label.hide()
        top = QHBoxLayout()
        top.addLayout(self._series_row)
        top.addStretch(1)
        top.addWidget(QLabel("Show"))
        top.addWidget(self.aggregation_combo)
        self.chart_export = ChartExport(self)
        top.addWidget(self.chart_export)
        self.full_screen_button = QPushButton("Full screen")
        self.full_screen_button.setObjectName("trendsFullScreen")
        self.full_screen_button.setToolTip("Present the chart on the whole screen, with its "
                                           "event callouts (Esc closes it)")
        self.full_screen_button.clicked.connect(lambda: self.present_chart())
        top.addWidget(self.full_screen_button)
        self.presented: QDialog | None = None
        self.chart_area = QWidget()
        self._chart_layout = QVBoxLayout(self.chart_area)
        self._chart_layout.setContentsMargins(0, 0, 0, 0)
        self.empty_label = QLabel("No usage history yet: import an Activity Usage CSV export.")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._chart_layout.addWidget(self.empty_label)
        self.tabs = QTabWidget()
        self.tabs.setUsesScrollButtons(True)
        self.events_tab = EventsTab(self)
        self.tabs.addTab(self.events_tab, "Events")
        self.months_table = read_only_table(2)
        self.tabs.addTab(self.months_table, "Months")
        self.whatif_view = WhatIfView(self._cost_inputs)
        self.tabs.addTab(self.whatif_view, "Cost && what if")
        self.tabs.setTabToolTip(2, "Cost per month, Once Per Session, and what if Shared "
                                   "Audiences were disabled")
        self.chart_area.setMinimumWidth(320)
        self.chart_area.setMinimumHeight(CHART_AREA_MINIMUM_HEIGHT)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.chart_area)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 400])  # in proportion: the chart gets the larger share
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        stacked(self, top, self.headline_label, self.message_label, (splitter, 1),
                margins=(6, 4, 6, 4), spacing=4)

    def _build_cost_inputs(self) -> None:
        """Price and reduction: they drive the cost columns and the what-if projection."""
        self.price_spin = QDoubleSpinBox(minimum=0, maximum=1_000_000, decimals=4)
        self.price_spin.setSpecialValueText("not set")
        self.price_spin.setToolTip(PRICE_TIP)
        self.price_spin.valueChanged.connect(self._price_edited)
        self.reduction_spin = QDoubleSpinBox(minimum=0, maximum=100, decimals=1, suffix=" %")
        self.reduction_spin.setSpecialValueText("observed")
        self.reduction_spin.setToolTip(
            "Reduction of Target calls to project for Once Per Session; 'observed' uses the "
            "change measured after an earlier Once Per Session event")
        self.reduction_spin.valueChanged.connect(
            lambda v: self.set_reduction(v if v > 0 else None))
        self._cost_inputs = QHBoxLayout()
        self._cost_inputs.setContentsMargins(0, 0, 0, 0)
        for label, widget in (("Price / 1,000 Target calls", self.price_spin),
                              ("Once Per Session reduction", self.reduction_spin)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            self._cost_inputs.addWidget(caption)
            self._cost_inputs.addWidget(widget)
        self._cost_inputs.addStretch(1)

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
        self.events_tab.show_events(self.summary["events"] if self.summary else [],
                                    self._masked)
        self._update_months_table()
        self._update_headline()
        if self.summary is not None:
            self.whatif_view.set_summary(self.summary)
        self._update_chart()
        has_data = bool(self.summary and self.summary["series"])
        for button, tip in ((self.chart_export.png_button, "Save the chart as a PNG image"),
                            (self.chart_export.csv_button, "Save the monthly table as CSV")):
            button.setEnabled(has_data)
            button.setToolTip(tip if has_data else NO_USAGE_TIP)
        self._update_editing()

    def events_written(self) -> None:
        """A settings event was added, edited or deleted: redraw, then tell the window."""
        self.refresh()
        self.eventsChanged.emit()

    def last_usage_day(self) -> str | None:
        """The last day of the usage history ('YYYY-MM-DD'), or None without usage data."""
        days = [points[-1][0] for points in (self.summary or {}).get("series", {}).values()
                if points]
        return max(days, default=None)

    def is_read_only(self) -> bool:
        """True when nothing can be saved (a snapshot bundle, a file opened read-only)."""
        return self.workspace is not None and self.workspace.is_read_only()

    def _update_editing(self) -> None:
        """Enable the inputs that save to the workspace, or say why they are off."""
        read_only = self.is_read_only()
        has_events = bool(self.summary and self.summary["events"])
        writable = self.workspace is not None and not read_only
        for widget, enabled, tip in (
                (self.events_tab.add_button, writable, "Add a settings event or a note"),
                (self.events_tab.edit_button, writable and has_events,
                 "Edit the selected event"),
                (self.events_tab.delete_button, writable and has_events,
                 "Delete the selected event"),
                (self.price_spin, writable, PRICE_TIP)):
            widget.setEnabled(enabled)
            widget.setToolTip(READ_ONLY_TIP if read_only else tip)

    def set_text_mask(self, mask: TextMask | None) -> None:
        """Mask the events table and the chart's event labels (workshop masking)."""
        self._text_mask = mask
        self.refresh()

    def _masked(self, text: str) -> str:
        return self._text_mask(text) if self._text_mask is not None else text

    def write(self, change: Callable[[sqlite3.Connection], Any]) -> tuple[bool, Any]:
        """Run one change in a transaction: (saved, result). A failure (a read-only file, a
        refused value) is shown in the panel, not raised."""
        if self.workspace is None:
            return False, None
        if self.is_read_only():
            self.show_message(f"Not saved: {READ_ONLY_TIP}")
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
                check = QCheckBox(series_label(name).replace("&", "&&"))  # no mnemonic
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
        if aggregation != self.aggregation and self._remember_choices:
            app_settings().setValue(AGGREGATION_KEY, aggregation)
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

    def _price_edited(self, value: float) -> None:
        self.set_price(value if value > 0 else None)

    def set_price(self, price: float | None) -> None:
        """Save the price per 1,000 Target calls (None forgets it) and update the estimate."""
        saved, _ = self.write(lambda conn: history.set_price(conn, price))
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
        self._update_editing()  # the window's read-only state is known once it shows us
        if self.summary and self.summary["series"]:
            self.ensure_chart()

    def ensure_chart(self) -> TrendsChart:
        """Build the chart (importing pyqtgraph) if that has not happened yet."""
        if self.chart is None:
            from explorer.ui.trends.chart import TrendsChart

            self.chart = TrendsChart(self.chart_area)
            self.chart.setObjectName("trendsPlot")
            self._chart_layout.addWidget(self.chart)
            self._update_chart()
        return self.chart

    def present_chart(self, *, full_screen: bool = True) -> QDialog:
        """The chart alone in its own window, full screen for presenting: the same data, so
        the same curves and event callouts; Esc closes it."""
        from explorer.ui.trends.chart import TrendsChart

        if self.presented is not None:
            self.presented.close()
        dialog = QDialog(self)
        dialog.setObjectName("trendsPresentation")
        dialog.setWindowTitle(self.headline_label.text() or "Target call trends")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(dialog)
        layout.setContentsMargins(12, 12, 12, 12)
        title = WrappedLabel()
        title.setText(self.headline_label.text())
        title.setFont(self.headline_label.font())
        chart = TrendsChart(dialog)
        chart.setObjectName("trendsPresentedPlot")
        layout.addWidget(title)
        layout.addWidget(chart, 1)
        chart.set_data(self.chart_data())
        dialog.destroyed.connect(lambda *_: setattr(self, "presented", None))
        self.presented = dialog
        if full_screen:
            dialog.showFullScreen()
        else:
            dialog.show()
        chart.layout_labels()
        return dialog

    def chart_data(self) -> ChartData:
        if self.summary is None:
            return ChartData(self.aggregation)
        return chart_data(self.summary, self.visible_series(), self.aggregation,
                          mask=self._text_mask)

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

    def headline_text(self) -> str:
        """The sentence above the chart (masked when masking is on)."""
        return self.headline_label.text()

    def _update_headline(self) -> None:
        if self.summary is None:
            self.headline_label.setText("No workspace.")
            self.headline_label.setToolTip("")
            return
        self.headline_label.setText(self._masked(headline(self.summary)))
        self.headline_label.setToolTip("\n".join(self.summary["sharing"]["facts"]))


class WrappedLabel(QLabel):
    """A word-wrapped label as tall as its text at its current width, without height-for-width.

    The window puts the panel in a scroll area, which gives a height-for-width widget its
    *preferred* height: the panel would outgrow a short dock and the chart's date axis would
    be scrolled away. This label sets its minimum height itself instead.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # client text (masked or not) is not HTML
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # wraps to the panel's width, never widens it; exactly as tall as its lines
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def hasHeightForWidth(self) -> bool:
        return False  # QLabel turns it back on with every text: layouts ask this instead

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # zoom
            self._fit_height()

    def _fit_height(self) -> None:
        if self.width() <= 0:
            return
        # what QLabel paints for plain text (its own heightForWidth can count one line more)
        flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft
        box = self.fontMetrics().boundingRect(QRect(0, 0, self.contentsRect().width(), 1 << 20),
                                              int(flags), self.text())
        height = box.height() + self.contentsMargins().top() + self.contentsMargins().bottom() \
            if self.text() else 0
        if height > 0 and height != self.minimumHeight():
            self.setMinimumHeight(height)

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.minimumHeight() or
                     self.fontMetrics().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.minimumHeight() or self.fontMetrics().height())


def saved_aggregation() -> str:
    """The aggregation the user chose last (week until they choose)."""
    value = str(app_settings().value(AGGREGATION_KEY, DEFAULT_AGGREGATION))
    return value if value in AGGREGATIONS else DEFAULT_AGGREGATION
