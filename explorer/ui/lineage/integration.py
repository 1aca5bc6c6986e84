"""Wires the lineage view into the main window as the "Lineage" bottom panel.

Kept apart from ``main_window.py``: it follows the window's session (``aboutToChange``,
``opened``, ``changed`` for masking) and navigator (``currentObjectChanged``). The drawing
is computed only while the panel is visible: a hidden panel remembers the object and draws
it when it is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt

from explorer.kinds import ObjectRef
from explorer.ui.lineage.view import LineageView
from explorer.ui.window.change import Change

if TYPE_CHECKING:
    from explorer.ui.window.services import WindowServices

# A drawing of three rows and its legend read at full size in this height; a shorter bottom
# panel would show one row at a time.
_READABLE_HEIGHT = 360


class LineageIntegration(QObject):
    def __init__(self, window: WindowServices) -> None:
        super().__init__(window.main_window())
        self.window = window
        self.session = window.session
        self.panel = LineageView(None)
        self.dock = window.frame.add_panel_dock("Lineage", "lineageDock", self.panel)
        self._pending: ObjectRef | None = None
        self._stale = False
        self._sized = False
        self.panel.objectActivated.connect(window.navigator.reveal_object)
        self.dock.visibilityChanged.connect(self._on_visibility)
        self.session.aboutToChange.connect(self._before_workspace_change)
        self.session.opened.connect(self._after_workspace_opened)
        self.session.changed.connect(self._on_change)
        window.navigator.currentObjectChanged.connect(self._on_current_object)

    def _before_workspace_change(self) -> None:
        self._pending = None
        self.panel.set_workspace(None)

    def _after_workspace_opened(self, _path: str) -> None:
        self.panel.set_workspace(self.session.workspace)

    def _on_change(self, change: Change) -> None:
        if change.masking:
            self.panel.set_text_mask(self.session.masker)

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
            self.window.main_window().resizeDocks([self.dock], [_READABLE_HEIGHT],
                                                  Qt.Orientation.Vertical)
        if visible and self._stale:
            self._stale = False
            self.panel.set_object(self._pending)
