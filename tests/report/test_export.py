"""export_snapshot: the one snapshot use case of the command line and the window."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from explorer.masking import MaskRules, masker_for
from explorer.report.errors import ReportWriteError
from explorer.report.export import (
    STAGES,
    ExportCancelled,
    SnapshotExportError,
    SnapshotOptions,
    export_snapshot,
)
from explorer.store.workspace import Workspace
from tests.helpers.snapshot_workspaces import SAMPLE_TENANT, import_workspace

NO_CHART = SnapshotOptions()  # no chart renderer: no chart


@pytest.fixture(scope="module")
def workspace_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ws") / "s.aamws"
    import_workspace(SAMPLE_TENANT, path).close()
    return path


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


def test_writes_the_files_and_reports_each_stage(workspace_path: Path, tmp_path: Path) -> None:
    stages: list[str] = []
    result = export_snapshot(workspace_path, html=tmp_path / "r.html",
                             bundle=tmp_path / "r.aamsnap", options=NO_CHART,
                             progress=stages.append)
    assert result.paths == [tmp_path / "r.html", tmp_path / "r.aamsnap"]
    assert result.objects > 0 and not result.masked
    assert stages == [s for s in STAGES if s != "pdf"]
    assert "Viewed Beach Holidays" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert _leftovers(tmp_path) == []


def test_a_failure_replaces_no_file_and_leaves_no_temporary_one(workspace_path: Path,
                                                                tmp_path: Path) -> None:
    good = tmp_path / "r.html"
    good.write_text("the previous snapshot", encoding="utf-8")
    blocker = tmp_path / "r.aamsnap"
    blocker.mkdir()  # the bundle cannot be renamed onto a folder
    with pytest.raises(OSError):
        export_snapshot(workspace_path, html=good, bundle=blocker, options=NO_CHART)
    assert good.read_text(encoding="utf-8") == "the previous snapshot"
    assert _leftovers(tmp_path) == []


def test_a_bundle_with_masking_is_refused_before_anything_is_written(
        workspace_path: Path, tmp_path: Path) -> None:
    with Workspace.open(workspace_path) as ws:
        masker = masker_for(ws, MaskRules(True, ("Holidays",)))
        with pytest.raises(SnapshotExportError, match="masking cannot hide"):
            export_snapshot(ws, html=tmp_path / "r.html", bundle=tmp_path / "r.aamsnap",
                            mask=masker, options=NO_CHART)
        assert list(tmp_path.iterdir()) == []
        result = export_snapshot(ws, html=tmp_path / "r.html", mask=masker, options=NO_CHART)
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert result.masked and "This snapshot is masked" in page and "Holidays" not in page


def test_the_window_creates_the_folder_the_command_line_refuses_it(
        workspace_path: Path, tmp_path: Path) -> None:
    missing = tmp_path / "new" / "folder" / "r.html"
    with pytest.raises(ReportWriteError, match="does not exist"):
        export_snapshot(workspace_path, html=missing, options=NO_CHART)
    assert not (tmp_path / "new").exists()
    export_snapshot(workspace_path, html=missing, options=NO_CHART, create_folders=True)
    assert missing.is_file()


def test_cancel_writes_nothing(workspace_path: Path, tmp_path: Path) -> None:
    event = threading.Event()
    stages: list[str] = []

    def progress(stage: str) -> None:
        stages.append(stage)
        if stage == "html":
            event.set()

    with pytest.raises(ExportCancelled):
        export_snapshot(workspace_path, html=tmp_path / "r.html",
                        bundle=tmp_path / "r.aamsnap", options=NO_CHART, progress=progress,
                        cancel=event)
    assert stages == ["read", "html"]
    assert list(tmp_path.iterdir()) == []


def test_nothing_to_write_is_refused(workspace_path: Path) -> None:
    with pytest.raises(SnapshotExportError, match="nothing to write"):
        export_snapshot(workspace_path, options=NO_CHART)
