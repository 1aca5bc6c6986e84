"""The application's names and the one QSettings every part of the app uses."""

from __future__ import annotations

from PySide6.QtCore import QSettings

ORGANIZATION = "AAM Config Explorer"
APPLICATION = "aam-explorer"


def app_settings() -> QSettings:
    """The one QSettings every part of the app uses (INI, so tests can redirect it)."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )
