"""The background-task runner: a plain job in a thread, its progress in the dialog, Cancel."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from explorer.ui.tasks import BackgroundTask, ProgressDialogSpec, TaskControl, TaskThread


def _counting_job(steps: int, seen_by_job: list[str]):
    def job(control: TaskControl) -> str:
        for step in range(steps):
            if control.is_cancelled():
                return f"cancelled at {step}"
            control.report("count", step, steps, f"step {step}")
            seen_by_job.append(threading.current_thread().name)
        return "done"
    return job


def test_a_job_runs_off_the_gui_thread_and_its_progress_moves_the_dialog(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    threads: list[str] = []
    task = BackgroundTask(TaskThread(_counting_job(3, threads)), parent,
                          dialog=ProgressDialogSpec("Counting", "Starting"),
                          label=lambda stage, done, total, message: f"{message} of {total}")
    assert task.dialog is not None and task.dialog.labelText() == "Starting"
    labels: list[str] = []
    task.worker.progressed.connect(lambda *_: labels.append(task.dialog.labelText()))
    with qtbot.waitSignal(task.finished, timeout=5000) as finished:
        task.start()
    assert finished.args == ["done"] and task.outcome == "done" and not task.is_running()
    assert threads and threading.main_thread().name not in threads
    qtbot.waitUntil(lambda: len(labels) == 3)
    assert labels == ["step 0 of 3", "step 1 of 3", "step 2 of 3"]
    assert task.dialog is None  # closed and released once the job ended


def test_cancel_from_the_dialog_reaches_the_job(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    task = BackgroundTask(TaskThread(_counting_job(5, [])), parent,
                          dialog=ProgressDialogSpec("Counting", "Starting"))
    assert task.dialog is not None
    task.dialog.findChild(QPushButton).click()  # Cancel, before the worker starts
    assert task.dialog.labelText() == "Cancelling…"
    with qtbot.waitSignal(task.finished, timeout=5000) as finished:
        task.start()
    assert finished.args == ["cancelled at 0"]


def test_stages_move_the_bar_one_step_each(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    stages = ["read", "write", "save"]

    def job(control: TaskControl) -> None:
        for stage in stages:
            control.report(stage, 0, 0, "")

    task = BackgroundTask(TaskThread(job), parent,
                          dialog=ProgressDialogSpec("Stages", "…", len(stages)), stages=stages)
    values: list[int] = []
    task.worker.progressed.connect(lambda *_: values.append(task.dialog.value()),
                                   Qt.ConnectionType.QueuedConnection)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    qtbot.waitUntil(lambda: len(values) == 3)
    assert values == [0, 1, 2]
