"""`aam-explorer gui` / `demo`: scripted screenshots, argument errors, and no Qt elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

CLI = [sys.executable, "-c", "from explorer.cli import main; main()"]


def _run(args: list[str], data_dir: Path, timeout: float = 90) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "AAM_EXPLORER_DATA_DIR": str(data_dir)}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env,
                          timeout=timeout)


def distinct_colours(png: Path, step: int = 4) -> int:
    image = QImage(str(png))
    return len({image.pixel(x, y) for x in range(0, image.width(), step)
                for y in range(0, image.height(), step)})


@pytest.fixture
def workspace_path(sample_workspace: Path) -> Path:
    return sample_workspace


def test_gui_screenshot_of_a_workspace_with_a_selection(workspace_path: Path,
                                                        tmp_path: Path) -> None:
    png = tmp_path / "shot.png"
    result = _run(["gui", str(workspace_path), "--screenshot", str(png),
                   "--select", "segment:3200001", "--size", "1100x700"], tmp_path / "data")
    assert result.returncode == 0, result.stderr
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1100, 700)
    assert distinct_colours(png) > 50


def test_gui_imports_an_export_given_on_the_command_line(sample_tenant: Path,
                                                         tmp_path: Path) -> None:
    png = tmp_path / "export.png"
    data = tmp_path / "data"
    result = _run(["gui", str(sample_tenant), "--screenshot", str(png),
                   "--select", "trait:3100001"], data)
    assert result.returncode == 0, result.stderr
    assert (data / "sample-tenant.aamws").exists()  # beside the other workspaces
    assert QImage(str(png)).width() == 1280


def test_a_bad_export_fails_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad-export"
    bad.mkdir()
    (bad / "traits.json").write_text("nope", encoding="utf-8")
    result = _run(["gui", str(bad), "--screenshot", str(tmp_path / "x.png")], tmp_path / "d")
    assert result.returncode == 1
    assert "traits.json" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--select", "segment"], "expected KIND:ID"),
    (["--select", "widget:3"], "expected KIND:ID"),
    (["--size", "big"], "WIDTHxHEIGHT"),
    (["--size", "10x10"], "between 200 and 10000"),
])
def test_bad_options_are_usage_errors(workspace_path: Path, tmp_path: Path, args: list[str],
                                      message: str) -> None:
    result = _run(["gui", str(workspace_path), "--screenshot", str(tmp_path / "x.png"), *args],
                  tmp_path / "data", timeout=30)
    assert result.returncode == 2
    assert message in result.stderr


def test_demo_screenshot(tmp_path: Path) -> None:
    png = tmp_path / "demo.png"
    data = tmp_path / "data"
    result = _run(["demo", "--screenshot", str(png), "--select", "segment:1300002"], data,
                  timeout=120)
    assert result.returncode == 0, result.stderr
    assert (data / "northwind-outfitters-demo.aamws").exists()
    assert distinct_colours(png) > 50


def test_the_cli_does_not_load_qt_until_the_window_is_wanted() -> None:
    code = ("import sys, explorer.cli, explorer.cli.gui_cmd;"
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))];"
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_start_up_does_not_import_pyqtgraph(workspace_path: Path, tmp_path: Path) -> None:
    code = ("import sys\n"
            "from explorer.ui.app import run_app\n"
            f"code = run_app({str(workspace_path)!r}, screenshot={str(tmp_path / 'p.png')!r})\n"
            "print('pyqtgraph' in sys.modules)\n"
            "sys.exit(code)\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "AAM_EXPLORER_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_without_a_path_the_last_workspace_opens_again(workspace_path: Path,
                                                      tmp_path: Path) -> None:
    code = f"""
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from explorer.ui.app import run_app
from explorer.ui.recent import RecentFiles

app = QApplication([])
RecentFiles.set_last_workspace(Path({str(workspace_path)!r}))

def check():
    windows = [w for w in app.topLevelWidgets() if w.objectName() == "mainWindow"]
    if not windows or not windows[0].is_ready:
        QTimer.singleShot(50, check)
        return
    print(windows[0].workspace.path.name)
    windows[0].close()
    app.quit()

QTimer.singleShot(0, check)
sys.exit(run_app())
"""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "AAM_EXPLORER_DATA_DIR": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == workspace_path.name


def test_no_display_is_a_clear_message_not_a_qt_abort(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["AAM_EXPLORER_DATA_DIR"] = str(tmp_path / "data")
    result = subprocess.run([*CLI, "demo"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "no display to open the window on" in result.stderr
    shot = tmp_path / "shot.png"
    result = subprocess.run([*CLI, "demo", "--screenshot", str(shot)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert shot.stat().st_size > 10_000


@pytest.mark.parametrize("panel", ["findings", "trends", "search", "annotations", "changes",
                                   "lineage"])
def test_panel_and_search_reach_the_window(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                           panel: str) -> None:
    from click.testing import CliRunner

    from explorer.cli import main as cli_main

    calls: list[dict] = []
    monkeypatch.setattr("explorer.ui.app.run_app",
                        lambda path, **options: calls.append(options) or 0)
    monkeypatch.setattr("explorer.demo.ensure_demo_workspace", lambda fresh=False: tmp_path)
    result = CliRunner().invoke(cli_main, ["demo", "--screenshot", str(tmp_path / "p.png"),
                                           "--panel", panel, "--search", "loyalty"])
    assert result.exit_code == 0, result.output
    assert calls[0]["panel"] == panel and calls[0]["search"] == "loyalty"


def test_an_unknown_panel_is_refused_with_the_names(tmp_path: Path) -> None:
    result = _run(["demo", "--screenshot", str(tmp_path / "x.png"), "--panel", "charts"],
                  tmp_path / "d")
    assert result.returncode == 2
    assert "trends" in result.stderr and "Traceback" not in result.stderr
