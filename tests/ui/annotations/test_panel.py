"""AnnotationsPanel and annotations_to_csv: rows, filters, orphans after re-import, activation."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QUndoStack

from explorer.importers import import_export
from explorer.kinds import ObjectRef
from explorer.store.annotations import (
    CSV_HEADERS,
    all_tags,
    annotations_to_csv,
    get_annotation,
    set_annotation,
)
from explorer.store.db import transaction
from explorer.store.workspace import Workspace
from explorer.ui.annotations import AnnotationEditor, AnnotationsPanel
from explorer.ui.annotations.panel import (
    ANNOTATION_ROLE,
    COLUMNS,
    ORPHANED_TEXT,
    ORPHANED_TOOLTIP,
)
from explorer.ui.item_roles import OBJECT_REF_ROLE

REMOVED_TRAIT = 3100003  # "Arrived From Review Sites": the re-imported export no longer has it


@pytest.fixture
def ws_path(sample_workspace: Path) -> Path:
    return sample_workspace


@pytest.fixture
def workspace(ws_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(ws_path)
    with transaction(ws.conn) as conn:
        set_annotation(conn, "trait", 3100001, note="Check TTL\nsecond line", tags=["ttl", "aep"],
                       status="to fix")
        set_annotation(conn, "trait", REMOVED_TRAIT, note="Search referrals", tags=["review"])
        set_annotation(conn, "segment", 3200001, note="Пересмотреть правило", tags=["review"],
                       status="accepted")
    yield ws
    ws.close()


@pytest.fixture
def panel(qtbot, workspace: Workspace) -> AnnotationsPanel:
    widget = AnnotationsPanel(workspace)
    qtbot.addWidget(widget)
    return widget


def _row_of(panel: AnnotationsPanel, ref: ObjectRef) -> int:
    for row in range(panel.proxy.rowCount()):
        if panel.proxy.index(row, 0).data(OBJECT_REF_ROLE) == ref:
            return row
    raise AssertionError(f"{ref} not listed")


def _cells(panel: AnnotationsPanel, ref: ObjectRef) -> dict[str, str]:
    row = _row_of(panel, ref)
    return {name: panel.proxy.index(row, col).data() for col, name in enumerate(COLUMNS)}


def _shown(panel: AnnotationsPanel) -> set[tuple[str, int]]:
    return {(a.kind, a.object_id) for a in panel.shown_annotations()}


def _reimport_without_trait(sample_tenant: Path, tmp_path: Path, ws_path: Path) -> None:
    newer = tmp_path / "newer-export"
    newer.mkdir()
    for source in sample_tenant.iterdir():
        (newer / source.name).write_bytes(source.read_bytes())
    traits = json.loads((newer / "traits.json").read_text(encoding="utf-8"))
    kept = [t for t in traits if t["sid"] != REMOVED_TRAIT]
    assert len(kept) == len(traits) - 1
    (newer / "traits.json").write_text(json.dumps(kept), encoding="utf-8")
    import_export(newer, ws_path)


def test_rows_show_kind_name_status_tags_and_first_line(panel: AnnotationsPanel) -> None:
    assert _shown(panel) == {("trait", 3100001), ("trait", REMOVED_TRAIT), ("segment", 3200001)}
    cells = _cells(panel, ObjectRef("trait", 3100001))
    assert cells["Kind"] == "Trait" and cells["ID"] == "3100001"
    assert cells["Object"] == "Viewed Beach Holidays" and cells["Status"] == "to fix"
    assert cells["Tags"] == "ttl, aep" and cells["Note"] == "Check TTL"
    assert len(cells["Updated"]) == len("2024-01-01 10:00")
    row = _row_of(panel, ObjectRef("trait", 3100001))
    assert panel.proxy.index(row, 5).data(Qt.ItemDataRole.ToolTipRole) == "Check TTL\nsecond line"
    assert _cells(panel, ObjectRef("segment", 3200001))["Note"] == "Пересмотреть правило"
    assert panel.count_label.text() == "3 annotations"


def test_filters_by_tag_status_and_orphaned(panel: AnnotationsPanel) -> None:
    tags = [panel.tag_combo.itemText(i) for i in range(panel.tag_combo.count())]
    assert tags == ["All tags", "aep", "review", "ttl"]
    panel.set_tag_filter("review")
    assert _shown(panel) == {("trait", REMOVED_TRAIT), ("segment", 3200001)}
    panel.set_status_filter("accepted")
    assert _shown(panel) == {("segment", 3200001)}
    panel.set_status_filter("fixed")
    assert _shown(panel) == set() and panel.count_label.text() == "None match"
    assert not panel.export_button.isEnabled()
    panel.set_tag_filter(None)
    panel.set_status_filter(None)
    assert len(_shown(panel)) == 3
    panel.set_orphaned_only(True)
    assert _shown(panel) == set()  # every object is still in the export


def test_orphaned_after_reimport_is_listed_not_deleted(
        panel: AnnotationsPanel, workspace: Workspace, sample_tenant: Path, tmp_path: Path,
        ws_path: Path) -> None:
    _reimport_without_trait(sample_tenant, tmp_path, ws_path)
    assert workspace.conn.execute("SELECT count(*) FROM traits WHERE id = ?",
                                  (REMOVED_TRAIT,)).fetchone()[0] == 0
    kept = get_annotation(workspace.conn, "trait", REMOVED_TRAIT)
    assert kept is not None and kept.note == "Search referrals" and kept.orphaned
    panel.reload()
    assert len(_shown(panel)) == 3
    orphan = ObjectRef("trait", REMOVED_TRAIT)
    assert _cells(panel, orphan)["Object"] == ORPHANED_TEXT
    row = _row_of(panel, orphan)
    for column in range(len(COLUMNS)):
        index = panel.proxy.index(row, column)
        assert index.data(Qt.ItemDataRole.ToolTipRole) == ORPHANED_TOOLTIP
        font = index.data(Qt.ItemDataRole.FontRole)
        assert isinstance(font, QFont) and font.italic()
        assert index.data(Qt.ItemDataRole.ForegroundRole) is not None
    live = panel.proxy.index(_row_of(panel, ObjectRef("trait", 3100001)), 0)
    assert live.data(Qt.ItemDataRole.FontRole) is None
    panel.set_orphaned_only(True)
    assert _shown(panel) == {("trait", REMOVED_TRAIT)}


def test_double_click_and_enter_activate_the_object(qtbot, panel: AnnotationsPanel) -> None:
    panel.show()
    qtbot.waitExposed(panel)
    row = _row_of(panel, ObjectRef("segment", 3200001))
    index = panel.proxy.index(row, 2)
    rect = panel.table.visualRect(index)
    # A real double-click starts with a press on the same row; QAbstractItemView checks it.
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(panel.objectActivated) as signal:
        qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton,
                          pos=rect.center())
    assert signal.args == ["segment", 3200001]
    other = panel.proxy.index(_row_of(panel, ObjectRef("trait", 3100001)), 0)
    panel.table.setCurrentIndex(other)
    with qtbot.waitSignal(panel.objectActivated) as signal:
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert signal.args == ["trait", 3100001]


def test_reload_follows_editor_edits_and_keeps_selection(
        qtbot, panel: AnnotationsPanel, workspace: Workspace) -> None:
    stack = QUndoStack()
    editor = AnnotationEditor(workspace, stack)
    qtbot.addWidget(editor)
    editor.annotationChanged.connect(lambda _kind, _id: panel.reload())
    panel.table.selectRow(_row_of(panel, ObjectRef("segment", 3200001)))
    editor.set_object(ObjectRef("destination", 8102))
    editor.note_edit.setPlainText("Cookie expiry?")
    editor.tags_edit.setText("cookies")
    editor.save()
    assert ("destination", 8102) in _shown(panel)
    assert _cells(panel, ObjectRef("destination", 8102))["Object"] == (
        "Homepage Hero Cookie")
    assert "cookies" in [panel.tag_combo.itemText(i) for i in range(panel.tag_combo.count())]
    selected = panel.table.selectionModel().selectedRows()
    assert [i.data(OBJECT_REF_ROLE) for i in selected] == [ObjectRef("segment", 3200001)]
    stack.undo()
    assert ("destination", 8102) not in _shown(panel)


def test_sorting_by_id_is_numeric(panel: AnnotationsPanel) -> None:
    panel.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    ids = [panel.proxy.index(r, 1).data() for r in range(panel.proxy.rowCount())]
    assert ids == ["3100001", str(REMOVED_TRAIT), "3200001"]
    assert isinstance(panel.proxy.index(0, 0).data(ANNOTATION_ROLE).object_id, int)
    assert panel.model.rowCount(panel.model.index(0, 0)) == 0
    assert panel.model.data(QModelIndex()) is None


def test_csv_export_keeps_non_latin_text_and_line_breaks(
        panel: AnnotationsPanel, workspace: Workspace, tmp_path: Path) -> None:
    with transaction(workspace.conn) as conn:
        set_annotation(conn, "merge-rule", 999, note='日本語のメモ\n"quoted", and, commas',
                       tags=["étiquette", "タグ"])
    panel.reload()
    out = tmp_path / "annotations.csv"
    assert panel.export_csv(out) == 4
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CSV_HEADERS
    by_id = {int(r["id"]): r for r in rows}
    merge = by_id[999]
    assert merge["note"] == '日本語のメモ\n"quoted", and, commas'
    assert merge["tags"] == "étiquette, タグ" and merge["orphaned"] == "yes"
    assert merge["object"] == "" and merge["kind"] == "merge-rule"
    assert by_id[3200001]["note"] == "Пересмотреть правило"
    assert by_id[3100001]["object"] == "Viewed Beach Holidays"
    assert by_id[3100001]["orphaned"] == "no"
    # The panel exports what its filters show.
    panel.set_tag_filter("review")
    assert panel.export_csv(out) == 2
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert {int(r["id"]) for r in csv.DictReader(handle)} == {REMOVED_TRAIT, 3200001}


def test_csv_to_a_text_stream_and_all_tags(workspace: Workspace) -> None:
    buffer = io.StringIO()
    assert annotations_to_csv(workspace.conn, buffer, status="to fix") == 1
    [header, row] = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert tuple(header) == CSV_HEADERS
    assert row[:7] == ["trait", "3100001", "Viewed Beach Holidays", "no", "to fix", "ttl, aep",
                       "Check TTL\nsecond line"]
    assert all_tags(workspace.conn) == ["aep", "review", "ttl"]
