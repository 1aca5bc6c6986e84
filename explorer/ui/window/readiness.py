"""The window's ``ready`` signal: emitted once a workspace is loaded and the tree has painted
it (screenshot mode and tests wait for it, not for timers)."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal

_READY_FALLBACK_MS = 1500  # if the tree never paints (minimised window), be ready anyway


class ReadinessMixin:
    """``is_ready`` and the paint-then-ready handshake (``MainWindow.eventFilter`` schedules
    ``_emit_ready`` when the tree's viewport paints while ``_ready_pending``)."""

    ready: Signal
    _ready_pending: bool
    _is_ready: bool

    @property
    def is_ready(self) -> bool:
        return self._is_ready

    def _request_ready(self) -> None:
        """Emit ``ready`` after the tree has painted the loaded workspace."""
        self._ready_pending = True
        if self.isVisible():
            self.tree.viewport().update()
            QTimer.singleShot(_READY_FALLBACK_MS, self._emit_ready)
        else:
            QTimer.singleShot(0, self._emit_ready)

    def _emit_ready(self) -> None:
        if not self._ready_pending:
            return
        self._ready_pending = False
        self._is_ready = True
        self.ready.emit()
