"""The workspace session: one place for the open workspace, its read-only state and the
change channel (offscreen, real windows)."""

from __future__ import annotations

import shutil
from pathlib import Path

from explorer.importers import import_export
from explorer.store.workspace import Workspace
from explorer.ui.main_window import MainWindow
from explorer.ui.window.change import Change
from explorer.ui.window.session import WorkspaceSession


def test_opening_announces_the_workspace_and_reopening_its_objects(
        sample_tenant: Path, tmp_path: Path, qtbot) -> None:
    first = tmp_path / "first.aamws"
    import_export(sample_tenant, first)
    second = tmp_path / "second.aamws"
    shutil.copy(first, second)
    window = MainWindow(restore_settings=False)
    qtbot.addWidget(window)
    opened: list[str] = []
    changes: list[Change] = []
    window.session.opened.connect(lambda path: opened.append(Path(path).name))
    window.session.changed.connect(changes.append)
    assert window.open_workspace(first)
    assert window.open_workspace(first)  # what a re-import into the open file does
    assert window.open_workspace(second)
    assert opened == ["first.aamws", "first.aamws", "second.aamws"]
    assert [c for c in changes if c.workspace] == [
        Change(workspace=True), Change(workspace=True, objects=True), Change(workspace=True)]
    # the diff and the masking of each opened workspace come as their own changes
    assert Change(diff=True) in changes and Change(masking=True) in changes
    assert window.workspace is window.session.workspace and not window.read_only


def test_read_only_is_asked_of_the_workspace(sample_tenant: Path, tmp_path: Path) -> None:
    path = tmp_path / "ws.aamws"
    import_export(sample_tenant, path)
    session = WorkspaceSession()
    assert not session.read_only  # nothing open
    with Workspace.open(path) as writable:
        session.workspace = writable
        assert not session.read_only and not writable.is_read_only()
    with Workspace.open(path, readonly=True) as read_only:
        session.workspace = read_only
        assert session.read_only
