"""The trends panel, driven with pytest-qt: what is plotted, what is saved, what is exported."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QScrollArea

from explorer.analysis.trends import MARKER_COLOUR, SERIES_COLOURS, day_x
from explorer.store import usage_events as history
from explorer.store.db import transaction
from explorer.store.workspace import Workspace
from explorer.ui.trends import TrendsPanel
from explorer.ui.trends.event_dialog import EventDialog
from explorer.ui.trends.panel import READ_ONLY_TIP

START = date(2026, 1, 1)  # a Thursday
DAYS = 90  # to 2026-03-31; Target 1,000 a day to Feb 14, then 400; Analytics 10 a day


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "t.aamws", create=True)
    rows = []
    for i in range(DAYS):
        day = START + timedelta(days=i)
        target = 1000.0 if day < date(2026, 2, 15) else 400.0
        rows += [(day.isoformat(), "target", target, "u.csv"),
                 (day.isoformat(), "analytics", 10.0, "u.csv")]
    with transaction(workspace.conn) as conn:
        history.upsert_usage_days(conn, rows)
    yield workspace
    workspace.close()


@pytest.fixture
def panel(qtbot, ws: Workspace) -> TrendsPanel:
    widget = TrendsPanel(ws)
    qtbot.addWidget(widget)
    widget.resize(1100, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def points(panel: TrendsPanel, name: str) -> list[tuple[float, float]]:
    xs, ys = panel.curves[name].getData()
    return list(zip(xs.tolist(), ys.tolist(), strict=True))


def test_constructing_the_panel_does_not_import_pyqtgraph(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from explorer.store.workspace import Workspace\n"
        "from explorer.ui.trends import TrendsPanel\n"
        f"panel = TrendsPanel(Workspace.open({str(tmp_path / 'w.aamws')!r}, create=True))\n"
        "assert 'pyqtgraph' not in sys.modules, 'pyqtgraph imported'\n"
        "panel.ensure_chart()\n"
        "assert 'pyqtgraph' in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr


def test_weekly_means_by_default_and_the_choice_is_remembered(qtbot, panel: TrendsPanel,
                                                               ws: Workspace) -> None:
    assert panel.aggregation == "week" and panel.aggregation_combo.currentText() == "Week"
    weekly = points(panel, "target")
    assert len(weekly) == 14
    # means per day, not sums: the ISO week of Thu 1 January has 4 days of 1,000
    assert weekly[0] == (day_x("2025-12-29"), 1000.0)
    assert weekly[6] == (day_x("2026-02-09"), pytest.approx((6 * 1000 + 400) / 7))
    panel.aggregation_combo.setCurrentIndex(2)  # Month
    later = TrendsPanel(ws)
    qtbot.addWidget(later)
    assert later.aggregation == "month" and later.aggregation_combo.currentText() == "Month"


def test_daily_target_curve_in_its_colour(panel: TrendsPanel) -> None:
    panel.set_aggregation("day")
    assert list(panel.curves) == ["target"]
    plotted = points(panel, "target")
    assert len(plotted) == DAYS
    assert plotted[0] == (day_x("2026-01-01"), 1000.0)
    assert plotted[-1] == (day_x("2026-03-31"), 400.0)
    assert panel.curves["target"].opts["pen"].color().name().upper() == SERIES_COLOURS["target"]
    assert panel.chart.getPlotItem().getAxis("bottom").utcOffset == 0


def test_aggregation_switch_changes_the_number_of_points(panel: TrendsPanel) -> None:
    panel.aggregation_combo.setCurrentIndex(0)  # Day
    assert len(points(panel, "target")) == DAYS
    panel.aggregation_combo.setCurrentIndex(2)  # Month
    assert points(panel, "target") == [(day_x("2026-01-01"), 1000.0),
                                       (day_x("2026-02-01"), 700.0),  # 14 x 1,000, 14 x 400
                                       (day_x("2026-03-01"), 400.0)]
    panel.set_aggregation("week")
    assert len(points(panel, "target")) == 14


def test_y_axis_says_what_is_plotted_with_compact_numbers(panel: TrendsPanel) -> None:
    assert panel.chart.y_label == "Target calls per day (weekly mean)"
    panel.set_aggregation("month")
    assert panel.chart.y_label == "Target calls per day (monthly mean)"
    panel.set_aggregation("day")
    assert panel.chart.y_label == "Target calls per day"
    panel.series_checks["analytics"].setChecked(True)
    assert panel.chart.y_label == "Calls per day"
    axis = panel.chart.getPlotItem().getAxis("left")
    assert axis.tickStrings([0, 250_000, 500_000], 1, 250_000) == ["0", "250k", "500k"]
    assert axis.tickStrings([1_000_000, 1_500_000], 1, 500_000) == ["1M", "1.5M"]
    # the view starts at 0 calls: a fall of 60 % looks like one
    assert panel.chart.getPlotItem().viewRange()[1][0] == 0


def test_series_checkboxes(panel: TrendsPanel) -> None:
    assert not panel.series_checks["other"].isEnabled()  # no Other data in this workspace
    panel.series_checks["analytics"].setChecked(True)
    assert set(panel.curves) == {"target", "analytics"}
    assert points(panel, "analytics")[5][1] == 10.0
    assert panel.curves["analytics"].opts["pen"].color().name().upper() == "#0072B2"
    panel.series_checks["target"].setChecked(False)
    assert list(panel.curves) == ["analytics"]


def test_adding_editing_and_deleting_an_event_moves_its_marker(panel: TrendsPanel,
                                                               ws: Workspace) -> None:
    def fill(values: tuple[str, str, str, str]):
        def run(dialog: EventDialog) -> bool:
            dialog.set_values(*values)
            dialog.accept()
            return dialog.result() == EventDialog.DialogCode.Accepted
        return run

    assert panel.event_lines == []
    panel.run_dialog = fill(("2026-02-15", "data collection", "Once Per Session", "ticket"))
    event_id = panel.events_tab.add_event_with_dialog()
    assert [e.id for e in history.list_events(ws.conn)] == [event_id]  # saved
    (line,) = panel.event_lines
    assert line.event_id == event_id and line.value() == day_x("2026-02-15")
    assert line.pen.color().name().upper() == MARKER_COLOUR
    assert line.label.toPlainText().startswith("Once Per Session \u00b7 \u221260 %")
    # the events table shows the before/after averages of the known data
    row = [panel.events_tab.table.item(0, c).text() for c in range(7)]
    assert row == ["2026-02-15", "data collection", "Once Per Session", "ticket", "1,000",
                   "400", "-60.0 %"]

    panel.events_tab.select_event(event_id)
    panel.run_dialog = fill(("2026-03-01", "data collection", "Real-Time", ""))
    assert panel.events_tab.edit_selected_event()
    (moved,) = panel.event_lines
    assert moved.value() == day_x("2026-03-01")
    assert history.get_event(ws.conn, event_id).value == history.REAL_TIME

    panel.events_tab.select_event(event_id)
    assert panel.events_tab.delete_selected_event()
    assert panel.event_lines == [] and history.list_events(ws.conn) == []


def test_a_refused_event_keeps_the_dialog_open() -> None:
    dialog = EventDialog()
    dialog.set_values("2026-01-01", "data collection", "hourly")
    dialog.accept()
    assert dialog.result() != EventDialog.DialogCode.Accepted
    assert "Real-Time" in dialog.error_label.text()


def test_price_is_saved_and_drives_cost(panel: TrendsPanel, ws: Workspace) -> None:
    panel.events_tab.add_event("2026-02-15", "data collection", "Once Per Session")
    panel.events_tab.add_event("2026-03-20", "data collection", "Real-Time")
    panel.price_spin.setValue(2.5)
    assert history.get_price(ws.conn) == 2.5
    headers = [panel.months_table.horizontalHeaderItem(c).text()
               for c in range(panel.months_table.columnCount())]
    assert headers == ["Month", "Days", "Target", "Analytics", "Estimated cost"]
    january = [panel.months_table.item(0, c).text() for c in range(5)]
    assert january == ["2026-01", "31", "31,000", "310", "77.50"]
    total = [panel.months_table.item(3, c).text() for c in range(5)]
    assert total == ["Total", "90", "63,000", "900", "157.50"]
    assert panel.whatif_view.row_values("current") == ("12,000", "30.00")
    assert panel.whatif_view.row_values("once-per-session") == ("4,800", "12.00")
    assert panel.whatif_view.row_values("disabled") == ("0", "0.00")


def test_projection_only_while_not_on_once_per_session(panel: TrendsPanel) -> None:
    assert panel.projection_line is None  # no reduction known yet
    panel.events_tab.add_event("2026-02-15", "data collection", "Once Per Session")
    assert panel.projection_line is None  # already on it: it would repeat the current level
    panel.set_reduction(25)
    assert panel.projection_line is None
    panel.set_reduction(None)
    panel.events_tab.add_event("2026-03-20", "data collection", "Real-Time")
    # observed: -60 % after Once Per Session; current level 400 a day -> 160 a day projected
    line = panel.projection_line
    assert line is not None and line.value() == pytest.approx(160.0)
    assert line.label.toPlainText() == "Projected with Once Per Session: 160/day (\u221260 %)"
    panel.set_reduction(25)
    assert panel.projection_line.value() == pytest.approx(300.0)
    assert "(\u221225 %)" in panel.projection_line.label.toPlainText()
    panel.set_aggregation("month")  # the axis is calls per day whatever the aggregation
    assert panel.projection_line.value() == pytest.approx(300.0)
    assert "With Once Per Session they would be about 300 per day." in panel.headline_text()


def marker_texts(panel: TrendsPanel) -> list[str]:
    return sorted(line.label.toPlainText() for line in panel.event_lines)


def test_markers_carry_the_measured_change(qtbot, panel: TrendsPanel) -> None:
    panel.splitter.setSizes([1000, 100])
    # no 30 days before the first event: no %
    panel.events_tab.add_event("2026-01-02", "Shared Audiences", "enabled")
    panel.events_tab.add_event("2026-02-15", "data collection", "Once Per Session")
    panel.events_tab.add_event("2026-03-25", "note", "Campaign {spring}")
    qtbot.waitUntil(lambda: marker_texts(panel) == [
        "Campaign {spring}", "Once Per Session \u00b7 \u221260 % Target calls (30-day avg)",
        "Shared Audiences enabled"], timeout=3000)
    # a narrow chart keeps the change, in a shorter label that fits beside the line
    panel.splitter.setSizes([600, 500])
    qtbot.waitUntil(lambda: "Once Per Session \u00b7 \u221260 %" in marker_texts(panel),
                    timeout=3000)
    # the two means the percentage compares, drawn as steps either side of the marker
    levels = [(item.getData()[0].tolist(), item.getData()[1].tolist())
              for item in panel.chart.effect_levels]
    switch = day_x("2026-02-15")
    assert levels == [([switch - 30 * 86_400, switch], [1000.0, 1000.0]),
                      ([switch, switch + 30 * 86_400], [400.0, 400.0])]


def test_marker_labels_overlap_neither_each_other_nor_the_legend(panel: TrendsPanel) -> None:
    panel.series_checks["analytics"].setChecked(True)
    for day, setting, value in (("2026-02-13", "Shared Audiences", "enabled"),
                                ("2026-02-15", "data collection", "Once Per Session"),
                                ("2026-02-16", "note", "Spring campaign launch"),
                                ("2026-03-25", "note", "A note near the right edge"),
                                ("2026-03-28", "note", "Another one")):
        panel.events_tab.add_event(day, setting, value)
    chart = panel.chart
    rects = chart.label_rects()
    assert len(rects) == 5
    legend = chart._legend_rect()
    vb = chart.getPlotItem().vb
    for i, rect in enumerate(rects):
        assert not rect.intersects(legend)
        assert rect.left() >= 0 and rect.right() <= vb.width()
        assert all(not rect.intersects(other) for other in rects[i + 1:])
    # the curves stay under the labels and the legend
    highest = vb.mapFromView(QPointF(day_x("2026-01-01"), chart.data.highest())).y()
    assert highest > max(r.bottom() for r in [*rects, legend])


def test_headline_tells_the_change_in_plain_words(panel: TrendsPanel) -> None:
    assert panel.headline_text() == (
        "Target calls: about 400 per day over the last 30 days. Data-collection setting not "
        "recorded: add an event when it changes. Shared Audiences: not recorded.")
    panel.events_tab.add_event("2026-01-05", "Shared Audiences", "enabled")
    panel.events_tab.add_event("2026-02-15", "data collection", "Once Per Session")
    assert panel.headline_text() == (
        "Target calls fell 60 % after data collection switched to Once Per Session on "
        "2026-02-15 (1k \u2192 400 per day, 30-day averages). Shared Audiences: enabled since "
        "2026-01-05.")
    assert "deleted in Audience Manager" in panel.headline_label.toolTip()
    # too recent to measure
    panel.events_tab.add_event("2026-03-20", "data collection", "Real-Time")
    assert ("Data collection: Real-Time since 2026-03-20 (fewer than 30 days of data since: "
            "too early to measure).") in panel.headline_text()
    hidden = "\u2588" * 6
    panel.set_text_mask(lambda text: text.replace("Shared Audiences", hidden))
    assert "Shared Audiences" not in panel.headline_text()
    assert f"{hidden}: enabled" in panel.headline_text()
    assert f"{hidden} enabled" in {line.label.toPlainText() for line in panel.event_lines}


def test_a_read_only_workspace_disables_editing(qtbot, ws: Workspace) -> None:
    with Workspace.open(ws.path, readonly=True) as snapshot:
        widget = TrendsPanel(snapshot)
        qtbot.addWidget(widget)
        widget.show()
        for control in (widget.events_tab.add_button, widget.events_tab.edit_button,
                        widget.events_tab.delete_button, widget.price_spin):
            assert not control.isEnabled()
            assert control.toolTip() == READ_ONLY_TIP
        assert widget.chart_export.png_button.isEnabled()  # reading and exporting still work
        events = widget.events_tab
        assert events.add_event("2026-02-15", "data collection", "Once Per Session") is None
        assert "read-only" in widget.message_label.text()
    assert history.list_events(ws.conn) == []


def test_the_chart_fits_a_short_dock_with_its_date_axis_visible(qtbot, ws: Workspace) -> None:
    from explorer.ui.main_window import MainWindow

    window = MainWindow(restore_settings=False)
    qtbot.addWidget(window)
    window.resize(1400, 950)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_workspace(ws.path)
    window.frame.trends_dock.show()
    window.frame.trends_dock.raise_()
    window.resizeDocks([window.frame.trends_dock], [450], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: window.trends_panel is not None
                    and window.trends_panel.chart is not None, timeout=5000)
    panel = window.trends_panel
    chart = panel.chart
    scroller = next(w for w in _ancestors(panel) if isinstance(w, QScrollArea))

    def bottom_axis_visible() -> bool:
        viewport = scroller.viewport()
        visible = QRect(viewport.mapToGlobal(QPoint(0, 0)), viewport.size())
        axis = chart.getPlotItem().getAxis("bottom")
        box = chart.mapFromScene(axis.sceneBoundingRect()).boundingRect()
        on_screen = QRect(chart.mapToGlobal(box.topLeft()), box.size())
        return on_screen.height() > 10 and visible.contains(on_screen)

    qtbot.waitUntil(bottom_axis_visible, timeout=5000)
    assert 400 <= window.frame.trends_dock.height() <= 470
    assert chart.height() >= 220
    assert not scroller.verticalScrollBar().isVisible()


def _ancestors(widget):
    parent = widget.parentWidget()
    while parent is not None:
        yield parent
        parent = parent.parentWidget()


def test_crosshair_readout_names_the_date_and_values(panel: TrendsPanel) -> None:
    panel.series_checks["analytics"].setChecked(True)
    panel.set_aggregation("day")
    text = panel.chart.show_readout(day_x("2026-02-15") + 3600)
    assert text == "2026-02-15\nTarget: 400\nAnalytics: 10"
    assert panel.chart.readout_text == text
    panel.set_aggregation("week")
    assert panel.chart.show_readout(day_x("2026-01-06")) == (
        "week of 2026-01-05 \u00b7 mean per day\nTarget: 1,000\nAnalytics: 10")


def test_export_png_of_the_requested_size_and_csv(panel: TrendsPanel, tmp_path: Path) -> None:
    panel.price_spin.setValue(1)
    png = panel.chart_export.export_png(tmp_path / "chart.png", 800, 450)
    image = QImage(str(png))
    assert (image.width(), image.height()) == (800, 450)
    out = panel.chart_export.export_csv(tmp_path / "months.csv")
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["month", "days", "target", "analytics", "estimated_cost"]
    assert rows[1] == ["2026-01", "31", "31000.0", "310.0", "31.0"]
    assert rows[-1] == ["Total", "90", "63000.0", "900.0", "63.0"]


def test_the_exported_image_says_what_the_panel_says(panel: TrendsPanel,
                                                     tmp_path: Path) -> None:
    from explorer.ui.trends.chart import offscreen_chart

    panel.events_tab.add_event("2026-02-15", "data collection", "Once Per Session")
    data = panel.chart_data()
    with offscreen_chart(data, 900, 420) as exported:
        assert exported.title == panel.headline_text()
        assert exported.y_label == "Target calls per day (weekly mean)"
        assert [line.label.toPlainText() for line in exported.event_lines] == [
            "Once Per Session \u00b7 \u221260 % Target calls (30-day avg)"]
        assert exported.getPlotItem().getAxis("left").tickStrings([0, 500], 1, 500) == [
            "0", "500"]
    image = QImage(str(panel.chart_export.export_png(tmp_path / "small.png", 640, 200)))
    assert (image.width(), image.height()) == (640, 200)
    # the title is drawn: the top rows hold text, not only the background
    background = QColor(image.pixel(image.width() - 2, 2))
    inked = sum(QColor(image.pixel(x, y)) != background
                for x in range(0, 640, 2) for y in range(0, 16))
    assert inked > 50


def test_an_empty_workspace_and_no_workspace(qtbot, tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "e.aamws", create=True) as empty:
        widget = TrendsPanel(empty)
        qtbot.addWidget(widget)
        widget.show()
        assert widget.chart is None and widget.empty_label.isVisible()
        assert widget.events_tab.table.rowCount() == 0 and widget.months_table.rowCount() == 0
        widget.set_workspace(None)
        assert widget.summary is None and not widget.events_tab.add_button.isEnabled()


def test_export_buttons_need_usage_data_and_say_so(qtbot, panel: TrendsPanel,
                                                   tmp_path: Path) -> None:
    assert panel.chart_export.png_button.isEnabled() and panel.chart_export.csv_button.isEnabled()
    with Workspace.open(tmp_path / "e.aamws", create=True) as empty:
        widget = TrendsPanel(empty)
        qtbot.addWidget(widget)
        for button in (widget.chart_export.png_button, widget.chart_export.csv_button):
            assert not button.isEnabled()
            assert "No usage data" in button.toolTip()


def test_add_event_dialog_starts_on_the_last_usage_day_and_is_wide(qtbot,
                                                                 panel: TrendsPanel) -> None:
    seen: list[EventDialog] = []

    def look(dialog: EventDialog) -> bool:
        seen.append(dialog)
        return False

    panel.run_dialog = look
    assert panel.events_tab.add_event_with_dialog() is None
    (dialog,) = seen
    last = (START + timedelta(days=DAYS - 1)).isoformat()
    assert dialog.date_edit.date().toString("yyyy-MM-dd") == last == "2026-03-31"
    assert dialog.minimumWidth() >= 300
    today = EventDialog(default_day=None)  # no usage data: today
    qtbot.addWidget(today)
    assert today.date_edit.date() == QDate.currentDate()


def test_the_three_scenario_rows_are_always_visible_with_wrapped_notes(
        qtbot, panel: TrendsPanel) -> None:
    panel.resize(900, 330)  # a short dock
    view = panel.whatif_view
    table = view.table
    panel.tabs.setCurrentWidget(view)
    qtbot.waitUntil(table.isVisible)
    qtbot.wait(50)  # the stretched notes column settles after layout
    assert table.rowCount() == 3
    viewport = table.viewport().rect()
    for row in range(3):
        for column in range(table.columnCount()):
            cell = table.visualRect(table.model().index(row, column))
            assert viewport.contains(cell), (row, column, cell, viewport)
    assert table.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    for row in range(3):  # the notes wrap (rows as tall as their wrapped text), not clipped
        assert table.rowHeight(row) >= table.sizeHintForRow(row)
    assert table.rowHeight(1) > table.fontMetrics().height() + 4  # two lines or more


def test_marker_labels_are_not_drawn_across_another_marker_line(panel: TrendsPanel) -> None:
    panel.splitter.setSizes([1000, 100])
    # right of its line, the holiday label would run across the spring line; left is free
    panel.events_tab.add_event("2026-01-05", "note", "Kick-off")
    panel.events_tab.add_event("2026-02-15", "note", "Holiday campaign launch")
    panel.events_tab.add_event("2026-02-22", "note", "Spring")
    chart = panel.chart
    chart.layout_labels()
    vb = chart.getPlotItem().vb
    xs = [vb.mapFromView(QPointF(line.value(), 0)).x() for line in chart.event_lines]
    rects = chart.label_rects()
    assert len(rects) == 3
    for rect in rects:
        crossed = [x for x in xs if rect.left() + 1 < x < rect.right() - 1]
        assert crossed == [], (rect, xs)
