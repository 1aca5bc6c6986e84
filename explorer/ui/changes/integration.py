"""Wires the Changes feature into the main window: the Changes dock, File > Compare…, the
"changed" mark in the tree and the inspector's "Changed since" section.

Kept apart from ``main_window.py``: the window only creates this object; it follows the
window's ``workspaceOpened`` / ``workspaceAboutToChange`` / ``importFinished`` signals. When a
workspace opens, the diff of its latest import against the previous configuration is computed
in a worker (cached for the session) and shown everywhere at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from explorer.analysis.diff import Diff, DiffError
from explorer.ui.changes.compare_dialog import CompareDialog
from explorer.ui.changes.panel import ChangesPanel
from explorer.ui.changes.worker import (
    ONE_IMPORT_MESSAGE,
    DiffController,
    DiffOutcome,
    DiffRequest,
    comparable_configurations,
)

NOTHING_TO_COMPARE = (f"{ONE_IMPORT_MESSAGE} Re-import a newer export of this tenant to see "
                      "what changed, or compare it with another workspace file (File > "
                      "Compare…).")
# A snapshot bundle is read-only: nothing can be imported into it.
NOTHING_TO_COMPARE_READ_ONLY = (f"{ONE_IMPORT_MESSAGE} File > Compare… can compare it with a "
                                "workspace file.")


class ChangesIntegration(QObject):
    """The Changes dock and the Compare… action of one main window."""

    diffShown = Signal(object)  # Diff | None, after the panel, tree and inspector show it

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.diff: Diff | None = None
        self.panel = ChangesPanel()
        self.panel.objectActivated.connect(window._on_reveal_signal)
        self.dock = window.add_panel_dock("Changes", "changesDock", self.panel)
        self.compare_action = self._add_action(window)
        self.controller = DiffController(self)
        self.controller.finished.connect(self._on_finished)
        self._raise_when_shown = False
        window.workspaceOpened.connect(self._after_workspace_opened)
        window.workspaceAboutToChange.connect(self._before_workspace_change)
        window.importFinished.connect(self._after_import)

    def _add_action(self, window: QMainWindow) -> QAction:
        action = QAction("&Compare…", window)
        action.setObjectName("compareAction")
        action.setStatusTip("Compare two imports of this workspace, or it with another one")
        action.setEnabled(False)
        action.triggered.connect(self.open_compare_dialog)
        window.addAction(action)
        menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
        if menus:  # File: before the separator above Quit
            file_menu = menus[0]
            separators = [a for a in file_menu.actions() if a.isSeparator()]
            file_menu.insertAction(separators[-1] if separators else None, action)
        view_menus = [m for m in menus if m.title().replace("&", "") == "View"]
        if view_menus:
            view_menus[0].addAction(self.dock.toggleViewAction())
        return action

    # ----- following the window -----------------------------------------------------------
    def _before_workspace_change(self) -> None:
        self.controller.wait()  # a worker must not outlive the window it reports to

    def _after_import(self, outcome: Any) -> None:
        if getattr(outcome, "status", "") == "ok":
            self._raise_when_shown = True

    def _after_workspace_opened(self, _path: str) -> None:
        workspace = self.window.workspace
        self.compare_action.setEnabled(workspace is not None)
        self._show(None)
        if workspace is None:
            return
        try:
            if len(comparable_configurations(workspace)) < 2:
                raise DiffError(ONE_IMPORT_MESSAGE)
            request = DiffRequest.latest_changes(workspace)
        except DiffError:
            self._raise_when_shown = False
            read_only = bool(getattr(self.window, "read_only", False))
            self.panel.show_message(NOTHING_TO_COMPARE_READ_ONLY if read_only
                                    else NOTHING_TO_COMPARE)
            return
        self.panel.show_message("Comparing with the previous import…")
        self.controller.request(request)

    def _on_finished(self, outcome: DiffOutcome) -> None:
        workspace = self.window.workspace
        if workspace is None or Path(outcome.request.workspace) != Path(workspace.path):
            return
        if outcome.diff is None:
            self.panel.show_message(f"Could not compare: {outcome.error}")
            self._show(None)
            return
        self.panel.set_diff(outcome.diff)
        self._show(outcome.diff)
        if self._raise_when_shown and not outcome.diff.is_empty():
            self.dock.show()
            self.dock.raise_()
        self._raise_when_shown = False

    def _show(self, diff: Diff | None) -> None:
        """Marks in the tree and the inspector's section follow the panel's diff."""
        self.diff = diff
        model = self.window.tree_model
        if model is not None and hasattr(model, "set_changed"):
            model.set_changed(diff.changed_refs() if diff else set())
        inspector = getattr(self.window, "inspector", None)
        if inspector is not None and hasattr(inspector, "set_changes"):
            inspector.set_changes(diff.object_changes() if diff else {},
                                  diff.from_label if diff else "")
        self.diffShown.emit(diff)

    # ----- the dialog ---------------------------------------------------------------------
    def open_compare_dialog(self) -> CompareDialog | None:
        workspace = self.window.workspace
        if workspace is None:
            return None
        dialog = CompareDialog(workspace, self.window)
        dialog.objectActivated.connect(self.window._on_reveal_signal)
        if self.window.interactive:
            self.window._open_dialog(dialog)
            dialog.compare()
        return dialog
