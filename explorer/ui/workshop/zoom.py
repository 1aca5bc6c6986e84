"""Zoom for the whole window: one application font, scaled.

Scaling ``QApplication``'s font makes every widget that does not set its own font follow:
tree, lists and tables (their row heights come from the font), labels, menus, the inspector
(its HTML uses relative sizes on the browser's font) and the trends chart (which re-applies
the font to its axes on ``FontChange``). Widgets built with an explicit font are told through
the ``zoomChanged`` signal.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

ZOOM_LEVELS = (50, 67, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300)
MIN_ZOOM, MAX_ZOOM = ZOOM_LEVELS[0], ZOOM_LEVELS[-1]
SETTING_KEY = "workshop/zoom"

_BASE_FONTS: dict[int, QFont] = {}  # per application: its font before any zoom


def base_font(app: QApplication) -> QFont:
    """The application's font at 100 % (captured the first time zoom is used)."""
    key = id(app)
    if key not in _BASE_FONTS:
        _BASE_FONTS[key] = QFont(app.font())
    return QFont(_BASE_FONTS[key])


def scaled_font(font: QFont, factor: float) -> QFont:
    scaled = QFont(font)
    if font.pointSizeF() > 0:
        scaled.setPointSizeF(max(4.0, font.pointSizeF() * factor))
    elif font.pixelSize() > 0:
        scaled.setPixelSize(max(6, round(font.pixelSize() * factor)))
    return scaled


def clamp_zoom(percent: int) -> int:
    return max(MIN_ZOOM, min(MAX_ZOOM, int(percent)))


class ZoomController(QObject):
    """The zoom level (percent) and an extra factor (presentation mode's larger type)."""

    zoomChanged = Signal(int)  # the user's zoom, percent

    def __init__(self, app: QApplication, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._base = base_font(app)
        self._percent = 100
        self._extra = 1.0

    @property
    def percent(self) -> int:
        return self._percent

    @property
    def factor(self) -> float:
        """The scale applied to the base font now (zoom × presentation)."""
        return self._percent / 100 * self._extra

    def set_zoom(self, percent: int) -> int:
        self._percent = clamp_zoom(percent)
        self._apply()
        self.zoomChanged.emit(self._percent)
        return self._percent

    def zoom_in(self) -> int:
        return self.set_zoom(next((z for z in ZOOM_LEVELS if z > self._percent), MAX_ZOOM))

    def zoom_out(self) -> int:
        return self.set_zoom(next((z for z in reversed(ZOOM_LEVELS) if z < self._percent),
                                  MIN_ZOOM))

    def reset(self) -> int:
        return self.set_zoom(100)

    def set_extra_factor(self, factor: float) -> None:
        """Presentation mode's larger type, on top of the user's zoom (not persisted)."""
        self._extra = max(0.5, factor)
        self._apply()
        self.zoomChanged.emit(self._percent)

    def restore_base(self) -> None:
        """Put the application font back as it was (the window closes; tests)."""
        self._app.setFont(self._base)

    def _apply(self) -> None:
        self._app.setFont(scaled_font(self._base, self.factor))
