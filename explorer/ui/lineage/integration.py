"""Wires the lineage view into the main window as the "Lineage" bottom panel.

Kept apart from ``main_window.py`` so the window only has to say when the workspace and the
current object change (its ``workspaceAboutToChange``, ``workspaceOpened`` and
``currentObjectChanged`` signals). The drawing is computed only while the panel is visible:
a hidden panel remembers the object and draws it when it is shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt

from explorer.kinds import ObjectRef
from explorer.ui.lineage.view import LineageView

# A drawing of three rows and its legend read at full size in this height; a shorter bottom
# panel would show one row at a time.
_READABLE_HEIGHT = 360


class LineageIntegration(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.panel = LineageView(None)
        self.dock = window.add_panel_dock("Lineage", "lineageDock", self.panel)
        self._pending: ObjectRef | None = None
        self._stale = False
        self._sized = False
        self.panel.objectActivated.connect(window._on_reveal_signal)
        self.dock.visibilityChanged.connect(self._on_visibility)
        window.workspaceAboutToChange.connect(self._before_workspace_change)
        window.workspaceOpened.connect(self._after_workspace_opened)
        window.currentObjectChanged.connect(self._on_current_object)

    def _before_workspace_change(self) -> None:
        self._pending = None
        self.panel.set_workspace(None)

    def _after_workspace_opened(self, _path: str) -> None:
        self.panel.set_workspace(self.window.workspace)

    def _on_current_object(self, ref: ObjectRef | None) -> None:
        self._pending = ref
        if self.dock.isVisible():
            self.panel.set_object(ref)
            self._stale = False
        else:
            self._stale = True

    def _on_visibility(self, visible: bool) -> None:
        if visible and not self._sized and self.dock.height() < _READABLE_HEIGHT:
            self._sized = True  # once: a height the user chooses afterwards stays
            self.window.resizeDocks([self.dock], [_READABLE_HEIGHT], Qt.Orientation.Vertical)
        if visible and self._stale:
            self._stale = False
            self.panel.set_object(self._pending)
