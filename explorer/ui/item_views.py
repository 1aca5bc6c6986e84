"""What the window's table models and views do the same way: redraw every cell, and read
Enter as "open the current row"."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QEvent, Qt
from PySide6.QtGui import QKeyEvent


def redraw_all_cells(model: QAbstractItemModel,
                     roles: Sequence[Qt.ItemDataRole] = ()) -> None:
    """Tell the views that every top-level cell may read differently (a new text mask):
    ``roles`` limits which of their data changed; empty means all."""
    rows, columns = model.rowCount(), model.columnCount()
    if rows and columns:
        model.dataChanged.emit(model.index(0, 0), model.index(rows - 1, columns - 1),
                               list(roles))


def is_enter_press(event: QEvent) -> bool:
    """Return or Enter pressed: a list opens its current row, as a double-click does."""
    return (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter))
