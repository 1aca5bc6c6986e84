"""The window's state across restarts (QSettings): geometry, docks, splitters and grouping."""

from __future__ import annotations

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QMainWindow

from explorer.ui.actions import WindowActions
from explorer.ui.settings import app_settings
from explorer.ui.window.frame import WindowFrame

_SETTINGS_PREFIX = "mainwindow/"


class SavedLayout:
    """Saves and restores the window's layout; ``restored`` says whether a saved dock and
    splitter state was there (else the first show applies the first-start sizes)."""

    def __init__(self, window: QMainWindow, layout: WindowFrame,
                 actions: WindowActions) -> None:
        self._window = window
        self._layout = layout
        self._actions = actions
        self.restored = False

    def restore(self) -> None:
        settings = app_settings()
        geometry = settings.value(_SETTINGS_PREFIX + "geometry")
        if isinstance(geometry, QByteArray):
            self._window.restoreGeometry(geometry)
        state = settings.value(_SETTINGS_PREFIX + "state")
        if isinstance(state, QByteArray):
            self.restored = self._window.restoreState(state)
        for splitter in (self._layout.main_splitter, self._layout.content_splitter):
            saved = settings.value(_SETTINGS_PREFIX + splitter.objectName())
            if isinstance(saved, QByteArray):
                splitter.restoreState(saved)
        by_source = settings.value(_SETTINGS_PREFIX + "groupByDataSource", False, type=bool)
        self._actions.group_by_data_source.setChecked(bool(by_source))

    def save(self) -> None:
        settings = app_settings()
        settings.setValue(_SETTINGS_PREFIX + "geometry", self._window.saveGeometry())
        settings.setValue(_SETTINGS_PREFIX + "state", self._window.saveState())
        for splitter in (self._layout.main_splitter, self._layout.content_splitter):
            settings.setValue(_SETTINGS_PREFIX + splitter.objectName(), splitter.saveState())
        settings.setValue(_SETTINGS_PREFIX + "groupByDataSource",
                          self._actions.group_by_data_source.isChecked())
        settings.sync()
