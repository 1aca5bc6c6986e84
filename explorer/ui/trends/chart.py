"""The Target call trends chart (pyqtgraph), and its PNG export at a chosen size.

Only this module imports pyqtgraph, and only the trends panel imports this module, when the
chart is first shown: pyqtgraph costs ~0.4 s, which the app does not pay at start.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from html import escape
from pathlib import Path

# pyqtgraph picks PyQt6 if it is installed, unless told otherwise before its import.
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from pyqtgraph.graphicsItems.DateAxisItem import (
    MONTH_SPACING,
    YEAR_SPACING,
    TickSpec,
    ZoomLevel,
    makeYStepper,
)
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from explorer.analysis.trends import (
    MARKER_COLOUR,
    PROJECTION_COLOUR,
    ChartData,
    compact_ticks,
    day_x,
    series_colour,
    series_label,
)
from explorer.analysis.usage import WINDOW_DAYS

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SETTLE_ROUNDS = 20  # processEvents rounds at most while an offscreen chart lays itself out
MINIMUM_HEIGHT = 220  # px: below this the dates, the markers and the curve no longer read
_LABEL_GAP = 6  # px at least between two labels side by side, and above the curves
_TOP_MARGIN = 4  # px above the first row of labels


class CompactAxis(pg.AxisItem):
    """A value axis labelled 250k, 500k, 1.2M instead of 250000, 500000, 1200000."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return compact_ticks([v * scale for v in values], spacing * scale)


class TrendsChart(pg.PlotWidget):
    """Curves per series on a date axis, a labelled marker per settings event, a crosshair.

    The view is fitted to the data from 0 up, with a band at the top for the marker labels
    and the legend, so neither covers the curves; the user may zoom and pan, and the plot's
    "A" button (or new data) fits it again.
    """

    _built = False  # True once __init__ has made the plot (changeEvent comes earlier)

    def __init__(self, parent: QWidget | None = None) -> None:
        axes = {"bottom": _date_axis(), "left": CompactAxis(orientation="left")}
        super().__init__(parent, axisItems=axes)
        self.setMinimumHeight(MINIMUM_HEIGHT)
        self.data = ChartData()
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.event_lines: list[pg.InfiniteLine] = []
        # per measured event: its before and after 30-day means, drawn as two short levels
        self.effect_levels: list[pg.PlotCurveItem] = []
        self.projection_line: pg.InfiniteLine | None = None
        self.fitted = True  # False once the user zooms or pans: resizing keeps their view
        self._label_rects: list[QRectF] = []
        self._title = ""
        self._dark = _is_dark(self.palette())
        self._apply_palette()
        plot = self.getPlotItem()
        plot.showGrid(x=True, y=True, alpha=0.2)
        plot.setMenuEnabled(False)
        plot.getAxis("left").enableAutoSIPrefix(False)  # the tick labels carry k / M
        self.legend = plot.addLegend(offset=(-10, _TOP_MARGIN), labelTextColor=self._foreground())
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
        plot.vb.sigResized.connect(self._view_resized)
        plot.vb.sigRangeChangedManually.connect(self._range_changed_by_user)
        plot.vb.sigXRangeChanged.connect(lambda *_: self.layout_labels())
        _redirect_auto_button(plot, self.fit_view)
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
            self._set_title()

    def tick_font(self) -> QFont:
        """The font of the axes' tick labels (follows zoom)."""
        return QFont(self.getPlotItem().getAxis("bottom").style["tickFont"] or self.font())

    def _apply_fonts(self) -> None:
        font = QFont(self.font())
        plot = self.getPlotItem()
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setStyle(tickFont=font)
            axis.label.setFont(font)
            # tick labels need room: pyqtgraph sizes the axes from the tick font's metrics
            axis.setStyle(tickTextOffset=max(3, QFontMetrics(font).height() // 4))
        self._set_axis_label()
        size = _css_size(font)
        self.legend.setLabelTextSize(size)
        for _sample, label in self.legend.items:  # setLabelTextSize does not redraw them
            label.setText(label.text, size=size)
        for line in self.event_lines:
            line.label.setFont(self._label_font(line))
        if self.projection_line is not None:
            self.projection_line.label.setFont(font)
        self._readout.setFont(font)
        self._set_title()
        self.layout_labels()

    def _set_axis_label(self) -> None:
        """The y label, shortened when the plot is too short for it ('Target calls per day
        (weekly mean)' -> 'Target calls/day (weekly mean)' -> 'Target calls/day')."""
        full = self.data.y_label
        shorter = full.replace(" per day", "/day")
        variants = [full, shorter, shorter.split(" (")[0]]
        room = self.getPlotItem().vb.height() - 8
        metrics = QFontMetrics(self.font())
        text = next((v for v in variants if metrics.horizontalAdvance(v) <= room), variants[-1])
        axis = self.getPlotItem().getAxis("left")
        if axis.labelText != text or not axis.label.isVisible():
            self.getPlotItem().setLabel("left", text, **{"font-size": _css_size(self.font())})

    @property
    def y_label(self) -> str:
        """The y axis' label as drawn ('Target calls per day (weekly mean)')."""
        return self.getPlotItem().getAxis("left").labelText

    @property
    def title(self) -> str:
        """The title over the plot ('' on screen, where the panel shows the headline)."""
        return self._title

    def show_title(self, title: str) -> None:
        """A title over the plot (the exported image carries the panel's headline)."""
        self._title = title
        self._set_title()

    def _set_title(self) -> None:
        plot = self.getPlotItem()
        if not self._title:
            plot.setTitle(None)
            return
        font = QFont(self.font())
        width = max(100, self.width() - 40)
        lines = _wrap(self._title, QFontMetrics(font), width)
        plot.setTitle("<br>".join(escape(line) for line in lines), size=_css_size(font),
                      color=self._foreground().name())
        # pyqtgraph gives the title one 30 px row: make room for every wrapped line
        height = len(lines) * QFontMetrics(font).lineSpacing() + 8
        plot.titleLabel.setMaximumHeight(height)
        plot.layout.setRowFixedHeight(0, height)

    # --- drawing --------------------------------------------------------------------------

    def set_data(self, data: ChartData) -> None:
        """Replace everything drawn by ``data`` (series, event markers, projection)."""
        self.data = data
        self._draw_curves()
        self._draw_events()
        self._draw_projection()
        self._set_axis_label()
        self.fit_view()

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
            plot.addItem(curve)
            self.curves[name] = curve
        # one row of legend entries: it then fits in the band above the curves
        self.legend.setColumnCount(max(1, len(self.curves)))

    def _draw_events(self) -> None:  # event labels take the chart's font (zoom)
        plot = self.getPlotItem()
        for line in self.event_lines:
            plot.removeItem(line)
        self.event_lines = []
        pen = pg.mkPen(MARKER_COLOUR, width=1.5, style=Qt.PenStyle.DashLine)
        # the line keeps the marker colour; its text is darker on a light background to read
        text_colour = QColor(MARKER_COLOUR) if self._dark else QColor(MARKER_COLOUR).darker(135)
        for mark in self.data.events:
            line = pg.InfiniteLine(pos=mark.x, angle=90, movable=False, pen=pen,
                                   label=_literal(mark.label),
                                   labelOpts={"position": 0.98, "color": text_colour,
                                              "fill": self._background_with_alpha(),
                                              "anchors": [(0, 0), (0, 0)]})
            line.event_id = mark.event_id  # lets tests and callers find an event's marker
            line.has_effect = mark.change is not None
            line.label_texts = mark.labels()  # longest first: the layout picks one that fits
            line.label.setFont(self._label_font(line))
            line.setZValue(10)
            line.label.setZValue(11)
            plot.addItem(line, ignoreBounds=True)
            self.event_lines.append(line)
        self._draw_effect_levels()

    def _label_font(self, line: pg.InfiniteLine) -> QFont:
        """The chart's font (zoom); bold for a marker that carries a measured effect."""
        font = QFont(self.font())
        font.setBold(bool(getattr(line, "has_effect", False)))
        return font

    def _draw_effect_levels(self) -> None:
        """The before and after means a marker's percentage compares, as two thick steps."""
        plot = self.getPlotItem()
        for item in self.effect_levels:
            plot.removeItem(item)
        self.effect_levels = []
        if "target" not in self.data.series:
            return  # the levels are Target calls: without the Target curve they mislead
        colour = QColor(MARKER_COLOUR)
        colour.setAlpha(200)
        pen = pg.mkPen(colour, width=4)
        window = WINDOW_DAYS * 86_400.0
        for mark in self.data.events:
            if mark.change is None or mark.before is None or mark.after is None:
                continue
            for start, level in ((mark.x - window, mark.before), (mark.x, mark.after)):
                item = pg.PlotCurveItem([start, start + window], [level, level], pen=pen)
                item.setZValue(8)
                plot.addItem(item)
                self.effect_levels.append(item)

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
                               label=self.data.projection_label,
                               labelOpts={"position": 0.02, "color": PROJECTION_COLOUR,
                                          "fill": self._background_with_alpha(),
                                          "anchors": [(0, 1), (0, 1)]})
        line.label.setFont(self.font())
        line.setZValue(9)
        plot.addItem(line)
        self.projection_line = line

    # --- fitting the view and placing the labels ------------------------------------------

    def fit_view(self) -> None:
        """Show every period, from 0 calls up, with the label band above the curves."""
        self.fitted = True
        plot = self.getPlotItem()
        periods = self.data.periods()
        if not periods:
            plot.enableAutoRange()
            return
        plot.disableAutoRange()
        first, last = day_x(periods[0]), day_x(periods[-1])
        span = max(last - first, 86_400.0)
        plot.setXRange(first - span * 0.01, last + span * 0.01, padding=0)
        self.layout_labels()  # after the x range: label widths are in pixels of that range
        self._fit_y()

    def _fit_y(self) -> None:
        view_height = self.getPlotItem().vb.height()
        highest = self.data.highest() or 1.0
        band = self._band_height() + _LABEL_GAP
        # the curves' top sits just under the band; the band never takes over half the plot
        free = max(0.5, 1 - band / view_height) if view_height > 0 else 0.75
        self.getPlotItem().setYRange(0, highest / free, padding=0)

    def _band_height(self) -> float:
        """Pixels at the top of the view taken by the marker labels and the legend."""
        bottoms = [self._legend_rect().bottom()] if self.curves else []
        bottoms += [rect.bottom() for rect in self._label_rects]
        return max(bottoms, default=0.0)

    def _legend_rect(self) -> QRectF:
        vb = self.getPlotItem().vb
        return vb.mapRectFromItem(self.legend, self.legend.boundingRect())

    def layout_labels(self) -> None:
        """Stack the marker labels in rows from the top, so none overlaps another label or
        the legend. Labels that carry a measured effect are placed first (they get the top
        row); in each row a label goes right of its line, else left of it."""
        self._label_rects = []
        vb = self.getPlotItem().vb
        width, height = vb.width(), vb.height()
        if not self._built or width <= 0 or height <= 0:
            return
        taken = [self._legend_rect()] if self.curves else []
        ordered = sorted(self.event_lines,
                         key=lambda line: (not line.has_effect, line.value()))
        for line in ordered:
            rect = self._place_label(line, taken, width, height)
            taken.append(rect)
        self._label_rects = sorted(taken[1:] if self.curves else taken, key=QRectF.left)

    def _place_label(self, line: pg.InfiniteLine, taken: list[QRectF], width: float,
                     height: float) -> QRectF:
        """Put one marker's label in the highest free row, with the longest of its texts
        that fits beside the line (right, else left) inside the view without being drawn
        across another marker's line (when no text and side manages that: the longest that
        fits in the view)."""
        label = line.label
        vb = self.getPlotItem().vb
        x = vb.mapFromView(QPointF(line.value(), 0)).x()
        other_xs = [vb.mapFromView(QPointF(other.value(), 0)).x()
                    for other in self.event_lines if other is not line]
        text, sides = _label_text_and_sides(label, line.label_texts, x, other_xs, width)
        if label.toPlainText() != text:
            label.setFormat(_literal(text))
        size = label.boundingRect().size()
        top = float(_TOP_MARGIN)
        while True:
            for left_of_line in sides:
                rect = QRectF(x - size.width() if left_of_line else x, top, size.width(),
                              size.height())
                spaced = rect.adjusted(-_LABEL_GAP, 0, _LABEL_GAP, 0)
                if top >= height or not any(spaced.intersects(other) for other in taken):
                    anchor = (1, 0) if left_of_line else (0, 0)
                    label.anchors = [anchor, anchor]
                    label.setAnchor(anchor)
                    label.setPosition(min(1.0, max(0.0, 1 - top / height)))
                    return rect
            top += size.height() + 1

    def label_rects(self) -> list[QRectF]:
        """Where the marker labels are, in the view's pixels (top-left origin), by x."""
        return list(self._label_rects)

    def _view_resized(self, *_args: object) -> None:
        self._set_axis_label()
        if self.fitted:
            self.fit_view()
        else:
            self.layout_labels()
        self._set_title()

    def _range_changed_by_user(self, *_args: object) -> None:
        self.fitted = False

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


def _date_axis() -> pg.DateAxisItem:
    """Dates at midnight UTC; over years, quarters ('Apr', 'Jul', 'Oct') between the years
    rather than years alone, so an event's month can be read off the axis."""
    axis = pg.DateAxisItem(orientation="bottom", utcOffset=0)
    axis.zoomLevels[float("inf")] = ZoomLevel([
        TickSpec(YEAR_SPACING, makeYStepper(1), "%Y", autoSkip=[1, 5, 10, 25]),
        TickSpec(MONTH_SPACING, _month_stepper, "%b", autoSkip=[1, 3, 6]),
    ], "2025")
    return axis


def _month_stepper(value: float, months: int, first: bool) -> float:
    """The next month start; every ``months`` months from January (quarters: Jan, Apr...)."""
    day = datetime.fromtimestamp(value, tz=UTC) if value > 0 else _EPOCH
    index = day.year * 12 + day.month - 1 + (1 if first else months)
    if first:
        index += -index % months  # align to the calendar: Jan, Apr, Jul, Oct for quarters
    start = datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)
    return start.timestamp()


def _label_text_and_sides(label: pg.TextItem, texts: list[str], x: float,
                      other_xs: list[float], width: float) -> tuple[str, list[bool]]:
    """The label text and its sides (False = right of the line, True = left).

    The longest text with a side inside the view that crosses no other marker's line
    (right, then left); else the longest text with a side inside the view; else the
    shortest text on the right, clipped."""
    fitting: tuple[str, list[bool]] | None = None
    for text in texts:
        label.setFormat(_literal(text))
        text_width = label.boundingRect().width()
        sides = [left_of_line for left_of_line, left in ((False, x), (True, x - text_width))
                 if left >= 0 and left + text_width <= width]
        clear = [left_of_line for left_of_line in sides
                 if not any(_crosses(x - text_width if left_of_line else x, text_width, o)
                            for o in other_xs)]
        if clear:
            return text, clear
        if sides and fitting is None:
            fitting = (text, sides)
    if fitting is not None:
        return fitting
    return (texts[-1] if texts else ""), [False]


def _crosses(left: float, text_width: float, other_x: float) -> bool:
    """Whether a label spanning [left, left + text_width] is drawn across the line at x."""
    return left - _LABEL_GAP / 2 < other_x < left + text_width + _LABEL_GAP / 2


def _literal(text: str) -> str:
    """InfiniteLine formats its label with str.format: keep braces (in a note) literal."""
    return text.replace("{", "{{").replace("}", "}}")


def _css_size(font: QFont) -> str:
    """The font's size as pyqtgraph's label options want it ('9.0pt' or '12px')."""
    return f"{font.pointSizeF():.1f}pt" if font.pointSizeF() > 0 else f"{font.pixelSize()}px"


def _wrap(text: str, metrics: QFontMetrics, width: int) -> list[str]:
    """Greedy word wrap of ``text`` to lines at most ``width`` pixels wide."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and metrics.horizontalAdvance(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def _redirect_auto_button(plot: pg.PlotItem, fit: Callable[[], None]) -> None:
    """The plot's "A" button fits our way (label band, from 0), not pyqtgraph's auto-range."""
    try:
        plot.autoBtn.clicked.disconnect(plot.autoBtnClicked)
    except (RuntimeError, TypeError):  # pragma: no cover - pyqtgraph wired it differently
        return
    def fit_and_hide(*_args: object) -> None:
        fit()
        plot.autoBtn.hide()

    plot.autoBtn.clicked.connect(fit_and_hide)


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


# --- PNG export -----------------------------------------------------------------------------

def render_png(data: ChartData, path: str | Path, width: int, height: int) -> Path:
    """Draw ``data`` on an offscreen chart of exactly width x height and save it as PNG.

    A chart of its own, laid out at the requested size, gives a true-size image with readable
    axes, whatever the size of the chart on screen (scaling the visible one would stretch it).
    """
    with offscreen_chart(data, width, height) as chart:
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


@contextmanager
def offscreen_chart(data: ChartData, width: int, height: int) -> Iterator[TrendsChart]:
    """A chart drawing ``data`` (with its headline as title), laid out at width x height and
    never shown on screen; closed on exit. What ``render_png`` exports."""
    if width < 50 or height < 50:
        raise ValueError(f"the image must be at least 50 x 50 pixels, not {width} x {height}")
    chart = TrendsChart()
    try:
        chart.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        chart.setMinimumHeight(0)  # the image has the size asked for, even a small one
        chart.resize(width, height)
        chart.show_title(data.headline)  # the image says what it shows without the panel
        chart.set_data(data)
        chart.show()
        _settle(chart)
        chart.fit_view()  # labels and band from the settled geometry
        yield chart
    finally:
        chart.close()
        chart.deleteLater()


def _settle(chart: TrendsChart) -> None:
    """Process events until the plot's layout stops moving (axes and labels placed)."""
    app = QApplication.instance()
    previous = None
    for _ in range(_SETTLE_ROUNDS):
        if app is not None:
            app.processEvents()
        plot = chart.getPlotItem()
        plot.layout.activate()
        geometry = (plot.vb.sceneBoundingRect().getRect(),
                    plot.getAxis("bottom").sceneBoundingRect().getRect(),
                    plot.getAxis("left").sceneBoundingRect().getRect())
        if geometry == previous and chart.size().width() > 0:
            return
        previous = geometry
