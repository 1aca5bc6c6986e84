"""Presentation mode pieces: the breadcrumb above the inspector and the tree's spotlight.

The window (``MainWindow.set_presentation``) decides what to hide and restores it; this module
holds the widgets: ``Breadcrumb`` shows the current object's path in large type, and
``SpotlightDelegate`` paints every tree row outside the selected subtree (and its ancestors)
with reduced opacity, delegating the painting itself to the view's previous delegate so other
marks (findings, changes, annotations) keep working.
"""

from __future__ import annotations

import re

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont, QHelpEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QLabel,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from explorer.masking import TextMask
from explorer.ui.tree_model import WorkspaceTreeModel

PRESENTATION_FACTOR = 1.25  # presentation type is this much larger than the user's zoom
DIMMED_OPACITY = 0.3
BREADCRUMB_SEPARATOR = "  ›  "
BREADCRUMB_SCALE = 1.3  # the path reads as a title above the inspector's own heading
# The tree's decorations after a name: " · Target: shared" (segment storage), then counts
# "(37)" or ids "(1200054)". Only stripped when the model cannot give the bare name.
_DECORATION_SUFFIX = re.compile(r"(?:\s·\s[^·]*$)|(?:\s\(\d[\d,]*\)$)")

_Index = QModelIndex | QPersistentModelIndex


def node_name(index: QModelIndex) -> str:
    """The row's name without the tree's decorations (counts, ids, "· Target: shared").

    The explorer's tree model keeps the bare name on its nodes (``label``); other models
    give their display text with the decorations stripped."""
    model = index.model()
    if isinstance(model, WorkspaceTreeModel):
        return model.name_for(index)
    text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
    stripped = _DECORATION_SUFFIX.sub("", text)
    while stripped != text:
        text, stripped = stripped, _DECORATION_SUFFIX.sub("", stripped)
    return text


def path_labels(index: QModelIndex) -> list[str]:
    """The names from the top of the tree down to ``index`` (no counts or other marks)."""
    labels: list[str] = []
    while index.isValid():
        labels.append(node_name(index))
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
        self.text_mask: TextMask = lambda text: text
        self._labels: list[str] = []
        self._update_font()

    def set_path(self, labels: list[str]) -> None:
        self._labels = list(labels)
        self.refresh()

    def set_index(self, index: QModelIndex) -> None:
        self.set_path(path_labels(index))

    def refresh(self) -> None:
        self.setText(self.text_mask(BREADCRUMB_SEPARATOR.join(self._labels)))

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
        return QModelIndex(self._focus)  # type: ignore[call-overload]

    def is_lit(self, index: _Index) -> bool:
        if not self._focus.isValid():
            return True
        focus = QModelIndex(self._focus)  # type: ignore[call-overload]
        row = index.sibling(index.row(), 0)
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

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView,
                  option: QStyleOptionViewItem, index: _Index) -> bool:
        return self.inner.helpEvent(event, view, option, index)

    def editorEvent(self, event: QEvent, model: QAbstractItemModel,
                    option: QStyleOptionViewItem, index: _Index) -> bool:
        return self.inner.editorEvent(event, model, option, index)
