"""Snapshot export from the window, window PNG, CSV exports and read-only .aamsnap bundles."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPushButton

from explorer.importers import import_export
from explorer.kinds import ObjectRef
from explorer.masking import MaskRules
from explorer.report.bundle import bundle_info, write_bundle
from explorer.report.scope import resolve_scope
from explorer.report.snapshot import build_snapshot, render_html
from explorer.store.annotations import get_annotation, set_annotation
from explorer.store.db import transaction
from explorer.store.workspace import Workspace
from explorer.ui.main_window import MainWindow
from explorer.ui.recent import classify_drop, classify_path
from explorer.ui.snapshot.export_dialog import SnapshotExportDialog, html_path, split_picks
from explorer.ui.snapshot.integration import READ_ONLY_MARK
from explorer.ui.snapshot.worker import SnapshotController, SnapshotRequest, run_export

PHONES = ObjectRef("trait", 3100001)  # "Viewed Beach Holidays", folder 540132 "Beach"
NOTE = "Ask the client whether holidays still matter"


@pytest.fixture
def workspace_path(sample_tenant: Path, tmp_path: Path) -> Path:
    target = tmp_path / "acme.aamws"
    import_export(sample_tenant, target)
    with Workspace.open(target) as workspace, transaction(workspace.conn) as conn:
        set_annotation(conn, "trait", 3100001, note=NOTE, tags=["review"])
        # The sample tenant is clean: one finding, so the findings CSV has a row to show.
        conn.execute("INSERT INTO findings(check_id, severity, object_kind, object_id, "
                     "message) VALUES ('trait-unused', 'info', 'trait', 3100001, ?)",
                     ("No segment uses Viewed Beach Holidays",))
    return target


def _open_window(qtbot, path: Path) -> MainWindow:
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    with qtbot.waitSignal(win.ready, timeout=10_000):
        assert win.open_path(path)
    return win


@pytest.fixture
def window(workspace_path: Path, qtbot) -> MainWindow:
    return _open_window(qtbot, workspace_path)


def _export_dialog(window: MainWindow) -> SnapshotExportDialog:
    window.snapshot.export_action.trigger()
    dialog = window.snapshot.last_dialog
    assert isinstance(dialog, SnapshotExportDialog) and dialog.isVisible()
    return dialog


def _accept(window: MainWindow, dialog: SnapshotExportDialog, qtbot) -> object:
    with qtbot.waitSignal(window.snapshot.exportFinished, timeout=60_000) as blocker:
        dialog.export_button.click()
    return blocker.args[0]


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".partial")]


# ----- the dialog and the export --------------------------------------------------------------


def test_dialog_defaults_follow_the_window(window: MainWindow) -> None:
    window.reveal(PHONES)
    dialog = _export_dialog(window)
    assert dialog.title_edit.text() == "acme configuration review"
    assert dialog.scope() == "tenant"
    assert "Viewed Beach Holidays (3100001)" in dialog.scope_buttons["object"].text()
    assert "Beach (540132)" in dialog.scope_buttons["folder"].text()
    assert dialog.picks_edit.toPlainText() == "trait:3100001"
    assert not dialog.mask_check.isEnabled()  # masking is off in the window
    assert dialog.html_check.isChecked() and not dialog.html_check.isEnabled()
    assert not dialog.changes_combo.isEnabled()  # one import: nothing to compare with
    dialog.set_scope("folder")
    assert dialog.picks() == (ObjectRef("trait-folder", 540132),)
    dialog.reject()


def test_export_of_the_current_folder_writes_html_pdf_and_bundle(window: MainWindow,
                                                                  tmp_path: Path,
                                                                  qtbot) -> None:
    window.reveal(PHONES)
    dialog = _export_dialog(window)
    dialog.set_scope("folder")
    dialog.title_edit.setText("Beach review")
    dialog.pdf_check.setChecked(True)
    dialog.bundle_check.setChecked(True)
    out = tmp_path / "out" / "review"  # no suffix: .html is added; the folder is created
    dialog.path_edit.setText(str(out))
    assert "review.html, review.pdf, review.aamsnap" in dialog.files_label.text()
    outcome = _accept(window, dialog, qtbot)
    assert outcome.status == "ok", outcome.message
    html_file, pdf_file, bundle_file = (out.with_suffix(s) for s in (".html", ".pdf",
                                                                     ".aamsnap"))
    assert outcome.paths == [html_file, pdf_file, bundle_file]
    html = html_file.read_text(encoding="utf-8")
    assert "Beach review" in html
    assert "Viewed Beach Holidays" in html and "Luxury Caribbean Searchers" in html
    assert NOTE in html
    assert "Platinum Tier" not in html  # another folder
    assert pdf_file.read_bytes().startswith(b"%PDF")
    info = bundle_info(bundle_file)
    assert info["title"] == "Beach review"
    assert info["scope"] == ["trait-folder:540132"]
    with zipfile.ZipFile(bundle_file) as archive:
        assert archive.read("snapshot.html").decode("utf-8") == html
    assert _leftovers(out.parent) == []
    box = window.snapshot.last_message
    assert box is not None and str(html_file) in box.text() and str(bundle_file) in box.text()
    assert box.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse


def test_picked_objects_and_a_bad_pick_read_as_messages(window: MainWindow, tmp_path: Path,
                                                        qtbot) -> None:
    dialog = _export_dialog(window)
    dialog.set_scope("picked")
    dialog.picks_edit.setPlainText("trait:3100004, bogus")
    dialog.path_edit.setText(str(tmp_path / "picked.html"))
    dialog.export_button.click()  # malformed: the dialog stays open and says why
    assert dialog.isVisible() and "KIND:ID" in dialog.error_label.text()
    dialog.picks_edit.setPlainText("trait:3100004\ntrait:999")  # well formed, not in it
    outcome = _accept(window, dialog, qtbot)
    assert outcome.status == "failed"
    assert "trait:999" in outcome.message and "Traceback" not in outcome.message
    assert not (tmp_path / "picked.html").exists()
    assert "trait:999" in window.snapshot.last_message.text()


def test_masking_on_masks_the_export_and_leaves_out_the_bundle(window: MainWindow,
                                                              tmp_path: Path, qtbot) -> None:
    window.workshop.set_session_rules(MaskRules(True, ("Holidays",)))
    window.reveal(PHONES)
    dialog = _export_dialog(window)
    assert dialog.mask_check.isEnabled() and dialog.mask_check.isChecked()
    assert not dialog.bundle_check.isEnabled()  # a bundle would carry the raw rows
    assert "not with masking" in dialog.bundle_check.text()
    dialog.mask_check.setChecked(False)  # unmasked, a bundle is possible again
    assert dialog.bundle_check.isEnabled() and dialog.request().mask is None
    dialog.mask_check.setChecked(True)
    assert "Holidays" not in dialog.scope_buttons["object"].text()
    dialog.set_scope("object")
    dialog.pdf_check.setChecked(True)
    dialog.path_edit.setText(str(tmp_path / "masked.html"))
    outcome = _accept(window, dialog, qtbot)
    assert outcome.status == "ok", outcome.message
    html = (tmp_path / "masked.html").read_text(encoding="utf-8")
    assert "Holidays" not in html and "holidays" not in html
    assert "Viewed Beach Term 1" in html  # the same alias the window shows
    assert "Ask the client whether Term 1" in html  # the note, masked too
    assert not (tmp_path / "masked.aamsnap").exists()


def test_cancel_from_the_progress_dialog_writes_nothing(workspace_path: Path, tmp_path: Path,
                                                        qtbot, window: MainWindow) -> None:
    existing = tmp_path / "keep.html"
    existing.write_text("the previous snapshot", encoding="utf-8")
    request = SnapshotRequest(workspace_path, existing, pdf=tmp_path / "keep.pdf")
    controller = SnapshotController(request, window)
    # The Cancel button, pressed before the worker gets going.
    controller.dialog.findChild(QPushButton).click()
    with qtbot.waitSignal(controller.finished, timeout=30_000) as blocker:
        controller.start()
    assert blocker.args[0].status == "cancelled"
    assert existing.read_text(encoding="utf-8") == "the previous snapshot"
    assert not (tmp_path / "keep.pdf").exists() and _leftovers(tmp_path) == []


def test_cancel_midway_removes_the_files_already_written(workspace_path: Path,
                                                         tmp_path: Path, qtbot,
                                                         window: MainWindow) -> None:
    request = SnapshotRequest(workspace_path, tmp_path / "mid.html",
                              bundle=tmp_path / "mid.aamsnap")
    controller = SnapshotController(request, window, show_dialog=False)
    stages: list[str] = []

    def on_stage(stage: str) -> None:  # runs in the worker thread (direct connection)
        stages.append(stage)
        if stage == "bundle":  # the HTML is written by now
            controller.worker.cancel()

    controller.worker.progressed.connect(on_stage, Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(controller.finished, timeout=30_000) as blocker:
        controller.start()
    assert blocker.args[0].status == "cancelled"
    assert stages[:3] == ["read", "html", "bundle"]
    assert list(tmp_path.glob("mid*")) == [] and _leftovers(tmp_path) == []


def test_run_export_never_raises(tmp_path: Path) -> None:
    outcome = run_export(SnapshotRequest(tmp_path / "missing.aamws", tmp_path / "x.html"))
    assert outcome.status == "failed" and "missing.aamws" in outcome.message


def test_helpers_of_the_dialog() -> None:
    assert html_path(" report ") == Path("report.html")
    assert html_path("a/b.HTM") == Path("a/b.HTM")
    assert html_path("  ") is None
    assert split_picks("trait:1, segment:2;\n trait-folder:3") == ["trait:1", "segment:2",
                                                                   "trait-folder:3"]


# ----- PNG and CSV ----------------------------------------------------------------------------


def test_window_as_png(window: MainWindow, tmp_path: Path) -> None:
    window.snapshot.ask_save_path = lambda *_a: tmp_path / "window"
    window.snapshot.png_action.trigger()
    image = QImage(str(tmp_path / "window.png"))
    assert not image.isNull()
    assert image.width() >= window.width() and image.height() >= window.height()
    assert _leftovers(tmp_path) == []


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_csv_exports_of_findings_annotations_search_and_list(window: MainWindow,
                                                            tmp_path: Path, qtbot) -> None:
    snapshot = window.snapshot
    chosen: list[Path] = []
    snapshot.ask_save_path = lambda *_a: chosen[-1]

    chosen.append(tmp_path / "findings.csv")
    snapshot.findings_csv_action.trigger()
    findings = _rows(tmp_path / "findings.csv")
    stored = window.workspace.conn.execute("SELECT count(*) FROM findings").fetchone()[0]
    assert findings[0][0] == "Severity" and len(findings) - 1 == stored > 0
    assert "No segment uses Viewed Beach Holidays" in findings[1]

    chosen.append(tmp_path / "notes")  # .csv is added
    snapshot.annotations_csv_action.trigger()
    notes = _rows(tmp_path / "notes.csv")
    assert notes[1][:3] == ["Trait", "3100001", "Viewed Beach Holidays"] and NOTE in notes[1]

    window.search_pane.box.setText("Holidays")
    window.search.run_now()
    chosen.append(tmp_path / "search.csv")
    snapshot.search_csv_action.trigger()
    hits = _rows(tmp_path / "search.csv")
    assert ["Trait", "3100001", "Viewed Beach Holidays"] in hits

    window.reveal(PHONES)  # lists its folder
    chosen.append(tmp_path / "list.csv")
    snapshot.list_csv_action.trigger()
    listed = _rows(tmp_path / "list.csv")
    assert any("Viewed Beach Holidays" in row for row in listed[1:])
    assert any("Luxury Caribbean Searchers" in row for row in listed[1:])

    window.workshop.set_session_rules(MaskRules(True, ("Holidays",)))
    chosen.append(tmp_path / "search-masked.csv")
    snapshot.search_csv_action.trigger()
    masked = (tmp_path / "search-masked.csv").read_text(encoding="utf-8-sig")
    assert "3100001" in masked and "Holidays" not in masked and "Viewed Beach Term 1" in masked
    assert _leftovers(tmp_path) == []


def test_search_csv_without_a_query_says_so(window: MainWindow, tmp_path: Path) -> None:
    window.snapshot.ask_save_path = lambda *_a: tmp_path / "empty.csv"
    window.snapshot.search_csv_action.trigger()
    assert not (tmp_path / "empty.csv").exists()
    assert "search box is empty" in window.snapshot.last_message.text()


# ----- opening bundles ------------------------------------------------------------------------


@pytest.fixture
def bundle_path(workspace_path: Path, tmp_path: Path) -> Path:
    out = tmp_path / "beach.aamsnap"
    with Workspace.open(workspace_path, readonly=True) as workspace:
        scope = resolve_scope(workspace.conn, (ObjectRef("trait-folder", 540132),))
        report = build_snapshot(workspace.conn, scope=scope, title="Beach review",
                                chart_renderer=None)
        write_bundle(workspace.conn, scope, render_html(report), out,
                     manifest={"title": report.title})
    return out


def test_a_bundle_is_recognised_wherever_paths_arrive(bundle_path: Path) -> None:
    assert classify_path(bundle_path).kind == "snapshot"
    assert classify_drop([bundle_path.parent / "nothing.txt", bundle_path]).kind == "snapshot"


def test_opening_a_bundle_shows_it_read_only_and_cleans_up_on_close(bundle_path: Path,
                                                                    qtbot) -> None:
    window = _open_window(qtbot, bundle_path)
    bundle = window.snapshot.bundle
    assert bundle is not None and bundle.folder.is_dir()
    assert window.read_only
    assert READ_ONLY_MARK in window.windowTitle()
    assert window.windowTitle().startswith("beach")
    bar = window.snapshot.info_bar
    assert bar.isVisible()
    assert bar.text().startswith("Read-only snapshot from 20")
    assert bar.text().endswith("— Beach review")
    assert window.reveal(PHONES)
    assert "Viewed Beach Holidays" in window.inspector.plain_text()
    assert window.tree_model.index_for(ObjectRef("trait", 3100004)).isValid() is False
    editor = window.annotations.editor
    assert editor.is_read_only()
    assert editor.note_edit.isReadOnly() or not editor.note_edit.isEnabled()
    assert not window.snapshot.export_action.isEnabled()
    assert window.snapshot.open_export_dialog() is None
    assert "read-only snapshot" in window.snapshot.last_message.text()
    assert get_annotation(window.workspace.conn, "trait", 3100001).note == NOTE
    window.workshop.set_session_rules(MaskRules(True, ("Beach",)))  # no write needed
    assert "Beach" not in bar.text() and READ_ONLY_MARK in window.windowTitle()
    window.close()
    qtbot.waitUntil(lambda: not bundle.folder.exists(), timeout=5000)


def test_opening_a_workspace_after_a_bundle_leaves_read_only_mode(bundle_path: Path,
                                                                  workspace_path: Path,
                                                                  qtbot) -> None:
    window = _open_window(qtbot, bundle_path)
    folder = window.snapshot.bundle.folder
    with qtbot.waitSignal(window.ready, timeout=10_000):
        assert window.open_path(workspace_path)
    qtbot.waitUntil(lambda: not folder.exists(), timeout=5000)
    assert window.snapshot.bundle is None and not window.read_only
    assert READ_ONLY_MARK not in window.windowTitle()
    assert not window.snapshot.info_bar.isVisible()
    assert not window.annotations.editor.is_read_only()
    assert window.snapshot.export_action.isEnabled()


def test_a_broken_bundle_is_refused_with_a_message(tmp_path: Path, qtbot) -> None:
    bad = tmp_path / "broken.aamsnap"
    bad.write_bytes(b"not a zip")
    window = MainWindow(interactive=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loadFailed) as blocker:
        assert not window.open_path(bad)
    assert "Cannot open the snapshot" in blocker.args[0]
    assert window.workspace is None and not window.read_only


def test_gui_command_opens_a_bundle(bundle_path: Path, tmp_path: Path) -> None:
    png = tmp_path / "bundle.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "AAM_EXPLORER_DATA_DIR": str(tmp_path / "data"), "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    result = subprocess.run(
        [sys.executable, "-c", "from explorer.cli import main; main()", "gui",
         str(bundle_path), "--screenshot", str(png), "--select", "trait:3100001"],
        capture_output=True, text=True, env=env, timeout=90)
    assert result.returncode == 0, result.stderr
    assert QImage(str(png)).width() == 1280
    assert list((tmp_path / "tmp").glob("aamsnap-*")) == []  # extracted, then removed
