"""The Target chart of a snapshot as PNG bytes, drawn offscreen with QPainter.

The one module of the report that imports Qt (DESIGN.md). It cannot reuse the trends panel's
pyqtgraph chart (the core never imports ``explorer.ui``), and a static print chart needs
none of pyqtgraph's interaction: a QPainter on a QImage gives exact, repeatable pixels with no
layout to wait for. Works headless: without a display it asks Qt for the ``offscreen``
platform, and it creates a QApplication only when none exists.
"""

from __future__ import annotations

import math
import os
import sys
from datetime import date

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPainter,
    QPen,
    QPolygonF,
)

from explorer.report.snapshot import ChartSpec

# Okabe-Ito colours, as in the trends panel: Target orange, markers purple.
TARGET_COLOUR = "#D55E00"
MARKER_COLOUR = "#CC79A7"
AVERAGE_COLOUR = "#1F3A5F"
GRID_COLOUR = "#E4E8EC"
AXIS_COLOUR = "#3D444D"
TEXT_COLOUR = "#1F2328"
WINDOW_DAYS = 30  # the before/after window the averages cover
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LABEL_ROWS = 3  # event labels are staggered over this many rows so close events stay legible


def ensure_app() -> QGuiApplication:
    """The running Qt application, or a new one (offscreen when there is no display).

    A QApplication rather than a bare QGuiApplication, so widgets created later in the same
    process (the GUI, widget tests) still work.
    """
    app = QGuiApplication.instance()
    if app is not None:
        return app  # type: ignore[return-value]
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") \
            and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtWidgets import QApplication
    except ImportError:  # a Qt without widgets still draws images
        return QGuiApplication([sys.argv[0] if sys.argv else "aam-explorer"])
    return QApplication([sys.argv[0] if sys.argv else "aam-explorer"])


def render_target_chart(spec: ChartSpec, width: int = 2000, height: int = 760,
                        scale: float = 2.0) -> bytes:
    """``spec`` drawn on a width x height image (``scale`` = pixels per layout unit), as PNG."""
    ensure_app()
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.scale(scale, scale)
        _Chart(painter, spec, width / scale, height / scale).draw()
    finally:
        painter.end()
    return _png_bytes(image)


def _png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("Qt could not encode the chart as PNG")
    buffer.close()
    return bytes(data.data())


def _day_number(day: str) -> int:
    return date.fromisoformat(day[:10]).toordinal()


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round axis values from 0 to at least ``top`` (1, 2, 2.5 or 5 times a power of ten)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def short_number(value: float) -> str:
    """1_250_000 -> '1.25M', 400_000 -> '400k'."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            text = f"{value / size:.2f}".rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    return f"{value:.0f}"


class _Chart:
    """One drawing pass; coordinates are layout units (the painter scales to pixels)."""

    def __init__(self, painter: QPainter, spec: ChartSpec, width: float, height: float) -> None:
        self.p = painter
        self.spec = spec
        self.width, self.height = width, height
        self.font = QFont()
        self.font.setPixelSize(11)
        self.bold = QFont(self.font)
        self.bold.setBold(True)
        self.bold.setPixelSize(13)
        self.metrics = QFontMetricsF(self.font)
        self.days = [(_day_number(d), v) for d, v in spec.points]
        top = max((v for _d, v in self.days), default=0.0)
        self.ticks = nice_ticks(top * 1.05)
        label_width = max(self.metrics.horizontalAdvance(short_number(t)) for t in self.ticks)
        label_band = 16 * _LABEL_ROWS + 4 if spec.events else 6
        self.plot = QRectF(label_width + 16, 32 + label_band, 0, 0)
        self.plot.setRight(width - 16)
        self.plot.setBottom(height - 30)

    # -- mapping ---------------------------------------------------------------------------

    def x(self, day_number: float) -> float:
        first, last = self.days[0][0], self.days[-1][0]
        span = max(last - first, 1)
        return self.plot.left() + (day_number - first) / span * self.plot.width()

    def y(self, value: float) -> float:
        return self.plot.bottom() - value / self.ticks[-1] * self.plot.height()

    # -- drawing ---------------------------------------------------------------------------

    def draw(self) -> None:
        self._title()
        if not self.days:
            self._text(self.plot.center(), "No Target calls in the workspace", Qt.AlignmentFlag
                       .AlignCenter)
            return
        self._grid()
        self._month_axis()
        self._series()
        self._events()

    def _text(self, at: QPointF, text: str, align: Qt.AlignmentFlag, colour: str = TEXT_COLOUR,
              font: QFont | None = None) -> QRectF:
        self.p.setFont(font or self.font)
        self.p.setPen(QColor(colour))
        box = QRectF(at.x() - 400, at.y() - 20, 800, 40)
        if align & Qt.AlignmentFlag.AlignLeft:
            box.moveLeft(at.x())
        elif align & Qt.AlignmentFlag.AlignRight:
            box.moveRight(at.x())
        flags = (align | Qt.AlignmentFlag.AlignVCenter) if not align & Qt.AlignmentFlag \
            .AlignCenter else align
        drawn = self.p.boundingRect(box, int(flags), text)
        self.p.drawText(box, int(flags), text)
        return drawn

    def _title(self) -> None:
        self._text(QPointF(self.plot.left(), 12), self.spec.title, Qt.AlignmentFlag.AlignLeft,
                   font=self.bold)
        legend = "— daily calls     ▬ 30-day average before / after an event     ┆ event"
        self._text(QPointF(self.width - 16, 12), legend, Qt.AlignmentFlag.AlignRight,
                   colour=AXIS_COLOUR)

    def _grid(self) -> None:
        for tick in self.ticks:
            y = self.y(tick)
            self.p.setPen(QPen(QColor(GRID_COLOUR if tick else AXIS_COLOUR), 0.8))
            self.p.drawLine(QPointF(self.plot.left(), y), QPointF(self.plot.right(), y))
            self._text(QPointF(self.plot.left() - 6, y), short_number(tick),
                       Qt.AlignmentFlag.AlignRight, colour=AXIS_COLOUR)

    def _month_axis(self) -> None:
        first = date.fromordinal(self.days[0][0])
        last = date.fromordinal(self.days[-1][0])
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        every = next(n for n in (1, 2, 3, 6, 12, 24) if months / n <= 14)
        year, month = first.year, first.month
        for index in range(months + 1):
            day = date(year, month, 1)
            if day >= first and day <= last and index % every == 0:
                x = self.x(day.toordinal())
                self.p.setPen(QPen(QColor(AXIS_COLOUR), 0.8))
                self.p.drawLine(QPointF(x, self.plot.bottom()), QPointF(x, self.plot.bottom() + 4))
                label = f"{_MONTHS[month - 1]} {year}" if month == 1 or index == 0 or every >= 12 \
                    else _MONTHS[month - 1]
                self._text(QPointF(x, self.plot.bottom() + 14), label,
                           Qt.AlignmentFlag.AlignCenter, colour=AXIS_COLOUR)
            month += 1
            if month > 12:
                year, month = year + 1, 1

    def _series(self) -> None:
        self.p.setPen(QPen(QColor(TARGET_COLOUR), 1.1))
        self.p.drawPolyline(QPolygonF([QPointF(self.x(d), self.y(v)) for d, v in self.days]))

    def _events(self) -> None:
        dash = QPen(QColor(MARKER_COLOUR), 1.1, Qt.PenStyle.DashLine)
        average = QPen(QColor(AVERAGE_COLOUR), 2.4)
        first, last = self.days[0][0], self.days[-1][0]
        for index, event in enumerate(sorted(self.spec.events, key=lambda e: e["date"])):
            day = _day_number(str(event["date"]))
            if day < first or day > last:
                continue
            x = self.x(day)
            self.p.setPen(dash)
            label_y = 38 + 16 * (index % _LABEL_ROWS)
            self.p.drawLine(QPointF(x, label_y + 8), QPointF(x, self.plot.bottom()))
            self.p.setPen(average)
            for value, start, end in ((event.get("before"), day - WINDOW_DAYS, day),
                                      (event.get("after"), day, day + WINDOW_DAYS)):
                if isinstance(value, int | float):
                    self.p.drawLine(QPointF(self.x(max(start, first)), self.y(value)),
                                    QPointF(self.x(min(end, last)), self.y(value)))
            align = Qt.AlignmentFlag.AlignRight if x > self.plot.center().x() else \
                Qt.AlignmentFlag.AlignLeft
            anchor = x - 3 if align == Qt.AlignmentFlag.AlignRight else x + 3
            label = _elide(str(event.get("label") or ""), 40)
            self._text(QPointF(anchor, label_y), f"{event['date']}  {label}", align,
                       colour="#8E3B73")


def _elide(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def svg_to_png(svg: str, scale: float = 2.0) -> bytes:
    """An SVG document (the lineage drawing) as PNG bytes, for the PDF, which cannot show SVG."""
    from PySide6.QtSvg import QSvgRenderer

    ensure_app()
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    size = renderer.defaultSize()
    image = QImage(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)),
                   QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    renderer.render(painter)
    painter.end()
    return _png_bytes(image)
