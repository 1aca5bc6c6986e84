"""The main window as the UI tests open it: shown, exposed, and ready on a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from explorer.kinds import ObjectRef


def show_window(qtbot: Any, workspace: Path, *, select: ObjectRef | None = None,
                restore_settings: bool = False, timeout_ms: int = 10000) -> Any:
    """A MainWindow shown on `workspace` (optionally with `select` selected), once ready."""
    from explorer.ui.main_window import MainWindow

    window = MainWindow(restore_settings=restore_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.ready, timeout=timeout_ms):
        assert window.open_workspace(workspace, select=select)
    return window
