"""The window's ``ready`` signal: emitted once a workspace is loaded and the tree has painted
it (screenshot mode and tests wait for it, not for timers)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QTreeView

_READY_FALLBACK_MS = 1500  # if the tree never paints (minimised window), be ready anyway


class Readiness(QObject):
    """The paint-then-ready handshake: ``request()`` after a workspace is shown; ``ready``
    fires after the tree's next paint (or at once while the window is hidden)."""

    ready = Signal()

    def __init__(self, tree: QTreeView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tree = tree
        self._pending = False
        self.is_ready = False
        tree.viewport().installEventFilter(self)

    def reset(self) -> None:
        self.is_ready = False

    def request(self) -> None:
        """Emit ``ready`` after the tree has painted the loaded workspace."""
        self._pending = True
        if self._tree.isVisible():
            self._tree.viewport().update()
            QTimer.singleShot(_READY_FALLBACK_MS, self._emit)
        else:
            QTimer.singleShot(0, self._emit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._pending:
            QTimer.singleShot(0, self._emit)  # after this paint has finished
        return False

    def _emit(self) -> None:
        if not self._pending:
            return
        self._pending = False
        self.is_ready = True
        self.ready.emit()
