"""The object list's groups and its window wiring: every group lists its own objects,
filters never carry over to nodes without their column, the header names the node, a deleted
object leaves nothing highlighted, and the default layout fits without sideways scrolling."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QModelIndex
from PySide6.QtWidgets import QComboBox

from explorer.kinds import ObjectRef
from explorer.store import lists
from explorer.store.db import transaction
from explorer.store.workspace import Workspace
from explorer.ui.item_roles import OBJECT_REF_ROLE
from explorer.ui.main_window import MainWindow
from explorer.ui.object_list import ObjectListView

SEGMENT = ObjectRef("segment", 3200001)
ALGO_MODELS = ((4411, "Look-alike <Gold>"), (4412, "Look-alike Web"))
DERIVED = ((8001, "zip → region"), (8002, "os → family"), (8003, "lang → locale"))


def _add_algo_and_derived(path: Path) -> None:
    ws = Workspace.open(path)
    try:
        with transaction(ws.conn):
            for ident, name in ALGO_MODELS:
                ws.conn.execute("INSERT INTO algo_models (id, name, status, raw) "
                                "VALUES (?, ?, 'ACTIVE', ?)",
                                (ident, name, json.dumps({"algoModelId": ident})))
            for ident, name in DERIVED:
                ws.conn.execute("INSERT INTO derived_signals (id, name, update_time, raw) "
                                "VALUES (?, ?, ?, ?)",
                                (ident, name, 1651728000000, json.dumps({"signalId": ident})))
    finally:
        ws.close()


@pytest.fixture
def workspace_path(sample_workspace: Path) -> Path:
    _add_algo_and_derived(sample_workspace)
    return sample_workspace


@pytest.fixture
def opened(qtbot, workspace_path: Path) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.ready, timeout=5000):
        assert window.open_workspace(workspace_path)
    return window


@pytest.fixture
def ws(qapp, workspace_path: Path):
    workspace = Workspace.open(workspace_path)
    yield workspace
    workspace.close()


@pytest.fixture
def view(qtbot, ws: Workspace) -> ObjectListView:
    widget = ObjectListView(ws)
    qtbot.addWidget(widget)
    widget.resize(1000, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _child(model, parent: QModelIndex, label_start: str) -> QModelIndex:
    if parent.isValid() and model.canFetchMore(parent):
        model.fetchMore(parent)
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        if str(index.data()).startswith(label_start):
            return index
    raise AssertionError(f"no row starting with {label_start!r} under {parent.data()!r}")


def _listed_ids(view: ObjectListView) -> list[int]:
    model = view.list_model
    return sorted(model.index(r, 0).data(OBJECT_REF_ROLE).id for r in range(model.rowCount()))


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)


# ----- 1. every group lists its own objects ----------------------------------------------------
def test_derived_signals_group_replaces_the_destinations_list(opened: MainWindow) -> None:
    model = opened.tree_model
    opened.frame.tree.setCurrentIndex(_child(model, QModelIndex(), "Destinations"))
    assert opened.object_list.summary_label.text().startswith("Destinations — 3 objects")
    opened.frame.tree.setCurrentIndex(_child(model, QModelIndex(), "Derived signals"))
    assert opened.object_list.summary_label.text() == "Derived signals — 3 objects"
    assert _listed_ids(opened.object_list) == [8001, 8002, 8003]


def test_an_algo_model_lists_its_group_after_a_segment_folder(opened: MainWindow) -> None:
    model = opened.tree_model
    storage = _child(model, QModelIndex(), "Segment storage")
    opened.frame.tree.setCurrentIndex(_child(model, storage, "Campaigns"))
    assert "Campaigns" in opened.object_list.summary_label.text()
    group = _child(model, QModelIndex(), "Algorithmic models")
    opened.frame.tree.expand(group)
    opened.frame.tree.setCurrentIndex(_child(model, group, "Look-alike Web"))
    assert opened.object_list.summary_label.text() == "Algorithmic models — 2 objects"
    assert _listed_ids(opened.object_list) == [4411, 4412]
    assert opened.object_list.current_ref() == ObjectRef("algo-model", 4412)


def test_algo_models_and_derived_signals_are_list_groups(ws: Workspace) -> None:
    rows = lists.fetch_rows(ws.conn, lists.ListQuery(lists.ListSource("algo-models")))
    assert [(r.kind, r.id, r.name, r.status) for r in rows] == [
        ("algo-model", 4411, "Look-alike <Gold>", "ACTIVE"),
        ("algo-model", 4412, "Look-alike Web", "ACTIVE")]
    derived = lists.ListQuery(lists.ListSource("derived-signals"),
                              lists.ListFilters(updated_since=date(2022, 6, 1)))
    assert lists.count_rows(ws.conn, derived) == 0  # update_time is 2022-05-05


# ----- 2. filters that do not apply never filter -----------------------------------------------
def test_filters_without_a_column_do_not_filter_in_sql(ws: Workspace) -> None:
    query = lists.ListQuery(lists.ListSource("merge-rules"),
                            lists.ListFilters(status="ACTIVE", updated_since=date(2030, 1, 1),
                                              data_source_id=471201))
    assert lists.count_rows(ws.conn, query) == 4
    aep = lists.ListQuery(lists.ListSource("merge-rules"), lists.ListFilters(aep_only=True))
    assert [r.id for r in lists.fetch_rows(ws.conn, aep)] == [471212]


def test_trait_filters_do_not_empty_merge_rules(view: ObjectListView) -> None:
    view.show_node("traits")
    choose(view.status_combo, "ACTIVE")
    view.updated_check.setChecked(True)
    view.updated_edit.setDate(QDate(2030, 1, 1))
    assert view.list_model.total == 0
    assert view.filters_hint.isVisible()
    assert "2 filters active" in view.filters_hint.text()

    view.show_node("merge-rules")
    assert view.list_model.total == 4
    assert view.summary_label.text() == "Merge rules — 4 objects"
    assert not view.status_combo.isVisible() and view.status_combo.currentData() is None
    assert not view.updated_check.isVisible() and not view.updated_check.isChecked()
    assert not view.filters_hint.isVisible()


def test_a_filter_that_hides_rows_says_so_and_clears(view: ObjectListView) -> None:
    view.show_node("merge-rules")
    view.aep_check.setChecked(True)
    assert view.list_model.total == 1
    hint = view.filters_hint.text()
    assert view.filters_hint.isVisible() and hint.startswith("1 filter active")
    assert "3 of 4 hidden" in hint and 'href="clear"' in hint
    view.filters_hint.linkActivated.emit("clear")
    assert not view.aep_check.isChecked()
    assert view.list_model.total == 4 and not view.filters_hint.isVisible()


# ----- 3. the header names the node ------------------------------------------------------------
def test_the_header_names_folders_and_data_sources(view: ObjectListView) -> None:
    view.show_node(ObjectRef("trait-folder", 540130))
    assert view.summary_label.text() == "Trait folder Site Browsing — 3 objects"
    assert view.summary_label.toolTip() == "Trait folder 540130"
    view.show_node(ObjectRef("data-source", 471202))
    assert view.summary_label.text() == "Data source Bluefin Loyalty CRM — 1 object"
    view.show_node(ObjectRef("trait-folder", 999999))  # gone since: the id is all we have
    assert view.summary_label.text() == "Trait folder 999999 — 0 objects"


# ----- 4. a top-level group shows its summary page -----------------------------------------------
def test_selecting_a_group_shows_its_summary_not_nothing_selected(opened: MainWindow) -> None:
    model = opened.tree_model
    opened.frame.tree.setCurrentIndex(_child(model, QModelIndex(), "Segment storage"))
    text = " ".join(opened.inspector.plain_text().split())
    assert "Nothing selected" not in text
    assert text.startswith("Segment storage") and "Segments 5 Folders 4" in text
    assert "Target sharing" in text
    opened.frame.tree.setCurrentIndex(_child(model, QModelIndex(), "Derived signals"))
    assert opened.inspector.plain_text().startswith("Derived signals")
    assert opened.inspector.current_group() == "derived-signals"


# ----- 5. a deleted object leaves nothing highlighted ------------------------------------------
def test_revealing_a_missing_object_clears_tree_and_list_selection(opened: MainWindow) -> None:
    assert opened.reveal(SEGMENT)
    assert opened.object_list.current_ref() == SEGMENT
    assert not opened.reveal(ObjectRef("segment", 1200001))
    assert "not in this workspace" in opened.inspector.plain_text()
    assert not opened.frame.tree.selectionModel().hasSelection()
    assert not opened.frame.tree.currentIndex().isValid()
    assert not opened.object_list.table.selectionModel().hasSelection()
    assert opened.object_list.current_ref() is None


# ----- 6. columns: Name stretches, nothing scrolls sideways at 1280 x 800 ----------------------
def test_name_stretches_and_no_sideways_scrolling_at_default_size(opened: MainWindow, qtbot
                                                                  ) -> None:
    view = opened.object_list
    opened.frame.tree.setCurrentIndex(_child(opened.tree_model, QModelIndex(), "Trait storage"))
    qtbot.wait(50)
    header = view.table.horizontalHeader()
    widths = {key: header.sectionSize(n) for n, key in enumerate(lists.COLUMN_KEYS)}
    assert widths["name"] == max(widths.values()), widths
    assert widths["aep"] < widths["updated"] < widths["name"]
    assert not view.table.horizontalScrollBar().isVisible()
    assert view.table.horizontalScrollBar().maximum() == 0
    assert view.table.viewport().height() >= 6 * view.table.verticalHeader().defaultSectionSize()


# ----- 7. filter entries and combo widths ------------------------------------------------------
def test_missing_merge_rule_entry_does_not_repeat_its_id(ws: Workspace,
                                                         view: ObjectListView) -> None:
    with transaction(ws.conn):
        ws.conn.execute("UPDATE segments SET merge_rule_id = 171019 WHERE id = 3200004")
    view.show_node("segments")
    entries = [view.merge_rule_combo.itemText(i) for i in range(view.merge_rule_combo.count())]
    assert "(missing: 171019)" in entries
    assert "Members (last login) + this device (471210)" in entries


def test_data_source_filter_hidden_while_a_data_source_is_listed(view: ObjectListView) -> None:
    view.show_node("traits")
    assert view.data_source_combo.isVisible()
    view.show_node(ObjectRef("data-source", 471201))
    assert not view.data_source_combo.isVisible()
    assert "data_source_id" not in view.list_model.query.source.applicable_filters()


def test_filter_combos_keep_their_width_between_nodes(view: ObjectListView) -> None:
    view.show_node(ObjectRef("merge-rule", 471211))
    width = view.merge_rule_combo.sizeHint().width()
    view.show_node("segments")
    assert view.merge_rule_combo.sizeHint().width() == width
