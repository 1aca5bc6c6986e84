"""Small pieces every widget shares: item-data roles and the application's QSettings."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

ORGANIZATION = "AAM Config Explorer"
APPLICATION = "aam-explorer"

# Item-data roles shared by every model, so views and tests can ask any model the same way.
OBJECT_REF_ROLE = Qt.ItemDataRole.UserRole + 1  # explorer.kinds.ObjectRef or None
NODE_TYPE_ROLE = Qt.ItemDataRole.UserRole + 2  # str: "group", "folder", "object", "more"
SORT_ROLE = Qt.ItemDataRole.UserRole + 3  # a value that sorts correctly (numbers as numbers)


def app_settings() -> QSettings:
    """The one QSettings every part of the app uses (INI, so tests can redirect it)."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )
