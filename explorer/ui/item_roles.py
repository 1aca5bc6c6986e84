"""Item-data roles shared by every model, so views and tests can ask any model the same way."""

from __future__ import annotations

from PySide6.QtCore import Qt

OBJECT_REF_ROLE = Qt.ItemDataRole.UserRole + 1  # explorer.kinds.ObjectRef or None
NODE_TYPE_ROLE = Qt.ItemDataRole.UserRole + 2  # str: "group", "folder", "object", "more"
SORT_ROLE = Qt.ItemDataRole.UserRole + 3  # a value that sorts correctly (numbers as numbers)
