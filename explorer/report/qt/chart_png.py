"""The Target chart of a snapshot as PNG bytes, drawn offscreen with QPainter.

With ``explorer.report.qt.pdf``, the report's only Qt code. It draws the same ``ChartData``
as the trends panel (``explorer.analysis.trends``: curve, markers, labels, colours, numbers),
but not with the panel's pyqtgraph chart (the core never imports ``explorer.ui``), and a
static print chart needs none of pyqtgraph's interaction: a QPainter on a QImage gives exact,
repeatable pixels with no layout to wait for. Works headless: without a display it asks Qt
for the ``offscreen`` platform, and it creates a QApplication only when none exists.
"""

from __future__ import annotations

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

from explorer.analysis.trends import (
    MARKER_COLOUR,
    ChartData,
    compact_ticks,
    nice_ticks,
    series_colour,
)
from explorer.analysis.usage import TARGET, WINDOW_DAYS

# The panel's palette for the curve and markers; these only exist on paper.
AVERAGE_COLOUR = "#1F3A5F"
GRID_COLOUR = "#E4E8EC"
AXIS_COLOUR = "#3D444D"
TEXT_COLOUR = "#1F2328"
MARKER_TEXT_COLOUR = "#8E3B73"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LABEL_ROWS = 3  # event labels are staggered over this many rows so close events stay legible
_LABEL_LIMIT = 40  # characters of an event label beside its date


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


def render_target_chart(chart: ChartData, width: int = 2000, height: int = 760,
                        scale: float = 2.0) -> bytes:
    """The Target curve and markers of ``chart`` on a width x height image (``scale`` =
    pixels per layout unit), as PNG."""
    ensure_app()
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.scale(scale, scale)
        _Chart(painter, chart, width / scale, height / scale).draw()
    finally:
        painter.end()
    return _png_bytes(image)


def _png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 wants the format as str here; its stubs say bytes, which it refuses at run time.
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise OSError("Qt could not encode the chart as PNG")
    buffer.close()
    return bytes(data.data())


def _day_number(day: str) -> int:
    return date.fromisoformat(day[:10]).toordinal()


class _Chart:
    """One drawing pass; coordinates are layout units (the painter scales to pixels)."""

    def __init__(self, painter: QPainter, chart: ChartData, width: float, height: float) -> None:
        self.p = painter
        self.chart = chart
        self.width, self.height = width, height
        self.font = QFont()
        self.font.setPixelSize(11)
        self.bold = QFont(self.font)
        self.bold.setBold(True)
        self.bold.setPixelSize(13)
        self.metrics = QFontMetricsF(self.font)
        self.days = [(_day_number(d), v) for d, v in chart.series.get(TARGET, [])]
        top = max((v for _d, v in self.days), default=0.0)
        self.ticks = nice_ticks(top * 1.05)
        spacing = self.ticks[1] - self.ticks[0]
        self.tick_labels = compact_ticks(self.ticks, spacing)
        label_width = max(self.metrics.horizontalAdvance(label) for label in self.tick_labels)
        label_band = 16 * _LABEL_ROWS + 4 if chart.events else 6
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
        self._text(QPointF(self.plot.left(), 12), self.chart.y_label, Qt.AlignmentFlag.AlignLeft,
                   font=self.bold)
        legend = (f"— daily calls     ▬ {WINDOW_DAYS}-day average before / after an event"
                  "     ┆ event")
        self._text(QPointF(self.width - 16, 12), legend, Qt.AlignmentFlag.AlignRight,
                   colour=AXIS_COLOUR)

    def _grid(self) -> None:
        for tick, label in zip(self.ticks, self.tick_labels, strict=True):
            y = self.y(tick)
            self.p.setPen(QPen(QColor(GRID_COLOUR if tick else AXIS_COLOUR), 0.8))
            self.p.drawLine(QPointF(self.plot.left(), y), QPointF(self.plot.right(), y))
            self._text(QPointF(self.plot.left() - 6, y), label,
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
        self.p.setPen(QPen(QColor(series_colour(TARGET)), 1.1))
        self.p.drawPolyline(QPolygonF([QPointF(self.x(d), self.y(v)) for d, v in self.days]))

    def _events(self) -> None:
        dash = QPen(QColor(MARKER_COLOUR), 1.1, Qt.PenStyle.DashLine)
        average = QPen(QColor(AVERAGE_COLOUR), 2.4)
        first, last = self.days[0][0], self.days[-1][0]
        for index, event in enumerate(sorted(self.chart.events, key=lambda e: e.day)):
            day = _day_number(event.day)
            if day < first or day > last:
                continue
            x = self.x(day)
            self.p.setPen(dash)
            label_y = 38 + 16 * (index % _LABEL_ROWS)
            self.p.drawLine(QPointF(x, label_y + 8), QPointF(x, self.plot.bottom()))
            self.p.setPen(average)
            for value, start, end in ((event.before, day - WINDOW_DAYS, day),
                                      (event.after, day, day + WINDOW_DAYS)):
                if value is not None:
                    self.p.drawLine(QPointF(self.x(max(start, first)), self.y(value)),
                                    QPointF(self.x(min(end, last)), self.y(value)))
            align = Qt.AlignmentFlag.AlignRight if x > self.plot.center().x() else \
                Qt.AlignmentFlag.AlignLeft
            anchor = x - 3 if align == Qt.AlignmentFlag.AlignRight else x + 3
            self._text(QPointF(anchor, label_y),
                       f"{event.day}  {event.label_within(_LABEL_LIMIT)}", align,
                       colour=MARKER_TEXT_COLOUR)


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
