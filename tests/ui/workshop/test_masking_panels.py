"""Workshop masking reaches every panel (Annotations panel and editor, Changes panel, Compare
dialog) and read-only workspaces turn the Findings panel's Accept…/Un-accept off.

Each masked panel must show no masked value in any displayed text, tooltip or visible label,
keep the same rows, and show the placeholders the workspace's ``Masker`` gives everywhere else.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from explorer.analysis.diff import Diff
from explorer.importers import import_export
from explorer.kinds import ObjectRef
from explorer.masking import CLASSES, Masker, MaskRules, masker_for
from explorer.report.bundle import write_bundle
from explorer.report.scope import resolve_scope
from explorer.report.snapshot import build_snapshot, render_html
from explorer.store.annotations import get_annotation, set_annotation
from explorer.store.db import transaction
from explorer.store.workspace import Workspace
from explorer.ui.annotations import AnnotationEditor, AnnotationsPanel
from explorer.ui.annotations.editor import MASKED_HINT
from explorer.ui.annotations.panel import COLUMNS
from explorer.ui.changes import ChangesPanel, CompareDialog
from explorer.ui.changes.worker import clear_cache
from explorer.ui.findings.panel import READ_ONLY_TIP, FindingsPanel
from explorer.ui.item_roles import OBJECT_REF_ROLE
from explorer.ui.main_window import MainWindow
from tests.helpers.diff_workspaces import V2, build_two_version_workspace
from tests.helpers.findings_tenant import Tenant

TERM = "Holidays"
EMAIL = "jane.doe@acme-retail.com"
HOST = "cdn.acme-retail.com"
WWW_HOST = "www.northshop.example"
# What each rule must hide; pid 7315 and user ids 4411/833 are in the sample tenant's records
# (known values: masked even unlabelled), 98765 only where labelled ("user 98765").
VALUES: dict[str, tuple[str, ...]] = {
    "term": (TERM,),
    "email": (EMAIL,),
    "host": (HOST, WWW_HOST),
    "pid": ("7315",),
    "uid": ("98765", "4411"),
}
RULES = ["term", *CLASSES]
NOTE = (f"{TERM} audience owned by {EMAIL} (user 98765)\n"
        f"spec at https://{HOST}/x and {WWW_HOST}; partner 7315, crUID 4411")
TAGS = ["holidays-review", EMAIL, WWW_HOST]
PHONES = ObjectRef("trait", 3100001)  # "Viewed Beach Holidays"
PREMIUM = ObjectRef("trait", 3100002)


def _rules(rule: str) -> MaskRules:
    if rule == "term":
        return MaskRules(True, (TERM,))
    return MaskRules(True, classes=frozenset({rule}))


def _contains(text: str, value: str) -> bool:
    if value.isdigit():
        return re.search(rf"(?<!\d){value}(?!\d)", text) is not None
    return value.casefold() in text.casefold()


def _assert_hidden(texts: list[str], rule: str, where: str) -> None:
    joined = "\n".join(texts)
    for value in VALUES[rule]:
        assert not _contains(joined, value), f"{value!r} is visible in the {where}"


def _assert_shown(texts: list[str], rule: str) -> None:
    joined = "\n".join(texts)
    assert all(_contains(joined, v) for v in VALUES[rule]), "the fixture must show the values"


def _model_texts(model, parent: QModelIndex = QModelIndex()) -> list[str]:  # noqa: B008
    texts = []
    for row in range(model.rowCount(parent)):
        for column in range(model.columnCount(parent)):
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = index.data(role)
                if isinstance(value, str):
                    texts.append(value)
        texts += _model_texts(model, model.index(row, 0, parent))
    return texts


def _item_texts(tree: QTreeWidget, item: QTreeWidgetItem) -> list[str]:
    texts = []
    for column in range(tree.columnCount()):
        texts += [item.text(column), item.toolTip(column)]
        widget = tree.itemWidget(item, column)
        if isinstance(widget, QLabel):
            texts.append(widget.text())
    for row in range(item.childCount()):
        texts += _item_texts(tree, item.child(row))
    return texts


def _widget_texts(root: QWidget) -> list[str]:
    """Every text a user can see in ``root``: title, labels, fields, combo entries, trees,
    tooltips."""
    for tree in root.findChildren(QTreeWidget):
        tree.expandAll()  # rule diffs are drawn on first expand
    texts = [root.windowTitle(), root.toolTip()]
    for label in root.findChildren(QLabel):
        if label.isVisibleTo(root):  # not hidden ones (a replaced rule diff awaiting deletion)
            texts += [label.text(), label.toolTip()]
    for edit in root.findChildren(QLineEdit):
        texts += [edit.text(), edit.toolTip()]
    for edit in root.findChildren(QPlainTextEdit):
        texts.append(edit.toPlainText())
    for combo in root.findChildren(QComboBox):
        texts += [combo.itemText(i) for i in range(combo.count())]
    for tree in root.findChildren(QTreeWidget):
        for row in range(tree.topLevelItemCount()):
            texts += _item_texts(tree, tree.topLevelItem(row))
    return texts


def _shape(tree: QTreeWidget) -> list[int]:
    def walk(item: QTreeWidgetItem) -> list[int]:
        counts = [item.childCount()]
        for row in range(item.childCount()):
            counts += walk(item.child(row))
        return counts

    return [tree.topLevelItemCount()] + [n for row in range(tree.topLevelItemCount())
                                         for n in walk(tree.topLevelItem(row))]


# ----- a sample workspace with client values in annotations ----------------------------------

@pytest.fixture
def ws_path(sample_workspace: Path) -> Path:
    return sample_workspace


@pytest.fixture
def workspace(ws_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(ws_path)
    with transaction(ws.conn) as conn:
        set_annotation(conn, PHONES.kind, PHONES.id, note=NOTE, tags=TAGS, status="to fix")
        set_annotation(conn, "segment", 3200001, note=f"ask {EMAIL}", tags=["holidays-review"])
    yield ws
    ws.close()


def _masker(workspace: Workspace, rule: str) -> Masker:
    masker = masker_for(workspace, _rules(rule))
    assert masker.active
    return masker


# ----- Annotations panel ---------------------------------------------------------------------

@pytest.mark.parametrize("rule", RULES)
def test_annotations_panel_masks_rows_tooltips_and_tag_filter(
        qtbot, workspace: Workspace, rule: str) -> None:
    panel = AnnotationsPanel(workspace)
    qtbot.addWidget(panel)
    plain = _model_texts(panel.proxy) + _widget_texts(panel)
    _assert_shown(plain, rule)
    rows, tags = panel.proxy.rowCount(), panel.tag_combo.count()
    masker = _masker(workspace, rule)

    panel.set_text_mask(masker)
    masked = _model_texts(panel.proxy) + _widget_texts(panel)
    _assert_hidden(masked, rule, "annotations panel")
    assert (panel.proxy.rowCount(), panel.tag_combo.count()) == (rows, tags)
    holidays = next(r for r in range(panel.model.rowCount())
                  if panel.model.annotation(r).object_id == PHONES.id)
    name = panel.model.index(holidays, COLUMNS.index("Object")).data()
    assert name == masker("Viewed Beach Holidays")
    note = panel.model.index(holidays, COLUMNS.index("Note"))
    assert note.data() == masker(NOTE.splitlines()[0])
    assert note.data(Qt.ItemDataRole.ToolTipRole) == masker(NOTE)
    # The filter keeps working on the real tags behind masked entries.
    assert panel.tag_combo.itemText(panel.tag_combo.findData(EMAIL)) == masker(EMAIL)
    panel.set_tag_filter(EMAIL)
    assert [a.object_id for a in panel.shown_annotations()] == [PHONES.id]

    panel.set_text_mask(None)
    panel.set_tag_filter(None)
    assert _model_texts(panel.proxy) + _widget_texts(panel) == plain


def test_annotations_csv_export_is_masked_while_masking_is_on(
        qtbot, workspace: Workspace, tmp_path: Path) -> None:
    panel = AnnotationsPanel(workspace)
    qtbot.addWidget(panel)
    masker = masker_for(workspace, MaskRules(True, (TERM,), (), frozenset({"email"})))
    panel.set_text_mask(masker)
    out = tmp_path / "masked.csv"
    assert panel.export_csv(out) == 2
    text = out.read_text(encoding="utf-8-sig")
    assert EMAIL not in text and TERM not in text
    assert masker.placeholder("email", EMAIL) in text
    panel.set_text_mask(None)
    plain = tmp_path / "plain.csv"
    assert panel.export_csv(plain) == 2
    assert EMAIL in plain.read_text(encoding="utf-8-sig")
    assert len(plain.read_text(encoding="utf-8-sig").splitlines()) == len(text.splitlines())


# ----- Annotation editor ---------------------------------------------------------------------

@pytest.fixture
def stack() -> QUndoStack:
    return QUndoStack()


@pytest.fixture
def editor(qtbot, workspace: Workspace, stack: QUndoStack) -> AnnotationEditor:
    widget = AnnotationEditor(workspace, stack)
    qtbot.addWidget(widget)
    return widget


@pytest.mark.parametrize("rule", RULES)
def test_editor_under_masking_shows_masked_text_read_only(
        editor: AnnotationEditor, workspace: Workspace, stack: QUndoStack, rule: str) -> None:
    editor.set_object(PHONES)
    _assert_shown(_widget_texts(editor), rule)
    masker = _masker(workspace, rule)

    editor.set_text_mask(masker)
    assert editor.is_masked()
    _assert_hidden(_widget_texts(editor), rule, "annotation editor")
    assert editor.note_edit.toPlainText() == masker(NOTE)
    assert editor.tags_edit.text() == ", ".join(masker(t) for t in TAGS)
    for field in (editor.note_edit, editor.tags_edit):  # readable, but not editable
        assert field.isEnabled() and field.isReadOnly()
    for widget in (editor.status_combo, editor.save_button, editor.delete_button):
        assert not widget.isEnabled()
    assert not editor.mask_hint.isHidden() and editor.mask_hint.text() == MASKED_HINT
    assert not editor.is_dirty()
    assert not editor.save() and not editor.delete_annotation()
    editor.set_object(PREMIUM)  # switching saves pending edits: there must be none
    editor.set_object(PHONES)
    stored = get_annotation(workspace.conn, PHONES.kind, PHONES.id)
    assert stored is not None and stored.note == NOTE and stored.tags == TAGS
    assert get_annotation(workspace.conn, PREMIUM.kind, PREMIUM.id) is None
    assert stack.count() == 0

    editor.set_text_mask(None)
    assert editor.note_edit.toPlainText() == NOTE and editor.note_edit.isEnabled()
    assert editor.mask_hint.isHidden()


def test_editor_saves_typed_edits_before_masking_and_never_saves_placeholders(
        editor: AnnotationEditor, workspace: Workspace) -> None:
    masker = _masker(workspace, "email")
    editor.set_object(PREMIUM)
    editor.note_edit.setPlainText(f"call {EMAIL}")
    editor.set_text_mask(masker)  # what was typed is saved unmasked first
    assert get_annotation(workspace.conn, PREMIUM.kind, PREMIUM.id).note == f"call {EMAIL}"
    assert editor.note_edit.toPlainText() == f"call {masker.placeholder('email', EMAIL)}"
    editor.set_workspace(None)  # leaving saves pending edits: none while masked
    editor.set_workspace(workspace)
    editor.set_object(PREMIUM)
    assert get_annotation(workspace.conn, PREMIUM.kind, PREMIUM.id).note == f"call {EMAIL}"
    assert "[email-" not in json.dumps(
        [r[0] for r in workspace.conn.execute("SELECT note FROM annotations")])
    editor.set_text_mask(None)
    editor.note_edit.setPlainText("typed while unmasked")
    editor.set_text_mask(None)  # masking stays off: the typing is left alone
    assert editor.note_edit.toPlainText() == "typed while unmasked" and editor.is_dirty()


# ----- Changes panel -------------------------------------------------------------------------

def _crafted_diff() -> Diff:
    """Every place the panel shows text, holding a value of each rule."""
    return Diff(
        added=[{"kind": "trait", "id": 3100001, "name": "Viewed Beach Holidays", "aep": False}],
        removed=[{"kind": "segment", "id": 3200001, "name": f"Owner {EMAIL}", "aep": True}],
        changed=[{"kind": "trait", "id": 3100002, "name": "Premium",
                  "fields": {"description": ["user 98765", f"see https://{HOST}/spec"],
                             "rule": ["(3100001T) AND 4411T", f"(3100001T) OR {TERM}"]}}],
        moved=[{"kind": "trait", "id": 3100004, "name": "Moved",
                "from": {"data_source_id": 471202, "data_source": "partner 7315 CRM"},
                "to": {"folder_id": 7, "folder_path": f"/{WWW_HOST}/{TERM}"}}],
        new_findings=[{"check": "missing-trait", "severity": "warning",
                       "object_kind": "segment", "object_id": 3200001,
                       "message": f"Segment {TERM} of {EMAIL} uses a missing trait"}],
        resolved_findings=[{"check": "trait-unused", "severity": "info",
                            "object_kind": "trait", "object_id": 3100002,
                            "message": "No segment uses user 98765's trait"}],
        from_label="import 1 (pid 7315)", to_label=f"{WWW_HOST}.aamws")


@pytest.mark.parametrize("rule", RULES)
def test_changes_panel_masks_names_fields_rules_findings_and_labels(
        qtbot, workspace: Workspace, rule: str) -> None:
    panel = ChangesPanel()
    qtbot.addWidget(panel)
    panel.set_diff(_crafted_diff())
    panel.show()
    plain = _widget_texts(panel)
    _assert_shown(plain, rule)
    shape = _shape(panel.tree)
    masker = _masker(workspace, rule)

    panel.set_text_mask(masker)
    masked = _widget_texts(panel)
    _assert_hidden(masked, rule, "changes panel")
    assert _shape(panel.tree) == shape
    added = panel.group_item("added").child(0)
    assert added.text(0) == masker("Viewed Beach Holidays  (3100001)")
    assert added.data(0, OBJECT_REF_ROLE) == PHONES  # activation keeps the real object
    finding = panel.group_item("findings-new").child(0)
    assert finding.text(1) == masker(f"Segment {TERM} of {EMAIL} uses a missing trait")

    panel.set_text_mask(None)
    assert _widget_texts(panel) == plain


def test_changes_panel_keeps_open_entries_and_masks_messages(qtbot, workspace: Workspace
                                                             ) -> None:
    panel = ChangesPanel()
    qtbot.addWidget(panel)
    panel.set_diff(_crafted_diff())
    changed = panel.group_item("changed")
    changed.child(0).setExpanded(True)
    panel.group_item("added").setExpanded(False)
    masker = _masker(workspace, "term")
    panel.set_text_mask(masker)
    assert panel.group_item("changed").child(0).isExpanded()
    assert not panel.group_item("added").isExpanded()
    rule_row = panel.group_item("changed").child(0).child(1)
    label = panel.tree.itemWidget(rule_row, 1)
    assert isinstance(label, QLabel) and masker.placeholder("term", TERM) in label.text()
    panel.show_message(f"Could not compare: {TERM}.aamws is locked")
    assert TERM not in panel.summary.text()
    panel.set_text_mask(None)
    assert f"{TERM}.aamws" in panel.summary.text()


# ----- Compare dialog ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def two_versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_two_version_workspace(tmp_path_factory.mktemp("masking") / "built.aamws")


@pytest.fixture
def holidays_ws(two_versions: Path, tmp_path: Path) -> Path:
    """A private copy whose file name holds the masked term."""
    clear_cache()
    return Path(shutil.copyfile(two_versions, tmp_path / f"{TERM}-tenant.aamws"))


def test_compare_dialog_masks_title_imports_path_and_panel(qtbot, holidays_ws: Path,
                                                           tmp_path: Path) -> None:
    other = tmp_path / f"other-{TERM}.aamws"
    import_export(V2, other)
    with Workspace.open(holidays_ws) as ws:
        masker = masker_for(ws, MaskRules(True, (TERM, "v1", "v2")))
        dialog = CompareDialog(ws)
        qtbot.addWidget(dialog)
        imports = [dialog.from_combo.itemText(i) for i in range(dialog.from_combo.count())]
        dialog.set_text_mask(masker)
        dialog.set_other_workspace(other)
        assert dialog.other_path.isReadOnly()
        assert dialog.other_path.text() == masker(str(other))
        assert [dialog.from_combo.itemText(i) for i in range(dialog.from_combo.count())] == [
            masker(text) for text in imports]
        with qtbot.waitSignal(dialog.compared, timeout=10000) as blocker:
            dialog.compare()
        outcome = blocker.args[0]
        assert outcome.diff is not None and outcome.diff.to_label == other.name  # real path
        texts = _widget_texts(dialog)
        joined = "\n".join(texts)
        for value in (TERM, "v1", "v2"):
            assert value not in joined, f"{value!r} is visible in the compare dialog"
        assert masker.placeholder("term", TERM) in dialog.windowTitle()
        dialog.set_text_mask(None)
        assert dialog.other_path.text() == str(other) and not dialog.other_path.isReadOnly()
        assert TERM in dialog.panel.summary.text()
        dialog.done(0)


# ----- in the window: every panel follows Ctrl+M --------------------------------------------

def _open_window(qtbot, path: Path) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.ready, timeout=10_000):
        assert window.open_path(path)
    return window


def test_window_masks_annotations_changes_and_an_open_compare_dialog(
        qtbot, holidays_ws: Path) -> None:
    with Workspace.open(holidays_ws) as ws, transaction(ws.conn) as conn:
        set_annotation(conn, PHONES.kind, PHONES.id, note=f"{TERM} note", tags=["holidays"])
    window = _open_window(qtbot, holidays_ws)
    changes = window.changes
    qtbot.waitUntil(lambda: changes.panel.diff() is not None, timeout=10_000)
    window.reveal(PHONES)
    dialog = changes.open_compare_dialog()
    assert dialog is not None
    with qtbot.waitSignal(dialog.compared, timeout=10000):
        dialog.compare()
    panels = (window.annotations.panel, window.annotations.editor, changes.panel, dialog)

    def texts() -> str:
        return "\n".join(_model_texts(window.annotations.panel.proxy)
                         + [t for p in panels for t in _widget_texts(p)])

    assert TERM in texts()
    window.workshop.set_rules(MaskRules(True, (TERM,)))
    assert TERM not in texts()
    assert window.annotations.editor.is_masked()
    placeholder = window.workshop.masker.placeholder("term", TERM)
    assert placeholder in window.annotations.editor.note_edit.toPlainText()
    assert placeholder in changes.panel.summary.text() + dialog.windowTitle()
    window.workshop.set_masking_enabled(False)
    assert TERM in dialog.windowTitle() and not window.annotations.editor.is_masked()
    # a dialog opened while masking is on starts masked
    window.workshop.set_masking_enabled(True)
    dialog.done(0)
    second = changes.open_compare_dialog()
    assert second is not None and TERM not in second.windowTitle()
    second.done(0)
    window.close()


# ----- Findings panel on read-only workspaces ------------------------------------------------

@pytest.fixture
def tenant(tmp_path: Path) -> Iterator[Tenant]:
    t = Tenant(tmp_path / "findings.aamws").base()
    t.trait(5, "Lonely")
    t.segment(50, "(3T) OR (777T)", "Broken")
    t.findings()
    yield t
    t.close()


def _select_first_finding(panel: FindingsPanel) -> None:
    model = panel.model
    for row in range(model.rowCount()):
        group = model.index(row, 0)
        if model.canFetchMore(group):
            model.fetchMore(group)
        if model.rowCount(group):
            panel.tree.setCurrentIndex(model.index(0, 0, group))
            assert panel.current_finding() is not None
            return
    raise AssertionError("no finding to select")


def test_findings_panel_disables_accept_on_a_read_only_workspace(
        qtbot, tenant: Tenant, monkeypatch: pytest.MonkeyPatch) -> None:
    writable = FindingsPanel(tenant.ws)
    qtbot.addWidget(writable)
    _select_first_finding(writable)
    assert not writable.is_read_only() and writable.accept_action.isEnabled()

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    with Workspace.open(tenant.ws.path, readonly=True) as read_only:
        assert read_only.readonly and read_only.is_read_only()
        panel = FindingsPanel(read_only)
        qtbot.addWidget(panel)
        _select_first_finding(panel)
        assert panel.is_read_only()
        assert not panel.accept_action.isEnabled() and not panel.unaccept_action.isEnabled()
        assert panel.accept_action.toolTip() == READ_ONLY_TIP
        assert panel.unaccept_action.toolTip() == READ_ONLY_TIP
        assert not panel.accept_current("known")  # no write tried, no error box
        assert warnings == []
        panel.set_workspace(tenant.ws)  # a writable workspace again
        assert not panel.is_read_only()
        _select_first_finding(panel)
        assert panel.accept_action.isEnabled() and panel.accept_action.toolTip() != READ_ONLY_TIP


def test_query_only_connection_counts_as_read_only(tenant: Tenant) -> None:
    assert not tenant.ws.is_read_only()
    tenant.ws.conn.execute("PRAGMA query_only = 1")
    try:
        assert tenant.ws.is_read_only()
    finally:
        tenant.ws.conn.execute("PRAGMA query_only = 0")


def test_a_snapshot_bundle_turns_accept_off(qtbot, ws_path: Path, tmp_path: Path) -> None:
    with Workspace.open(ws_path) as ws, transaction(ws.conn) as conn:
        conn.execute("INSERT INTO findings(check_id, severity, object_kind, object_id, "
                     "message) VALUES ('trait-unused', 'info', 'trait', 3100001, ?)",
                     ("No segment uses Viewed Beach Holidays",))
    bundle = tmp_path / "review.aamsnap"
    with Workspace.open(ws_path, readonly=True) as workspace:
        scope = resolve_scope(workspace.conn, (ObjectRef("trait-folder", 540132),))
        report = build_snapshot(workspace.conn, scope=scope, title="Review",
                                chart_renderer=None)
        write_bundle(workspace.conn, scope, render_html(report), bundle,
                     manifest={"title": report.title})
    window = _open_window(qtbot, bundle)
    assert window.read_only
    panel = window.findings_panel
    assert panel.is_read_only()
    _select_first_finding(panel)
    assert panel.current_finding().message == "No segment uses Viewed Beach Holidays"
    assert not panel.accept_action.isEnabled()
    assert panel.accept_action.toolTip() == READ_ONLY_TIP
    window.close()
