"""Search-as-you-type: the results model, the debounce, the box's keys, reveal from results."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QIcon

from explorer.kinds import ObjectRef
from explorer.store.db import transaction
from explorer.store.search_index import index_objects
from explorer.store.workspace import Workspace
from explorer.ui.icons import icon_for
from explorer.ui.item_roles import OBJECT_REF_ROLE
from explorer.ui.main_window import MainWindow
from explorer.ui.search import (
    HIGHLIGHT_ROLE,
    RESULT_LIMIT,
    SearchBox,
    SearchController,
    SearchHit,
    SearchResultsModel,
    SearchResultsPanel,
    _mark_formats,
    run_search,
)
from tests.helpers.windows import show_window


@pytest.fixture
def workspace(sample_workspace: Path):
    ws = Workspace.open(sample_workspace)
    yield ws
    ws.close()


def test_results_model_shows_kind_name_and_id(qtmodeltester) -> None:
    model = SearchResultsModel()
    model.set_hits([SearchHit("trait", 3100001, "Viewed Beach Holidays"),
                    SearchHit("segment", 7, "")])
    qtmodeltester.check(model)
    assert model.rowCount() == 2 and model.columnCount() == 4  # kind, name, id, matched in
    first = [model.index(0, c).data() for c in range(3)]
    assert first == ["Trait", "Viewed Beach Holidays", "3100001"]
    assert model.index(1, 1).data() == "(unnamed)"
    assert model.index(0, 2).data(OBJECT_REF_ROLE) == ObjectRef("trait", 3100001)
    assert isinstance(model.index(0, 0).data(Qt.ItemDataRole.DecorationRole), QIcon)
    assert model.rowCount(model.index(0, 0)) == 0  # flat


def test_run_search_finds_by_name_prefix_and_by_id(workspace: Workspace) -> None:
    hits = run_search(workspace.conn, "view")
    assert SearchHit("trait", 3100001, "Viewed Beach Holidays", "RULE_BASED_TRAIT", "Name",
                     "Viewed Beach Holidays", ((0, 4),)) in hits
    assert any(h.ref == ObjectRef("segment", 3200001) for h in hits)
    by_id = run_search(workspace.conn, "3200001")
    assert by_id[0].ref == ObjectRef("segment", 3200001)
    assert run_search(workspace.conn, "   ") == []


def test_trait_hits_have_the_icon_of_their_trait_type(workspace: Workspace, qtbot) -> None:
    model = SearchResultsModel()
    model.set_hits(run_search(workspace.conn, "view"))
    row = next(r for r in range(model.rowCount()) if model.hit(r).kind == "trait")
    icon = model.data(model.index(row, 0), Qt.ItemDataRole.DecorationRole)
    expected = icon_for("trait", "RULE_BASED_TRAIT").pixmap(16).toImage()
    unknown = icon_for("trait").pixmap(16).toImage()
    assert expected != unknown  # the test can tell a typed trait icon from the "?" one
    assert icon.pixmap(16).toImage() == expected


@pytest.mark.parametrize("odd", ['"', "AND", "*", "(", "NEAR(", "phone OR", "'; DROP"])
def test_odd_input_never_raises(workspace: Workspace, odd: str) -> None:
    assert isinstance(run_search(workspace.conn, odd), list)


def test_typing_is_debounced_into_one_search(workspace: Workspace, qtbot) -> None:
    controller = SearchController(lambda: workspace.conn)
    runs: list[str] = []
    controller.resultsChanged.connect(lambda query, _n: runs.append(query))
    with qtbot.waitSignal(controller.resultsChanged, timeout=2000):
        for prefix in ("p", "pl", "pla", "plat"):
            controller.set_query(prefix)
            assert controller.is_pending()
    assert runs == ["plat"]
    names = [controller.model.hit(r).name for r in range(controller.model.rowCount())]
    assert "Platinum Tier" in names
    controller.set_query("")  # clearing empties the list at once
    assert controller.model.rowCount() == 0 and not controller.is_pending()


def test_no_workspace_means_no_results(qtbot) -> None:
    controller = SearchController(lambda: None)
    controller.set_query("anything")
    controller.run_now()
    assert controller.model.rowCount() == 0


def test_search_box_keys(qtbot) -> None:
    box = SearchBox()
    qtbot.addWidget(box)
    qtbot.keyClicks(box, "phone")
    with qtbot.waitSignal(box.moveSelection) as moved:
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert moved.args == [1]
    with qtbot.waitSignal(box.accepted):
        qtbot.keyClick(box, Qt.Key.Key_Return)
    with qtbot.waitSignal(box.cleared):
        qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == ""


@pytest.fixture
def window(workspace: Workspace, qtbot) -> MainWindow:
    return show_window(qtbot, workspace.path, restore_settings=True)


def test_typing_in_the_window_lists_results_and_enter_reveals(window: MainWindow,
                                                             qtbot) -> None:
    window.actions_.search.trigger()  # Ctrl+F / Ctrl+K
    with qtbot.waitSignal(window.search.resultsChanged, timeout=2000):
        qtbot.keyClicks(window.search_pane.box, "platinum tier")
    assert window.frame.search_dock.isVisible()
    assert "Search results (" in window.frame.search_dock.windowTitle()
    first = window.search.model.hit(0)
    assert first.ref == ObjectRef("trait", 3100004)
    qtbot.keyClick(window.search_pane.box, Qt.Key.Key_Return)
    assert window.frame.tree.currentIndex().data(OBJECT_REF_ROLE) == first.ref
    assert window.inspector.current_ref == first.ref


def test_clicking_a_result_reveals_it_and_escape_clears(window: MainWindow, qtbot) -> None:
    with qtbot.waitSignal(window.search.resultsChanged, timeout=2000):
        qtbot.keyClicks(window.search_pane.box, "view")
    rows = {window.search.model.hit(r).ref: r for r in range(window.search.model.rowCount())}
    segment = ObjectRef("segment", 3200001)
    index = window.search.model.index(rows[segment], 1)
    rect = window.search_pane.view.visualRect(index)
    qtbot.mouseClick(window.search_pane.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center())
    assert window.frame.tree.currentIndex().data(OBJECT_REF_ROLE) == segment
    # Down/Up in the box move through the results.
    window.search_pane.box.setFocus()
    qtbot.keyClick(window.search_pane.box, Qt.Key.Key_Down)
    assert window.search_pane.view.currentIndex().row() == min(rows[segment] + 1,
                                                          len(rows) - 1)
    qtbot.keyClick(window.search_pane.box, Qt.Key.Key_Escape)
    assert window.search_pane.box.text() == ""
    assert window.search.model.rowCount() == 0
    assert not window.search_pane.view.currentIndex().isValid()


# ----- what matched, cut lists, no match, kind filter -----------------------------------------
def test_hits_say_which_field_matched_and_where(workspace: Workspace) -> None:
    by_ref = {h.ref: h for h in run_search(workspace.conn, "web_beach")}
    hit = by_ref[ObjectRef("trait", 3100001)]
    assert (hit.field, hit.text, hit.spans) == ("Integration code", "web_beach_view",
                                                ((0, 9),))
    model = SearchResultsModel()
    model.set_hits([hit])
    matched = model.index(0, 3)
    assert matched.data() == "Integration code: web_beach_view"
    shown = matched.data()
    [(start, end)] = matched.data(HIGHLIGHT_ROLE)
    assert shown[start:end] == "web_beach"
    assert model.index(0, 1).data(HIGHLIGHT_ROLE) == []  # the name did not match
    by_name = run_search(workspace.conn, "view")[0]
    model.set_hits([by_name])
    [(start, end)] = model.index(0, 1).data(HIGHLIGHT_ROLE)
    assert model.index(0, 1).data()[start:end].lower() == "view"
    model.set_text_mask(lambda text: "[masked]")
    assert model.index(0, 1).data(HIGHLIGHT_ROLE) == []  # no hint at a masked text's length


def test_the_controller_marks_only_the_hits_asked_for(workspace: Workspace,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.store import queries

    marked: list[int] = []
    real = queries.match_of_hit

    def counted(indexed: dict[str, str] | None, object_id: int, name: str, query: str
                ) -> dict[str, object]:
        marked.append(object_id)
        return real(indexed, object_id, name, query)

    monkeypatch.setattr(queries, "match_of_hit", counted)
    controller = SearchController(lambda: workspace.conn)
    controller.set_query("view")
    controller.run_now()
    assert controller.model.rowCount() >= 2 and marked == []  # nothing shown yet
    cell = controller.model.index(1, 3)
    assert cell.data() and marked == [controller.model.hit(1).id]
    cell.data(HIGHLIGHT_ROLE)
    assert len(marked) == 1  # a row is marked once
    shown = [controller.model.hit(r) for r in range(controller.model.rowCount())]
    assert shown == run_search(workspace.conn, "view")  # as marked at once
    assert all(hit.indexed is None for hit in shown)


def test_marks_are_bold_on_the_tint_and_skip_overlaps() -> None:
    tint = QColor("#ABCDEF")
    formats = _mark_formats("a phone gold", [(8, 12), (2, 7), (3, 5), (10, 20)], tint)
    assert [(f.start, f.length) for f in formats] == [(2, 5), (8, 4)]
    assert all(f.format.fontWeight() == QFont.Weight.Bold for f in formats)
    assert all(f.format.background().color() == tint for f in formats)
    selected = _mark_formats("a phone", [(2, 7)], None)  # a selected row: no background
    assert selected[0].format.background().style() == Qt.BrushStyle.NoBrush


def test_marks_count_in_the_text_as_written_markup_and_all() -> None:
    # A cell is laid out as plain text (QTextLayout), never as HTML: "<b>" shows as written
    # and the marks fall on the raw text's positions.
    text = "a<b> phone"
    (mark,) = _mark_formats(text, [(5, 10)], QColor("#ABCDEF"))
    assert text[mark.start:mark.start + mark.length] == "phone"


def test_status_says_when_nothing_matched_and_when_the_list_was_cut(
        qtbot, qapp, tmp_path: Path) -> None:
    from tests.helpers.workspace_factory import build_synthetic_workspace
    wide = build_synthetic_workspace(tmp_path / "wide.aamws", depth=1, breadth=1,
                                     wide_folder=RESULT_LIMIT + 50)
    with transaction(wide.conn):  # the synthetic builder leaves the index to the importer
        index_objects(wide.conn, "trait")
    try:
        controller = SearchController(lambda: wide.conn)
        panel = SearchResultsPanel(controller)
        qtbot.addWidget(panel)
        assert panel.objectName() == "searchResults"
        controller.set_query("wide")
        controller.run_now()
        assert controller.truncated and controller.model.rowCount() == RESULT_LIMIT
        assert panel.status_label.text() == (
            f"{RESULT_LIMIT}+ results: refine the search (more words, or a kind).")
        controller.set_query("zzqq nothing")
        controller.run_now()
        assert controller.model.rowCount() == 0 and not controller.truncated
        assert panel.status_label.text() == "No match for \u201czzqq nothing\u201d."
        controller.set_query("wide 0001")
        controller.run_now()
        count = controller.model.rowCount()
        assert 0 < count < RESULT_LIMIT
        assert panel.status_label.text() == f"{count} result{'s' if count != 1 else ''}"
    finally:
        wide.close()


def test_kind_filter_narrows_the_results(qtbot, workspace: Workspace) -> None:
    controller = SearchController(lambda: workspace.conn)
    panel = SearchResultsPanel(controller)
    qtbot.addWidget(panel)
    controller.set_query("view")
    controller.run_now()
    kinds = {controller.model.hit(r).kind for r in range(controller.model.rowCount())}
    assert {"trait", "segment"} <= kinds
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findData("segment"))
    hits = [controller.model.hit(r) for r in range(controller.model.rowCount())]
    assert hits and {h.kind for h in hits} == {"segment"}
    assert panel.status_label.text().endswith("among segments")
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findData("derived-signal"))
    assert controller.model.rowCount() == 0
    assert panel.status_label.text() == "No match for \u201cview\u201d among derived signals."
