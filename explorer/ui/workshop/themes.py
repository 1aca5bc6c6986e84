"""Light, dark and high-contrast themes (Fusion + a palette), or the system's choice.

"system" (the default) follows ``QStyleHints.colorScheme()``: the platform's own style and
palette when it is light, our dark palette when the system is dark. Chart and marker colours
come from the Okabe-Ito palette in every theme (``OKABE_ITO``), so they stay distinguishable
with the common colour-vision deficiencies.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)

THEMES: dict[str, str] = {"system": "&System", "light": "&Light", "dark": "&Dark",
                          "high-contrast": "&High contrast"}
THEME_NAMES = tuple(THEMES)
SETTING_KEY = "workshop/theme"
APP_PROPERTY = "explorerTheme"  # the resolved theme, read by views that draw their own colours

OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00", "sky-blue": "#56B4E9", "bluish-green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00",
    "reddish-purple": "#CC79A7", "black": "#000000",
}

_R = QPalette.ColorRole
_G = QPalette.ColorGroup

# Each palette role's colour in the light, dark and high-contrast themes. High contrast is pure
# black and white with a yellow selection (Okabe-Ito yellow) and black text on it: the largest
# contrast a projector can show, and the selection stays visible from the back of a room.
_PALETTE_COLOURS: dict[QPalette.ColorRole, tuple[str, str, str]] = {
    #                    light      dark       high contrast
    _R.Window:           ("#EFF1F3", "#202326", "#000000"),
    _R.WindowText:       ("#1F2328", "#E6EDF3", "#FFFFFF"),
    _R.Base:             ("#FFFFFF", "#17191C", "#000000"),
    _R.AlternateBase:    ("#F5F7F9", "#23272B", "#1A1A1A"),
    _R.ToolTipBase:      ("#FFFFDC", "#2B3036", "#000000"),
    _R.ToolTipText:      ("#1F2328", "#E6EDF3", "#FFFFFF"),
    _R.PlaceholderText:  ("#6E7781", "#8B949E", "#C8C8C8"),
    _R.Text:             ("#1F2328", "#E6EDF3", "#FFFFFF"),
    _R.Button:           ("#E8EAED", "#2B3036", "#000000"),
    _R.ButtonText:       ("#1F2328", "#E6EDF3", "#FFFFFF"),
    _R.BrightText:       ("#FFFFFF", "#FFFFFF", "#FFFFFF"),
    _R.Highlight:        ("#2F6FD6", "#2F6FD6", "#F0E442"),
    _R.HighlightedText:  ("#FFFFFF", "#FFFFFF", "#000000"),
    _R.Link:             ("#0B5CAD", "#6CB6FF", "#56B4E9"),
    _R.LinkVisited:      ("#6F42C1", "#C9A0FF", "#CC79A7"),
    _R.Light:            ("#FFFFFF", "#3A4047", "#FFFFFF"),
    _R.Midlight:         ("#F2F3F5", "#30353B", "#C8C8C8"),
    _R.Mid:              ("#B8BCC2", "#25292D", "#808080"),
    _R.Dark:             ("#8C9096", "#121416", "#FFFFFF"),
    _R.Shadow:           ("#5A5D61", "#000000", "#FFFFFF"),
}
_THEME_COLUMN = {"light": 0, "dark": 1, "high-contrast": 2}
# Disabled text: plainly dimmer than enabled text (half its contrast or less) yet still
# legible (3:1 or more on the window); high contrast dims white to mid grey, or a disabled
# button would look like an enabled one from the back of a room.
_DISABLED_TEXT = {"light": "#7A828C", "dark": "#6E7681", "high-contrast": "#808080"}
# High contrast also dims what Fusion draws frames and bevels with, for disabled widgets.
_HIGH_CONTRAST_DISABLED_FRAMES = {_R.Light: "#5A5A5A", _R.Midlight: "#5A5A5A",
                                  _R.Dark: "#5A5A5A", _R.Shadow: "#5A5A5A",
                                  _R.Highlight: "#5A5A5A"}


def build_palette(theme: str) -> QPalette:
    """The palette of a concrete theme ("light", "dark" or "high-contrast")."""
    palette = QPalette()
    column = _THEME_COLUMN[theme]
    for role, colours in _PALETTE_COLOURS.items():
        palette.setColor(role, QColor(colours[column]))
    disabled = QColor(_DISABLED_TEXT[theme])
    for role in (_R.WindowText, _R.Text, _R.ButtonText, _R.PlaceholderText):
        palette.setColor(_G.Disabled, role, disabled)
    if theme == "high-contrast":
        for role, colour in _HIGH_CONTRAST_DISABLED_FRAMES.items():
            palette.setColor(_G.Disabled, role, QColor(colour))
    return palette


# Text roles and the background each is drawn on: every pair reads at 4.5:1 (WCAG AA).
TEXT_ROLE_PAIRS: tuple[tuple[QPalette.ColorRole, QPalette.ColorRole], ...] = (
    (_R.WindowText, _R.Window), (_R.Text, _R.Base), (_R.Text, _R.AlternateBase),
    (_R.ButtonText, _R.Button), (_R.ToolTipText, _R.ToolTipBase),
    (_R.HighlightedText, _R.Highlight), (_R.Link, _R.Base), (_R.LinkVisited, _R.Base),
    (_R.PlaceholderText, _R.Base),
)


_PE = QStyle.PrimitiveElement
# Fusion draws these outlines in the window colour darkened, which is black on black in high
# contrast: an unticked box, a line edit or a text area would read as plain text.
_OUTLINED = (_PE.PE_IndicatorCheckBox, _PE.PE_IndicatorRadioButton, _PE.PE_FrameLineEdit,
             _PE.PE_Frame, _PE.PE_PanelButtonCommand)


class HighContrastStyle(QProxyStyle):
    """Fusion with a visible light outline around check boxes, radio buttons, push buttons,
    line edits and framed text areas (grey when disabled). A style, not a style sheet: a
    style sheet would stop the zoomed application font from reaching the widgets it styles."""

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))
        self.setObjectName("explorerHighContrast")

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: QPainter, widget: QWidget | None = None) -> None:
        if element in (_PE.PE_FrameLineEdit, _PE.PE_Frame):
            self._outline(option, painter, element)  # replaces Fusion's invisible frame
            return
        super().drawPrimitive(element, option, painter, widget)
        if element in _OUTLINED:
            self._outline(option, painter, element)

    @staticmethod
    def _outline(option: QStyleOption, painter: QPainter,
                 element: QStyle.PrimitiveElement) -> None:
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
        enabled = bool(option.state & QStyle.StateFlag.State_Enabled)
        palette = option.palette
        if focused and element in (_PE.PE_FrameLineEdit, _PE.PE_Frame):
            colour = palette.color(_R.Highlight)
        elif enabled:
            colour = palette.color(_R.WindowText)
        else:
            colour = palette.color(_G.Disabled, _R.WindowText)
        width = 2.0 if focused else 1.0
        rect = QRectF(option.rect).adjusted(width / 2, width / 2, -width / 2, -width / 2)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(colour, width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if element == _PE.PE_IndicatorRadioButton:
            painter.drawEllipse(rect)
        else:
            painter.drawRect(rect)
        painter.restore()


def system_scheme() -> str:
    """"dark" when the platform says so, else "light"."""
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    if scheme is not None and scheme() == Qt.ColorScheme.Dark:
        return "dark"
    return "light"


class ThemeManager(QObject):
    """Applies a theme to the whole application and remembers the platform's own look."""

    themeChanged = Signal(str, str)  # chosen ("system", ...), resolved ("light", ...)

    def __init__(self, app: QApplication, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._native_style = app.style().name()
        self._native_palette = QPalette(app.palette())
        self.chosen = "system"
        self.resolved = "light"
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._system_changed)

    def apply(self, theme: str) -> str:
        """Apply ``theme`` (one of THEME_NAMES); returns the resolved concrete theme."""
        if theme not in THEMES:
            raise ValueError(f"theme must be one of {', '.join(THEME_NAMES)}")
        self.chosen = theme
        resolved = system_scheme() if theme == "system" else theme
        if theme == "system" and resolved == "light":
            self._restore_native()
        else:
            self._use_style(high_contrast=resolved == "high-contrast")
            # Palette only, no style sheet: an application style sheet stops the zoomed
            # application font from reaching the widgets it styles.
            self._app.setPalette(build_palette(resolved))
        self.resolved = resolved
        self._app.setProperty(APP_PROPERTY, resolved)
        self.themeChanged.emit(theme, resolved)
        return resolved

    def cycle(self) -> str:
        """The next theme in THEME_NAMES order (Ctrl+Shift+T)."""
        index = THEME_NAMES.index(self.chosen) if self.chosen in THEME_NAMES else 0
        return self.apply(THEME_NAMES[(index + 1) % len(THEME_NAMES)])

    def reset(self) -> None:
        """Back to the platform's look without announcing it (the window closes)."""
        self._restore_native()
        self.chosen = "system"
        self.resolved = "light"
        self._app.setProperty(APP_PROPERTY, None)

    def _use_style(self, high_contrast: bool) -> None:
        """Fusion, or Fusion with visible outlines for high contrast (set only on a change:
        setting a style re-polishes every widget)."""
        current = self._app.style()
        is_high_contrast = isinstance(current, HighContrastStyle)
        if high_contrast and not is_high_contrast:
            self._app.setStyle(HighContrastStyle())
        elif not high_contrast and (is_high_contrast or current.name().lower() != "fusion"):
            fusion = QStyleFactory.create("Fusion")
            if fusion is not None:
                self._app.setStyle(fusion)

    def _restore_native(self) -> None:
        if (isinstance(self._app.style(), HighContrastStyle)
                or self._app.style().name().lower() != self._native_style.lower()):
            native = QStyleFactory.create(self._native_style)
            if native is not None:
                self._app.setStyle(native)
        self._app.setPalette(self._native_palette)

    def _system_changed(self, *_args: object) -> None:
        if self.chosen == "system":
            self.apply("system")
