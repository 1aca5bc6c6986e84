"""Rows and columns in one call: parts in order, each with its stretch, margins and spacing."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from explorer.ui.box_layout import side_by_side, stacked


def test_a_column_owns_the_widget_and_keeps_each_parts_stretch(qtbot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    first, second, third = QLabel("a"), QLabel("b"), QLabel("c")
    inner = side_by_side(None, (first, 1), second, margins=(4, 2, 4, 2))
    layout = stacked(owner, inner, (third, 3), margins=(6, 3, 6, 3), spacing=5)
    assert isinstance(layout, QVBoxLayout) and owner.layout() is layout
    assert isinstance(inner, QHBoxLayout) and layout.itemAt(0).layout() is inner
    assert layout.itemAt(1).widget() is third
    assert [layout.stretch(i) for i in range(layout.count())] == [0, 3]
    assert [inner.stretch(i) for i in range(inner.count())] == [1, 0]
    assert [inner.itemAt(i).widget() for i in range(inner.count())] == [first, second]
    margins = layout.contentsMargins()
    assert (margins.left(), margins.top(), margins.right(), margins.bottom()) == (6, 3, 6, 3)
    assert layout.spacing() == 5
    inner_margins = inner.contentsMargins()
    assert (inner_margins.left(), inner_margins.top()) == (4, 2)


def test_margins_and_spacing_left_unset_stay_qts(qtbot) -> None:
    owner, plain = QWidget(), QWidget()
    qtbot.addWidget(owner)
    qtbot.addWidget(plain)
    layout = stacked(owner, QLabel("x"))
    reference = QVBoxLayout(plain)
    assert layout.contentsMargins() == reference.contentsMargins()
    assert layout.spacing() == reference.spacing()
