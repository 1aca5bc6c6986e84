"""The Changes panel, its worker and cache, the compare dialog, the tree's "changed" mark and
the inspector's "Changed since" section, over two imported versions of a tenant."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QWidget

from explorer.analysis.diff import Diff, diff_imports
from explorer.importers import import_export
from explorer.kinds import ObjectRef
from explorer.report.inspector_html import render_details_html
from explorer.store.queries import object_details
from explorer.store.workspace import Workspace
from explorer.ui.changes import ChangesPanel, CompareDialog, DiffController, DiffRequest
from explorer.ui.changes.panel import FIELD_ROLE, GROUP_KEY_ROLE
from explorer.ui.changes.worker import clear_cache
from explorer.ui.item_roles import OBJECT_REF_ROLE
from explorer.ui.main_window import MainWindow
from explorer.ui.tree_model import MARKS_ROLE, WorkspaceTreeModel
from tests.helpers.diff_workspaces import V1, V2, build_two_version_workspace


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_two_version_workspace(tmp_path_factory.mktemp("changes") / "built.aamws")


@pytest.fixture
def ws_path(built: Path, tmp_path: Path) -> Path:
    """A private copy (the window opens it read-write)."""
    clear_cache()
    return Path(shutil.copyfile(built, tmp_path / "tenant.aamws"))


@pytest.fixture
def diff(built: Path) -> Diff:
    with Workspace.open(built, readonly=True) as ws:
        return diff_imports(ws)


def _children(item) -> list:
    return [item.child(row) for row in range(item.childCount())]


def test_panel_groups_with_counts(qtbot, diff: Diff) -> None:
    panel = ChangesPanel()
    qtbot.addWidget(panel)
    panel.set_diff(diff)
    assert panel.group_keys() == ["added", "removed", "changed", "moved", "findings-new",
                                  "findings-resolved"]
    titles = [panel.tree.topLevelItem(r).text(0) for r in range(panel.tree.topLevelItemCount())]
    assert titles[:4] == ["Added (4)", "Removed (6)", "Changed (4)", "Moved (4)"]
    assert titles[5] == "Findings resolved (1)"
    summary = panel.summary.text()
    assert "import 1 (export 2023-08-05)" in summary and "import 3 (export 2023-08-19)" in summary
    assert "4 added" in summary and "6 removed" in summary


def test_panel_entries_say_aep_and_target(qtbot, diff: Diff) -> None:
    panel = ChangesPanel()
    qtbot.addWidget(panel)
    panel.set_diff(diff)
    removed = {c.data(0, OBJECT_REF_ROLE): c.text(1) for c in _children(
        panel.group_item("removed"))}
    assert removed[ObjectRef("segment", 3100007)] == (
        "Segment · AEP-shared · also disappears from Target")
    assert removed[ObjectRef("segment", 3200004)] == "Segment · also disappears from Target"
    assert removed[ObjectRef("trait", 3100003)] == "Trait"
    added = {c.data(0, OBJECT_REF_ROLE): c.text(1) for c in _children(panel.group_item("added"))}
    assert added[ObjectRef("trait", 3100012)] == "Trait · AEP-shared"
    moved = {c.data(0, OBJECT_REF_ROLE): c.text(1) for c in _children(panel.group_item("moved"))}
    assert moved[ObjectRef("trait", 3100004)] == (
        "Trait · Bluefin Loyalty CRM (471202) → Bluefin Audiences (471203)")


def test_changed_entries_expand_to_fields_and_coloured_rule_diffs(qtbot, diff: Diff) -> None:
    panel = ChangesPanel()
    qtbot.addWidget(panel)
    panel.set_diff(diff)
    panel.show()
    changed = {c.data(0, OBJECT_REF_ROLE): c for c in _children(panel.group_item("changed"))}
    renamed = changed[ObjectRef("trait", 3100001)]
    [name_row] = _children(renamed)
    assert (name_row.text(0), name_row.text(1)) == (
        "Name", "Viewed Beach Holidays → Viewed Beach Holidays (all resorts)")
    rule_entry = changed[ObjectRef("segment", 3200001)]
    [rule_row] = _children(rule_entry)
    assert rule_row.data(0, FIELD_ROLE)[0] == "rule"
    assert panel.tree.itemWidget(rule_row, 1) is None  # drawn on first expand only
    rule_entry.setExpanded(True)
    label = panel.tree.itemWidget(rule_row, 1)
    assert isinstance(label, QLabel)
    assert "background-color:#D4EFDF" in label.text()  # the added words, on green
    assert " OR 3100002T</span>" in label.text()
    # A short rule: before over now, each whole and readable.
    document = QTextDocument()
    document.setHtml(label.text())
    lines = document.toPlainText().replace("\xa0", " ").splitlines()
    assert lines == ["before:  (3100001T) AND (3100004T)",
                     "now:     (3100001T OR 3100002T) AND (3100004T)"]


def test_activation_emits_object_activated(qtbot, diff: Diff) -> None:
    panel = ChangesPanel()
    qtbot.addWidget(panel)
    panel.set_diff(diff)
    moved = panel.group_item("moved").child(1)
    with qtbot.waitSignal(panel.objectActivated) as blocker:
        panel.tree.itemActivated.emit(moved, 0)
    assert blocker.args == ["trait", 3100002]
    field_row = panel.group_item("changed").child(0).child(0)  # a field activates its object
    with qtbot.waitSignal(panel.objectActivated) as blocker:
        panel.tree.itemActivated.emit(field_row, 0)
    assert blocker.args == ["segment-folder", 640112]
    finding = panel.group_item("findings-resolved").child(0)
    with qtbot.waitSignal(panel.objectActivated) as blocker:
        panel.tree.itemActivated.emit(finding, 0)
    assert blocker.args == ["trait", 3100020]


def test_empty_diff_and_messages(qtbot) -> None:
    panel = ChangesPanel()
    qtbot.addWidget(panel)
    panel.set_diff(Diff(from_label="a", to_label="b"))
    assert panel.tree.topLevelItem(0).text(0) == "No changes between these two states."
    assert panel.tree.topLevelItem(0).data(0, GROUP_KEY_ROLE) is None
    panel.show_message("Comparing <now>…")
    assert panel.diff() is None and panel.tree.isHidden()
    assert panel.summary.text() == "Comparing &lt;now&gt;…"


@pytest.fixture
def controller(qtbot) -> DiffController:
    owner = QWidget()  # the controller lives (and its threads are waited for) with a widget
    qtbot.addWidget(owner)
    result = DiffController(owner)
    yield result
    result.wait()


def test_controller_runs_in_a_thread_then_serves_the_cache(qtbot, ws_path: Path,
                                                           controller: DiffController) -> None:
    with Workspace.open(ws_path, readonly=True) as ws:
        request = DiffRequest.latest_changes(ws)
    assert (request.from_id, request.to_id) == (1, 3)
    with qtbot.waitSignal(controller.started), \
            qtbot.waitSignal(controller.finished, timeout=10000) as blocker:
        controller.request(request)
    first = blocker.args[0]
    assert first.error == "" and len(first.diff.added) == 4
    controller.wait()
    with qtbot.assertNotEmitted(controller.started), \
            qtbot.waitSignal(controller.finished, timeout=100) as blocker:
        controller.request(DiffRequest(ws_path, 1, 3))
    assert blocker.args[0].diff is first.diff  # the session cache


def test_controller_reports_errors(qtbot, tmp_path: Path, controller: DiffController
                                   ) -> None:
    with qtbot.waitSignal(controller.finished, timeout=10000) as blocker:
        controller.request(DiffRequest(tmp_path / "nothing.aamws", 1, 2))
    controller.wait()
    assert blocker.args[0].diff is None and "no such workspace" in blocker.args[0].error


def test_tree_marks_changed_objects(qtbot, ws_path: Path, diff: Diff) -> None:
    with Workspace.open(ws_path) as ws:
        model = WorkspaceTreeModel(ws)
        renamed = model.index_for(ObjectRef("trait", 3100001))
        untouched = model.index_for(ObjectRef("trait", 3100005))
        assert "changed" not in renamed.data(MARKS_ROLE)
        with qtbot.waitSignal(model.dataChanged):
            model.set_changed(diff.changed_refs())
        assert "changed" in renamed.data(MARKS_ROLE)
        assert "Changed since the previous import" in renamed.data(
            Qt.ItemDataRole.ToolTipRole)
        assert "changed" not in untouched.data(MARKS_ROLE)
        moved_folder = model.index_for(ObjectRef("trait-folder", 540142))
        assert "changed" in moved_folder.data(MARKS_ROLE)
        marked = renamed.data(Qt.ItemDataRole.DecorationRole)
        plain = untouched.data(Qt.ItemDataRole.DecorationRole)
        assert not marked.isNull() and marked.cacheKey() != plain.cacheKey()


def test_inspector_html_shows_previous_beside_current(built: Path, diff: Diff) -> None:
    change = diff.object_changes()[("trait", 3100002)]
    with Workspace.open(built, readonly=True) as ws:
        details = object_details(ws.conn, "trait", 3100002)
    assert details is not None
    details = {**details, "changes": {"since": "import 1 <old>", "status": change.status,
                                      "fields": change.fields, "moved_from": change.moved_from,
                                      "moved_to": change.moved_to}}
    page = render_details_html(details)
    assert "Changed since import 1 &lt;old&gt;" in page
    assert "<tr><th>Field</th><th>Previous</th><th>Current</th></tr>" in page
    assert ("<tr><td>Place</td><td>/Site Browsing/Holiday Types/Beach</td>"
            "<td>/Site Browsing/Traffic Sources</td></tr>") in page
    assert "text-decoration:line-through" in page and ">3000</span>" in page
    assert ">4500</span>" in page


def test_window_shows_changes_after_a_reimport(qtbot, tmp_path: Path) -> None:
    clear_cache()
    ws_path = tmp_path / "win.aamws"
    import_export(V1, ws_path, export_date="2023-08-05")
    window = MainWindow(interactive=False, restore_settings=False)
    qtbot.addWidget(window)
    window.show()
    changes = window.changes
    with qtbot.waitSignal(window.ready, timeout=10000):
        window.open_workspace(ws_path)
    assert changes.diff is None
    assert "one import: nothing to compare yet" in changes.panel.summary.text()
    assert changes.compare_action.isEnabled()
    assert "Compare" in [a.text().replace("&", "").rstrip("…")
                         for a in window.menuBar().actions()[0].menu().actions()]
    with qtbot.waitSignal(changes.diffShown, timeout=20000,
                          check_params_cb=lambda d: d is not None):
        assert window.start_import(V2, ws_path)
    assert changes.dock.isVisible()
    assert changes.panel.diff() is changes.diff and len(changes.diff.removed) == 6
    marks = window.tree_model.index_for(ObjectRef("segment", 3200001)).data(MARKS_ROLE)
    assert "changed" in marks
    window.reveal(ObjectRef("segment", 3200001))
    text = window.inspector.plain_text()
    assert "Changed since import 1 (export 2023-08-05)" in text
    assert "(3100001T) AND (3100004T)" in text and "(3100001T OR 3100002T) AND (3100004T)" in text
    window.reveal(ObjectRef("segment", 3200004))
    assert "It was removed since import 1" in window.inspector.plain_text()
    with qtbot.waitSignal(window.currentObjectChanged, timeout=5000, raising=False):
        changes.panel.objectActivated.emit("trait", 3100008)
    assert window.current_ref() == ObjectRef("trait", 3100008)
    window.close()


def test_compare_dialog_imports_and_other_workspace(qtbot, ws_path: Path,
                                                    tmp_path: Path) -> None:
    other = tmp_path / "other.aamws"
    import_export(V2, other)
    with Workspace.open(ws_path) as ws:
        dialog = CompareDialog(ws)
        qtbot.addWidget(dialog)
        assert (dialog.from_combo.currentData(), dialog.to_combo.currentData()) == (1, 3)
        assert dialog.from_combo.count() == 3
        dialog.select_imports(1, 2)  # the usage import shows v1's configuration
        with qtbot.waitSignal(dialog.compared, timeout=10000) as blocker:
            dialog.compare()
        outcome = blocker.args[0]
        assert outcome.diff is not None
        assert not (outcome.diff.added or outcome.diff.removed or outcome.diff.changed)
        dialog.set_other_workspace(other)
        with qtbot.waitSignal(dialog.compared, timeout=10000) as blocker:
            dialog.compare()
        outcome = blocker.args[0]
        # The latest state of tenant.aamws is v2, like other.aamws.
        assert outcome.diff is not None
        assert outcome.diff.to_label == "other.aamws"
        assert not (outcome.diff.added or outcome.diff.removed)
        assert dialog.panel.diff() is outcome.diff
        dialog.done(0)


def test_compare_dialog_refuses_another_tenant(qtbot, ws_path: Path, tmp_path: Path) -> None:
    foreign_export = tmp_path / "foreign"
    foreign_export.mkdir()
    for source in V1.iterdir():
        (foreign_export / source.name).write_text(
            source.read_text(encoding="utf-8").replace('"pid": 7315', '"pid": 999'),
            encoding="utf-8")
    foreign = tmp_path / "foreign.aamws"
    import_export(foreign_export, foreign)
    with Workspace.open(ws_path) as ws:
        dialog = CompareDialog(ws)
        qtbot.addWidget(dialog)
        dialog.set_other_workspace(foreign)
        with qtbot.waitSignal(dialog.compared, timeout=10000) as blocker:
            dialog.compare()
        assert "different tenants" in blocker.args[0].error
        assert "different tenants" in dialog.panel.summary.text()
        dialog.force.setChecked(True)
        with qtbot.waitSignal(dialog.compared, timeout=10000) as blocker:
            dialog.compare()
        assert blocker.args[0].diff is not None
        dialog.done(0)
