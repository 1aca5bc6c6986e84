"""The window's layout, measured on real widgets: what yields and what keeps its room at the
resolutions of real laptops, the bottom panels, the regions' names and scripted screenshots."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QHeaderView, QScrollArea, QWidget

from explorer.kinds import ObjectRef
from explorer.store import usage_events
from explorer.store.db import transaction
from explorer.store.workspace import Workspace
from explorer.ui.app import raise_panel_when_ready, show_first_finding
from explorer.ui.main_window import MainWindow
from explorer.ui.object_list import HIDDEN_COLUMNS_KEY
from explorer.ui.settings import app_settings
from explorer.ui.trends.chart import TrendsChart
from explorer.ui.trends.panel import AGGREGATION_KEY, DEFAULT_AGGREGATION
from explorer.ui.window.frame import INSPECTOR_MINIMUM

SEGMENT = ObjectRef("segment", 3200001)
SIZES = [(1024, 768), (1366, 768), (1280, 800)]
PANELS = ["findings", "trends", "search", "annotations", "changes", "lineage"]
REGIONS = ["tree", "objectList", "inspector", "annotationEditor", "findingsPanel",
           "searchResults", "annotationsPanel", "changesPanel"]


@pytest.fixture
def workspace_path(sample_workspace: Path) -> Path:
    """The sample tenant with 120 days of Target calls and one settings event (a chart)."""
    target = sample_workspace
    start = date(2026, 1, 1)
    rows = []
    for i in range(120):
        day = start + timedelta(days=i)
        rows.append((day.isoformat(), "target", 900.0 if i < 60 else 500.0, "u.csv"))
    with Workspace.open(target) as workspace, transaction(workspace.conn) as conn:
        usage_events.upsert_usage_days(conn, rows)
        usage_events.add_event(conn, "2026-03-02", "data collection", "Once Per Session")
    return target


def _open(qtbot, path: Path, size: tuple[int, int], *, panel: str | None = None,
          persist: bool = True) -> MainWindow:
    window = MainWindow(interactive=persist, restore_settings=persist)
    qtbot.addWidget(window)
    window.resize(*size)
    if panel is not None:
        raise_panel_when_ready(window, panel)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.ready, timeout=10_000):
        assert window.open_path(path, select=SEGMENT)
    qtbot.wait(30)
    return window


def _region(window: MainWindow, name: str) -> QWidget:
    widget = window.findChild(QWidget, name)
    assert widget is not None, name
    return widget


def _fully_visible(widget: QWidget) -> bool:
    region = widget.visibleRegion()
    return not region.isEmpty() and region.boundingRect().size() == widget.size()


@pytest.mark.parametrize("size", SIZES)
def test_with_no_panel_raised_the_inspector_has_45_percent_of_the_height(
        qtbot, workspace_path: Path, size: tuple[int, int]) -> None:
    window = _open(qtbot, workspace_path, size)
    assert window.frame.raised_panel() is None
    inspector = _region(window, "inspector")
    assert window.current_ref() == SEGMENT
    assert inspector.height() >= 0.45 * window.height(), (inspector.height(), size)
    editor = window.annotations.editor
    assert not editor.is_expanded()  # no note yet: one line
    assert window.annotations.editor_area.height() <= 2.5 * editor.fontMetrics().height()


@pytest.mark.parametrize("size", SIZES)
def test_with_trends_raised_the_plot_keeps_250_px_unclipped_and_the_list_yields(
        qtbot, workspace_path: Path, size: tuple[int, int]) -> None:
    window = _open(qtbot, workspace_path, size)
    list_before = window.frame.list_slot.height()
    inspector_before = _region(window, "inspector").height()
    window.raise_panel("trends")
    qtbot.waitUntil(lambda: window.findChild(QWidget, "trendsPlot") is not None, timeout=5000)
    qtbot.wait(50)
    chart = _region(window, "trendsPlot")
    plot = chart.getPlotItem()  # type: ignore[attr-defined]
    area = QRectF(plot.vb.sceneBoundingRect())
    for side in ("left", "bottom"):
        area = area.united(plot.getAxis(side).sceneBoundingRect())
    assert area.height() >= 250, (area.height(), size)
    assert QRectF(chart.rect()).contains(area)  # axis labels inside the chart
    assert _fully_visible(chart.viewport()), size  # type: ignore[attr-defined]
    scroller = window.findChild(QScrollArea, "trendsScroller")
    assert scroller is not None and not scroller.verticalScrollBar().isVisible()
    events = window.trends_panel.events_tab  # type: ignore[union-attr]
    for button in (events.add_button, events.edit_button, events.delete_button):
        assert _fully_visible(button), (button.text(), size)
    inspector = _region(window, "inspector")
    assert inspector.height() >= INSPECTOR_MINIMUM, (inspector.height(), size)
    # the list gave up rows first: the inspector lost room only once the list was down to
    # its minimum (its filter bar, header and a row)
    list_slot = window.frame.list_slot
    assert list_slot.height() < list_before
    if inspector.height() < inspector_before:
        assert list_slot.height() == list_slot.minimumHeight()


@pytest.mark.parametrize("size", SIZES)
def test_the_object_list_headers_are_not_clipped(qtbot, workspace_path: Path,
                                                 size: tuple[int, int]) -> None:
    window = _open(qtbot, workspace_path, size)
    table = window.object_list.table  # type: ignore[union-attr]
    header: QHeaderView = table.horizontalHeader()
    metrics = header.fontMetrics()
    model = table.model()
    checked = 0
    for column in range(model.columnCount()):
        if header.isSectionHidden(column):
            continue
        text = str(model.headerData(column, header.orientation()))
        assert header.sectionSize(column) >= metrics.horizontalAdvance(text) + 6, text
        checked += 1
    assert checked >= 3


def test_the_note_editor_expands_when_used_and_hides_from_view(qtbot, workspace_path: Path
                                                               ) -> None:
    window = _open(qtbot, workspace_path, (1280, 800))
    editor = window.annotations.editor
    area = window.annotations.editor_area
    inspector = _region(window, "inspector")
    collapsed = area.height()
    assert editor.note_line.isVisible() and not editor.note_edit.isVisible()
    editor.note_line.setFocus()
    qtbot.waitUntil(editor.is_expanded, timeout=2000)
    qtbot.wait(30)
    assert editor.note_edit.isVisible()
    assert editor.note_edit.hasFocus() or not window.isActiveWindow()
    assert area.height() > collapsed
    assert editor.note_edit.height() >= 2 * editor.note_edit.fontMetrics().lineSpacing()
    assert inspector.height() >= 0.4 * window.height()
    editor.note_edit.setPlainText("Check the frequency window")
    editor.save()
    window.frame.tree.setFocus()  # moving on from the tree, as a click there does
    window.reveal(ObjectRef("trait", 3100001))
    assert not editor.is_expanded()  # no note there
    window.reveal(SEGMENT)
    assert editor.is_expanded()  # an existing note shows in full
    view = window.frame.menu_titled("View")
    assert view is not None
    toggle = window.annotations.show_editor
    assert toggle in view.actions()
    toggle.setChecked(False)
    assert not area.isVisible()
    toggle.setChecked(True)
    assert area.isVisible()


def test_a_finding_detail_or_a_big_dock_never_squeezes_the_inspector(qtbot,
                                                                      workspace_path: Path
                                                                      ) -> None:
    with Workspace.open(workspace_path) as workspace, transaction(workspace.conn) as conn:
        conn.execute("INSERT INTO findings(check_id, severity, object_kind, object_id, message)"
                     " VALUES ('trait-unused', 'info', 'trait', 3100001, 'No segment uses it')")
    window = _open(qtbot, workspace_path, (1024, 768))
    window.raise_panel("findings")
    show_first_finding(window)
    panel = window.findings_panel
    assert panel is not None and panel.details.isVisible()  # a finding's details open
    dock = window.frame.findings_dock
    window.resizeDocks([dock], [window.height()], Qt.Orientation.Vertical)
    qtbot.wait(30)
    assert _region(window, "inspector").height() >= INSPECTOR_MINIMUM
    assert dock.height() > 200  # the dock did grow, up to the inspector's minimum


@pytest.mark.parametrize("panel", PANELS)
def test_panel_option_raises_that_bottom_panel(qtbot, workspace_path: Path, panel: str
                                               ) -> None:
    window = _open(qtbot, workspace_path, (1280, 800), panel=panel, persist=False)
    assert window.frame.raised_panel() == panel
    dock = window.frame.panel_docks[panel]
    assert dock.height() >= 160
    assert _region(window, "inspector").height() >= INSPECTOR_MINIMUM


def test_every_main_region_has_its_name(qtbot, workspace_path: Path) -> None:
    window = _open(qtbot, workspace_path, (1280, 800))
    for name in REGIONS:
        assert _region(window, name).objectName() == name
    assert window.findChild(QWidget, "trendsPanel") is None  # built on first show
    window.raise_panel("trends")
    qtbot.waitUntil(lambda: window.findChild(QWidget, "trendsPlot") is not None, timeout=5000)
    assert _region(window, "trendsPanel") is window.trends_panel
    view = window.frame.menu_titled("View")
    assert view is not None
    assert window.annotations.dock.toggleViewAction() in view.actions()


def test_a_bottom_panel_can_be_maximised_and_the_chart_presented(qtbot, workspace_path: Path
                                                                 ) -> None:
    window = _open(qtbot, workspace_path, (1280, 800))
    window.raise_panel("trends")
    qtbot.waitUntil(lambda: window.findChild(QWidget, "trendsPlot") is not None, timeout=5000)
    normal = window.frame.trends_dock.height()
    window.frame.maximise_panel.trigger()
    qtbot.wait(30)
    assert not window.frame.main_splitter.isVisible()
    assert window.frame.trends_dock.height() > normal + 200
    window.frame.maximise_panel.trigger()
    qtbot.wait(30)
    assert window.frame.main_splitter.isVisible()
    panel = window.trends_panel
    assert panel is not None and panel.chart is not None
    dialog = panel.present_chart(full_screen=False)
    qtbot.addWidget(dialog)
    presented = dialog.findChild(TrendsChart, "trendsPresentedPlot")
    assert presented is not None
    shown = [line.event_id for line in presented.event_lines]
    assert shown == [line.event_id for line in panel.chart.event_lines] != []
    dialog.close()


def test_scripted_screenshots_neither_read_nor_save_window_state(qtbot, workspace_path: Path
                                                                 ) -> None:
    settings = app_settings()
    settings.remove("mainwindow/geometry")
    settings.setValue(AGGREGATION_KEY, "month")
    settings.setValue("mainwindow/groupByDataSource", True)
    settings.setValue("inspector/allFieldsExpanded", True)
    settings.setValue(HIDDEN_COLUMNS_KEY, "name,status")
    settings.sync()
    window = _open(qtbot, workspace_path, (1280, 800), panel="trends", persist=False)
    assert not window.actions_.group_by_data_source.isChecked()
    assert window.inspector is not None and not window.inspector.all_fields_expanded()
    assert window.object_list is not None and "status" in window.object_list.visible_columns()
    qtbot.waitUntil(lambda: window.trends_panel is not None, timeout=5000)
    panel = window.trends_panel
    assert panel is not None and panel.aggregation == DEFAULT_AGGREGATION
    panel.set_aggregation("day")
    window.close()
    assert settings.value(AGGREGATION_KEY) == "month"
    assert settings.value(HIDDEN_COLUMNS_KEY) == "name,status"
    for key in (HIDDEN_COLUMNS_KEY, "inspector/allFieldsExpanded", AGGREGATION_KEY,
                "mainwindow/groupByDataSource"):
        settings.remove(key)  # the other tests start from the defaults
    assert settings.value("mainwindow/geometry") is None


def test_search_results_open_at_the_height_of_their_rows(qtbot, workspace_path: Path) -> None:
    window = _open(qtbot, workspace_path, (1280, 800))
    dock = window.frame.search_dock
    window.search_pane.search_for("zzqqxx-no-such-thing")
    qtbot.waitUntil(dock.isVisible, timeout=3000)
    qtbot.wait(30)
    empty = dock.height()
    dock.hide()
    window.search_pane.search_for("a")
    qtbot.waitUntil(dock.isVisible, timeout=3000)
    qtbot.wait(30)
    assert window.search.model.rowCount() >= 5
    assert dock.height() > empty
    assert _region(window, "inspector").height() >= INSPECTOR_MINIMUM
