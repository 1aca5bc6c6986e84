"""Wires the Changes feature into the main window: the Changes dock, File > Compare…, the
"changed" mark in the tree and the inspector's "Changed since" section.

Kept apart from ``main_window.py``: the window only creates this object; it follows the
session (``opened`` / ``aboutToChange``) and the opener's ``importFinished``. When a workspace
opens, the diff of its latest import against the previous configuration is computed as a
background task (cached for the session) and handed to the session (``set_diff``): the tree
and the inspector show it from the ``Change(diff=True)`` that follows.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction

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
from explorer.ui.import_worker import ImportOutcome
from explorer.ui.window.change import Change

if TYPE_CHECKING:
    from explorer.ui.window.services import WindowServices

NOTHING_TO_COMPARE = (f"{ONE_IMPORT_MESSAGE} Re-import a newer export of this tenant to see "
                      "what changed, or compare it with another workspace file (File > "
                      "Compare…).")
# A snapshot bundle is read-only: nothing can be imported into it.
NOTHING_TO_COMPARE_READ_ONLY = (f"{ONE_IMPORT_MESSAGE} File > Compare… can compare it with a "
                                "workspace file.")


class ChangesIntegration(QObject):
    """The Changes dock and the Compare… action of one main window."""

    diffShown = Signal(object)  # Diff | None, after the panel, tree and inspector show it

    def __init__(self, window: WindowServices) -> None:
        super().__init__(window.main_window())
        self.window = window
        self.session = window.session
        self.diff: Diff | None = None
        self.panel = ChangesPanel()
        self.panel.objectActivated.connect(window.navigator.reveal_object)
        self.dock = window.frame.add_panel_dock("Changes", "changesDock", self.panel)
        self.compare_action = self._add_action(window)
        self.controller = DiffController(self)
        self.controller.finished.connect(self._on_finished)
        self._raise_when_shown = False
        self._dialogs: list[CompareDialog] = []
        self.session.opened.connect(self._after_workspace_opened)
        self.session.aboutToChange.connect(self._before_workspace_change)
        self.session.changed.connect(self._on_change)
        window.opener.importFinished.connect(self._after_import)

    def _add_action(self, window: WindowServices) -> QAction:
        action = QAction("&Compare…", window.main_window())
        action.setObjectName("compareAction")
        action.setStatusTip("Compare two imports of this workspace, or it with another one")
        action.setEnabled(False)
        action.triggered.connect(self.open_compare_dialog)
        window.main_window().addAction(action)
        window.frame.add_to_file_menu(action)
        view_menu = window.frame.menu_titled("View")
        if view_menu is not None:
            view_menu.addAction(self.dock.toggleViewAction())
        return action

    # ----- following the window -----------------------------------------------------------
    def _before_workspace_change(self) -> None:
        self.controller.wait()  # a worker must not outlive the window it reports to

    def _after_import(self, outcome: ImportOutcome) -> None:
        if outcome.status == "ok":
            self._raise_when_shown = True

    def _on_change(self, change: Change) -> None:
        if change.masking:
            masker = self.session.masker
            self.panel.set_text_mask(masker)
            for dialog in self._dialogs:
                dialog.set_text_mask(masker)

    def _after_workspace_opened(self, _path: str) -> None:
        workspace = self.session.workspace
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
            self.panel.show_message(NOTHING_TO_COMPARE_READ_ONLY if self.session.read_only
                                    else NOTHING_TO_COMPARE)
            return
        self.panel.show_message("Comparing with the previous import…")
        self.controller.request(request)

    def _on_finished(self, outcome: DiffOutcome) -> None:
        workspace = self.session.workspace
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
        self.session.set_diff(diff)
        self.diffShown.emit(diff)

    # ----- the dialog ---------------------------------------------------------------------
    def open_compare_dialog(self) -> CompareDialog | None:
        workspace = self.session.workspace
        if workspace is None:
            return None
        dialog = CompareDialog(workspace, self.window.main_window(), mask=self.session.masker)
        dialog.objectActivated.connect(self.window.navigator.reveal_object)
        self._dialogs.append(dialog)
        dialog.destroyed.connect(lambda *_: self._forget(dialog))
        if self.window.messenger.interactive:
            self.window.messenger.open_dialog(dialog)
            dialog.compare()
        return dialog

    def _forget(self, dialog: CompareDialog) -> None:
        if dialog in self._dialogs:
            self._dialogs.remove(dialog)
