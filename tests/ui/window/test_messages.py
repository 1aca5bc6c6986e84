"""The window's messages: the demo import report, a refusal's headline, missing files, names
and icons."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction

from explorer.importers import import_export
from explorer.kinds import ObjectRef
from explorer.paths import demo_export_dir
from explorer.ui.import_report_dialog import ImportReportDialog, report_summary
from explorer.ui.import_worker import ImportOutcome
from explorer.ui.main_window import MainWindow
from explorer.ui.snapshot.export_dialog import ExportChoices, SnapshotExportDialog


@pytest.fixture
def window(qtbot) -> MainWindow:
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


# -- 1. rolling usage exports that agree are a note, and usage is counted in days ----------

def test_demo_import_has_no_problems_one_note_and_counts_days(tmp_path: Path) -> None:
    report = import_export(demo_export_dir(), tmp_path / "demo.aamws", strict=True)
    assert report.warnings == [] and report.errors == []
    assert report.notes == ["9 usage file overlaps (2–5 days each); the values agree"]
    summary = report_summary(report)
    assert "730 usage days (4 series)" in summary
    assert "2,920" not in summary
    assert summary.splitlines()[-1] == report.notes[0]


def test_window_import_of_the_demo_shows_no_report_dialog(window: MainWindow, tmp_path: Path,
                                                            qtbot) -> None:
    window.interactive = True
    with qtbot.waitSignal(window.importFinished, timeout=20000) as finished:
        assert window.start_import(demo_export_dir(), tmp_path / "demo.aamws")
    outcome = finished.args[0]
    assert outcome.status == "ok" and outcome.problems == []
    assert not isinstance(window.last_dialog, ImportReportDialog)
    assert "the values agree" in window.statusBar().currentMessage()


# -- 5. a missing workspace is "file not found" ----------------------------------------------

def test_opening_a_missing_workspace_says_file_not_found(window: MainWindow, tmp_path: Path,
                                                         qtbot) -> None:
    missing = tmp_path / "gone.aamws"
    with qtbot.waitSignal(window.loadFailed) as failed:
        assert not window.open_path(missing)
    assert failed.args[0] == f"File not found: {missing}"


# -- 6. the refusal headline names the export; the reasons follow ------------------------------

def test_refused_import_headline_names_the_export(window: MainWindow, tmp_path: Path) -> None:
    source = tmp_path / "client-export"
    source.mkdir()
    window.interactive = True
    outcome = ImportOutcome("refused", source, tmp_path / "x.aamws",
                            message="nothing recognised in the export",
                            problems=["Error: nothing recognised in the export"])
    window.opener.on_import_finished(outcome)
    dialog = window.last_dialog
    assert isinstance(dialog, ImportReportDialog)
    assert dialog.headline.text() == "Could not import client-export"
    assert str(source) in dialog.detail.text()
    assert "The reason is listed below." in dialog.detail.text()
    assert dialog.messages() == ["Error: nothing recognised in the export"]
    dialog.close()


# -- 2. an "&" in an object name is shown, not taken as a shortcut -----------------------------

def test_export_dialog_scope_shows_an_ampersand_in_names(qtbot, tmp_path: Path) -> None:
    choices = ExportChoices(tmp_path / "w.aamws", "T", tmp_path / "t.html",
                            current=ObjectRef("segment", 5),
                            current_label="Gold & Platinum Members",
                            folder=ObjectRef("segment-folder", 2), folder_label="R&D")
    dialog = SnapshotExportDialog(choices, None)
    qtbot.addWidget(dialog)
    shown = {name: QAction(button.text()).iconText()
             for name, button in dialog.scope_buttons.items()}
    assert shown["object"] == "The current object: Gold & Platinum Members"
    assert shown["folder"] == "The current object's folder: R&D"
