"""All or nothing: a cancel at any stage, Ctrl-C, or kill -9 at any moment leaves the old
workspace (or none) or the complete new one, never a mixture."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from explorer.importers import STAGES, ImportCancelled, Progress, import_export
from explorer.store.schema import CONFIG_TABLES
from tests.helpers.paths import REPO_ROOT
from tests.helpers.search_index import index_terms, indexed_objects

REPO = REPO_ROOT
STATE_TABLES = (*CONFIG_TABLES, "segment_traits", "annotations", "settings", "usage_days",
                "setting_events", "finding_acceptances")


def state(ws: Path) -> dict[str, object]:
    """What a user can see: every configuration and user row, the search index, the imports
    (without their timestamps, which differ between two runs of the same import)."""
    conn = sqlite3.connect(ws)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        result: dict[str, object] = {
            table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in STATE_TABLES
        }
        result["search_index"] = indexed_objects(conn)
        result["search_terms"] = index_terms(ws)
        result["imports"] = conn.execute(
            "SELECT id, source, partner_id, export_date, counts FROM imports ORDER BY id"
        ).fetchall()
        return result
    finally:
        conn.close()


@pytest.fixture
def bigger_export(sample_tenant: Path, tmp_path: Path) -> Path:
    """The sample plus 10,000 generated traits: big enough to kill mid-way."""
    target = tmp_path / "bigger"
    shutil.copytree(sample_tenant, target)
    traits = json.loads((target / "traits.json").read_text())
    template = traits[0]
    traits += [dict(template, sid=3_000_000 + i, name=f"Generated trait {i}",
                    integrationCode=f"gen_{i}", updateTime=1_700_000_000_000)
               for i in range(10_000)]
    (target / "traits.json").write_text(json.dumps(traits))
    return target


@pytest.fixture
def old_workspace(sample_tenant: Path, tmp_path: Path) -> Path:
    ws = tmp_path / "old.aamws"
    import_export(sample_tenant, ws)
    conn = sqlite3.connect(ws)
    conn.execute("INSERT INTO annotations (kind, object_id, note, created, updated) "
                 "VALUES ('trait', 3100001, 'keep me', 'x', 'x')")
    conn.commit()
    conn.close()
    return ws


def _cancel_at(stage: str):
    def progress(step: Progress) -> bool:
        return step.stage != stage

    return progress


@pytest.mark.parametrize("stage", STAGES)
def test_cancel_at_each_stage_leaves_existing_workspace_unchanged(
        stage: str, old_workspace: Path, bigger_export: Path) -> None:
    before = state(old_workspace)
    with pytest.raises(ImportCancelled) as cancelled:
        import_export(bigger_export, old_workspace, progress=_cancel_at(stage))
    assert cancelled.value.stage == stage
    assert state(old_workspace) == before


@pytest.mark.parametrize("stage", STAGES)
def test_cancel_at_each_stage_creates_no_workspace(stage: str, sample_tenant: Path,
                                                   tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(ImportCancelled):
        import_export(sample_tenant, folder / "new.aamws", progress=_cancel_at(stage))
    assert list(folder.iterdir()) == []


def test_ctrl_c_inside_the_import_rolls_back(old_workspace: Path,
                                             bigger_export: Path) -> None:
    before = state(old_workspace)

    def interrupt(step: Progress) -> None:
        if step.stage == "search":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_export(bigger_export, old_workspace, progress=interrupt)
    assert state(old_workspace) == before


_CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from explorer.importers import import_export

    source, workspace, marker, stop_at = sys.argv[1:5]

    def progress(step):
        # Stop (and wait to be killed) at the first step of the chosen stage that comes
        # after some work: for "read" that is once the first file has been written.
        if step.stage == stop_at and (stop_at != "read" or step.done > 0):
            Path(marker).write_text(step.stage)
            time.sleep(120)

    import_export(Path(source), Path(workspace), progress=progress)
    Path(marker).write_text("finished")
""")


def _run_child(source: Path, ws: Path, marker: Path, stop_at: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-c", _CHILD, str(source), str(ws), str(marker),
                             stop_at], env=env)


def _wait_for(marker: Path, child: subprocess.Popen, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if marker.exists() and marker.read_text():
            return marker.read_text()
        if child.poll() is not None:
            pytest.fail(f"the import process ended early with {child.returncode}")
        time.sleep(0.02)
    child.kill()
    pytest.fail("the import process never reached its stage")


def _kill(child: subprocess.Popen) -> None:
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)


@pytest.fixture
def complete_state(old_workspace: Path, bigger_export: Path, tmp_path: Path
                   ) -> dict[str, object]:
    """What the workspace looks like after the same import ran to the end."""
    reference = tmp_path / "reference.aamws"
    shutil.copy(old_workspace, reference)
    import_export(bigger_export, reference)
    return state(reference)


@pytest.mark.parametrize("stage", ["read", "folders", "search", "findings", "commit"])
def test_kill_9_at_a_stage_leaves_the_old_workspace(stage: str, old_workspace: Path,
                                                    bigger_export: Path,
                                                    tmp_path: Path) -> None:
    before = state(old_workspace)
    marker = tmp_path / "marker"
    child = _run_child(bigger_export, old_workspace, marker, stage)
    assert _wait_for(marker, child) == stage
    _kill(child)
    assert state(old_workspace) == before


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5])
def test_kill_9_at_any_moment_leaves_old_or_complete(delay: float, old_workspace: Path,
                                                     bigger_export: Path, tmp_path: Path,
                                                     complete_state: dict[str, object]
                                                     ) -> None:
    before = state(old_workspace)
    marker = tmp_path / "marker"
    child = _run_child(bigger_export, old_workspace, marker, "never")
    time.sleep(delay)
    if child.poll() is None:
        _kill(child)
    after = state(old_workspace)
    assert after in (before, complete_state)


def test_kill_9_while_building_a_new_workspace(bigger_export: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    ws = folder / "new.aamws"
    marker = tmp_path / "marker"
    child = _run_child(bigger_export, ws, marker, "commit")
    _wait_for(marker, child)
    _kill(child)
    assert not ws.exists()  # only the temporary file beside it, never a half-built target
    # a later import still succeeds, and the result is complete
    report = import_export(bigger_export, ws)
    assert report.counts["traits"] == 10_007
    assert state(ws)["imports"][0][4] == json.dumps(report.counts)


def test_a_killed_imports_leftover_temp_is_cleaned_by_the_next_import_at_once(
        sample_tenant: Path, tmp_path: Path) -> None:
    """Only the holder of the import lock creates temporary files: with no holder, every one
    left beside the workspace is a killed import's, however fresh (no waiting on its age)."""
    target = tmp_path / "new.aamws"
    old = tmp_path / f".{target.name}.deadbeef0000.importing"
    fresh = tmp_path / f".{target.name}.cafe00000000.importing"
    for leftover in (old, fresh):
        leftover.write_bytes(b"partial")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    import_export(sample_tenant, target)
    assert target.exists()
    assert not old.exists()
    assert not fresh.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.aamws", "sample-tenant"]
