"""The Target call trends chart (pyqtgraph), and its PNG export at a chosen size.

Only this module imports pyqtgraph, and only the trends panel imports this module, when the
chart is first shown: pyqtgraph costs ~0.4 s, which the app does not pay at start.
"""

from __future__ import annotations

import bisect
import os
from pathlib import Path

# pyqtgraph picks PyQt6 if it is installed, unless told otherwise before its import.
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from explorer.ui.trends.chart_data import (
    MARKER_COLOUR,
    PROJECTION_COLOUR,
    ChartData,
    day_x,
    series_colour,
    series_label,
)

_LABEL_HEIGHTS = (0.97, 0.9, 0.83)  # event labels, as fractions of the view height
_SETTLE_ROUNDS = 20  # processEvents rounds at most while an offscreen chart lays itself out


class TrendsChart(pg.PlotWidget):
    """Curves per series on a date axis, a marker per settings event, a crosshair readout."""

    _built = False  # True once __init__ has made the plot (changeEvent comes earlier)

    def __init__(self, parent: QWidget | None = None) -> None:
        axis = pg.DateAxisItem(orientation="bottom", utcOffset=0)  # x is midnight UTC
        super().__init__(parent, axisItems={"bottom": axis})
        self.data = ChartData()
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.event_lines: list[pg.InfiniteLine] = []
        self.projection_line: pg.InfiniteLine | None = None
        self._dark = _is_dark(self.palette())
        self._apply_palette()
        plot = self.getPlotItem()
        plot.showGrid(x=True, y=True, alpha=0.2)
        plot.setLabel("left", "calls")
        plot.setMenuEnabled(False)
        self.legend = plot.addLegend(offset=(-10, 10), labelTextColor=self._foreground())
        self._crosshair = pg.InfiniteLine(angle=90, movable=False,
                                          pen=pg.mkPen(self._foreground(), width=1,
                                                       style=Qt.PenStyle.DotLine))
        self._readout = pg.TextItem(anchor=(0, 0), color=self._foreground(),
                                    fill=pg.mkBrush(self._background_with_alpha()))
        for item in (self._crosshair, self._readout):
            item.setZValue(20)
            item.hide()
            plot.addItem(item, ignoreBounds=True)
        self.scene().sigMouseMoved.connect(self._mouse_moved)
        self._built = True
        self._apply_fonts()

    def changeEvent(self, event: QEvent) -> None:
        # Zoom (the application font) and themes (the palette) reach the chart here: axes,
        # ticks, legend and labels follow them.
        super().changeEvent(event)
        if not self._built or self.getPlotItem() is None:
            return  # pyqtgraph's constructor changes the palette; close() drops the plot
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self._apply_fonts()
        elif event.type() == QEvent.Type.PaletteChange:
            self._dark = _is_dark(self.palette())
            self._apply_palette()
            self._crosshair.setPen(pg.mkPen(self._foreground(), width=1,
                                            style=Qt.PenStyle.DotLine))
            self._readout.setColor(self._foreground())
            self._readout.fill = pg.mkBrush(self._background_with_alpha())
            self.legend.setLabelTextColor(self._foreground())
            self.set_data(self.data)

    def tick_font(self) -> QFont:
        """The font of the axes' tick labels (follows zoom)."""
        return QFont(self.getPlotItem().getAxis("bottom").style["tickFont"] or self.font())

    def _apply_fonts(self) -> None:
        font = QFont(self.font())
        plot = self.getPlotItem()
        size = f"{font.pointSizeF():.1f}pt" if font.pointSizeF() > 0 else f"{font.pixelSize()}px"
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setStyle(tickFont=font)
            axis.label.setFont(font)
            # tick labels need room: pyqtgraph sizes the axes from the tick font's metrics
            axis.setStyle(tickTextOffset=max(3, QFontMetrics(font).height() // 4))
        plot.setLabel("left", "calls", **{"font-size": size})
        self.legend.setLabelTextSize(size)
        for _sample, label in self.legend.items:  # setLabelTextSize does not redraw them
            label.setText(label.text, size=size)
        for line in self.event_lines:
            line.label.setFont(font)
        if self.projection_line is not None:
            self.projection_line.label.setFont(font)
        self._readout.setFont(font)

    # --- drawing --------------------------------------------------------------------------

    def set_data(self, data: ChartData) -> None:
        """Replace everything drawn by ``data`` (series, event markers, projection)."""
        self.data = data
        self._draw_curves()
        self._draw_events()
        self._draw_projection()
        self.getPlotItem().enableAutoRange()

    def _draw_curves(self) -> None:
        plot = self.getPlotItem()
        for curve in self.curves.values():
            plot.removeItem(curve)
        self.curves = {}
        for index, name in enumerate(self.data.series):
            pen = pg.mkPen(series_colour(name, index, dark=self._dark),
                           width=2 if name == "target" else 1.5)
            curve = pg.PlotDataItem(self.data.xs(name), self.data.ys(name), pen=pen,
                                    name=series_label(name))
            if self.data.aggregation != "day":
                curve.setSymbol("o")
                curve.setSymbolSize(5)
                curve.setSymbolBrush(pen.color())
                curve.setSymbolPen(pen.color())
            plot.addItem(curve)
            self.curves[name] = curve

    def _draw_events(self) -> None:  # event labels take the chart's font (zoom)
        plot = self.getPlotItem()
        for line in self.event_lines:
            plot.removeItem(line)
        self.event_lines = []
        pen = pg.mkPen(MARKER_COLOUR, width=1.5, style=Qt.PenStyle.DashLine)
        for index, mark in enumerate(self.data.events):
            # staggered heights, so labels of events close in time do not overlap
            line = pg.InfiniteLine(pos=mark.x, angle=90, movable=False, pen=pen,
                                   label=mark.label,
                                   labelOpts={"position": _LABEL_HEIGHTS[index % 3],
                                              "color": MARKER_COLOUR,
                                              "fill": self._background_with_alpha(),
                                              "anchors": [(0, 0), (0, 0)]})
            line.event_id = mark.event_id  # lets tests and callers find an event's marker
            line.label.setFont(self.font())
            line.setZValue(10)
            plot.addItem(line, ignoreBounds=True)
            self.event_lines.append(line)

    def _draw_projection(self) -> None:
        plot = self.getPlotItem()
        if self.projection_line is not None:
            plot.removeItem(self.projection_line)
            self.projection_line = None
        if self.data.projection is None:
            return
        line = pg.InfiniteLine(pos=self.data.projection, angle=0, movable=False,
                               pen=pg.mkPen(PROJECTION_COLOUR, width=1.5,
                                            style=Qt.PenStyle.DashDotLine),
                               label="Once Per Session projection",
                               labelOpts={"position": 0.02, "color": PROJECTION_COLOUR,
                                          "anchors": [(0, 1), (0, 1)]})
        line.label.setFont(self.font())
        plot.addItem(line)
        self.projection_line = line

    # --- crosshair ------------------------------------------------------------------------

    def nearest_period(self, x: float) -> str | None:
        """The period (first day) nearest to chart x, or None without data."""
        periods = self.data.periods()
        if not periods:
            return None
        xs = [day_x(p) for p in periods]
        i = bisect.bisect_left(xs, x)
        candidates = [j for j in (i - 1, i) if 0 <= j < len(xs)]
        return periods[min(candidates, key=lambda j: abs(xs[j] - x))]

    def show_readout(self, x: float) -> str | None:
        """Move the crosshair to the period nearest x and show its date and values."""
        period = self.nearest_period(x)
        if period is None:
            self.hide_readout()
            return None
        text = self.data.hover_text(period)
        self._crosshair.setPos(day_x(period))
        (x_min, x_max), (_y_min, y_max) = self.getPlotItem().viewRange()
        self._readout.setText(text)
        # keep the readout inside the view: on the left of the line in the right half
        right_half = day_x(period) > (x_min + x_max) / 2
        self._readout.setAnchor((1, 0) if right_half else (0, 0))
        self._readout.setPos(day_x(period), y_max)
        self._crosshair.show()
        self._readout.show()
        return text

    def hide_readout(self) -> None:
        self._crosshair.hide()
        self._readout.hide()

    @property
    def readout_text(self) -> str:
        return self._readout.textItem.toPlainText() if self._readout.isVisible() else ""

    def _mouse_moved(self, pos: QPointF) -> None:
        plot = self.getPlotItem()
        if not plot.sceneBoundingRect().contains(pos):
            self.hide_readout()
            return
        self.show_readout(plot.vb.mapSceneToView(pos).x())

    def leaveEvent(self, event) -> None:
        self.hide_readout()
        super().leaveEvent(event)

    # --- colours --------------------------------------------------------------------------

    def _foreground(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.WindowText)

    def _background_with_alpha(self) -> QColor:
        colour = QColor(self.palette().color(QPalette.ColorRole.Base))
        colour.setAlpha(220)
        return colour

    def _apply_palette(self) -> None:
        self.setBackground(self.palette().color(QPalette.ColorRole.Base))
        for name in ("left", "bottom"):
            axis = self.getPlotItem().getAxis(name)
            axis.setPen(self._foreground())
            axis.setTextPen(self._foreground())


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


# --- PNG export -----------------------------------------------------------------------------

def render_png(data: ChartData, path: str | Path, width: int, height: int) -> Path:
    """Draw ``data`` on an offscreen chart of exactly width x height and save it as PNG.

    A chart of its own, laid out at the requested size, gives a true-size image with readable
    axes, whatever the size of the chart on screen (scaling the visible one would stretch it).
    """
    if width < 50 or height < 50:
        raise ValueError(f"the image must be at least 50 x 50 pixels, not {width} x {height}")
    chart = TrendsChart()
    try:
        chart.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        chart.resize(width, height)
        chart.set_data(data)
        chart.show()
        _settle(chart)
        exporter = ImageExporter(chart.scene())
        exporter.parameters()["width"] = width
        # the exporter keeps the source aspect ratio; the scene already has width x height,
        # but a rounding of the ratio can make the height a pixel off: set it exactly
        exporter.parameters().param("height").setValue(height, blockSignal=exporter.heightChanged)
        target = Path(path)
        image = exporter.export(toBytes=True)
        if not image.save(str(target), "PNG"):
            raise OSError(f"cannot write {target}")
        return target
    finally:
        chart.close()
        chart.deleteLater()


def _settle(chart: TrendsChart) -> None:
    """Process events until the plot's layout stops moving (axes and labels placed)."""
    app = QApplication.instance()
    previous = None
    for _ in range(_SETTLE_ROUNDS):
        app.processEvents()
        plot = chart.getPlotItem()
        plot.layout.activate()
        geometry = (plot.vb.sceneBoundingRect().getRect(),
                    plot.getAxis("bottom").sceneBoundingRect().getRect(),
                    plot.getAxis("left").sceneBoundingRect().getRect())
        if geometry == previous and chart.size().width() > 0:
            return
        previous = geometry
