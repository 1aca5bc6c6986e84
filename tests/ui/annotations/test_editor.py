"""AnnotationEditor: saving, switching objects, undo/redo on a shared stack, failures, read-only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from explorer.kinds import ObjectRef
from explorer.store.annotations import get_annotation, set_annotation
from explorer.store.db import transaction
from explorer.store.workspace import Workspace
from explorer.ui.annotations import AnnotationEditor

PHONES = ObjectRef("trait", 3100001)
PREMIUM = ObjectRef("trait", 3100002)
SEGMENT = ObjectRef("segment", 3200001)


@pytest.fixture
def ws_path(sample_workspace: Path) -> Path:
    return sample_workspace


@pytest.fixture
def workspace(ws_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(ws_path)
    yield ws
    ws.close()


@pytest.fixture
def stack() -> QUndoStack:
    return QUndoStack()


@pytest.fixture
def editor(qtbot, workspace: Workspace, stack: QUndoStack) -> AnnotationEditor:
    widget = AnnotationEditor(workspace, stack)
    qtbot.addWidget(widget)
    return widget


def _fill(editor: AnnotationEditor, note: str, tags: str = "", status: str = "open") -> None:
    editor.note_edit.setPlainText(note)
    editor.tags_edit.setText(tags)
    editor.status_combo.setCurrentText(status)


def _note(workspace: Workspace, ref: ObjectRef) -> str | None:
    annotation = get_annotation(workspace.conn, ref.kind, ref.id)
    return None if annotation is None else annotation.note


def test_save_writes_note_with_line_breaks_tags_and_status(
        qtbot, editor: AnnotationEditor, workspace: Workspace, stack: QUndoStack) -> None:
    editor.set_object(PHONES)
    assert editor.note_edit.toPlainText() == "" and editor.meta_label.text() == "Not annotated yet"
    assert not editor.delete_button.isEnabled()
    _fill(editor, "Check the TTL\nwith the client — ça urge\n\n最後の行", " ttl, review ,ttl,",
          "to fix")
    assert editor.is_dirty() and editor.save_button.isEnabled()
    with qtbot.waitSignal(editor.annotationChanged) as signal:
        assert editor.save()
    assert signal.args == ["trait", 3100001]
    saved = get_annotation(workspace.conn, "trait", 3100001)
    assert saved is not None
    assert saved.note == "Check the TTL\nwith the client — ça urge\n\n最後の行"
    assert saved.tags == ["ttl", "review"]
    assert saved.status == "to fix"
    assert saved.created == saved.updated != ""
    assert stack.count() == 1 and stack.undoText() == "Add annotation on trait 3100001"
    # The form now shows the stored state, normalised, and has nothing left to save.
    assert editor.tags_edit.text() == "ttl, review"
    assert not editor.is_dirty() and not editor.save_button.isEnabled()
    assert editor.delete_button.isEnabled()
    assert editor.meta_label.text().startswith("Created ")


def test_keyboard_shortcut_saves(qtbot, editor: AnnotationEditor, workspace: Workspace) -> None:
    editor.show()
    editor.activateWindow()
    # Shortcuts only fire in the active window; offscreen activation arrives as an event.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    editor.set_object(SEGMENT)
    editor.note_edit.setFocus()
    qtbot.keyClicks(editor.note_edit, "first")
    qtbot.keyClick(editor.note_edit, Qt.Key.Key_Return)  # a plain Return is a line break
    qtbot.keyClicks(editor.note_edit, "second")
    assert _note(workspace, SEGMENT) is None
    with qtbot.waitSignal(editor.annotationChanged):
        qtbot.keyClick(editor.note_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert _note(workspace, SEGMENT) == "first\nsecond"
    qtbot.keyClicks(editor.note_edit, " and third")
    with qtbot.waitSignal(editor.annotationChanged):
        qtbot.keyClick(editor.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert _note(workspace, SEGMENT) == "first\nsecond and third"


def test_switching_object_saves_pending_edits(
        qtbot, editor: AnnotationEditor, workspace: Workspace, stack: QUndoStack) -> None:
    editor.set_object(PHONES)
    _fill(editor, "unsaved but kept", "aep", "accepted")
    with qtbot.waitSignal(editor.annotationChanged):
        editor.set_object(PREMIUM)
    saved = get_annotation(workspace.conn, "trait", 3100001)
    assert saved is not None and (saved.note, saved.tags, saved.status) == (
        "unsaved but kept", ["aep"], "accepted")
    assert editor.current_object() == PREMIUM and editor.note_edit.toPlainText() == ""
    assert stack.count() == 1
    editor.set_object(None)  # nothing typed for PREMIUM: nothing written
    assert get_annotation(workspace.conn, "trait", 3100002) is None and stack.count() == 1
    assert not editor.note_edit.isEnabled()
    editor.set_object(PHONES)
    assert editor.note_edit.toPlainText() == "unsaved but kept"
    assert editor.status_combo.currentText() == "accepted"


def test_edit_twice_undo_twice_redo(qtbot, editor: AnnotationEditor, workspace: Workspace,
                                    stack: QUndoStack) -> None:
    editor.set_object(PHONES)
    _fill(editor, "v1", "a")
    editor.save()
    first = get_annotation(workspace.conn, "trait", 3100001)
    _fill(editor, "v2", "a, b", "fixed")
    editor.save()
    second = get_annotation(workspace.conn, "trait", 3100001)
    assert stack.count() == 2 and second is not None and second.note == "v2"
    assert stack.undoText() == "Edit annotation on trait 3100001"

    with qtbot.waitSignal(editor.annotationChanged) as signal:
        stack.undo()
    assert signal.args == ["trait", 3100001]
    assert get_annotation(workspace.conn, "trait", 3100001) == first
    assert editor.note_edit.toPlainText() == "v1" and editor.tags_edit.text() == "a"
    stack.undo()
    assert get_annotation(workspace.conn, "trait", 3100001) is None
    assert editor.note_edit.toPlainText() == "" and not editor.delete_button.isEnabled()
    stack.redo()
    assert get_annotation(workspace.conn, "trait", 3100001) == first  # same row, same times
    stack.redo()
    assert get_annotation(workspace.conn, "trait", 3100001) == second
    assert editor.status_combo.currentText() == "fixed"
    assert not stack.canRedo()


def test_delete_then_undo_restores_exactly(qtbot, editor: AnnotationEditor,
                                           workspace: Workspace, stack: QUndoStack) -> None:
    with transaction(workspace.conn) as conn:
        original = set_annotation(conn, "destination", 8101, note="Pixel owner: Dana\nQ3",
                                  tags=["owner"], status="to fix")
    editor.set_object(ObjectRef("destination", 8101))
    assert editor.note_edit.toPlainText() == "Pixel owner: Dana\nQ3"
    with qtbot.waitSignal(editor.annotationChanged):
        assert editor.delete_annotation()
    assert get_annotation(workspace.conn, "destination", 8101) is None
    assert editor.note_edit.toPlainText() == ""
    assert stack.undoText() == "Delete annotation on destination 8101"
    stack.undo()
    assert get_annotation(workspace.conn, "destination", 8101) == original
    assert editor.note_edit.toPlainText() == "Pixel owner: Dana\nQ3"
    stack.redo()
    assert get_annotation(workspace.conn, "destination", 8101) is None


def test_undo_of_another_object_leaves_the_form_alone(
        qtbot, editor: AnnotationEditor, workspace: Workspace, stack: QUndoStack) -> None:
    editor.set_object(PHONES)
    _fill(editor, "holidays")
    editor.set_object(PREMIUM)  # saves PHONES
    _fill(editor, "typing on premium")
    with qtbot.waitSignal(editor.annotationChanged) as signal:
        stack.undo()
    assert signal.args == ["trait", 3100001]
    assert get_annotation(workspace.conn, "trait", 3100001) is None
    assert editor.note_edit.toPlainText() == "typing on premium" and editor.is_dirty()


def test_write_failure_shows_message_and_keeps_text(qtbot, ws_path: Path,
                                                    stack: QUndoStack) -> None:
    read_only = Workspace.open(ws_path, readonly=True)
    try:
        editor = AnnotationEditor(read_only, stack)
        qtbot.addWidget(editor)
        editor.set_object(PHONES)
        _fill(editor, "precious\nnote", "keep")
        assert not editor.save()
        assert "Could not save the annotation" in editor.message()
        assert editor.message_label.isVisibleTo(editor)
        assert editor.note_edit.toPlainText() == "precious\nnote" and stack.count() == 0
        # Moving on cannot save either: the edits stay as a draft for that object.
        editor.set_object(PREMIUM)
        assert editor.note_edit.toPlainText() == "" and editor.message() == ""
        editor.set_object(PHONES)
        assert editor.note_edit.toPlainText() == "precious\nnote"
        assert editor.tags_edit.text() == "keep" and editor.is_dirty()
        assert "not saved" in editor.message()
    finally:
        read_only.close()
    with Workspace.open(ws_path) as check:
        assert get_annotation(check.conn, "trait", 3100001) is None


def test_read_only_mode_shows_but_never_writes(editor: AnnotationEditor,
                                               workspace: Workspace, stack: QUndoStack) -> None:
    with transaction(workspace.conn) as conn:
        set_annotation(conn, "trait", 3100001, note="from the bundle", tags=["x"])
    editor.set_read_only(True)
    editor.set_object(PHONES)
    assert editor.is_read_only()
    assert editor.note_edit.toPlainText() == "from the bundle"
    for widget in (editor.status_combo, editor.save_button, editor.delete_button):
        assert not widget.isEnabled()
    # Shown in normal colours (enabled), but nothing can be typed.
    for field in (editor.note_edit, editor.tags_edit):
        assert field.isEnabled() and field.isReadOnly()
    assert "read-only" in editor.meta_label.text()
    assert not editor.save() and not editor.delete_annotation()
    editor.set_object(PREMIUM)
    assert stack.count() == 0
    assert get_annotation(workspace.conn, "trait", 3100001).note == "from the bundle"
    editor.set_read_only(False)
    assert editor.note_edit.isEnabled() and not editor.note_edit.isReadOnly()


def test_tags_complete_the_tag_being_typed(qtbot, editor: AnnotationEditor,
                                           workspace: Workspace) -> None:
    with transaction(workspace.conn) as conn:
        set_annotation(conn, "segment", 3200001, tags=["Review", "aep", "ttl"])
    editor.refresh_tag_completions()
    editor.show()
    qtbot.waitExposed(editor)
    editor.set_object(PHONES)
    editor.tags_edit.setFocus()
    qtbot.keyClicks(editor.tags_edit, "ttl, rev")
    assert editor.tag_completer.completionPrefix() == "rev"
    assert editor.tag_completer.currentCompletion() == "Review"
    editor.tag_completer.activated[str].emit("Review")
    assert editor.tags_edit.text() == "ttl, Review, "
    editor.save()
    assert get_annotation(workspace.conn, "trait", 3100001).tags == ["ttl", "Review"]


def test_objects_without_annotations_support_are_disabled(editor: AnnotationEditor) -> None:
    editor.set_object(ObjectRef("tenant", 0))
    assert not editor.note_edit.isEnabled() and not editor.save()
    assert editor.meta_label.text() == "Select an object to annotate it."
    assert editor.note_edit.placeholderText() == "Select an object to annotate it"
