"""The import worker thread and its progress dialog: success, refusal, cancel, throttling."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from explorer import importers
from explorer.importers import Progress, import_export
from explorer.ui.import_report_dialog import ImportReportDialog, report_summary
from explorer.ui.import_worker import ImportController, ImportJob, ImportThread, stage_text
from explorer.ui.tasks import TaskControl


def _run(thread: ImportThread, qtbot) -> object:
    with qtbot.waitSignal(thread.outcome, timeout=20000) as blocker:
        thread.start()
    thread.wait()
    return blocker.args[0]


def _trait_name(path: Path, trait_id: int) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT name FROM traits WHERE id = ?", (trait_id,)).fetchone()[0]


def test_stage_text_reads_like_a_sentence() -> None:
    assert stage_text("read", 3, 7, "traits.json") == "Reading files: traits.json (3 / 7)"
    assert stage_text("search", 0, 0) == "Indexing for search"
    assert stage_text("mystery", 1200, 5000) == "Mystery (1,200 / 5,000)"


def test_a_successful_import_reports_counts_and_progress(sample_tenant: Path, tmp_path: Path,
                                                         qtbot) -> None:
    target = tmp_path / "new.aamws"
    thread = ImportThread(sample_tenant, target)
    stages: list[str] = []
    thread.progressed.connect(lambda stage, *_: stages.append(stage))
    outcome = _run(thread, qtbot)
    assert outcome.status == "ok", outcome.message
    assert outcome.report.counts["traits"] == 7
    assert target.exists()
    qtbot.waitUntil(lambda: "commit" in stages)
    assert stages[0] == "open" and "read" in stages
    assert "Partner 7315" in report_summary(outcome.report)
    assert "7 traits" in report_summary(outcome.report)


@pytest.mark.parametrize("stage", ["read", "references", "commit"])
def test_cancelling_at_a_stage_leaves_the_workspace_unchanged(
        stage: str, sample_tenant: Path, tmp_path: Path, qtbot) -> None:
    target = tmp_path / "existing.aamws"
    import_export(sample_tenant, target)
    traits_json = sample_tenant / "traits.json"
    traits_json.write_text(traits_json.read_text(encoding="utf-8").replace(
        "Viewed Beach Holidays", "Should Never Be Saved"), encoding="utf-8")
    thread = ImportThread(sample_tenant, target)
    # Cancel from the worker thread itself the moment the stage starts: deterministic.
    thread.progressed.connect(lambda s, *_: thread.cancel() if s == stage else None,
                              Qt.ConnectionType.DirectConnection)
    outcome = _run(thread, qtbot)
    assert outcome.status == "cancelled"
    assert "unchanged" in outcome.message
    assert _trait_name(target, 3100001) == "Viewed Beach Holidays"


def test_cancelling_a_new_workspace_creates_no_file(sample_tenant: Path, tmp_path: Path,
                                                    qtbot) -> None:
    target = tmp_path / "never.aamws"
    thread = ImportThread(sample_tenant, target)
    thread.progressed.connect(lambda s, *_: thread.cancel() if s == "search" else None,
                              Qt.ConnectionType.DirectConnection)
    assert _run(thread, qtbot).status == "cancelled"
    assert list(tmp_path.glob("*never.aamws*")) == []


def test_a_refused_export_gives_a_message_and_one_line_problems(tmp_path: Path,
                                                                qtbot) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "segments.json").write_text("[{broken", encoding="utf-8")
    target = tmp_path / "bad.aamws"
    outcome = _run(ImportThread(bad, target), qtbot)
    assert outcome.status == "refused"
    assert "segments.json" in outcome.message
    assert outcome.problems and all("\n" not in line for line in outcome.problems)
    assert outcome.problems[0].startswith("Error: ")
    assert not target.exists()


def test_an_unexpected_error_becomes_a_one_line_failure(sample_tenant: Path, tmp_path: Path,
                                                        qtbot, monkeypatch) -> None:
    thread = ImportThread(sample_tenant, tmp_path / "x.aamws")

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(importers, "import_export", explode)  # the error escapes the importer
    outcome = _run(thread, qtbot)
    assert outcome.status == "failed"
    assert outcome.message == "RuntimeError: disk on fire"


def test_progress_signals_are_throttled_but_cancel_is_checked_every_step(
        tmp_path: Path, qtbot) -> None:
    job = ImportJob(tmp_path, tmp_path / "x.aamws")
    emitted: list[tuple] = []
    cancelled = threading.Event()
    control = TaskControl(cancelled, lambda *a: emitted.append(a))
    answers = [job.on_progress(control, Progress("read", n, 100_000)) for n in range(5000)]
    assert all(answers)
    assert 1 <= len(emitted) < 100
    job.on_progress(control, Progress("search", 0, 1))
    assert emitted[-1][0] == "search"  # a new stage is always reported
    cancelled.set()
    assert job.on_progress(control, Progress("search", 1, 2)) is False


def test_the_progress_dialog_follows_the_worker_and_cancel_stops_it(
        sample_tenant: Path, tmp_path: Path, qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    target = tmp_path / "dialog.aamws"
    controller = ImportController(sample_tenant, target, parent)
    labels: list[str] = []
    controller.worker.progressed.connect(
        lambda *_: labels.append(controller.dialog.labelText()))
    with qtbot.waitSignal(controller.finished, timeout=20000) as blocker:
        controller.start()
    assert blocker.args[0].status == "ok"
    assert not controller.is_running()
    assert any(text.startswith("Reading files") for text in labels)

    # Second run: press the dialog's own Cancel button before the worker gets going.
    controller = ImportController(sample_tenant, tmp_path / "cancelled.aamws", parent)
    controller.dialog.findChild(QPushButton).click()
    assert controller.dialog.labelText() == "Cancelling…"
    with qtbot.waitSignal(controller.finished, timeout=20000) as blocker:
        controller.start()
    assert blocker.args[0].status == "cancelled"
    assert not (tmp_path / "cancelled.aamws").exists()


def test_the_report_dialog_lists_problems_and_copies_them(qtbot) -> None:
    problems = ["Error: traits.json: record 3 (sid 7): field 'name': missing",
                "Warning: segments.json: unknown merge rule 99"]
    dialog = ImportReportDialog("Import report", "Imported with 2 problem(s).", problems)
    qtbot.addWidget(dialog)
    assert dialog.messages() == problems
    dialog.problem_list.item(1).setSelected(True)
    dialog.copy_selected()
    from PySide6.QtWidgets import QApplication

    assert QApplication.clipboard().text() == problems[1]
    dialog.copy_all()
    assert QApplication.clipboard().text().splitlines() == problems
