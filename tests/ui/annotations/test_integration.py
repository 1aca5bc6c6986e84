"""Annotations inside the main window: edit under the inspector, undo/redo, dock, tree marks."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.kinds import ObjectRef
from explorer.store.annotations import get_annotation
from explorer.ui.main_window import MainWindow
from explorer.ui.tree_model import MARKS_ROLE
from tests.helpers.windows import show_window

TRAIT = ObjectRef("trait", 3100001)
SEGMENT = ObjectRef("segment", 3200001)


@pytest.fixture
def window(qtbot, sample_workspace: Path) -> MainWindow:
    win = show_window(qtbot, sample_workspace, restore_settings=True)
    return win


def _edit(window: MainWindow, note: str, tags: str, status: str) -> None:
    editor = window.annotations.editor
    editor.note_edit.setPlainText(note)
    editor.tags_edit.setText(tags)
    editor.status_combo.setCurrentText(status)


def test_annotating_the_inspected_object_updates_inspector_tree_and_panel(
        window: MainWindow) -> None:
    assert window.reveal(TRAIT)
    editor = window.annotations.editor
    assert editor.current_object() == TRAIT
    _edit(window, "Check the TTL\nwith the client", "ttl, review", "to fix")
    assert editor.save()
    stored = get_annotation(window.workspace.conn, "trait", 3100001)
    assert (stored.note, stored.tags, stored.status) == (
        "Check the TTL\nwith the client", ["ttl", "review"], "to fix")
    assert "Check the TTL" in window.inspector.plain_text()
    index = window.tree_model.index_for(TRAIT)
    assert "annotation" in index.data(MARKS_ROLE)
    panel = window.annotations.panel
    assert [(a.kind, a.object_id) for a in panel.shown_annotations()] == [("trait", 3100001)]


def test_moving_on_saves_pending_edits_and_undo_redo_walk_back(window: MainWindow) -> None:
    window.reveal(TRAIT)
    _edit(window, "first", "", "open")
    window.reveal(SEGMENT)  # unsaved edits on the trait are saved, not lost
    conn = window.workspace.conn
    assert get_annotation(conn, "trait", 3100001).note == "first"
    window.reveal(TRAIT)
    _edit(window, "second", "", "fixed")
    assert window.annotations.editor.save()
    window.annotations.undo_action.trigger()
    assert get_annotation(conn, "trait", 3100001).note == "first"
    window.annotations.undo_action.trigger()
    assert get_annotation(conn, "trait", 3100001) is None
    window.annotations.redo_action.trigger()
    window.annotations.redo_action.trigger()
    assert get_annotation(conn, "trait", 3100001).status == "fixed"


def test_annotations_dock_reveals_its_object(window: MainWindow, qtbot) -> None:
    window.reveal(SEGMENT)
    _edit(window, "AEP candidate", "aep", "open")
    window.annotations.editor.save()
    window.reveal(TRAIT)
    window.annotations.panel.objectActivated.emit("segment", 3200001)
    assert window.current_ref() == SEGMENT


def test_reopening_clears_the_undo_stack(window: MainWindow, qtbot) -> None:
    window.reveal(TRAIT)
    _edit(window, "note", "", "open")
    window.annotations.editor.save()
    assert window.annotations.undo_stack.count() == 1
    with qtbot.waitSignal(window.ready, timeout=5000):
        window.open_workspace(window.workspace.path)
    assert window.annotations.undo_stack.count() == 0
    assert get_annotation(window.workspace.conn, "trait", 3100001).note == "note"
