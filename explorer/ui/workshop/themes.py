"""Light, dark and high-contrast themes (Fusion + a palette), or the system's choice.

"system" (the default) follows ``QStyleHints.colorScheme()``: the platform's own style and
palette when it is light, our dark palette when the system is dark. Chart and marker colours
come from the Okabe-Ito palette in every theme (``OKABE_ITO``), so they stay distinguishable
with the common colour-vision deficiencies.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

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

_DARK = {
    _R.Window: "#202326", _R.WindowText: "#E6EDF3", _R.Base: "#17191C",
    _R.AlternateBase: "#23272B", _R.ToolTipBase: "#2B3036", _R.ToolTipText: "#E6EDF3",
    _R.PlaceholderText: "#8B949E", _R.Text: "#E6EDF3", _R.Button: "#2B3036",
    _R.ButtonText: "#E6EDF3", _R.BrightText: "#FFFFFF", _R.Highlight: "#2F6FD6",
    _R.HighlightedText: "#FFFFFF", _R.Link: "#6CB6FF", _R.LinkVisited: "#C9A0FF",
    _R.Light: "#3A4047", _R.Midlight: "#30353B", _R.Mid: "#25292D", _R.Dark: "#121416",
    _R.Shadow: "#000000",
}
_LIGHT = {
    _R.Window: "#EFF1F3", _R.WindowText: "#1F2328", _R.Base: "#FFFFFF",
    _R.AlternateBase: "#F5F7F9", _R.ToolTipBase: "#FFFFDC", _R.ToolTipText: "#1F2328",
    _R.PlaceholderText: "#6E7781", _R.Text: "#1F2328", _R.Button: "#E8EAED",
    _R.ButtonText: "#1F2328", _R.BrightText: "#FFFFFF", _R.Highlight: "#2F6FD6",
    _R.HighlightedText: "#FFFFFF", _R.Link: "#0B5CAD", _R.LinkVisited: "#6F42C1",
    _R.Light: "#FFFFFF", _R.Midlight: "#F2F3F5", _R.Mid: "#B8BCC2", _R.Dark: "#8C9096",
    _R.Shadow: "#5A5D61",
}
# Pure black and white, a yellow selection (Okabe-Ito yellow) with black text: the largest
# contrast a projector can show, and the selection stays visible from the back of a room.
_HIGH_CONTRAST = {
    _R.Window: "#000000", _R.WindowText: "#FFFFFF", _R.Base: "#000000",
    _R.AlternateBase: "#1A1A1A", _R.ToolTipBase: "#000000", _R.ToolTipText: "#FFFFFF",
    _R.PlaceholderText: "#C8C8C8", _R.Text: "#FFFFFF", _R.Button: "#000000",
    _R.ButtonText: "#FFFFFF", _R.BrightText: "#FFFFFF", _R.Highlight: "#F0E442",
    _R.HighlightedText: "#000000", _R.Link: "#56B4E9", _R.LinkVisited: "#CC79A7",
    _R.Light: "#FFFFFF", _R.Midlight: "#C8C8C8", _R.Mid: "#808080", _R.Dark: "#FFFFFF",
    _R.Shadow: "#FFFFFF",
}
_PALETTES = {"light": _LIGHT, "dark": _DARK, "high-contrast": _HIGH_CONTRAST}
_DISABLED_TEXT = {"light": "#8C959F", "dark": "#6E7681", "high-contrast": "#A0A0A0"}


def build_palette(theme: str) -> QPalette:
    """The palette of a concrete theme ("light", "dark" or "high-contrast")."""
    palette = QPalette()
    for role, colour in _PALETTES[theme].items():
        palette.setColor(role, QColor(colour))
    disabled = QColor(_DISABLED_TEXT[theme])
    for role in (_R.WindowText, _R.Text, _R.ButtonText, _R.PlaceholderText):
        palette.setColor(_G.Disabled, role, disabled)
    return palette


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
            fusion = QStyleFactory.create("Fusion")
            if fusion is not None and self._app.style().name().lower() != "fusion":
                self._app.setStyle(fusion)
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

    def _restore_native(self) -> None:
        if self._app.style().name().lower() != self._native_style.lower():
            native = QStyleFactory.create(self._native_style)
            if native is not None:
                self._app.setStyle(native)
        self._app.setPalette(self._native_palette)

    def _system_changed(self, *_args: object) -> None:
        if self.chosen == "system":
            self.apply("system")
