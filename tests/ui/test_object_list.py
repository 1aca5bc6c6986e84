"""The object list: sources, SQL filters and sorting through the real widgets, paging,
the column chooser, CSV export and the signals the window listens to."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QWidget

from explorer.kinds import ObjectRef
from explorer.store import lists
from explorer.store.workspace import Workspace
from explorer.ui.item_roles import OBJECT_REF_ROLE
from explorer.ui.object_list import HIDDEN_COLUMNS_KEY, ObjectListView
from explorer.ui.object_list_model import ObjectListModel
from tests.helpers.workspace_factory import build_synthetic_workspace, open_sample_workspace


@pytest.fixture
def sample_ws(qapp, sample_tenant: Path, tmp_path: Path):
    ws = open_sample_workspace(sample_tenant, tmp_path / "sample.aamws")
    yield ws
    ws.close()


@pytest.fixture
def wide_ws(qapp, tmp_path: Path):
    ws = build_synthetic_workspace(tmp_path / "wide.aamws", depth=2, breadth=2,
                                   wide_folder=1_200)
    yield ws
    ws.close()


@pytest.fixture
def view(qtbot, sample_ws: Workspace) -> ObjectListView:
    widget = ObjectListView(sample_ws)
    qtbot.addWidget(widget)
    widget.resize(1200, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def ids(view: ObjectListView) -> list[int]:
    model = view.list_model
    return [model.index(r, 0).data(OBJECT_REF_ROLE).id for r in range(model.rowCount())]


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)


def click_header(qtbot, view: ObjectListView, key: str) -> None:
    header = view.table.horizontalHeader()
    column = lists.COLUMN_KEYS.index(key)
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_model_passes_model_tester(qtmodeltester, sample_ws: Workspace, wide_ws: Workspace
                                   ) -> None:
    model = ObjectListModel(sample_ws)
    model.set_query(lists.ListQuery(lists.ListSource(ObjectRef("data-source", 471201))))
    qtmodeltester.check(model)
    paged = ObjectListModel(wide_ws, page_size=300)
    paged.set_query(lists.ListQuery(lists.ListSource("traits")))
    qtmodeltester.check(paged)


def test_sources_of_each_node_kind(view: ObjectListView) -> None:
    view.show_node(ObjectRef("trait-folder", 540130))  # Site Browsing, traits in subfolders
    assert sorted(ids(view)) == [3100001, 3100002, 3100003]
    assert view.subfolders_check.isEnabled()
    view.subfolders_check.setChecked(False)
    assert ids(view) == []
    view.show_node(ObjectRef("trait-folder", 540132))
    assert sorted(ids(view)) == [3100001, 3100002]
    view.subfolders_check.setChecked(True)

    view.show_node(ObjectRef("data-source", 471201))
    kinds = {view.list_model.row_at(r).kind for r in range(view.list_model.rowCount())}
    assert kinds == {"trait", "segment"} and view.list_model.total == 8
    assert not view.subfolders_check.isEnabled()
    view.show_node(ObjectRef("merge-rule", 471211))
    assert sorted(ids(view)) == [3200002, 3200003, 3200004]
    view.show_node(ObjectRef("destination", 8103))
    assert sorted(ids(view)) == [3100007, 3200003]
    for group, count in (("traits", 7), ("segments", 5), ("data-sources", 5),
                         ("merge-rules", 4), ("destinations", 3)):
        view.show_node(group)
        assert view.list_model.total == count, group
    assert "Destinations — 3 objects" in view.summary_label.text()


def test_filters_from_the_widgets_are_applied_in_sql(view: ObjectListView,
                                                     sample_ws: Workspace) -> None:
    view.show_node("traits")
    choose(view.type_combo, "Onboarded")
    assert sorted(ids(view)) == [3100004, 3100006, 3100010]
    assert view.list_model.query.filters.type == "ON_BOARDED_TRAIT"
    choose(view.data_source_combo, "Bluefin Loyalty CRM (471202)")
    assert ids(view) == [3100004]
    choose(view.type_combo, "Type: all")
    choose(view.data_source_combo, "Data source: all")

    view.aep_check.setChecked(True)
    assert ids(view) == [3100006]
    view.aep_check.setChecked(False)

    view.updated_check.setChecked(True)
    view.updated_edit.setDate(QDate(2023, 6, 24))
    expected = [r[0] for r in sample_ws.conn.execute(
        "SELECT id FROM traits WHERE update_time >= ?",
        (lists.date_to_epoch_ms(date(2023, 6, 24)),))]
    assert sorted(ids(view)) == sorted(expected) and 0 < len(expected) < 7
    view.updated_check.setChecked(False)
    assert view.list_model.total == 7

    view.show_node("segments")
    choose(view.status_combo, "INACTIVE")
    assert ids(view) == [3200004]
    choose(view.status_combo, "Status: all")
    choose(view.merge_rule_combo, "External Merge Policy (471212)")
    assert ids(view) == [3100007]


def test_sorting_by_clicking_headers(qtbot, view: ObjectListView,
                                     sample_ws: Workspace) -> None:
    view.show_node("traits")
    by_name = [r[0] for r in sample_ws.conn.execute(
        "SELECT id FROM traits ORDER BY name COLLATE NOCASE")]
    assert ids(view) == by_name
    click_header(qtbot, view, "id")
    assert ids(view) == sorted(by_name)
    click_header(qtbot, view, "id")
    assert ids(view) == sorted(by_name, reverse=True)
    click_header(qtbot, view, "updated")
    assert view.list_model.query.sort == "updated"
    updated = [view.list_model.row_at(r).update_time for r in range(7)]
    assert updated == sorted(updated)
    with pytest.raises(KeyError):  # sort keys are whitelisted, never spliced from input
        lists.fetch_rows(sample_ws.conn, lists.ListQuery(lists.ListSource("traits"),
                                                        sort="name; DROP TABLE traits"))


def test_paging_with_fetch_more(qtbot, wide_ws: Workspace) -> None:
    widget = ObjectListView(wide_ws, page_size=250)
    qtbot.addWidget(widget)
    widget.show_node(ObjectRef("trait-folder", 199_999))
    model = widget.list_model
    assert model.total == 1_200
    assert model.rowCount() == 250 and model.canFetchMore(model.index(0, 0).parent())
    model.fetchMore(model.index(0, 0).parent())
    assert model.rowCount() == 500
    assert "(500 loaded)" in widget.summary_label.text()
    model.load_all()
    assert model.rowCount() == 1_200
    names = [model.row_at(r).name for r in range(1_200)]
    assert names == [f"Wide {i:05d}" for i in range(1_200)]


def test_column_chooser_is_persisted(qtbot, view: ObjectListView, sample_ws: Workspace
                                     ) -> None:
    view.show_node("segments")
    menu = view.columns_menu()
    action = next(a for a in menu.actions() if a.data() == "integration_code")
    assert action.isChecked()
    action.setChecked(False)  # what clicking the menu entry does
    column = lists.COLUMN_KEYS.index("integration_code")
    assert view.table.isColumnHidden(column)
    view.set_column_visible("aep", False)
    assert "integration_code" not in view.visible_columns()

    again = ObjectListView(sample_ws)
    qtbot.addWidget(again)
    assert again.table.isColumnHidden(column)
    assert again.visible_columns() == [k for k in lists.COLUMN_KEYS
                                       if k not in ("integration_code", "aep", "note")]
    again.set_column_visible("integration_code", True)
    from explorer.ui.settings import app_settings
    assert app_settings().value(HIDDEN_COLUMNS_KEY) == "note,aep"


def test_export_csv_writes_the_whole_filtered_sorted_list(qtbot, monkeypatch, tmp_path: Path,
                                                          wide_ws: Workspace) -> None:
    widget = ObjectListView(wide_ws, page_size=100)
    qtbot.addWidget(widget)
    widget.show_node("traits")
    choose(widget.data_source_combo, "Web (1)")
    click = widget.table.horizontalHeader()
    click.setSortIndicator(lists.COLUMN_KEYS.index("id"), Qt.SortOrder.DescendingOrder)
    widget.set_column_visible("merge_rule", False)
    assert widget.list_model.rowCount() == 100  # only one page loaded

    target = tmp_path / "out.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "CSV files (*.csv)")))
    qtbot.mouseClick(widget.export_button, Qt.MouseButton.LeftButton)

    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    # A trait list's columns: no Kind (one kind), no Merge rule (traits have none); AEP and
    # Note are badges on the icon until the user shows them.
    assert header == ["ID", "Name", "Type", "Status", "Data source", "Code", "Uniques", "TTL",
                      "Used by", "Findings", "Updated"]
    expected = [r[0] for r in wide_ws.conn.execute(
        "SELECT id FROM traits WHERE data_source_id = 1 ORDER BY id DESC")]
    assert [int(r[0]) for r in body] == expected and len(expected) > 1_000
    first = wide_ws.conn.execute(
        "SELECT name, integration_code, update_time FROM traits WHERE id = ?",
        (expected[0],)).fetchone()
    assert body[0][1] == first[0] and body[0][4] == "Web" and body[0][5] == first[1]
    assert body[0][10] == lists.format_date(first[2])
    assert len(body[0][10]) == 10 and body[0][10][4] == "-"


def test_signals_on_selection_double_click_and_enter(qtbot, view: ObjectListView) -> None:
    view.show_node(ObjectRef("trait-folder", 540132))  # Premium..., Viewed Beach Holidays
    table = view.table
    with qtbot.waitSignal(view.currentObjectChanged) as current:
        table.setCurrentIndex(view.list_model.index(1, 2))
    assert current.args == ["trait", 3100001]
    with qtbot.waitSignal(view.objectActivated) as activated:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert activated.args == ["trait", 3100001]
    rect = table.visualRect(view.list_model.index(0, 2))
    # A real double-click starts with a press on the same row; QAbstractItemView checks it.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(view.objectActivated) as double:
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert double.args == ["trait", 3100002]


def test_list_core_without_qt(sample_ws: Workspace, tmp_path: Path) -> None:
    query = lists.ListQuery(lists.ListSource(ObjectRef("data-source", 471204)),
                            lists.ListFilters(aep_only=True), sort="kind")
    rows = lists.fetch_rows(sample_ws.conn, query)
    assert [(r.kind, r.id) for r in rows] == [("segment", 3100007), ("trait", 3100006)]
    out = tmp_path / "aep.csv"
    assert lists.export_csv(sample_ws.conn, query, out, ["id", "type", "merge_rule"]) == 2
    assert out.read_text(encoding="utf-8-sig").splitlines() == [
        "ID,Type,Merge rule", "3100007,,External Merge Policy", "3100006,Onboarded,"]
    with pytest.raises(ValueError):
        lists.ListSource(ObjectRef("trait", 1)).parts()


# ----- lists per kind ------------------------------------------------------------------------
def test_the_list_widget_has_a_stable_object_name(view: ObjectListView) -> None:
    assert view.objectName() == "objectList"


def test_columns_follow_the_listed_kinds(view: ObjectListView) -> None:
    view.show_node("traits")
    traits = view.visible_columns()
    assert traits == ["id", "name", "type", "status", "data_source", "integration_code",
                      "population", "ttl", "segments_using", "findings", "updated"]
    view.show_node("segments")
    segments = view.visible_columns()
    assert "type" not in segments and "kind" not in segments and "merge_rule" in segments
    assert "mappings" in segments and "ttl" not in segments
    view.show_node(ObjectRef("data-source", 471201))  # its traits and its segments
    mixed = view.visible_columns()
    assert mixed[0] == "kind" and {"ttl", "merge_rule"} <= set(mixed)
    menu_keys = [a.data() for a in view.columns_menu().actions()]
    assert "note" in menu_keys and "aep" in menu_keys  # hidden by default, offered
    view.show_node("merge-rules")
    assert "status" not in [a.data() for a in view.columns_menu().actions()]


def test_a_column_the_next_node_shows_is_sized_to_its_rows(view: ObjectListView) -> None:
    view.show_node("traits")  # no merge rule column
    merge_rule = lists.COLUMN_KEYS.index("merge_rule")
    assert view.table.isColumnHidden(merge_rule)
    view.show_node("segments")
    assert not view.table.isColumnHidden(merge_rule)
    header = view.table.horizontalHeader()
    shown = [n for n in range(len(lists.COLUMN_KEYS)) if not view.table.isColumnHidden(n)]
    sizes = [header.sectionSize(n) for n in shown]
    view._size_columns()  # sizing again to the same rows changes nothing
    assert [header.sectionSize(n) for n in shown] == sizes
    assert header.sectionSize(merge_rule) != header.defaultSectionSize()


def test_destination_types_in_the_inspector_words(view: ObjectListView) -> None:
    view.show_node("destinations")
    model = view.list_model
    column = model.column_of("type")
    shown = {model.index(r, column).data() for r in range(model.rowCount())}
    assert shown and shown <= {"URL", "Cookie", "Server-to-server"}


def test_name_cells_carry_the_kind_icon_with_the_worst_severity_badge(
        view: ObjectListView, sample_ws: Workspace) -> None:
    from explorer.store.db import transaction
    from explorer.ui.icons import icon_for
    with transaction(sample_ws.conn) as conn:
        conn.execute("DELETE FROM findings")
        conn.executemany("INSERT INTO findings (check_id, severity, object_kind, object_id, "
                         "message) VALUES (?, ?, 'trait', 3100001, 'm')",
                         [("a", "info"), ("b", "error")])
    view.show_node("traits")
    model = view.list_model
    row = model.row_of(ObjectRef("trait", 3100001))
    listed = model.row_at(row)
    assert listed is not None and listed.worst_severity == "error"
    icon = model.index(row, model.column_of("name")).data(Qt.ItemDataRole.DecorationRole)
    expected = icon_for("trait", listed.type, aep=bool(listed.aep), findings="error",
                        annotation=False)
    assert icon.pixmap(16).toImage() == expected.pixmap(16).toImage()
    assert icon.pixmap(16).toImage() != icon_for("trait", listed.type, aep=bool(listed.aep),
                                                 findings="info").pixmap(16).toImage()


def test_updated_since_defaults_to_a_year_before_the_export_date(
        qtbot, sample_ws: Workspace) -> None:
    from explorer.store.db import transaction
    with transaction(sample_ws.conn) as conn:
        conn.execute("UPDATE imports SET export_date = '2024-03-15'")
        if conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 0:
            conn.execute("INSERT INTO imports (started_at, finished_at, source, export_date, "
                         "counts, report) VALUES ('x', 'x', 'x', '2024-03-15', '{}', '{}')")
    widget = ObjectListView(sample_ws)
    qtbot.addWidget(widget)
    assert widget.updated_edit.date().toPython() == date(2023, 3, 15)


@pytest.mark.parametrize("size", [(1024, 768), (1280, 800)])
def test_no_clipped_header_or_filter_text(qtbot, sample_ws: Workspace,
                                          size: tuple[int, int]) -> None:
    from explorer.ui.main_window import MainWindow
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.ready, timeout=5000):
        assert window.open_workspace(Path(sample_ws.path))
    view = window.object_list
    for node in ("traits", "segments", ObjectRef("trait-folder", 540130), "destinations"):
        view.show_node(node)
        qtbot.wait(10)
        header = view.table.horizontalHeader()
        metrics = header.fontMetrics()
        for column, key in enumerate(lists.COLUMN_KEYS):
            if view.table.isColumnHidden(column):
                continue
            text = lists.LIST_COLUMNS[column].header
            assert header.sectionSize(column) >= metrics.horizontalAdvance(text), (node, key)
        name = lists.COLUMN_KEYS.index("name")
        assert header.sectionSize(name) >= view.name_min_width(), node
        bar = view.filter_bar
        for widget in bar.findChildren(QWidget):
            if not widget.isVisibleTo(bar) or widget.parent() is not bar:
                continue
            assert widget.width() >= widget.sizeHint().width(), (node, widget)
            right = widget.mapTo(bar, widget.rect().topRight()).x()
            assert right <= bar.width(), (node, widget)
        for check in (view.subfolders_check, view.updated_check, view.aep_check):
            if check.isVisibleTo(view):
                assert check.width() >= check.fontMetrics().horizontalAdvance(check.text())
