"""The annotation editor, Changes and Findings docks, seen in the real window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from explorer.analysis.diff import diff_imports
from explorer.analysis.findings import CHECKS
from explorer.kinds import ObjectRef
from explorer.report.bundle import write_bundle
from explorer.report.scope import resolve_scope
from explorer.report.snapshot import build_snapshot, render_html
from explorer.store.db import transaction
from explorer.store.workspace import Workspace
from explorer.ui.annotations.editor import NO_OBJECT_HINT
from explorer.ui.changes import ChangesPanel, CompareDialog
from explorer.ui.changes.panel import rule_diff_html
from explorer.ui.changes.worker import ONE_IMPORT_MESSAGE, clear_cache
from explorer.ui.main_window import MainWindow
from tests.helpers.diff_workspaces import build_two_version_workspace

TRAIT = ObjectRef("trait", 3100001)


@pytest.fixture
def workspace_path(sample_workspace: Path) -> Path:
    return sample_workspace


def _open(qtbot, path: Path, width: int = 1280, height: int = 800) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.ready, timeout=10_000):
        assert window.open_path(path)
    return window


@pytest.mark.parametrize("size", [(1280, 800), (1500, 950)])
def test_every_editor_control_is_visible_in_the_default_layout(
        qtbot, workspace_path: Path, size: tuple[int, int]) -> None:
    window = _open(qtbot, workspace_path, *size)
    editor = window.annotations.editor
    area = window.annotations.editor_area
    # one line until used: the title, the status and the line that opens the note
    for state in ("nothing selected", "object selected"):
        if state == "object selected":
            assert window.reveal(TRAIT)
        qtbot.wait(20)
        assert not editor.is_expanded(), state
        for control in (editor.status_combo, editor.note_line):
            region = control.visibleRegion()
            assert not region.isEmpty(), f"{control.accessibleName()} {state}"
            assert region.boundingRect().height() == control.height(), state  # not clipped
        assert area.height() <= 2.5 * editor.fontMetrics().height()
    editor.set_expanded(True)  # what a click on the line does
    qtbot.wait(20)
    assert area.height() <= 140  # the splitter's share, not more
    for control in (editor.save_button, editor.delete_button, editor.tags_edit,
                    editor.status_combo, editor.note_edit):
        region = control.visibleRegion()
        assert not region.isEmpty(), control.accessibleName() or control.text()
        assert region.boundingRect().height() == control.height()  # not clipped
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


# ----- Changes: one import ------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_imports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_two_version_workspace(tmp_path_factory.mktemp("fixes") / "two.aamws")


def _bundle_of(workspace_path: Path, out: Path) -> Path:
    with Workspace.open(workspace_path, readonly=True) as workspace:
        scope = resolve_scope(workspace.conn, ())
        report = build_snapshot(workspace.conn, scope=scope, title="Review",
                                chart_renderer=None)
        write_bundle(workspace.conn, scope, render_html(report), out,
                     manifest={"title": report.title})
    return out


def _assert_one_import(window: MainWindow, qtbot) -> None:
    changes = window.changes
    qtbot.wait(50)
    summary = changes.panel.summary.text()
    assert ONE_IMPORT_MESSAGE in summary, summary
    assert "Could not compare" not in summary and "snapshot" not in summary
    # Another workspace file can still be compared: the dialog offers only that.
    assert changes.compare_action.isEnabled()
    dialog = CompareDialog(window.workspace, window)
    qtbot.addWidget(dialog)
    assert not dialog.imports_choice.isEnabled() and not dialog.from_combo.isEnabled()
    assert dialog.workspace_choice.isChecked()
    dialog.compare()
    assert ONE_IMPORT_MESSAGE in dialog.panel.summary.text()
    dialog.done(0)


def test_a_bundle_of_a_reimported_workspace_says_it_has_one_import(
        qtbot, two_imports: Path, tmp_path: Path) -> None:
    clear_cache()
    window = _open(qtbot, _bundle_of(two_imports, tmp_path / "two.aamsnap"))
    assert window.read_only
    _assert_one_import(window, qtbot)
    assert "Re-import" not in window.changes.panel.summary.text()  # nothing imports into it


def test_a_workspace_imported_once_says_it_has_one_import(qtbot, workspace_path: Path) -> None:
    clear_cache()
    window = _open(qtbot, workspace_path)
    _assert_one_import(window, qtbot)


def test_a_reimported_workspace_still_compares_its_imports(qtbot, two_imports: Path) -> None:
    with Workspace.open(two_imports, readonly=True) as workspace:
        dialog = CompareDialog(workspace)
        qtbot.addWidget(dialog)
        assert dialog.imports_choice.isEnabled() and dialog.imports_choice.isChecked()
        dialog.done(0)


# ----- Changes: readable findings and rule diffs ----------------------------------------------


def test_changed_findings_read_as_titles_with_the_object_name(qtbot, two_imports: Path) -> None:
    with Workspace.open(two_imports, readonly=True) as workspace:
        diff = diff_imports(workspace)
    panel = ChangesPanel()
    qtbot.addWidget(panel)
    panel.set_diff(diff)
    resolved = panel.group_item("findings-resolved").child(0)
    finding = diff.resolved_findings[0]
    title = CHECKS[finding["check"]].title
    name = diff.finding_object_names[("trait", 3100020)]
    assert name and name != "Trait"
    assert resolved.text(0) == f"{title}: {name}  (3100020)"
    assert finding["check"] not in resolved.text(0) and "[" not in resolved.text(0)
    assert resolved.text(1) == finding["message"]
    assert not resolved.icon(0).isNull()


def _plain(html_text: str) -> str:
    document = QTextDocument()
    document.setHtml(html_text)
    return document.toPlainText().replace("\xa0", " ")


def test_a_replaced_number_never_reads_as_one_number() -> None:
    old = "(frequency([1100133T] <= 7D) >= 4) AND (1100175T OR 1100184T OR 1100209T)"
    new = "(frequency([1100133T] <= 7D) >= 6) AND (1100175T OR 1100184T OR 1100209T)"
    assert _plain(rule_diff_html(old, new)).splitlines() == [f"before:  {old}", f"now:     {new}"]
    long_old = old + " AND " + " OR ".join(f"{n}T" for n in range(1200000, 1200012))
    long_new = long_old.replace(">= 4", ">= 6")
    inline = rule_diff_html(long_old, long_new)
    assert ">= 46" not in _plain(inline)
    assert ">= 4 → 6 )" in _plain(inline)  # (thin spaces read as spaces here)
    assert "line-through" in inline and "#D4EFDF" in inline


# ----- Findings: a click shows the object --------------------------------------------------


def test_clicking_a_finding_shows_its_object_and_keeps_focus(qtbot, workspace_path: Path
                                                             ) -> None:
    with Workspace.open(workspace_path) as workspace, transaction(workspace.conn) as conn:
        conn.execute("INSERT INTO findings(check_id, severity, object_kind, object_id, message)"
                     " VALUES ('trait-unused', 'info', 'trait', 3100001, 'No segment uses it')")
    window = _open(qtbot, workspace_path)
    panel = window.findings_panel
    window.frame.findings_dock.show()
    window.frame.findings_dock.raise_()
    group = panel.model.group_index("trait-unused")
    panel.tree.expand(group)
    index = panel.model.index(0, 0, group)
    assert panel.model.index(0, 1, group).data() == "Viewed Beach Holidays (3100001)"
    panel.tree.setFocus()
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.tree.visualRect(index).center())
    assert window.current_ref() == TRAIT
    assert "Viewed Beach Holidays" in window.inspector.plain_text()
    assert panel.tree.hasFocus() or not window.isActiveWindow()
