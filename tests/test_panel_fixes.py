"""Review fixes in the annotation editor, Changes and Findings docks, seen in the real window."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.importers import import_export
from explorer.kinds import ObjectRef
from explorer.ui.annotations.editor import NO_OBJECT_HINT
from explorer.ui.main_window import MainWindow

TRAIT = ObjectRef("trait", 1000001)


@pytest.fixture
def workspace_path(sample_tenant: Path, tmp_path: Path) -> Path:
    target = tmp_path / "sample.aamws"
    import_export(sample_tenant, target)
    return target


def _open(qtbot, path: Path, width: int, height: int) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.ready, timeout=5000):
        assert window.open_workspace(path)
    return window


@pytest.mark.parametrize("size", [(1280, 800), (1500, 950)])
def test_every_editor_control_is_visible_in_the_default_layout(
        qtbot, workspace_path: Path, size: tuple[int, int]) -> None:
    window = _open(qtbot, workspace_path, *size)
    editor = window.annotations.editor
    area = window.annotations.editor_area
    assert area.height() <= 140  # the splitter's share, not more
    for state in ("nothing selected", "object selected"):
        if state == "object selected":
            assert window.reveal(TRAIT)
        qtbot.wait(20)
        for control in (editor.save_button, editor.delete_button, editor.tags_edit,
                        editor.status_combo, editor.note_edit):
            region = control.visibleRegion()
            assert not region.isEmpty(), f"{control.accessibleName() or control.text()} {state}"
            assert region.boundingRect().height() == control.height(), state  # not clipped
        assert editor.note_edit.height() >= 2 * editor.note_edit.fontMetrics().lineSpacing()
    assert not area.verticalScrollBar().isVisible()


def test_with_nothing_selected_the_editor_is_disabled_with_a_hint(
        qtbot, workspace_path: Path) -> None:
    window = _open(qtbot, workspace_path, 1280, 800)
    editor = window.annotations.editor
    assert editor.current_object() is None
    for control in (editor.note_edit, editor.tags_edit, editor.status_combo,
                    editor.save_button, editor.delete_button):
        assert not control.isEnabled()
    assert editor.note_edit.placeholderText() == NO_OBJECT_HINT
    assert NO_OBJECT_HINT in editor.meta_label.text()
    window.reveal(TRAIT)
    assert editor.note_edit.isEnabled() and editor.tags_edit.isEnabled()
    assert editor.note_edit.placeholderText() != NO_OBJECT_HINT
