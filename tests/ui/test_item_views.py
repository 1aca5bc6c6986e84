"""redraw_all_cells covers every top-level cell (and nothing for an empty model);
is_enter_press is true only for Return or Enter pressed."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QStandardItemModel
from pytestqt.qtbot import QtBot

from explorer.ui.item_views import is_enter_press, redraw_all_cells


def _emitted(model: QStandardItemModel, roles: list[Qt.ItemDataRole] | None = None
             ) -> list[tuple[int, int, int, int, list[int]]]:
    seen: list[tuple[int, int, int, int, list[int]]] = []
    model.dataChanged.connect(lambda first, last, got: seen.append(
        (first.row(), first.column(), last.row(), last.column(), list(got))))
    if roles is None:
        redraw_all_cells(model)
    else:
        redraw_all_cells(model, roles)
    return seen


def test_redraw_all_cells_spans_the_whole_table(qtbot: QtBot) -> None:
    assert _emitted(QStandardItemModel(3, 4)) == [(0, 0, 2, 3, [])]
    display = [Qt.ItemDataRole.DisplayRole]
    assert _emitted(QStandardItemModel(2, 1), display) == [(0, 0, 1, 0, [0])]


def test_redraw_all_cells_of_an_empty_model_says_nothing(qtbot: QtBot) -> None:
    assert _emitted(QStandardItemModel(0, 4)) == []
    assert _emitted(QStandardItemModel(3, 0)) == []


def test_is_enter_press(qtbot: QtBot) -> None:
    none = Qt.KeyboardModifier.NoModifier
    press, release = QEvent.Type.KeyPress, QEvent.Type.KeyRelease
    assert is_enter_press(QKeyEvent(press, Qt.Key.Key_Return, none))
    assert is_enter_press(QKeyEvent(press, Qt.Key.Key_Enter, none))
    assert not is_enter_press(QKeyEvent(press, Qt.Key.Key_A, none))
    assert not is_enter_press(QKeyEvent(release, Qt.Key.Key_Return, none))
    assert not is_enter_press(QEvent(QEvent.Type.Resize))
