"""Two processes, one workspace: an import completes on top of the other's result or is
refused with "workspace is busy" (never lost), a write lock held elsewhere gives the same
message promptly, and a killed import's temporary file goes at the next import, at once.
Real subprocesses, not threads."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from explorer.importers import ImportRefused, import_export
from explorer.store.locking import BUSY_MESSAGE, WorkspaceBusy, lock_path, workspace_lock
from tests.helpers.export_forms import tenant, write_json
from tests.helpers.paths import REPO_ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and flock")

_IMPORTER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from explorer.importers import ImportRefused, import_export

    source, workspace, pause, marker = sys.argv[1:5]

    def progress(step):
        if step.stage == "read" and step.done == 0:
            Path(marker).write_text("reading")
            time.sleep(float(pause))

    try:
        report = import_export(Path(source), Path(workspace), progress=progress)
    except ImportRefused as refused:
        print(json.dumps({"refused": [str(p) for p in refused.report.errors]}))
    else:
        print(json.dumps({"created": report.new_workspace, "import_id": report.import_id}))
""")


def _start_import(source: Path, ws: Path, marker: Path, pause: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _IMPORTER, str(source), str(ws), str(pause), str(marker)],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(path: Path, child: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the child never got there"
        time.sleep(0.02)


def _exports(tmp_path: Path) -> tuple[Path, Path]:
    first = write_json(tmp_path / "first")
    data = tenant()
    for trait in data["trait"]:
        trait["name"] += " (second export)"
    return first, write_json(tmp_path / "second", data)


def test_two_imports_at_once_into_one_new_workspace_never_lose_one(tmp_path: Path) -> None:
    first, second = _exports(tmp_path)
    for attempt in range(3):
        ws = tmp_path / f"new{attempt}.aamws"
        children = [_start_import(source, ws, tmp_path / f"marker{attempt}{n}", 0.5)
                    for n, source in enumerate((first, second))]
        results = []
        for child in children:
            out, err = child.communicate(timeout=120)
            assert child.returncode == 0, err
            results.append(json.loads(out))
        done = [r for r in results if "import_id" in r]
        refused = [r for r in results if "refused" in r]
        assert [r["created"] for r in done].count(True) == 1, results
        for result in refused:
            assert result["refused"] == [f"{ws}: {BUSY_MESSAGE}"]
        conn = sqlite3.connect(ws)
        imports = [row[0] for row in conn.execute("SELECT id FROM imports ORDER BY id")]
        conn.close()
        assert sorted(r["import_id"] for r in done) == imports  # every success is there
        assert sorted(p.name for p in tmp_path.glob(f".{ws.name}*")) == []


def test_a_second_import_is_refused_at_once_and_a_killed_ones_temp_goes_at_once(
        tmp_path: Path) -> None:
    first, second = _exports(tmp_path)
    ws = tmp_path / "new.aamws"
    marker = tmp_path / "marker"
    child = _start_import(first, ws, marker, 120)
    try:
        _wait_for(marker, child)
        started = time.monotonic()
        with pytest.raises(ImportRefused) as refused:
            import_export(second, ws)
        assert time.monotonic() - started < 3
        assert [str(p) for p in refused.value.report.errors] == [f"{ws}: {BUSY_MESSAGE}"]
        temps = list(tmp_path.glob(f".{ws.name}.*.importing*"))
        assert temps  # the running import's temporary file, left alone
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.communicate()
    assert all(t.exists() for t in temps)  # killed: its temporary file is still there
    report = import_export(second, ws)  # no waiting for the file to age
    assert report.new_workspace and report.counts["traits"] == 4
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


_WRITER = textwrap.dedent("""
    import sqlite3, sys, time
    from pathlib import Path
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
    Path(sys.argv[2]).write_text("locked")
    time.sleep(120)
""")


def test_a_write_lock_held_by_another_process_is_busy_promptly(tmp_path: Path) -> None:
    first, second = _exports(tmp_path)
    ws = tmp_path / "ws.aamws"
    import_export(first, ws)
    marker = tmp_path / "locked"
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(ws), str(marker)],
                              cwd=REPO_ROOT, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(marker, writer)  # type: ignore[arg-type]
        started = time.monotonic()
        with pytest.raises(ImportRefused) as refused:
            import_export(second, ws)
        assert time.monotonic() - started < 3
        assert [str(p) for p in refused.value.report.errors] == [f"{ws}: {BUSY_MESSAGE}"]
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.communicate()
    assert import_export(second, ws).counts["traits"] == 4


def test_the_lock_is_exclusive_and_leaves_no_file(tmp_path: Path) -> None:
    ws = tmp_path / "ws.aamws"
    with workspace_lock(ws):
        assert lock_path(ws).exists()
        code = ("import sys; from pathlib import Path; "
                "from explorer.store.locking import WorkspaceBusy, workspace_lock\n"
                "try:\n    with workspace_lock(Path(sys.argv[1])): print('got it')\n"
                "except WorkspaceBusy as exc: print(exc)")
        out = subprocess.run([sys.executable, "-c", code, str(ws)], cwd=REPO_ROOT,
                             capture_output=True, text=True, check=True).stdout.strip()
        assert out == f"{ws}: {BUSY_MESSAGE}"
        with pytest.raises(WorkspaceBusy), workspace_lock(ws):  # also within one process
            pass
    assert list(tmp_path.iterdir()) == []
    with workspace_lock(ws):  # free again
        pass
