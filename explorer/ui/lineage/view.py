"""The lineage view: the current object's flow drawn in a QGraphicsScene.

It draws ``explorer.report.lineage_drawing.layout_lineage`` (the layout the SVG uses), so the
window, ``aam-explorer lineage --svg`` and the snapshot show the same picture. Clicking a node
emits ``objectActivated(kind, id)``; clicking a counted "more" node shows its objects one by
one. Colours follow the application's theme (``explorerTheme``); type follows the
application's font, so workshop zoom and presentation mode enlarge the drawing too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.analysis.lineage import Lineage, LineageError, build_lineage
from explorer.kinds import KINDS, ObjectRef
from explorer.masking import TextMask
from explorer.report.lineage_drawing import (
    KIND_SIZE,
    LEGEND_HEIGHT,
    MARGIN,
    NAME_SIZE,
    NODE_HEIGHT,
    NODE_WIDTH,
    NOTE_SIZE,
    PALETTES,
    STATE_STYLES,
    LineageLayout,
    LineagePalette,
    NodeBox,
    arrowhead,
    layout_lineage,
    render_svg,
)
from explorer.store.workspace import Workspace

KEY_ROLE = 0  # QGraphicsItem data slot holding a node's "KIND:ID" key
_BASE_POINT_SIZE = 9.0  # the application font size at which the drawing is shown at 100 %
_CLICK_SLOP = 4  # pixels a press may move and still be a click, not a drag


def theme_palette() -> LineagePalette:
    """The drawing palette of the application's current theme."""
    app = QApplication.instance()
    theme = app.property("explorerTheme") if app is not None else None
    return PALETTES.get(str(theme or "light"), PALETTES["light"])


class _Canvas(QGraphicsView):
    """The graphics view: wheel zoom with Ctrl, drag to pan, click a node to activate it."""

    nodeClicked = Signal(str)

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setObjectName("lineageCanvas")
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self._pressed_at: QPoint | None = None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed_at = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        pressed, self._pressed_at = self._pressed_at, None
        position = event.position().toPoint()
        if pressed is None or (position - pressed).manhattanLength() > _CLICK_SLOP:
            return
        key = self.key_at(position)
        if key is not None:
            self.nodeClicked.emit(key)

    def key_at(self, position: QPoint) -> str | None:
        for item in self.items(position):
            while item is not None:
                key = item.data(KEY_ROLE)
                if key:
                    return str(key)
                item = item.parentItem()
        return None

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.scale_by(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)
            event.accept()
            return
        super().wheelEvent(event)

    def scale_by(self, factor: float) -> None:
        current = self.transform().m11()
        target = min(4.0, max(0.15, current * factor))
        self.scale(target / current, target / current)


class LineageView(QWidget):
    """Toolbar (zoom, fit, export) over the drawing of one object's lineage."""

    objectActivated = Signal(str, int)  # kind, AAM id

    def __init__(self, workspace: Workspace | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lineagePanel")
        self.workspace = workspace
        self.ref: ObjectRef | None = None
        self.lineage: Lineage | None = None
        self.layout_: LineageLayout | None = None
        self.expanded: set[str] = set()
        self.text_mask: TextMask = str
        self.palette_: LineagePalette = theme_palette()
        self.scene = QGraphicsScene(self)
        self.canvas = _Canvas(self.scene, self)
        self.canvas.nodeClicked.connect(self.activate)
        self.message = QLabel()
        self.message.setObjectName("lineageMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        self.buttons: dict[str, QToolButton] = {}
        for name, text, tip, slot in (
                ("zoom_in", "+", "Zoom in (Ctrl+wheel)", lambda: self.zoom(1.25)),
                ("zoom_out", "−", "Zoom out (Ctrl+wheel)", lambda: self.zoom(0.8)),
                ("fit", "Fit", "Show the whole drawing", self.fit),
                ("actual", "100 %", "Type at its normal size", self.actual_size),
                ("export_png", "PNG…", "Export the drawing as PNG", self.choose_png),
                ("export_svg", "SVG…", "Export the drawing as SVG", self.choose_svg)):
            button = QToolButton()
            button.setObjectName(f"lineage_{name}")
            button.setText(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[name] = button
        bar.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.canvas, 1)
        self._show_message("Select an object to see where its data comes from and goes.")

    # -- inputs ------------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace | None) -> None:
        self.workspace = workspace
        self.set_object(None)

    def set_object(self, ref: ObjectRef | None) -> None:
        if ref != self.ref:
            self.expanded.clear()
        self.ref = ref
        self.reload()

    def set_text_mask(self, mask: TextMask | None) -> None:
        self.text_mask = mask or str
        self._draw()

    def reload(self) -> None:
        self.lineage = None
        if self.workspace is None or self.ref is None:
            self._clear("Select an object to see where its data comes from and goes.")
            return
        try:
            self.lineage = build_lineage(self.workspace.conn, self.ref.kind, self.ref.id,
                                         expand=self.expanded)
        except LineageError as exc:
            self._clear(str(exc))
            return
        self._draw(refit=True)

    def activate(self, key: str) -> None:
        """A click on a node: expand a counted node, else navigate to the object."""
        if self.lineage is None or key not in self.lineage.nodes:
            return
        node = self.lineage.nodes[key]
        if node.kind == "more":
            if node.parent:
                self.expanded.add(f"more:{node.id}")
                self.reload()
            return
        if node.kind in KINDS and isinstance(node.id, int) and key != self.lineage.root:
            self.objectActivated.emit(node.kind, node.id)

    # -- drawing -----------------------------------------------------------------------------
    def _clear(self, message: str) -> None:
        self.scene.clear()
        self.layout_ = None
        self._show_message(message)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setToolTip(text)

    def _draw(self, refit: bool = False) -> None:
        if self.lineage is None:
            return
        self.palette_ = theme_palette()
        self.scene.clear()
        self.layout_ = layout_lineage(self.lineage, self.text_mask)
        self.scene.setBackgroundBrush(QColor(self.palette_.background))
        self.scene.setSceneRect(QRectF(0, 0, self.layout_.width, self.layout_.height))
        for line in self.layout_.lines:
            self._add_edge(line.edge.state, line.start, line.end)
        for line in self.layout_.lines:
            if line.label:
                self._add_text(line.label, NOTE_SIZE, self._state_colour(line.edge.state),
                               line.label_at, bold=True, anchor=line.label_anchor)
        for box in self.layout_.boxes.values():
            self._add_box(box)
        self._add_legend(self.layout_)
        count = len(self.layout_.boxes)
        self._show_message(" ".join([f"{count} nodes.", *self.lineage.notes]))
        if refit:
            self.show_readable()

    def _state_colour(self, state: str) -> QColor:
        key = STATE_STYLES.get(state, ("unchecked", (), ""))[0]
        return QColor(self.palette_.states[key])

    def _pen(self, state: str, width: float = 2.0) -> QPen:
        pen = QPen(self._state_colour(state), width)
        dash = STATE_STYLES.get(state, ("", (3, 3), ""))[1]
        if dash:
            # SVG dashes are in pixels (1.6 per unit at width 2); Qt's in pen widths.
            pen.setDashPattern([d * 1.6 / width for d in dash])
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        return pen

    def _add_edge(self, state: str, start: tuple[float, float],
                  end: tuple[float, float]) -> None:
        path = QPainterPath(QPointF(*start))
        tip = (end[0] - 6, end[1])
        bend = max(40.0, (tip[0] - start[0]) / 2)
        path.cubicTo(QPointF(start[0] + bend, start[1]), QPointF(tip[0] - bend, tip[1]),
                     QPointF(*tip))
        item = QGraphicsPathItem(path)
        item.setPen(self._pen(state))
        self.scene.addItem(item)
        head = self.scene.addPolygon(QPolygonF([QPointF(x, y) for x, y in arrowhead(end)]),
                                     QPen(Qt.PenStyle.NoPen), QBrush(self._state_colour(state)))
        head.setZValue(1)

    def _font(self, size: float, bold: bool = False) -> QFont:
        font = QFont(QApplication.font())
        font.setPixelSize(max(6, round(size)))
        font.setBold(bold)
        return font

    def _add_text(self, text: str, size: float, colour: QColor, at: tuple[float, float], *,
                  bold: bool = False, anchor: str = "start", max_width: float | None = None,
                  parent: QGraphicsItem | None = None) -> QGraphicsSimpleTextItem:
        item = QGraphicsSimpleTextItem(text, parent)
        font = self._font(size, bold)
        item.setFont(font)
        item.setBrush(colour)
        metrics = QFontMetricsF(font)
        if max_width is not None and metrics.horizontalAdvance(text) > max_width:
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max_width)
            item.setText(text)
        x = at[0] - metrics.horizontalAdvance(text) if anchor == "end" else at[0]
        item.setPos(x, at[1] - metrics.ascent())  # ``at`` is the baseline, as in SVG
        if parent is None:
            item.setZValue(4)  # above the boxes: an edge label may sit in a node's header
            self.scene.addItem(item)
        return item

    def _add_box(self, box: NodeBox) -> None:
        colours = self.palette_
        node = box.node
        rect = QGraphicsRectItem(QRectF(box.x, box.y, NODE_WIDTH, NODE_HEIGHT))
        pen = QPen(QColor(colours.root_border if box.is_root else colours.node_border),
                   3 if box.is_root else 1.2)
        if node.kind == "more" or node.missing:
            pen.setStyle(Qt.PenStyle.DashLine)
        rect.setPen(pen)
        rect.setBrush(QColor(colours.missing_fill if node.missing else colours.node_fill))
        rect.setData(KEY_ROLE, node.key)
        rect.setZValue(3)
        clickable = node.kind == "more" or (node.kind in KINDS and not box.is_root)
        if clickable:
            rect.setCursor(Qt.CursorShape.PointingHandCursor)
        tip = f"{node.key}\n{self.text_mask(node.name or '')}"
        rect.setToolTip(tip + ("\nClick to show them one by one" if node.kind == "more"
                               else "\nClick to open it" if clickable else ""))
        self.scene.addItem(rect)
        head, name, note = box.lines
        muted, text = QColor(colours.muted), QColor(colours.text)
        inside = NODE_WIDTH - 18
        self._add_text(head, KIND_SIZE, muted, (box.x + 10, box.y + 16), max_width=inside,
                       parent=rect)
        self._add_text(name, NAME_SIZE, text, (box.x + 10, box.y + 34), bold=True,
                       max_width=inside, parent=rect)
        if note:
            self._add_text(note, NOTE_SIZE, muted, (box.x + 10, box.y + 51), max_width=inside,
                           parent=rect)

    def _add_legend(self, layout: LineageLayout) -> None:
        y = layout.height - LEGEND_HEIGHT / 2 - 4
        x = MARGIN
        for state in layout.states:
            label = STATE_STYLES[state][2]
            line = self.scene.addLine(x, y, x + 36, y, self._pen(state, 2.5))
            line.setZValue(2)
            item = self._add_text(label, NOTE_SIZE + 1, QColor(self.palette_.text),
                                  (x + 42, y + 4))
            x += 42 + item.boundingRect().width() + 28

    # -- zoom --------------------------------------------------------------------------------
    def font_factor(self) -> float:
        return max(0.5, QApplication.font().pointSizeF() / _BASE_POINT_SIZE)

    def zoom(self, factor: float) -> None:
        self.canvas.scale_by(factor)

    def zoom_level(self) -> float:
        return self.canvas.transform().m11()

    def fit(self) -> None:
        if self.layout_ is not None:
            self.canvas.fitInView(self.scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def actual_size(self) -> None:
        self.canvas.resetTransform()
        factor = self.font_factor()
        self.canvas.scale(factor, factor)
        if self.lineage is not None and self.layout_ is not None:
            box = self.layout_.boxes.get(self.lineage.root)
            if box is not None:
                self.canvas.centerOn(box.x + NODE_WIDTH / 2, box.middle)

    def show_readable(self) -> None:
        """The whole drawing when it fits with its type still readable, else 100 % around
        the object."""
        if self.layout_ is None:
            return
        viewport = self.canvas.viewport().size()
        fit = min(viewport.width() / max(1.0, self.layout_.width),
                  viewport.height() / max(1.0, self.layout_.height))
        if fit >= 0.8 * self.font_factor():
            self.canvas.resetTransform()
            scale = min(fit * 0.98, self.font_factor() * 1.5)
            self.canvas.scale(scale, scale)
            self.canvas.centerOn(self.scene.sceneRect().center())
        else:
            self.actual_size()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.show_readable()

    def changeEvent(self, event: QEvent) -> None:
        """A new theme redraws in its colours; a new font size (zoom, presentation) too."""
        super().changeEvent(event)
        kind = event.type()
        if self.lineage is None or kind not in (QEvent.Type.PaletteChange,
                                                QEvent.Type.FontChange):
            return
        if kind == QEvent.Type.FontChange or theme_palette() != self.palette_:
            self._draw(refit=True)

    # -- export ------------------------------------------------------------------------------
    def svg_text(self) -> str | None:
        if self.lineage is None:
            return None
        return render_svg(self.lineage, self.palette_, self.text_mask)

    def export_svg(self, path: str | Path) -> bool:
        text = self.svg_text()
        if text is None:
            return False
        Path(path).write_text(text, encoding="utf-8")
        return True

    def image(self, scale: float = 2.0) -> QImage | None:
        if self.layout_ is None:
            return None
        rect = self.scene.sceneRect()
        image = QImage(round(rect.width() * scale), round(rect.height() * scale),
                       QImage.Format.Format_ARGB32)
        image.fill(QColor(self.palette_.background))
        painter = QPainter(image)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing)
        self.scene.render(painter, QRectF(0, 0, image.width(), image.height()), rect)
        painter.end()
        return image

    def export_png(self, path: str | Path) -> bool:
        image = self.image()
        return image is not None and image.save(str(path), "PNG")  # type: ignore[call-overload]

    def _suggested_name(self, suffix: str) -> str:
        ref = self.ref
        return f"lineage-{ref.kind}-{ref.id}.{suffix}" if ref else f"lineage.{suffix}"

    def choose_png(self) -> None:
        self._choose("PNG image (*.png)", "png", self.export_png)

    def choose_svg(self) -> None:
        self._choose("SVG drawing (*.svg)", "svg", self.export_svg)

    def _choose(self, filter_: str, suffix: str, write: Callable[[str], bool]) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        if self.lineage is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export lineage",
                                              self._suggested_name(suffix), filter_)
        if not path:
            return
        try:
            ok = write(path)
        except OSError as exc:
            ok = False
            reason = exc.strerror or str(exc)
        else:
            reason = "the file could not be written"
        if not ok:
            QMessageBox.warning(self, "Export lineage", f"{path}: {reason}")
