"""What the window tells the user: its title, the status bar's summary line, warnings and
non-blocking dialogs (tests inspect ``last_dialog`` instead of waiting on modal loops)."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from explorer.store.workspace import Workspace

# The window's one logger, named after the module that builds the window, so a log filter
# on the window's name catches every part of it.
log = logging.getLogger("explorer.ui.main_window")

APP_TITLE = "AAM Config Explorer"


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


class MessagesMixin:
    """Warnings (``loadFailed`` plus a message box when interactive), dialogs, About."""

    interactive: bool
    last_dialog: QWidget | None
    loadFailed: Signal

    def _fail(self, message: str) -> None:
        log.warning("%s", message)
        self.loadFailed.emit(message)
        if self.interactive:
            box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE, message,
                              QMessageBox.StandardButton.Ok, self)
            self._open_dialog(box)

    def _open_dialog(self, dialog: QWidget) -> None:
        """Show a dialog window-modal without blocking (tests inspect ``last_dialog``)."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog = dialog
        dialog.open()  # type: ignore[attr-defined]

    def show_about(self) -> None:
        from explorer import __version__

        box = QMessageBox(QMessageBox.Icon.Information, f"About {APP_TITLE}",
                          f"<b>{APP_TITLE}</b> {__version__}<br>Explore Adobe Audience "
                          "Manager tenant exports offline. Nothing leaves this machine.",
                          QMessageBox.StandardButton.Ok, self)
        self._open_dialog(box)
