"""What the window tells the user: its title, the status bar's summary line, warnings and
non-blocking dialogs (tests inspect ``last_dialog`` instead of waiting on modal loops)."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from explorer.store.workspace import Workspace

# The window's one logger, named after the module that builds the window, so a log filter
# on the window's name catches every part of it.
log = logging.getLogger("explorer.ui.main_window")

APP_TITLE = "AAM Config Explorer"
MASKED_SUFFIX = " — masked"  # the window title's end while masking is on


def workspace_summary(workspace: Workspace) -> str:
    """The status bar's line: tenant, export date and the main counts."""
    info = workspace.info()
    counts = info["counts"]
    parts = []
    if info.get("partner_id") is not None:
        parts.append(f"Partner {info['partner_id']}")
    if info.get("export_date"):
        parts.append(f"export {info['export_date']}")
    parts.append(f"{counts.get('traits', 0):,} traits")
    parts.append(f"{counts.get('segments', 0):,} segments")
    return "  ·  ".join(parts)


class Messenger:
    """Warnings (``failed`` plus a message box when interactive), dialogs, About.

    ``interactive=False`` (screenshot mode): no questions, no modal dialogs."""

    def __init__(self, window: QWidget, failed: SignalInstance, *, interactive: bool) -> None:
        self._window = window
        self._failed = failed
        self.interactive = interactive
        self.last_dialog: QWidget | None = None

    def fail(self, message: str) -> None:
        log.warning("%s", message)
        self._failed.emit(message)
        if self.interactive:
            box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE, message,
                              QMessageBox.StandardButton.Ok, self._window)
            self.open_dialog(box)

    def failed_quietly(self, message: str) -> None:
        """Announce a failure the caller shows in its own dialog."""
        self._failed.emit(message)

    def open_dialog(self, dialog: QDialog) -> None:
        """Show a dialog window-modal without blocking (tests inspect ``last_dialog``)."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog = dialog
        dialog.open()

    def show_about(self) -> None:
        from explorer import __version__

        box = QMessageBox(QMessageBox.Icon.Information, f"About {APP_TITLE}",
                          f"<b>{APP_TITLE}</b> {__version__}<br>Explore Adobe Audience "
                          "Manager tenant exports offline. Nothing leaves this machine.",
                          QMessageBox.StandardButton.Ok, self._window)
        self.open_dialog(box)
