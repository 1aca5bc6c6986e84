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
from PySide6.QtGui import QImage

from explorer.store import history
from explorer.store.db import transaction
from explorer.store.workspace import Workspace
from explorer.ui.trends import TrendsPanel
from explorer.ui.trends.chart_data import MARKER_COLOUR, SERIES_COLOURS, day_x
from explorer.ui.trends.event_dialog import EventDialog

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


def test_daily_target_curve_in_its_colour(panel: TrendsPanel) -> None:
    assert list(panel.curves) == ["target"]
    plotted = points(panel, "target")
    assert len(plotted) == DAYS
    assert plotted[0] == (day_x("2026-01-01"), 1000.0)
    assert plotted[-1] == (day_x("2026-03-31"), 400.0)
    assert panel.curves["target"].opts["pen"].color().name().upper() == SERIES_COLOURS["target"]
    assert panel.chart.getPlotItem().getAxis("bottom").utcOffset == 0


def test_aggregation_switch_changes_the_number_of_points(panel: TrendsPanel) -> None:
    panel.aggregation_combo.setCurrentIndex(1)  # Week
    weekly = points(panel, "target")
    assert len(weekly) == 14
    assert weekly[0] == (day_x("2025-12-29"), 4000.0)  # the ISO week of Thu 1 January
    panel.aggregation_combo.setCurrentIndex(2)  # Month
    assert points(panel, "target") == [(day_x("2026-01-01"), 31000.0),
                                       (day_x("2026-02-01"), 19600.0),
                                       (day_x("2026-03-01"), 12400.0)]
    panel.set_aggregation("day")
    assert len(points(panel, "target")) == DAYS


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
    event_id = panel.add_event_with_dialog()
    assert [e.id for e in history.list_events(ws.conn)] == [event_id]  # saved
    (line,) = panel.event_lines
    assert line.event_id == event_id and line.value() == day_x("2026-02-15")
    assert line.pen.color().name().upper() == MARKER_COLOUR
    assert "Once Per Session" in line.label.toPlainText()
    # the events table shows the before/after averages of the known data
    row = [panel.events_table.item(0, c).text() for c in range(7)]
    assert row == ["2026-02-15", "data collection", "Once Per Session", "ticket", "1,000",
                   "400", "-60.0 %"]

    panel.select_event(event_id)
    panel.run_dialog = fill(("2026-03-01", "data collection", "Real-Time", ""))
    assert panel.edit_selected_event()
    (moved,) = panel.event_lines
    assert moved.value() == day_x("2026-03-01")
    assert history.get_event(ws.conn, event_id).value == history.REAL_TIME

    panel.select_event(event_id)
    assert panel.delete_selected_event()
    assert panel.event_lines == [] and history.list_events(ws.conn) == []


def test_a_refused_event_keeps_the_dialog_open() -> None:
    dialog = EventDialog()
    dialog.set_values("2026-01-01", "data collection", "hourly")
    dialog.accept()
    assert dialog.result() != EventDialog.DialogCode.Accepted
    assert "Real-Time" in dialog.error_label.text()


def test_price_is_saved_and_drives_cost_and_projection(panel: TrendsPanel,
                                                       ws: Workspace) -> None:
    panel.add_event("2026-02-15", "data collection", "Once Per Session")
    panel.add_event("2026-03-20", "data collection", "Real-Time")
    panel.price_spin.setValue(2.5)
    assert history.get_price(ws.conn) == 2.5
    headers = [panel.months_table.horizontalHeaderItem(c).text()
               for c in range(panel.months_table.columnCount())]
    assert headers == ["Month", "Days", "Target", "Analytics", "Estimated cost"]
    january = [panel.months_table.item(0, c).text() for c in range(5)]
    assert january == ["2026-01", "31", "31,000", "310", "77.50"]
    total = [panel.months_table.item(3, c).text() for c in range(5)]
    assert total == ["Total", "90", "63,000", "900", "157.50"]
    # observed: -60 % after Once Per Session; current level 400 a day -> 160 a day projected
    assert panel.projection_line is not None
    assert panel.projection_line.value() == pytest.approx(160.0)
    assert panel.whatif_view.row_values("current") == ("12,000", "30.00")
    assert panel.whatif_view.row_values("once-per-session") == ("4,800", "12.00")
    assert panel.whatif_view.row_values("disabled") == ("0", "0.00")
    panel.set_reduction(25)
    assert panel.projection_line.value() == pytest.approx(300.0)
    panel.set_aggregation("month")
    assert panel.projection_line.value() == pytest.approx(9000.0)


def test_sharing_status_label(panel: TrendsPanel) -> None:
    assert "Shared Audiences for this tenant: unknown" in panel.sharing_label.text()
    panel.add_event("2026-01-05", "Shared Audiences", "enabled")
    assert "enabled since 2026-01-05" in panel.sharing_label.text()
    assert "deleted in Audience Manager" in panel.sharing_label.toolTip()


def test_crosshair_readout_names_the_date_and_values(panel: TrendsPanel) -> None:
    panel.series_checks["analytics"].setChecked(True)
    text = panel.chart.show_readout(day_x("2026-02-15") + 3600)
    assert text == "2026-02-15\nTarget: 400\nAnalytics: 10"
    assert panel.chart.readout_text == text
    panel.set_aggregation("week")
    assert panel.chart.show_readout(day_x("2026-01-06")).startswith("week of 2026-01-05\n")


def test_export_png_of_the_requested_size_and_csv(panel: TrendsPanel, tmp_path: Path) -> None:
    panel.price_spin.setValue(1)
    png = panel.export_png(tmp_path / "chart.png", 800, 450)
    image = QImage(str(png))
    assert (image.width(), image.height()) == (800, 450)
    out = panel.export_csv(tmp_path / "months.csv")
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["month", "days", "target", "analytics", "estimated_cost"]
    assert rows[1] == ["2026-01", "31", "31000.0", "310.0", "31.0"]
    assert rows[-1] == ["Total", "90", "63000.0", "900.0", "63.0"]


def test_an_empty_workspace_and_no_workspace(qtbot, tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "e.aamws", create=True) as empty:
        widget = TrendsPanel(empty)
        qtbot.addWidget(widget)
        widget.show()
        assert widget.chart is None and widget.empty_label.isVisible()
        assert widget.events_table.rowCount() == 0 and widget.months_table.rowCount() == 0
        widget.set_workspace(None)
        assert widget.summary is None and not widget.add_event_button.isEnabled()
