"""GUI start-up: the QApplication, its names and icon, the main window, screenshot mode."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.kinds import ObjectRef

if TYPE_CHECKING:  # Qt is imported when the window starts, not when the CLI loads this
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from explorer.ui.main_window import MainWindow

log = logging.getLogger(__name__)

DEFAULT_SCREENSHOT_SIZE = (1280, 800)
SCREENSHOT_TIMEOUT_MS = 180_000  # a scripted screenshot never hangs forever

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_TIMEOUT = 3


@dataclass(frozen=True)
class WorkshopOptions:
    """Workshop settings from the command line (scriptable screenshots): a theme, a zoom
    level, presentation mode, and masking rules for this session (not saved)."""

    theme: str | None = None
    zoom: int | None = None
    presentation: bool = False
    mask_classes: tuple[str, ...] = ()
    mask_terms: tuple[str, ...] = ()

    @property
    def masking(self) -> bool:
        return bool(self.mask_classes or self.mask_terms)


def run_app(path: Path | None = None, *, screenshot: Path | None = None,
            select: ObjectRef | None = None, size: tuple[int, int] | None = None,
            argv: list[str] | None = None, workshop: WorkshopOptions | None = None,
            panel: str | None = None, search: str | None = None) -> int:
    """Start the GUI and return the exit code.

    ``path`` is a workspace or an export to import (none: the last workspace, if any).
    With ``screenshot``, the window opens ``path``, selects ``select``, waits for its
    ``ready`` signal, saves a PNG of the whole window and exits (0 on success); it starts
    from the default layout and never reads or saves window state (QSettings). ``panel``
    raises that bottom panel (``findings``, ``trends``, …) once the workspace shows;
    ``search`` searches for that text then (its results panel raised).
    """
    from PySide6.QtWidgets import QApplication

    from explorer.ui.main_window import MainWindow
    from explorer.ui.recent import RecentFiles

    existing = QApplication.instance()
    app = (existing if isinstance(existing, QApplication)
           else QApplication(argv if argv is not None else sys.argv[:1]))
    configure_application(app)
    window = MainWindow(interactive=screenshot is None, restore_settings=screenshot is None)
    if size is not None or screenshot is not None:
        window.resize(*(size or DEFAULT_SCREENSHOT_SIZE))
    if workshop is not None:
        apply_workshop_options(window, workshop)
    if panel is not None:
        raise_panel_when_ready(window, panel)
    if search is not None:
        search_when_ready(window, search)
    if screenshot is not None:
        return _run_screenshot(app, window, path, Path(screenshot), select)
    window.show()
    if path is not None:
        window.open_path(Path(path), select=select, ask=False)
    else:
        last = RecentFiles.last_workspace()
        if last is not None and last.exists():
            window.open_workspace(last, select=select)
    return int(app.exec())


def raise_panel_when_ready(window: MainWindow, panel: str) -> None:
    """Raise ``panel`` as the workspace opens: before ``ready`` fires, so a screenshot
    shows it (a panel built on first show, like the trends chart, is built by then)."""
    from PySide6.QtCore import Qt

    def raise_it(_workspace: object) -> None:
        window.raise_panel(panel)
        if panel == "findings":
            show_first_finding(window)

    window.session.replaced.connect(raise_it, Qt.ConnectionType.SingleShotConnection)


def show_first_finding(window: MainWindow) -> None:
    """Open the details of the first finding (a scripted screenshot of the findings panel
    shows what a click there shows)."""
    panel = window.findings_panel
    if panel is None or panel.model.rowCount() == 0:
        return
    group = panel.model.index(0, 0)
    panel.tree.expand(group)
    first = panel.model.index(0, 0, group) if panel.model.rowCount(group) else group
    panel.tree.setCurrentIndex(first)


def search_when_ready(window: MainWindow, text: str) -> None:
    """Search for ``text`` as the workspace opens, before ``ready`` (scripted screenshots)."""
    from PySide6.QtCore import Qt

    window.session.replaced.connect(lambda _workspace: window.search_pane.search_for(text),
                                    Qt.ConnectionType.SingleShotConnection)


def apply_workshop_options(window: MainWindow, options: WorkshopOptions) -> None:
    """Theme, zoom, masking (session rules) and presentation mode, before anything opens."""
    from explorer.masking import MaskRules

    workshop = window.workshop
    if options.theme is not None:
        workshop.set_theme(options.theme)
    if options.zoom is not None:
        workshop.set_zoom(options.zoom)
    if options.masking:
        workshop.set_session_rules(MaskRules(True, tuple(options.mask_terms), (),
                                             frozenset(options.mask_classes)))
    if options.presentation:
        workshop.set_presentation(True)


def configure_application(app: QApplication) -> None:
    """Names (QSettings uses them), display name and the window icon."""
    from explorer.ui.settings import APPLICATION, ORGANIZATION

    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("AAM Config Explorer")
    app.setWindowIcon(app_icon())


def app_icon() -> QIcon:
    """The bundled icon when there is one, else a drawn one (the app needs no image files)."""
    from PySide6.QtGui import QIcon

    from explorer.paths import resources_dir

    for name in ("app.svg", "app.png"):
        candidate = resources_dir() / "icons" / name
        if candidate.exists():
            return QIcon(str(candidate))
    return _drawn_icon()


def _drawn_icon() -> QIcon:
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

    icon = QIcon()
    for size in (16, 32, 64, 128):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#2f6fd6"))
        painter.drawRoundedRect(QRectF(0, 0, size, size), size * 0.2, size * 0.2)
        font = QFont()
        font.setPixelSize(int(size * 0.5))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, "A")
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def _run_screenshot(app: QApplication, window: MainWindow, path: Path | None, png: Path,
                    select: ObjectRef | None) -> int:
    from PySide6.QtCore import QTimer

    result = {"code": EXIT_TIMEOUT}

    def finish(code: int) -> None:
        result["code"] = code
        window.close()
        app.exit(code)

    def save() -> None:
        pixmap = window.grab()
        png.parent.mkdir(parents=True, exist_ok=True)
        if pixmap.save(str(png), "PNG"):
            print(f"saved {png} ({pixmap.width()}x{pixmap.height()})")
            finish(EXIT_OK)
        else:
            print(f"error: could not write {png}", file=sys.stderr)
            finish(EXIT_FAILED)

    def failed(message: str) -> None:
        print(f"error: {message}", file=sys.stderr)
        finish(EXIT_FAILED)

    window.ready.connect(save)
    window.loadFailed.connect(failed)
    window.show()

    def start() -> None:
        if path is None:
            failed("--screenshot needs a workspace or an export to open")
        else:
            window.open_path(Path(path), select=select, ask=False)

    QTimer.singleShot(0, start)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(lambda: failed("timed out waiting for the window to be ready"))
    timer.start(SCREENSHOT_TIMEOUT_MS)
    app.exec()
    return result["code"]
