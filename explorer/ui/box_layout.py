"""A row or a column of widgets and layouts in one call, so a panel's arrangement reads as one
statement: its margins, its spacing and each part with its stretch."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLayout, QVBoxLayout, QWidget

# A widget or a layout, alone (stretch 0) or with its stretch factor.
Part = QWidget | QLayout | tuple[QWidget | QLayout, int]
Margins = tuple[int, int, int, int]
Box = TypeVar("Box", bound=QBoxLayout)


def stacked(owner: QWidget | None, *parts: Part, margins: Margins | None = None,
            spacing: int | None = None) -> QVBoxLayout:
    """``parts`` top to bottom, the layout of ``owner`` when one is given. Margins and spacing
    left unset keep Qt's (the style's for a widget's own layout, none for a nested one)."""
    return _filled(QVBoxLayout(owner) if owner is not None else QVBoxLayout(), parts,
                   margins, spacing)


def side_by_side(owner: QWidget | None, *parts: Part, margins: Margins | None = None,
                 spacing: int | None = None) -> QHBoxLayout:
    """``parts`` left to right; otherwise as ``stacked``."""
    return _filled(QHBoxLayout(owner) if owner is not None else QHBoxLayout(), parts,
                   margins, spacing)


def _filled(layout: Box, parts: tuple[Part, ...], margins: Margins | None,
            spacing: int | None) -> Box:
    if margins is not None:
        layout.setContentsMargins(*margins)
    if spacing is not None:
        layout.setSpacing(spacing)
    for part in parts:
        item, stretch = part if isinstance(part, tuple) else (part, 0)
        if isinstance(item, QLayout):
            layout.addLayout(item, stretch)
        else:
            layout.addWidget(item, stretch)
    return layout
