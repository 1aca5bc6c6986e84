"""Presentation mode pieces: the breadcrumb above the inspector and the tree's spotlight.

The window (``MainWindow.set_presentation``) decides what to hide and restores it; this module
holds the widgets: ``Breadcrumb`` shows the current object's path in large type, and
``SpotlightDelegate`` paints every tree row outside the selected subtree (and its ancestors)
with reduced opacity, delegating the painting itself to the view's previous delegate so other
marks (findings, changes, annotations) keep working.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QApplication,
    QLabel,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

PRESENTATION_FACTOR = 1.25  # presentation type is this much larger than the user's zoom
DIMMED_OPACITY = 0.3
BREADCRUMB_SEPARATOR = "  ›  "
BREADCRUMB_SCALE = 1.3  # the path reads as a title above the inspector's own heading
_COUNT_SUFFIX = re.compile(r"\s\(\d[\d,]*\)$")  # the tree's "(37)" after group/folder names

_Index = QModelIndex | QPersistentModelIndex


def path_labels(index: QModelIndex) -> list[str]:
    """The labels from the top of the tree down to ``index`` (counts stripped)."""
    labels: list[str] = []
    while index.isValid():
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        labels.append(_COUNT_SUFFIX.sub("", text))
        index = index.parent()
    return list(reversed(labels))


class Breadcrumb(QLabel):
    """"Segment storage › Marketing › Email › Gold & Platinum Members", large and bold.

    ``mask`` is applied to the text (the tree's labels are masked already; the breadcrumb
    masks again so it is safe on its own)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("presentationBreadcrumb")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setContentsMargins(14, 8, 14, 8)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.mask: Callable[[str], str] = lambda text: text
        self._labels: list[str] = []
        self._update_font()

    def set_path(self, labels: list[str]) -> None:
        self._labels = list(labels)
        self.refresh()

    def set_index(self, index: QModelIndex) -> None:
        self.set_path(path_labels(index))

    def refresh(self) -> None:
        self.setText(self.mask(BREADCRUMB_SEPARATOR.join(self._labels)))

    def labels(self) -> list[str]:
        return list(self._labels)

    def update_font(self) -> None:
        """Follow the application font (zoom): the label's own font is explicit, so Qt does
        not propagate the change to it; the window calls this on every zoom change."""
        self._update_font()

    def _update_font(self) -> None:
        # Explicit size (BREADCRUMB_SCALE × the application font), following zoom.
        font = QFont(QApplication.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * BREADCRUMB_SCALE)
        else:
            font.setPixelSize(round(max(font.pixelSize(), 10) * BREADCRUMB_SCALE))
        font.setBold(True)
        self.setFont(font)


class SpotlightDelegate(QStyledItemDelegate):
    """Paints rows outside the spotlight dimmed; everything else is the inner delegate's."""

    def __init__(self, inner: QAbstractItemDelegate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inner = inner
        self._focus = QPersistentModelIndex()

    def set_focus(self, index: _Index) -> None:
        """The root of the spotlight: this row, its subtree and its ancestors stay bright."""
        self._focus = QPersistentModelIndex(index)

    def focus(self) -> QModelIndex:
        return QModelIndex(self._focus)

    def is_lit(self, index: _Index) -> bool:
        if not self._focus.isValid():
            return True
        focus = QModelIndex(self._focus)
        row = index.siblingAtColumn(0)
        # the row is the focus, a descendant of it, or one of its ancestors
        probe = row
        while probe.isValid():
            if probe == focus:
                return True
            probe = probe.parent()
        probe = focus.parent()
        while probe.isValid():
            if probe == row:
                return True
            probe = probe.parent()
        return False

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        if self.is_lit(index):
            self.inner.paint(painter, option, index)
            return
        painter.save()
        painter.setOpacity(DIMMED_OPACITY)
        self.inner.paint(painter, option, index)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return self.inner.sizeHint(option, index)

    def helpEvent(self, event, view, option, index) -> bool:  # type: ignore[no-untyped-def]
        return self.inner.helpEvent(event, view, option, index)

    def editorEvent(self, event, model: QAbstractItemModel, option, index) -> bool:  # type: ignore[no-untyped-def]
        return self.inner.editorEvent(event, model, option, index)
