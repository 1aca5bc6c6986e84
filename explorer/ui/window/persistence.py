"""The window's state across restarts (QSettings): geometry, docks, splitters and grouping,
and the first-start layout used when nothing was saved."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QShowEvent

from explorer.ui.settings import app_settings

_SETTINGS_PREFIX = "mainwindow/"


class PersistenceMixin:
    """Saves and restores ``MainWindow``'s layout; ``showEvent`` applies the default one."""

    _layout_restored: bool  # saved dock/splitter state was restored
    _first_show_done: bool

    def restore_settings(self) -> None:
        settings = app_settings()
        geometry = settings.value(_SETTINGS_PREFIX + "geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value(_SETTINGS_PREFIX + "state")
        if isinstance(state, QByteArray):
            self._layout_restored = self.restoreState(state)
        for splitter in (self.main_splitter, self.content_splitter):
            saved = settings.value(_SETTINGS_PREFIX + splitter.objectName())
            if isinstance(saved, QByteArray):
                splitter.restoreState(saved)
        by_source = settings.value(_SETTINGS_PREFIX + "groupByDataSource", False, type=bool)
        self.actions_.group_by_data_source.setChecked(bool(by_source))

    def save_settings(self) -> None:
        settings = app_settings()
        settings.setValue(_SETTINGS_PREFIX + "geometry", self.saveGeometry())
        settings.setValue(_SETTINGS_PREFIX + "state", self.saveState())
        for splitter in (self.main_splitter, self.content_splitter):
            settings.setValue(_SETTINGS_PREFIX + splitter.objectName(), splitter.saveState())
        settings.setValue(_SETTINGS_PREFIX + "groupByDataSource",
                          self.actions_.group_by_data_source.isChecked())
        settings.sync()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)  # type: ignore[misc]
        if not self._first_show_done:
            self._first_show_done = True
            if not self._layout_restored:
                self._default_layout()

    def _default_layout(self) -> None:
        """First start: the inspector gets the room (a 1280x800 laptop left it ~250 px);
        the bottom panels and the list stay short."""
        dock_height = max(140, self.height() // 5)
        self.resizeDocks([self.findings_dock], [dock_height], Qt.Orientation.Vertical)
        sizes = self.content_splitter.sizes()
        total = sum(sizes)
        if total > 0:
            list_height = max(150, total * 3 // 10)
            # Below the inspector (when present): the annotation editor, visible but compact.
            extra = [max(110, total // 6)] * (len(sizes) - 2)
            inspector = max(100, total - list_height - sum(extra))
            self.content_splitter.setSizes([list_height, inspector, *extra])
