"""The welcome page's buttons: each one opens what it says."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from explorer.importers import import_export
from explorer.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot) -> MainWindow:
    win = MainWindow(restore_settings=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_welcome_shows_buttons_and_no_menu_hint(window: MainWindow) -> None:
    assert window.frame.stack.currentWidget() is window.welcome
    texts = [b.text() for b in (window.welcome.demo_button, window.welcome.import_button,
                                window.welcome.open_button)]
    assert texts == ["Open the demo", "Import an export…", "Open a workspace…"]
    assert window.welcome.recent_buttons == []


def test_demo_button_opens_the_demo(window: MainWindow, qtbot, monkeypatch,
                                    sample_tenant: Path, tmp_path: Path) -> None:
    demo = tmp_path / "demo.aamws"
    import_export(sample_tenant, demo)
    monkeypatch.setattr("explorer.demo.ensure_demo_workspace", lambda fresh=False: demo)
    with qtbot.waitSignal(window.ready, timeout=10000):
        qtbot.mouseClick(window.welcome.demo_button, Qt.MouseButton.LeftButton)
    assert window.workspace is not None and window.workspace.path == demo
    assert window.frame.stack.currentWidget() is not window.welcome


def test_import_and_open_buttons_ask_for_a_path(window: MainWindow, qtbot,
                                                monkeypatch) -> None:
    asked: list[str] = []
    dialogs = "explorer.ui.window.opener.QFileDialog"
    monkeypatch.setattr(f"{dialogs}.getExistingDirectory",
                        lambda _parent, title, _folder: asked.append(title) or "")
    monkeypatch.setattr(f"{dialogs}.getOpenFileName",
                        lambda _parent, title, _folder, _filter: asked.append(title) or ("", ""))
    qtbot.mouseClick(window.welcome.import_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.welcome.open_button, Qt.MouseButton.LeftButton)
    assert asked == ["Import an AAM export folder", "Open workspace"]
    assert window.workspace is None  # cancelled dialogs open nothing


def test_recent_workspace_button_opens_it(window: MainWindow, qtbot, sample_tenant: Path,
                                          tmp_path: Path) -> None:
    target = tmp_path / "recent.aamws"
    import_export(sample_tenant, target)
    window.opener.recent.add(target)
    window.welcome.refresh()
    assert len(window.welcome.recent_buttons) == 1
    button = window.welcome.recent_buttons[0]
    assert button.text().startswith("recent.aamws") and button.toolTip() == str(target.resolve())
    with qtbot.waitSignal(window.ready, timeout=10000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.workspace is not None and window.workspace.path.resolve() == target.resolve()
